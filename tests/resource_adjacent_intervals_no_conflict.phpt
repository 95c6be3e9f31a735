--TEST--
acquireResource(): intervals of one resource that only touch (14:00-15:00 and 15:00-15:30, or 13:30-14:00) do not conflict
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();

$a = $svc->acquireResource(1, 'staff7', '2030-11-24 14:00', '2030-11-24 15:00', 'call-a');
$b = $svc->acquireResource(1, 'staff7', '2030-11-24 15:00', '2030-11-24 15:30', 'call-b');
$c = $svc->acquireResource(1, 'staff7', '2030-11-24 13:30', 30, 'call-c');
var_dump($a !== null, $b !== null, $c !== null);
var_dump(array_intersect($a->keys, $b->keys), array_intersect($a->keys, $c->keys));
/* with a buffer they touch no longer */
var_dump($svc->acquireResource(1, 'staff7', '2030-11-24 15:30', 30, 'call-d', null, 15));
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
array(0) {
}
array(0) {
}
NULL
