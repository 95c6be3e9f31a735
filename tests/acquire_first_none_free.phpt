--TEST--
acquireFirst() returns null when every candidate is taken, and leaves no key behind
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

$svc->acquire(1, 31, '2030-11-24 09:00', 'other');
$svc->acquire(1, 32, '2030-11-24 09:30', 'other');
$svc->acquire(1, 31, '2030-11-24 10:00', 'other');
$fence = $r->get(slotlock_test_prefix() . ':fence');

$candidates = [
    [31, '2030-11-24 09:00'],
    [[30, '2030-11-24 08:30'], [32, '2030-11-24 09:30']],   /* first segment free, second taken */
    [[31, '2030-11-24 10:00'], [33, '2030-11-24 10:30']],   /* first taken, second free */
];
var_dump($svc->acquireFirst(1, $candidates, 'call-1'));
var_dump($r->exists($svc->key(1, 30, '2030-11-24 08:30'), $svc->key(1, 33, '2030-11-24 10:30')));
var_dump($r->get(slotlock_test_prefix() . ':fence') === $fence);
var_dump($svc->activeLocks());
var_dump($svc->validate($svc->key(1, 31, '2030-11-24 09:00'), 'other'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
NULL
int(0)
bool(true)
int(3)
bool(true)
