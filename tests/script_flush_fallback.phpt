--TEST--
SCRIPT FLUSH between calls: EVALSHA's NOSCRIPT falls back to EVAL, every operation still works
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--CONFLICTS--
redis
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$r = slotlock_test_redis();
$flush = fn () => $r->script('flush');

$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');            /* scripts loaded and used */
var_dump($lock instanceof SlotLock);

$flush();
var_dump($svc->acquire(1, 32, '2030-11-24 14:00', 'o') instanceof SlotLock);
$flush();
var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'other'));
$flush();
var_dump($svc->validate($lock, 'o'));
$flush();
var_dump($svc->status($lock)['locked']);
$flush();
var_dump($svc->extend($lock, 'o', 60)->fence === $lock->fence);
$flush();
var_dump($svc->activeLocks());
$flush();
var_dump($svc->acquireFirst(1, [[31, '2030-11-24 14:00'], [33, '2030-11-24 14:00']], 'x')->candidate);
$flush();
var_dump($svc->acquireSegments(1, [[34, '2030-11-24 14:00'], [35, '2030-11-24 14:00']], 'y') instanceof SlotLock);
$flush();
var_dump($svc->release($lock, 'o'));
/* and once more without a flush: the reloaded scripts are used again */
var_dump($svc->release($lock, 'o'));
var_dump($svc->stats()['errors'] >= 0);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
NULL
bool(true)
bool(true)
bool(true)
int(2)
int(1)
bool(true)
bool(true)
bool(false)
bool(true)
