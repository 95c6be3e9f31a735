--TEST--
acquireSegments() is all-or-nothing: one taken segment refuses the lot and leaves no key behind
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

/* someone else holds the middle segment */
$held = $svc->acquire(1, 32, '2030-11-24 14:30', 'other');
$fenceBefore = $r->get(slotlock_test_prefix() . ':fence');

$segments = [
    [31, '2030-11-24 14:00'],
    [32, '2030-11-24 14:30'],
    [33, '2030-11-24 15:00'],
];
var_dump($svc->acquireSegments(1, $segments, 'call-1'));

/* the free segments were not taken, the held one is untouched */
var_dump($r->exists($svc->key(1, 31, '2030-11-24 14:00')));
var_dump($r->exists($svc->key(1, 33, '2030-11-24 15:00')));
var_dump(slotlock_test_field($r, $held->key, 'owner'));
var_dump($r->get(slotlock_test_prefix() . ':fence') === $fenceBefore);
var_dump($svc->activeLocks());

/* the last segment taken instead: same outcome */
$svc->release($held, 'other');
$held = $svc->acquire(1, 33, '2030-11-24 15:00', 'other');
var_dump($svc->acquireSegments(1, $segments, 'call-1'));
var_dump($r->exists($svc->key(1, 31, '2030-11-24 14:00'), $svc->key(1, 32, '2030-11-24 14:30')));

/* once free, the whole service can be locked */
$svc->release($held, 'other');
$lock = $svc->acquireSegments(1, $segments, 'call-1');
var_dump(count($lock->keys));
var_dump($r->exists(...$lock->keys));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
NULL
int(0)
int(0)
string(5) "other"
bool(true)
int(1)
NULL
int(0)
int(3)
int(3)
