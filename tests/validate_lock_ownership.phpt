--TEST--
validate() is true only for the owner holding the lock, by SlotLock or by key string
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'owner-a');

var_dump($svc->validate($lock, 'owner-a'));
var_dump($svc->validate($lock, 'owner-b'));
var_dump($svc->validate($lock->key, 'owner-a'));
var_dump($svc->validate($lock->key, 'owner-b'));

/* another service object (another process in real life) sees the same */
$other = slotlock_test_service();
var_dump($other->validate($lock->key, 'owner-a'));

/* a free slot is held by nobody */
var_dump($svc->validate($svc->key(1, 31, '2030-11-24 14:30'), 'owner-a'));

/* after release nobody holds it */
var_dump($svc->release($lock, 'owner-a'));
var_dump($svc->validate($lock, 'owner-a'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)
bool(false)
