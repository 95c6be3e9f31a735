--TEST--
release() by the handle string of a compound lock deletes every segment
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
$lock = $svc->acquireSegments(1, [[31, '2030-11-24 14:00'], [32, '2030-11-24 14:30'], [33, '2030-11-24 15:00']], 'call-1');
$handle = $lock->key;                   /* what the app carries between requests */
var_dump(substr_count($handle, ','));
var_dump($r->exists(...$lock->keys));

/* a later request, another object, only the string */
$later = slotlock_test_service();
var_dump($later->validate($handle, 'call-1'));
var_dump($later->release($handle, 'other'));
var_dump($r->exists(...$lock->keys));
var_dump($later->release($handle, 'call-1'));
var_dump($r->exists(...$lock->keys));
var_dump($later->release($handle, 'call-1'));
var_dump($later->activeLocks());
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
int(2)
int(3)
bool(true)
bool(false)
int(3)
bool(true)
int(0)
bool(false)
int(0)
