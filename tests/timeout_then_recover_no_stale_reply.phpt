--TEST--
After a timeout the connection is dropped, not reused: once the server is back, replies match their commands
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
$svc = new SlotLockService($opts);
$a = $svc->acquire(1, 31, '2030-11-24 14:00', 'owner-a');
var_dump($a instanceof SlotLock);

posix_kill($srv[0], SIGSTOP);
foreach ([fn () => $svc->acquire(1, 32, '2030-11-24 14:00', 'owner-x'),
          fn () => $svc->status($a)] as $fn) {
    try {
        $fn();
        echo "no exception\n";
    } catch (SlotLockConnectionException $e) {
        echo get_class($e), "\n";
    }
}
posix_kill($srv[0], SIGCONT);
usleep(50000);

/* the timed-out commands' replies must not be read as answers to these */
var_dump($svc->validate($a, 'owner-a'));
var_dump($svc->validate($a, 'owner-b'));
var_dump($svc->status($svc->key(1, 33, '2030-11-24 14:00'))['locked']);
$c = $svc->acquire(1, 33, '2030-11-24 14:00', 'owner-c');
var_dump($c->key === $svc->key(1, 33, '2030-11-24 14:00'), $c->owner, $c->candidate);
$raw = slotlock_test_redis_on($srv);
var_dump(slotlock_test_fence($raw, $c->key) === $c->fence);
var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'owner-b'));
var_dump($svc->release($a, 'owner-a'));

/* a fresh persistent service in the same process is healthy too */
var_dump((new SlotLockService($opts))->validate($c, 'owner-c'));
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
bool(true)
SlotLockTimeoutException
SlotLockTimeoutException
bool(true)
bool(false)
bool(false)
bool(true)
string(7) "owner-c"
NULL
bool(true)
NULL
bool(true)
bool(true)
