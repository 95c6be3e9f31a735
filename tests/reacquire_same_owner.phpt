--TEST--
acquire() by the owner already holding the slot returns its lock again: same fence, TTL refreshed
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

$first = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-1', 5);
$pttl = $r->pttl($first->key);
var_dump($pttl > 0 && $pttl <= 5000);

$again = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-1', 60);
var_dump($again instanceof SlotLock);
var_dump($again->key === $first->key);
var_dump($again->owner);
var_dump($again->fence === $first->fence);
$pttl = $r->pttl($first->key);
var_dump($pttl > 55000 && $pttl <= 60000);
var_dump($again->expiresAt > $first->expiresAt);
var_dump(slotlock_test_fence($r, $first->key) === $first->fence);

/* same for a compound lock */
$segs = [[41, '2030-11-24 14:00'], [42, '2030-11-24 14:30']];
$c1 = $svc->acquireSegments(1, $segs, 'call-2', 5);
$c2 = $svc->acquireSegments(1, $segs, 'call-2', 60);
var_dump($c2->fence === $c1->fence);
var_dump($r->pttl($c1->keys[1]) > 55000);
var_dump($svc->activeLocks());
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
string(6) "call-1"
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(3)
