--TEST--
AUTH with a password: the right one works, a wrong or missing one is a SlotLockConnectionException that does not show it
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php if (!shell_exec('command -v redis-server')) die('skip redis-server not installed'); ?>
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$srv = slotlock_test_start_redis(['--requirepass', 'S3cret-Pw']);
$base = ['host' => '127.0.0.1', 'port' => $srv[1], 'prefix' => slotlock_test_prefix(), 'persistent' => false];

$svc = new SlotLockService($base + ['password' => 'S3cret-Pw']);
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
var_dump($lock instanceof SlotLock);
var_dump(slotlock_test_field(slotlock_test_redis_on($srv, 'S3cret-Pw'), $lock->key, 'owner'));

$dsn = new SlotLockService("redis://default:S3cret-Pw@127.0.0.1:{$srv[1]}");
var_dump($dsn->activeLocks());       /* default prefix: none there, but it got in */

foreach (['wrong' => $base + ['password' => 'Wr0ng-Pw'],
          'missing' => $base,
          'wrong DSN' => "redis://default:Wr0ng-Pw@127.0.0.1:{$srv[1]}"] as $label => $opts) {
    try {
        (new SlotLockService($opts))->acquire(1, 32, '2030-11-24 14:00', 'o');
        echo "$label: acquired\n";
    } catch (SlotLockException $e) {
        $msg = $e->getMessage();
        echo "$label: ", get_class($e),
            (str_contains($msg, 'Wr0ng') || str_contains($msg, 'S3cret')) ? ' (message shows the password)' : '',
            "\n";
    }
}
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
bool(true)
string(1) "o"
int(0)
wrong: SlotLockConnectionException
missing: SlotLockConnectionException
wrong DSN: SlotLockConnectionException
