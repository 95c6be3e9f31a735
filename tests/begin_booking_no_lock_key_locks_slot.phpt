--TEST--
AvailabilityWithLock::beginBooking() without a lock key but with the slot, when the slot is free: takes its lock for the owner (relocked, a fence, lock_key); again by the same owner: locked; a retry after the booking: already_booked with the booking id
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['fencing' => true]);
$flow = new AvailabilityWithLock($svc);
$r = slotlock_test_redis();
$events = [];
$svc->onEvent(function (array $e) use (&$events) { $events[] = $e['event'] . ':' . ($e['reason'] ?? ''); });
$key = $svc->key(1, 31, '2030-11-24 15:00');

$a = $flow->beginBooking(null, 'call-a', 1, 31, '2030-11-24 15:00');
var_dump($a['ok'], $a['reason'], $a['fence'] > 0, $a['lock_key'] === $key);
var_dump(slotlock_test_field($r, $key, 'owner'), $r->pttl($key) > 0);
var_dump($events);

/* a second start_booking of the same call before the booking is written */
$again = $flow->beginBooking(null, 'call-a', 1, 31, new DateTimeImmutable('2030-11-24 15:00', new DateTimeZone('UTC')));
var_dump($again['ok'], $again['reason'], $again['fence'] === $a['fence']);

/* another call without a lock key now gets slot_locked */
var_dump($flow->beginBooking(null, 'call-b', 1, 31, '2030-11-24 15:00')['reason']);

/* the booking is written; the retried start_booking (no lock key) gets it back */
var_dump($flow->finishBooking($a['lock_key'], 'call-a', true, 'booking-0815'));
$retry = $flow->beginBooking(null, 'call-a', 1, 31, '2030-11-24 15:00');
var_dump($retry['ok'], $retry['reason'], $retry['booking_id']);
/* from another worker too */
$retry = (new AvailabilityWithLock(slotlock_test_service()))->beginBooking(null, 'call-a', 1, 31, '2030-11-24 15:00');
var_dump($retry['reason'], $retry['booking_id']);
var_dump(slotlock_test_field($r, $key, 'booked'));

/* the lock key wins over the slot when both are given */
$c = $flow->check(['available' => true], 1, 31, '2030-11-24 16:00', 'call-c');
var_dump($flow->beginBooking($c['lock_key'], 'call-c', 1, 31, '2030-11-24 17:00')['reason']);
var_dump($r->exists($svc->key(1, 31, '2030-11-24 17:00')));
$stats = $svc->stats();
var_dump($stats['relocked'], $stats['expired_before_booking']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
string(8) "relocked"
bool(true)
bool(true)
string(6) "call-a"
bool(true)
array(2) {
  [0]=>
  string(9) "acquired:"
  [1]=>
  string(20) "relocked:no_lock_key"
}
bool(true)
string(6) "locked"
bool(true)
string(11) "slot_locked"
bool(true)
bool(false)
string(14) "already_booked"
string(12) "booking-0815"
string(14) "already_booked"
string(12) "booking-0815"
string(12) "booking-0815"
string(6) "locked"
int(0)
int(1)
int(0)
