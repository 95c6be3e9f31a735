--TEST--
A frozen server (SIGSTOP) makes commands throw SlotLockTimeoutException within the timeout, not hang
--EXTENSIONS--
slotlock
redis
posix
--SKIPIF--
<?php if (!shell_exec('command -v redis-server')) die('skip redis-server not installed'); ?>
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$srv = slotlock_test_start_redis();
$opts = ['host' => '127.0.0.1', 'port' => $srv[1], 'timeout' => 0.3 * slotlock_test_slow_factor(), 'prefix' => slotlock_test_prefix()];
$limit = 1.0 * slotlock_test_slow_factor();

$svc = new SlotLockService($opts);
var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'o') instanceof SlotLock);   /* connected */

posix_kill($srv[0], SIGSTOP);

$try = function (string $label, callable $fn) use ($limit) {
    $t = microtime(true);
    try {
        $fn();
        echo "$label: no exception\n";
    } catch (SlotLockConnectionException $e) {
        $took = microtime(true) - $t;
        echo "$label: ", get_class($e), $took < $limit ? '' : sprintf(' (took %.2fs)', $took), "\n";
    }
};
/* on the established connection */
$try('acquire', fn () => $svc->acquire(1, 32, '2030-11-24 14:00', 'o'));
$try('validate', fn () => $svc->validate($svc->key(1, 31, '2030-11-24 14:00'), 'o'));
/* on a new connection: TCP connects (the kernel accepts), the server never answers */
$try('new persistent service', fn () => (new SlotLockService($opts))->activeLocks());
$try('new non-persistent service', fn () => (new SlotLockService($opts + ['persistent' => false]))->status($svc->key(1, 31, '2030-11-24 14:00')));

posix_kill($srv[0], SIGCONT);
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
bool(true)
acquire: SlotLockTimeoutException
validate: SlotLockTimeoutException
new persistent service: SlotLockTimeoutException
new non-persistent service: SlotLockTimeoutException
