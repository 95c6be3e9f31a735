--TEST--
AvailabilityWithLock::beginBooking() by the caller holding the slot: ok, reason locked, its fence, and the hold extended to the full TTL
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

$answer = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a', 300);
/* 8-12 s of conversation later: only 5 s of the hold are left */
$r->pExpire($answer['lock_key'], 5000);

$begin = $flow->beginBooking($answer['lock_key'], 'call-a');
var_dump($begin['ok'], $begin['reason']);
var_dump($begin['fence'] === $answer['fence']);
$pttl = $r->pttl($answer['lock_key']);
var_dump($pttl > 290000 && $pttl <= 300000);
var_dump(slotlock_test_field($r, $answer['lock_key'], 'owner'));
var_dump(slotlock_test_fence($r, $answer['lock_key']) === $answer['fence']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
string(6) "locked"
bool(true)
bool(true)
string(6) "call-a"
bool(true)
