--TEST--
AvailabilityWithLock::beginBooking() retried by the caller whose booking is done: not ok, reason already_booked, with the stored booking_id; another caller gets slot_booked
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$flow = new AvailabilityWithLock(slotlock_test_service());
$r = slotlock_test_redis();

$a = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a');
var_dump($flow->beginBooking($a['lock_key'], 'call-a')['ok']);
var_dump($flow->finishBooking($a['lock_key'], 'call-a', true, 'booking-4711'));
$pttl = $r->pttl($a['lock_key']);

/* the agent retries start_booking for the same call */
$retry = $flow->beginBooking($a['lock_key'], 'call-a');
var_dump($retry['ok'], $retry['reason'], $retry['booking_id']);
/* the retry neither rebooks nor moves the marker */
var_dump(slotlock_test_field($r, $a['lock_key'], 'booked'));
var_dump($r->pttl($a['lock_key']) <= $pttl);

/* from a fresh service object too (the retry lands in another FPM worker) */
$retry = (new AvailabilityWithLock(slotlock_test_service()))->beginBooking($a['lock_key'], 'call-a');
var_dump($retry['reason'], $retry['booking_id']);

/* another caller */
$other = $flow->beginBooking($a['lock_key'], 'call-b');
var_dump($other['ok'], $other['reason'], array_key_exists('booking_id', $other));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
bool(false)
string(14) "already_booked"
string(12) "booking-4711"
string(12) "booking-4711"
bool(true)
string(14) "already_booked"
string(12) "booking-4711"
bool(false)
string(11) "slot_booked"
bool(false)
