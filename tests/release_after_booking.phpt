--TEST--
release() after a successful booking deletes the lock and frees the slot
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['fencing' => true]);
$r = slotlock_test_redis();

$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-1');
var_dump($r->exists($lock->key));

/* ... booking happens ... */
var_dump($svc->release($lock, 'call-1'));
var_dump($r->exists($lock->key));
var_dump($svc->release($lock, 'call-1'));       /* nothing left to delete */

$next = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-2');
var_dump($next->owner);
var_dump($next->fence > $lock->fence);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
int(1)
bool(true)
int(0)
bool(false)
string(6) "call-2"
bool(true)
