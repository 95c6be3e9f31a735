--TEST--
AvailabilityWithLock::beginBooking() when another caller holds the slot (the first hold expired and was taken): not ok, reason slot_locked, and the other hold is untouched
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

$a = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a', 60);
/* A's hold runs out, B checks the same slot and gets it */
$r->del($a['lock_key']);
$b = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-b', 60);
var_dump($b['lock_status']);

$begin = $flow->beginBooking($a['lock_key'], 'call-a');
var_dump($begin['ok'], $begin['reason'], $begin['fence']);
var_dump(!isset($begin['retry_after']) || (is_int($begin['retry_after']) && $begin['retry_after'] <= 60));

var_dump(slotlock_test_field($r, $a['lock_key'], 'owner'));
var_dump(slotlock_test_fence($r, $a['lock_key']) === $b['fence']);
/* and B goes on */
var_dump($flow->beginBooking($b['lock_key'], 'call-b')['reason']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
string(8) "acquired"
bool(false)
string(11) "slot_locked"
NULL
bool(true)
string(6) "call-b"
bool(true)
string(6) "locked"
