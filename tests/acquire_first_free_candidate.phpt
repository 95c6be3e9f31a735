--TEST--
acquireFirst() locks the first candidate whose keys are all free and reports its index
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

$candidates = [
    [31, '2030-11-24 09:00'],
    [31, '2030-11-24 09:30'],
    [31, '2030-11-24 10:00'],
    [31, '2030-11-24 10:30'],
    [31, '2030-11-24 11:00'],
];
/* the first three are taken by someone else */
foreach (array_slice($candidates, 0, 3) as [$s, $t]) {
    $svc->acquire(1, $s, $t, 'other');
}

$lock = $svc->acquireFirst(1, $candidates, 'call-1');
var_dump($lock->candidate);
var_dump($lock->key === $svc->key(1, 31, '2030-11-24 10:30'));
var_dump($lock->keys === [$lock->key]);
var_dump($lock->owner);
var_dump($r->exists($svc->key(1, 31, '2030-11-24 11:00')));   /* only one candidate taken */

/* the next caller gets the last one */
var_dump($svc->acquireFirst(1, $candidates, 'call-2')->candidate);

/* the same owner gets its own candidate back (held by owner counts as free) */
var_dump($svc->acquireFirst(1, $candidates, 'call-1')->candidate);

/* a compound candidate: a list of pairs; the first one collides on its second segment */
$compound = [
    [[40, '2030-11-24 09:00'], [31, '2030-11-24 09:30']],
    [[40, '2030-11-24 12:00'], [41, '2030-11-24 12:30']],
    [31, '2030-11-24 13:00'],
];
$c = $svc->acquireFirst(1, $compound, 'call-3');
var_dump($c->candidate);
var_dump($c->keys === [$svc->key(1, 40, '2030-11-24 12:00'), $svc->key(1, 41, '2030-11-24 12:30')]);
var_dump($c->key === implode(',', $c->keys));
var_dump($r->exists($svc->key(1, 40, '2030-11-24 09:00'), $svc->key(1, 31, '2030-11-24 13:00')));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
int(3)
bool(true)
bool(true)
string(6) "call-1"
int(0)
int(4)
int(3)
int(1)
bool(true)
bool(true)
int(0)
