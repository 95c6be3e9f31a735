--TEST--
Option "database" (and DSN /db): the lock keys live in that database only
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$db3 = slotlock_test_service(['database' => 3]);
$lock = $db3->acquire(1, 31, '2030-11-24 14:00', 'o');

var_dump(slotlock_test_field(slotlock_test_redis(3), $lock->key, 'owner'));
var_dump(slotlock_test_redis(3)->exists(slotlock_test_prefix() . ':c1:s31:t203011241400'));
var_dump(slotlock_test_redis(0)->exists($lock->key));

/* db 0 is another world: the same slot is free there */
$db0 = slotlock_test_service();
var_dump($db0->acquire(1, 31, '2030-11-24 14:00', 'other') instanceof SlotLock);
var_dump($db3->activeLocks(), $db0->activeLocks());

/* DSN form */
$dsn = new SlotLockService(['dsn' => slotlock_test_dsn('/4')] + slotlock_test_tls());
$k = $dsn->key(987654, 1, '2099-01-01 00:00');
$l4 = $dsn->acquire(987654, 1, '2099-01-01 00:00', 'db4', 5);
var_dump(slotlock_test_redis(4)->exists($k), slotlock_test_redis(0)->exists($k));
$dsn->release($l4, 'db4');

/* two persistent services on different databases in one process do not mix them up */
var_dump($db3->validate($lock, 'o'), $db0->validate($lock, 'o'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean([0, 3]);
?>
--EXPECT--
string(1) "o"
int(1)
int(0)
bool(true)
int(1)
int(1)
int(1)
int(0)
bool(true)
bool(false)
