--TEST--
acquireResource(): the same interval for different resources, or for the same resource id of another company, does not conflict
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();

var_dump($svc->acquireResource(1, 'staff7', '2030-11-24 14:00', 60, 'call-a') !== null);
var_dump($svc->acquireResource(1, 'staff8', '2030-11-24 14:00', 60, 'call-b') !== null);
var_dump($svc->acquireResource(1, 'room-2', '2030-11-24 14:00', 60, 'call-c') !== null);
var_dump($svc->acquireResource(2, 'staff7', '2030-11-24 14:00', 60, 'call-d') !== null);
/* a resource id and a service id of the same number live in different keys */
var_dump($svc->acquireResource(1, 31, '2030-11-24 14:00', 60, 'call-e') !== null);
var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'call-f') !== null);
/* but the same resource again conflicts */
var_dump($svc->acquireResource(1, 'staff8', '2030-11-24 14:30', 15, 'call-g'));
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
bool(true)
bool(true)
bool(true)
NULL
int(21)
