--TEST--
AvailabilityWithLock::beginBooking() without a lock key but with the slot, while another caller holds it: refused with slot_locked and retry_after, exactly like check(); the other hold is untouched
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['ttl' => 60]);
$flow = new AvailabilityWithLock($svc);
$r = slotlock_test_redis();

$a = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a');
$fence = slotlock_test_field($r, $a['lock_key'], 'fence');

/* caller B's agent forgot lock_key: the slot is locked by A, B must not book */
$b = $flow->beginBooking(null, 'call-b', 1, 31, '2030-11-24 14:00');
var_dump($b['ok'], $b['reason'], $b['fence'], is_int($b['retry_after']) && $b['retry_after'] >= 1 && $b['retry_after'] <= 60);
var_dump(array_key_exists('lock_key', $b));
/* "" is no lock key either */
var_dump($flow->beginBooking('', 'call-b', 1, 31, '2030-11-24 14:00')['reason']);
/* check() answers the same */
$c = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-b');
var_dump($c['reason'], $c['retry_after'] === $b['retry_after'] || $c['retry_after'] === $b['retry_after'] - 1);

/* A's hold is as it was */
var_dump(slotlock_test_field($r, $a['lock_key'], 'owner') === 'call-a', slotlock_test_field($r, $a['lock_key'], 'fence') === $fence);
var_dump($svc->validate($a['lock_key'], 'call-a'));

/* a booked slot is refused with slot_booked, also for a compound service */
var_dump($flow->finishBooking($a['lock_key'], 'call-a', true, 'bk-1'));
var_dump($flow->beginBooking(null, 'call-b', 1, 31, '2030-11-24 14:00')['reason']);
$segments = [[31, 0], [32, 30]];
$x = $flow->beginBooking(null, 'call-b', 1, $segments, '2030-11-24 14:00');
var_dump($x['ok'], $x['reason']);
/* all or nothing: the free segment 32 was not taken */
var_dump($r->exists($svc->key(1, 32, '2030-11-24 14:30')));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(false)
string(11) "slot_locked"
NULL
bool(true)
bool(false)
string(11) "slot_locked"
string(11) "slot_locked"
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(11) "slot_booked"
bool(false)
string(11) "slot_booked"
int(0)
