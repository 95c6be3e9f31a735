--TEST--
An ACL user (username + password, array and DSN): right credentials work, wrong ones are a SlotLockConnectionException
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php if (!shell_exec('command -v redis-server')) die('skip redis-server not installed'); ?>
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$srv = slotlock_test_start_redis();
$raw = slotlock_test_redis_on($srv);
var_dump($raw->rawCommand('ACL', 'SETUSER', 'booker', 'on', '>B00ker-Pw', '~*', '+@all'));
/* lock the default user out: only the ACL user gets in */
var_dump($raw->rawCommand('ACL', 'SETUSER', 'default', 'off'));

$p = slotlock_test_prefix();
$base = ['host' => '127.0.0.1', 'port' => $srv[1], 'prefix' => $p, 'persistent' => false];

$svc = new SlotLockService($base + ['username' => 'booker', 'password' => 'B00ker-Pw']);
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
var_dump($lock instanceof SlotLock);

$dsn = new SlotLockService("redis://booker:B00ker-Pw@127.0.0.1:{$srv[1]}");
var_dump($dsn->activeLocks());       /* default prefix: none there, but it got in */

foreach (['wrong password' => $base + ['username' => 'booker', 'password' => 'Wr0ng-Pw'],
          'unknown user' => $base + ['username' => 'nobody', 'password' => 'B00ker-Pw'],
          'password only' => $base + ['password' => 'B00ker-Pw'],
          'wrong DSN' => "redis://booker:Wr0ng-Pw@127.0.0.1:{$srv[1]}"] as $label => $opts) {
    try {
        (new SlotLockService($opts))->activeLocks();
        echo "$label: got in\n";
    } catch (SlotLockConnectionException $e) {
        echo "$label: ", get_class($e),
            (str_contains($e->getMessage(), 'Wr0ng') || str_contains($e->getMessage(), 'B00ker')) ? ' (message shows the password)' : '',
            "\n";
    }
}
$raw->close();
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
int(0)
wrong password: SlotLockConnectionException
unknown user: SlotLockConnectionException
password only: SlotLockConnectionException
wrong DSN: SlotLockConnectionException
