--TEST--
SlotLockService::commit() turns the owner's hold into a booked marker: true, booked field, the $ttl argument (default booked_ttl), a SlotLock or its key string
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['booked_ttl' => 900]);
$r = slotlock_test_redis();

/* a SlotLock, default TTL: booked_ttl */
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-a', 30);
var_dump($svc->commit($lock, 'call-a', 'bk-1'));
var_dump(slotlock_test_field($r, $lock->key, 'booked'), slotlock_test_field($r, $lock->key, 'owner'), slotlock_test_fence($r, $lock->key) === $lock->fence);
$pttl = $r->pttl($lock->key);
var_dump($pttl > 890000 && $pttl <= 900000);

/* the key string, an explicit TTL, no booking id */
$lock = $svc->acquire(1, 31, '2030-11-24 15:00', 'call-a');
var_dump($svc->commit($lock->key, 'call-a', null, 45));
var_dump(slotlock_test_field($r, $lock->key, 'booked'));
$pttl = $r->pttl($lock->key);
var_dump($pttl > 40000 && $pttl <= 45000);

/* a compound lock: every key is marked */
$lock = $svc->acquireSegments(1, [[31, '2030-11-24 16:00'], [32, '2030-11-24 16:30']], 'call-a');
var_dump($svc->commit($lock, 'call-a', 'bk-3', 120));
foreach ($lock->keys as $k) {
    var_dump(slotlock_test_field($r, $k, 'booked'), $r->pttl($k) > 110000);
}

/* a hold that expired and is still free is marked too */
$lock = $svc->acquire(1, 31, '2030-11-24 17:00', 'call-a');
$r->del($lock->key);
var_dump($svc->commit($lock, 'call-a', 'bk-4'));
var_dump(slotlock_test_field($r, $lock->key, 'booked'), slotlock_test_field($r, $lock->key, 'owner'));

/* repeating it is harmless and keeps the first booking id */
var_dump($svc->commit($lock, 'call-a', 'bk-other'));
var_dump(slotlock_test_field($r, $lock->key, 'booked'));
var_dump($svc->stats()['committed'] >= 4);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
string(4) "bk-1"
string(6) "call-a"
bool(true)
bool(true)
bool(true)
string(0) ""
bool(true)
bool(true)
string(4) "bk-3"
bool(true)
string(4) "bk-3"
bool(true)
bool(true)
string(4) "bk-4"
string(6) "call-a"
bool(true)
string(4) "bk-4"
bool(true)
