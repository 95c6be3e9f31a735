--TEST--
TLS: a listener that never handshakes and a frozen TLS server time out within one deadline; CLIENT KILL mid-session reconnects; a forked child never writes into the parent's TLS session
--EXTENSIONS--
slotlock
redis
pcntl
posix
--SKIPIF--
<?php
if (!shell_exec('command -v redis-server')) die('skip redis-server not installed');
ob_start(); phpinfo(INFO_MODULES); if (!str_contains(ob_get_clean(), 'TLS support (rediss://) => enabled')) die('skip built without OpenSSL');
?>
--FILE--
<?php
require __DIR__ . '/tls.inc';

$slow = slotlock_test_slow_factor();
$timeout = 0.3 * $slow;

function timed(string $label, callable $fn, float $limit): void
{
    $t = microtime(true);
    try {
        $fn();
        echo "$label: no exception\n";
    } catch (SlotLockException $e) {
        $took = microtime(true) - $t;
        echo "$label: ", get_class($e), $took < $limit ? '' : sprintf(' (took %.2fs)', $took), "\n";
    }
}

/* 1. accepts TCP (the kernel's backlog), never says a word of TLS */
$listener = stream_socket_server('tcp://127.0.0.1:0');
$name = stream_socket_get_name($listener, false);
$port = (int) substr($name, strrpos($name, ':') + 1);
foreach ([true, false] as $persistent) {
    $svc = new SlotLockService(['dsn' => "rediss://127.0.0.1:$port", 'tls' => slotlock_tls_opts(),
                                'timeout' => $timeout, 'persistent' => $persistent]);
    timed('silent listener', fn () => $svc->acquire(1, 31, '2030-11-24 14:00', 'o'), 1.0 * $slow);
}
/* a signal every 50 ms does not stretch the deadline */
pcntl_async_signals(true);
pcntl_signal(SIGUSR1, function () {});
$parent = getmypid();
$ticker = pcntl_fork();
if ($ticker === 0) {
    for (;;) {   /* until killed */
        posix_kill($parent, SIGUSR1);
        usleep(50000);
    }
}
timed('silent listener under signals', fn () => (new SlotLockService(['dsn' => "rediss://127.0.0.1:$port",
    'tls' => slotlock_tls_opts(), 'timeout' => $timeout, 'persistent' => false]))->acquire(1, 31, '2030-11-24 14:00', 'o'), 1.0 * $slow);
fclose($listener);

/* 2. a TLS server frozen mid-session */
$srv = slotlock_tls_start_redis();
$svc = new SlotLockService(slotlock_tls_service_options($srv, [], ['timeout' => $timeout]));
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
var_dump($lock instanceof SlotLock);
posix_kill($srv[0], SIGSTOP);
timed('frozen TLS server under signals', fn () => $svc->validate($lock, 'o'), 1.0 * $slow);
posix_kill($ticker, SIGKILL);
pcntl_waitpid($ticker, $status);
posix_kill($srv[0], SIGCONT);
var_dump($svc->validate($lock, 'o'));   /* a fresh connection, no stale reply */

/* 3. CLIENT KILL between calls: the next call reconnects over TLS */
$raw = slotlock_test_redis_on($srv);
$kill = function () use ($raw): int {
    $n = 0;
    foreach (slotlock_test_other_clients($raw) as $c) {
        $n += (int) $raw->rawCommand('CLIENT', 'KILL', 'ID', (string) $c['id']);
    }
    usleep(20000);
    return $n;
};
$svc = new SlotLockService(slotlock_tls_service_options($srv, [], ['persistent' => true]));
$lock = $svc->acquire(1, 32, '2030-11-24 14:00', 'o');
$before = $svc->stats()['reconnects'];
var_dump($kill() >= 1, $svc->validate($lock, 'o'), $kill() >= 1, $svc->release($lock, 'o'));
var_dump($svc->stats()['reconnects'] - $before);

/* 4. fork with a live persistent TLS connection */
$lock = $svc->acquire(1, 33, '2030-11-24 14:00', 'parent');
$connects = $svc->stats()['connects'];
$pid = pcntl_fork();
if ($pid === 0) {
    $ok = $svc->validate($lock, 'parent') && $svc->acquire(1, 34, '2030-11-24 14:00', 'child') instanceof SlotLock;
    exit($ok ? 0 : 1);
}
pcntl_waitpid($pid, $status);
echo 'child: ', pcntl_wexitstatus($status), "\n";
/* the parent's session was never written by the child: no reconnect, no new connection */
$before = $svc->stats()['reconnects'];
var_dump($svc->validate($lock, 'parent'), $svc->release($lock, 'parent'));
var_dump($svc->stats()['reconnects'] - $before, $svc->stats()['connects'] - $connects);
var_dump(str_contains((string) file_get_contents("{$srv[2]}/redis.log"), 'Error'));

slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
silent listener: SlotLockTimeoutException
silent listener: SlotLockTimeoutException
silent listener under signals: SlotLockTimeoutException
bool(true)
frozen TLS server under signals: SlotLockTimeoutException
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(2)
child: 0
bool(true)
bool(true)
int(0)
int(0)
bool(false)
