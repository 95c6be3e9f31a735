--TEST--
AvailabilityWithLock::beginBooking() after the hold expired and nobody took the slot: ok, reason relocked, a new fence; stats count relocked and expired_before_booking
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

$answer = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a', 1);
var_dump($answer['lock_ttl']);
usleep(1200000);
var_dump($r->exists($answer['lock_key']));

$s0 = $svc->stats();
$begin = $flow->beginBooking($answer['lock_key'], 'call-a');
$s1 = $svc->stats();
var_dump($begin['ok'], $begin['reason']);
var_dump(is_int($begin['fence']) && $begin['fence'] > $answer['fence']);
var_dump($s1['relocked'] - $s0['relocked']);
var_dump($s1['expired_before_booking'] - $s0['expired_before_booking']);

/* held again by the caller, for the service's TTL (300 s), with the new fence */
var_dump(slotlock_test_field($r, $answer['lock_key'], 'owner'));
var_dump(slotlock_test_fence($r, $answer['lock_key']) === $begin['fence']);
$pttl = $r->pttl($answer['lock_key']);
var_dump($pttl > 290000 && $pttl <= 300000);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
int(1)
int(0)
bool(true)
string(8) "relocked"
bool(true)
int(1)
int(1)
string(6) "call-a"
bool(true)
bool(true)
