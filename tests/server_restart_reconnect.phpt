--TEST--
A server restart between calls (connection closed, scripts gone): the next call reconnects and works
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php if (!shell_exec('command -v redis-server')) die('skip redis-server not installed'); ?>
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$srv = slotlock_test_start_redis();
$port = $srv[1];
$svc = new SlotLockService(['host' => '127.0.0.1', 'port' => $port, 'prefix' => slotlock_test_prefix(), 'fencing' => true]);
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
var_dump($lock->fence);

slotlock_test_stop_redis($srv);          /* --save "": the new server starts empty */
$srv = slotlock_test_start_redis([], $port);

var_dump($svc->validate($lock, 'o'));    /* the lock died with the server */
$again = $svc->acquire(1, 31, '2030-11-24 14:00', 'other');
var_dump($again->owner, $again->fence);
var_dump($svc->activeLocks());
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
int(1)
bool(false)
string(5) "other"
int(1)
int(1)
