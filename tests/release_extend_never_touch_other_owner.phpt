--TEST--
release() and extend() never touch a lock held by another owner
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
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'owner-a', 30);
$pttl = $r->pttl($lock->key);

var_dump($svc->release($lock, 'owner-b'));
var_dump($svc->release($lock->key, 'owner-b'));
var_dump($svc->extend($lock, 'owner-b', 3600));
var_dump($svc->extend($lock->key, 'owner-b'));
var_dump($r->get($lock->key) === 'h:0:owner-a');
var_dump($r->pttl($lock->key) <= $pttl);

/* a compound handle where only one key is ours: extend refuses, release deletes only ours */
$mine = $svc->acquire(1, 40, '2030-11-24 14:00', 'owner-b', 30);
$handle = $mine->key . ',' . $lock->key;
var_dump($svc->extend($handle, 'owner-b', 3600));
var_dump($r->pttl($mine->key) <= 30000);
var_dump($svc->validate($handle, 'owner-b'));
var_dump($svc->release($handle, 'owner-b'));
var_dump($r->exists($mine->key), slotlock_test_field($r, $lock->key, 'owner'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(false)
bool(false)
NULL
NULL
bool(true)
bool(true)
NULL
bool(true)
bool(false)
bool(true)
int(0)
string(7) "owner-a"
