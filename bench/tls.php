<?php
/*
 * bench/tls.php: the cost of TLS on the pair (acquire + release of one slot), slotlock against
 * phpredis by hand, each over plain TCP and over TLS to the same redis-server (one process
 * listening on both; persistent connections, the handshake paid once, as in PHP-FPM).
 * phpredis by hand does what slotlock's native path does: SET NX PX GET, then a
 * compare-and-delete script by EVALSHA.
 *
 *   php -d extension=modules/slotlock.so bench/tls.php [--pairs N] [--rounds R] [--out FILE]
 *
 * Starts its own redis-server with a throw-away CA (scripts/tls.sh). Prints a table and the
 * ratios; --out appends the table to FILE. It measures, it asserts nothing.
 */
declare(strict_types=1);

$opt = getopt('', ['pairs:', 'rounds:', 'out:']);
$pairs = (int) ($opt['pairs'] ?? 3000);
$rounds = (int) ($opt['rounds'] ?? 5);
$root = dirname(__DIR__);

if (!extension_loaded('slotlock') || !extension_loaded('redis')) {
    fwrite(STDERR, "tls.php: needs the slotlock and redis extensions\n");
    exit(1);
}
ob_start();
phpinfo(INFO_MODULES);
if (!str_contains((string) ob_get_clean(), 'TLS support (rediss://) => enabled')) {
    fwrite(STDERR, "tls.php: slotlock is built without OpenSSL: no TLS to measure\n");
    exit(1);
}

function free_port(): int
{
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $n = stream_socket_get_name($s, false);
    fclose($s);
    return (int) substr($n, strrpos($n, ':') + 1);
}

$work = sys_get_temp_dir() . '/slotlock-bench-tls-' . getmypid();
exec('bash ' . escapeshellarg("$root/scripts/tls.sh") . ' certs ' . escapeshellarg("$work/certs"), $o, $rc);
$rc === 0 || exit(1);
$plain = free_port();
$tls = free_port();
$c = "$work/certs";
$proc = proc_open(['redis-server', '--bind', '127.0.0.1', '--port', (string) $plain, '--tls-port', (string) $tls,
    '--tls-cert-file', "$c/server.crt", '--tls-key-file', "$c/server.key", '--tls-ca-cert-file', "$c/ca.crt",
    '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--dir', $work],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$work/redis.log", 'a'], 2 => ['file', "$work/redis.log", 'a']], $pipes);
register_shutdown_function(function () use ($proc, $work) {
    proc_terminate($proc);
    proc_close($proc);
    exec('rm -rf ' . escapeshellarg($work));
});
for ($i = 0; $i < 100; $i++) {
    $fp = @stream_socket_client("tcp://127.0.0.1:$plain", $e, $es, 0.2);
    if ($fp) {
        fclose($fp);
        break;
    }
    usleep(50000);
}

const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** One round of $n pairs: microseconds per pair. */
function round_slotlock(SlotLockService $svc, int $n): float
{
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $lock = $svc->acquire(1, 7, '2030-11-24 14:00', 'bench-owner') ?? throw new RuntimeException('taken');
        $svc->release($lock, 'bench-owner') || throw new RuntimeException('release');
    }
    return (hrtime(true) - $t) / 1e3 / $n;
}

function round_phpredis(Redis $r, string $sha, int $n): float
{
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $owner = bin2hex(random_bytes(16));
        $old = $r->rawCommand('SET', 'bench-tls-pr:k', "h:0:$owner", 'NX', 'PX', '300000', 'GET');
        ($old === false || $old === null) || throw new RuntimeException('taken');
        $r->evalSha($sha, ['bench-tls-pr:k', "h:0:$owner"], 1) === 1 || throw new RuntimeException('release');
    }
    return (hrtime(true) - $t) / 1e3 / $n;
}

$peers = [];
foreach (['plain' => false, 'TLS' => true] as $label => $on) {
    $svc = new SlotLockService(['host' => '127.0.0.1', 'port' => $on ? $tls : $plain, 'persistent' => true,
        'prefix' => 'bench-tls-' . ($on ? 's' : 'p'), 'timeout' => 5.0] + ($on ? ['tls' => ['cafile' => "$c/ca.crt"]] : []));
    $r = new Redis();
    $on ? $r->pconnect("tls://127.0.0.1", $tls, 5.0, 'bench-tls', 0, 5.0, ['stream' => ['cafile' => "$c/ca.crt"]])
        : $r->pconnect('127.0.0.1', $plain, 5.0, 'bench-plain');
    $sha = (string) $r->script('load', RELEASE);
    $peers["slotlock $label"] = fn (int $n) => round_slotlock($svc, $n);
    $peers["phpredis by hand $label"] = fn (int $n) => round_phpredis($r, $sha, $n);
}
$res = array_fill_keys(array_keys($peers), []);
foreach ($peers as $name => $fn) {
    $fn(intdiv($pairs, 10) + 1);   /* warm-up: connections, scripts */
}
for ($k = 0; $k < $rounds; $k++) {
    foreach ($peers as $name => $fn) {   /* interleaved: drift hits every peer alike */
        $res[$name][] = $fn($pairs);
    }
}
$med = array_map(function (array $xs): float {
    sort($xs);
    return $xs[intdiv(count($xs), 2)];
}, $res);

$lines = [sprintf("TLS: the pair (acquire + release of one slot), persistent connections, %d pairs x %d rounds, median µs/pair",
    $pairs, $rounds), sprintf('  %-28s %10s %10s %12s', 'peer', 'plain', 'TLS', 'TLS / plain')];
foreach (['slotlock', 'phpredis by hand'] as $p) {
    $lines[] = sprintf('  %-28s %10.1f %10.1f %11.2fx', $p, $med["$p plain"], $med["$p TLS"],
        $med["$p TLS"] / $med["$p plain"]);
}
$lines[] = sprintf('  slotlock / phpredis by hand: plain %.2fx, TLS %.2fx (below 1: slotlock is faster)',
    $med['slotlock plain'] / $med['phpredis by hand plain'], $med['slotlock TLS'] / $med['phpredis by hand TLS']);
$text = implode("\n", $lines) . "\n";
echo $text;
if (isset($opt['out'])) {
    file_put_contents($opt['out'], "\n$text", FILE_APPEND);
}
