--TEST--
SlotLockService::commit() by an owner that does not hold the lock is false and changes nothing, for a single and a compound lock
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$r = slotlock_test_redis();

$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-a', 60);
$pttl = $r->pttl($lock->key);
var_dump($svc->commit($lock, 'call-b', 'bk-b'));
var_dump($svc->commit($lock->key, 'call-b', 'bk-b', 600));
var_dump((slotlock_test_field($r, $lock->key, 'booked') !== false));
var_dump(slotlock_test_field($r, $lock->key, 'owner'));
var_dump($r->pttl($lock->key) <= $pttl);
var_dump($svc->validate($lock, 'call-a'));

/* compound: B holds one key of A's segments; A's commit marks none of them */
$p = slotlock_test_prefix();
$a = $svc->acquireSegments(1, [[31, '2030-11-25 10:00'], [32, '2030-11-25 10:30']], 'call-a');
$r->del($a->keys[1]);
$b = $svc->acquire(1, 32, '2030-11-25 10:30', 'call-b');
var_dump($svc->commit($a, 'call-a', 'bk-a'));
var_dump((slotlock_test_field($r, $a->keys[0], 'booked') !== false), (slotlock_test_field($r, $a->keys[1], 'booked') !== false));
var_dump(slotlock_test_field($r, $a->keys[0], 'owner'), slotlock_test_field($r, $a->keys[1], 'owner'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(false)
bool(false)
bool(false)
string(6) "call-a"
bool(true)
bool(true)
bool(false)
bool(false)
bool(false)
string(6) "call-a"
string(6) "call-b"
