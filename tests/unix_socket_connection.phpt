--TEST--
Connecting over a unix socket (option "socket" and DSN unix://)
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
if (SLOTLOCK_TEST_SOCKET === '') die('skip SLOTLOCK_TEST_SOCKET not set');
if (!file_exists(SLOTLOCK_TEST_SOCKET)) die('skip ' . SLOTLOCK_TEST_SOCKET . ' does not exist');
?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$p = slotlock_test_prefix();
$bySocket = new SlotLockService(['socket' => SLOTLOCK_TEST_SOCKET, 'prefix' => $p]);
$lock = $bySocket->acquire(1, 31, '2030-11-24 14:00', 'via-socket');
var_dump($lock instanceof SlotLock);

/* the same server over TCP sees it */
var_dump(slotlock_test_field(slotlock_test_redis(), $lock->key, 'owner'));
var_dump(slotlock_test_service()->acquire(1, 31, '2030-11-24 14:00', 'via-tcp'));

$byDsn = new SlotLockService('unix://' . SLOTLOCK_TEST_SOCKET);
$key = $byDsn->key(987654, 31, '2099-01-01 00:00');   /* default prefix: a slot nobody uses */
var_dump($key);
var_dump($byDsn->status($key)['locked']);
var_dump($bySocket->validate($lock, 'via-socket'));
var_dump($bySocket->release($lock, 'via-socket'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
string(10) "via-socket"
NULL
string(35) "slot_lock:c987654:s31:t209901010000"
bool(false)
bool(true)
bool(true)
