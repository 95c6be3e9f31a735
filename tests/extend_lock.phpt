--TEST--
extend() resets the TTL of a lock its owner holds and returns the lock with the new expiry
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['ttl' => 120]);
$r = slotlock_test_redis();
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o', 10);

$ext = $svc->extend($lock, 'o', 600);
var_dump($ext instanceof SlotLock);
var_dump($ext->key === $lock->key, $ext->keys === $lock->keys, $ext->owner, $ext->fence === $lock->fence);
var_dump($ext->expiresAt->getTimestamp() - time() >= 598);
$pttl = $r->pttl($lock->key);
var_dump($pttl > 590000 && $pttl <= 600000);
var_dump($lock->expiresAt < $ext->expiresAt);      /* the old object is unchanged */

/* without ttl: the service's ttl */
$svc->extend($lock->key, 'o');
$pttl = $r->pttl($lock->key);
var_dump($pttl > 110000 && $pttl <= 120000);

/* a compound lock, by handle string */
$c = $svc->acquireSegments(1, [[32, '2030-11-24 14:00'], [33, '2030-11-24 14:30']], 'o', 10);
$e = $svc->extend($c->key, 'o', 60);
var_dump($e->keys === $c->keys);
var_dump($r->pttl($c->keys[0]) > 50000, $r->pttl($c->keys[1]) > 50000);

/* a released (free) lock cannot be extended, and extend does not take it */
$svc->release($lock, 'o');
var_dump($svc->extend($lock, 'o', 60));
var_dump($r->exists($lock->key));
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
string(1) "o"
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
NULL
int(0)
