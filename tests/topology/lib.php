<?php
/*
 * Shared helpers of the topology scenarios (tests/topology/*.php): PASS/FAIL bookkeeping,
 * raw php-redis clients on single nodes, the cluster hash slot, and control of the servers
 * that scripts/topology.sh started (kill, SIGSTOP, restart).
 *
 * The scenarios read the topology from the variables scripts/topology.sh exports
 * (SLOTLOCK_TOPOLOGY_DIR, SLOTLOCK_CLUSTER, SLOTLOCK_SENTINEL, SLOTLOCK_QUORUM, ...).
 */
declare(strict_types=1);

const TL_ROOT = __DIR__ . '/../..';

$GLOBALS['tl_pass'] = 0;
$GLOBALS['tl_fail'] = 0;
$GLOBALS['tl_t0'] = microtime(true);

function tl_out(string $line): void
{
    fwrite(STDOUT, $line . "\n");
    fflush(STDOUT);
}

/** A required environment variable; exits 2 when it is missing. */
function tl_env(string $name): string
{
    $v = getenv($name);
    if ($v === false || $v === '') {
        tl_out("FAIL setup: \$$name is not set (start the topology with scripts/topology.sh)");
        exit(2);
    }
    return $v;
}

/** Records one check: "PASS what" or "FAIL what: detail". */
function tl_check(bool $ok, string $what, string $detail = ''): bool
{
    if ($ok) {
        $GLOBALS['tl_pass']++;
        tl_out("PASS $what");
    } else {
        $GLOBALS['tl_fail']++;
        tl_out("FAIL $what" . ($detail !== '' ? ": $detail" : ''));
    }
    return $ok;
}

/** tl_check($expected === $got) with both in the message. */
function tl_same($expected, $got, string $what): bool
{
    return tl_check($expected === $got, $what, 'expected ' . tl_show($expected) . ', got ' . tl_show($got));
}

function tl_info(string $msg): void
{
    tl_out("INFO $msg");
}

function tl_show($v): string
{
    if ($v instanceof Throwable) {
        return get_class($v) . '(' . $v->getMessage() . ')';
    }
    if ($v instanceof SlotLock) {
        return 'SlotLock(' . $v->key . ', fence ' . $v->fence . ')';
    }
    if (is_object($v)) {
        return get_class($v);
    }
    return str_replace("\n", ' ', var_export($v, true));
}

/** Runs one section; an uncaught exception in it is one FAIL, and the script goes on. */
function tl_section(string $name, callable $fn): void
{
    $t = microtime(true);
    tl_out("---- $name");
    try {
        $fn();
    } catch (Throwable $e) {
        tl_check(false, "$name: no unexpected exception",
            get_class($e) . ': ' . $e->getMessage() . ' at ' . basename($e->getFile()) . ':' . $e->getLine());
    }
    tl_out(sprintf('     (%.1f s)', microtime(true) - $t));
}

/** Prints the totals and exits: 0 when nothing failed. */
function tl_done(): void
{
    $p = $GLOBALS['tl_pass'];
    $f = $GLOBALS['tl_fail'];
    tl_out(sprintf('%s: %d passed, %d failed (%.1f s)', basename($_SERVER['argv'][0] ?? 'scenario'), $p, $f,
        microtime(true) - $GLOBALS['tl_t0']));
    exit($f === 0 && $p > 0 ? 0 : 1);
}

/** Exits 1 at once unless the extension is loaded and knows topology(). */
function tl_require_extension(): void
{
    foreach (['slotlock', 'redis', 'pcntl', 'posix'] as $ext) {
        if (!extension_loaded($ext)) {
            tl_out("FAIL setup: extension $ext is not loaded");
            exit(1);
        }
    }
    if (!method_exists('SlotLockService', 'topology')) {
        tl_out('FAIL setup: this slotlock.so has no SlotLockService::topology()');
        exit(1);
    }
}

/** A fresh key prefix per run, so runs never see each other's keys. */
function tl_prefix(string $what): string
{
    return 'sltopo_' . $what . '_' . bin2hex(random_bytes(4));
}

/** A start time far in the future, $minutes after 2031-01-01 00:00 UTC. */
function tl_start(int $minutes): string
{
    return gmdate('Y-m-d H:i', gmmktime(0, 0, 0, 1, 1, 2031) + $minutes * 60);
}

/** "127.0.0.1:7000" or "redis://127.0.0.1:7000" => [host, port] */
function tl_hostport(string $addr): array
{
    $addr = preg_replace('~^(redis|tcp)://~', '', $addr);
    $addr = preg_replace('~/.*$~', '', $addr);
    $i = strrpos($addr, ':');
    return [substr($addr, 0, $i), (int) substr($addr, $i + 1)];
}

/** A plain php-redis client on one node (no cluster redirection). */
function tl_redis(string $addr, float $timeout = 2.0): Redis
{
    [$h, $p] = tl_hostport($addr);
    $r = new Redis();
    $r->connect($h, $p, $timeout);
    $r->setOption(Redis::OPT_READ_TIMEOUT, $timeout);
    return $r;
}

/** CRC16/XMODEM of Redis Cluster. */
function tl_crc16(string $s): int
{
    $crc = 0;
    $n = strlen($s);
    for ($i = 0; $i < $n; $i++) {
        $crc ^= ord($s[$i]) << 8;
        for ($b = 0; $b < 8; $b++) {
            $crc = ($crc & 0x8000) ? (($crc << 1) ^ 0x1021) : ($crc << 1);
            $crc &= 0xffff;
        }
    }
    return $crc;
}

/** The hash slot of a key: the CRC16 of its first non-empty {hash tag}, mod 16384. */
function tl_keyslot(string $key): int
{
    $s = strpos($key, '{');
    if ($s !== false) {
        $e = strpos($key, '}', $s + 1);
        if ($e !== false && $e > $s + 1) {
            $key = substr($key, $s + 1, $e - $s - 1);
        }
    }
    return tl_crc16($key) % 16384;
}

/** Polls $fn until it returns something truthy or $timeout seconds pass; returns the last value. */
function tl_wait_until(callable $fn, float $timeout, float $step = 0.05)
{
    $deadline = microtime(true) + $timeout;
    do {
        $v = null;
        try {
            $v = $fn();
        } catch (Throwable $e) {
            $v = null;
        }
        if ($v) {
            return $v;
        }
        usleep((int) ($step * 1e6));
    } while (microtime(true) < $deadline);
    return $v;
}

/**
 * Runs $op until it returns without a SlotLockConnectionException or SlotLockException
 * (READONLY, ...), or $timeout seconds pass. Returns [result or exception, seconds,
 * connection exceptions, other slotlock exceptions].
 */
function tl_retry(callable $op, float $timeout, float $pause = 0.1): array
{
    $t0 = microtime(true);
    $conn = 0;
    $other = 0;
    $last = null;
    while (true) {
        try {
            $r = $op();
            return [$r, microtime(true) - $t0, $conn, $other];
        } catch (SlotLockConnectionException $e) {
            $conn++;
            $last = $e;
        } catch (SlotLockException $e) {
            $other++;
            $last = $e;
        }
        if (microtime(true) - $t0 > $timeout) {
            return [$last, microtime(true) - $t0, $conn, $other];
        }
        usleep((int) ($pause * 1e6));
    }
}

/* ----------------------------------------------- the servers of scripts/topology.sh ---- */

/** Runs scripts/topology.sh CMD $SLOTLOCK_TOPOLOGY_DIR PORT; true on success. */
function tl_ctl(string $cmd, int $port): bool
{
    $dir = tl_env('SLOTLOCK_TOPOLOGY_DIR');
    $line = sprintf('bash %s %s %s %d 2>&1', escapeshellarg(TL_ROOT . '/scripts/topology.sh'),
        escapeshellarg($cmd), escapeshellarg($dir), $port);
    exec($line, $out, $rc);
    if ($rc !== 0) {
        tl_info("topology.sh $cmd $port failed ($rc): " . implode(' | ', $out));
    }
    return $rc === 0;
}

/** The pid of the server on $port. */
function tl_pid(int $port): int
{
    $dir = tl_env('SLOTLOCK_TOPOLOGY_DIR');
    foreach (glob("$dir/*/port") ?: [] as $f) {
        if ((int) trim((string) file_get_contents($f)) === $port) {
            return (int) trim((string) file_get_contents(dirname($f) . '/pid'));
        }
    }
    throw new RuntimeException("no server on port $port in $dir");
}

/** SIGSTOP (freeze) / SIGCONT (thaw) the server on $port. */
function tl_freeze(int $port): void
{
    posix_kill(tl_pid($port), SIGSTOP);
}

function tl_thaw(int $port): void
{
    posix_kill(tl_pid($port), SIGCONT);
}

/** Thaws every server of the topology (in case a scenario died with one frozen). */
function tl_thaw_all(): void
{
    $dir = getenv('SLOTLOCK_TOPOLOGY_DIR');
    if (!$dir) {
        return;
    }
    foreach (glob("$dir/*/pid") ?: [] as $f) {
        $pid = (int) trim((string) file_get_contents($f));
        if ($pid > 0) {
            @posix_kill($pid, SIGCONT);
        }
    }
}

/** True when the server on $port answers PING within $timeout. */
function tl_ping(int $port, float $timeout = 0.5): bool
{
    try {
        $r = tl_redis("127.0.0.1:$port", $timeout);
        $ok = $r->ping();
        $r->close();
        return $ok === true || $ok === '+PONG' || $ok === 'PONG';
    } catch (Throwable $e) {
        return false;
    }
}

/** The slot and bucket keys with $prefix on one node, by SCAN (not the fence counter <prefix>#fence...). */
function tl_scan_slots(Redis $r, string $prefix): array
{
    $keys = [];
    $it = null;
    $r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
    // the slot keys: "<prefix>:..." (the metrics hashes "<prefix>_metrics:..." are not)
    while (($batch = $r->scan($it, $prefix . ':*', 1000)) !== false) {
        foreach ($batch as $k) {
            if (preg_match('/:[sr][A-Za-z0-9_-]+:[tb][0-9]{12}$/', $k)) {
                $keys[] = $k;
            }
        }
    }
    return $keys;
}

/**
 * One field of a slot value of wire format 2 (docs/WIRE.md: "h:<fence>:<owner>" or
 * "b:<fence>:<idlen>:<id>:<owner>"): owner, fence, or booked (the booking id); false when absent.
 */
function tl_field(Redis $r, string $key, string $field): string|false
{
    $v = $r->get($key);
    if (!is_string($v) || !preg_match('/^([hb]):([0-9]+):/', $v, $m)) {
        return false;
    }
    $rest = substr($v, strlen($m[0]));
    if ($field === 'fence') {
        return $m[2];
    }
    if ($m[1] === 'h') {
        return $field === 'owner' ? $rest : false;
    }
    if (!preg_match('/^([0-9]+):/', $rest, $n)) {
        return false;
    }
    $id = substr($rest, strlen($n[0]), (int) $n[1]);
    return $field === 'booked' ? $id : substr($rest, strlen($n[0]) + (int) $n[1] + 1);
}

/** The roles topology() gives, as "addr=role/connected" strings, for messages. */
function tl_topology_str(array $t): string
{
    $nodes = [];
    foreach ($t['nodes'] ?? [] as $n) {
        $nodes[] = ($n['addr'] ?? '?') . '=' . ($n['role'] ?? '?') . (!empty($n['connected']) ? '/up' : '/down');
    }
    return ($t['mode'] ?? '?') . ' [' . implode(', ', $nodes) . ']';
}

/** Checks the shape of topology(): mode, and every node with addr, role and connected. */
function tl_check_topology_shape(SlotLockService $svc, string $mode): array
{
    $t = $svc->topology();
    tl_same($mode, $t['mode'] ?? null, "topology() mode is $mode");
    $ok = is_array($t['nodes'] ?? null) && count($t['nodes']) > 0;
    foreach ($t['nodes'] ?? [] as $n) {
        $ok = $ok && is_array($n) && is_string($n['addr'] ?? null)
            && preg_match('~^tcp://[^/\s]+:\d+(/\d+)?$~', $n['addr']) && is_string($n['role'] ?? null)
            && is_bool($n['connected'] ?? null);
    }
    tl_check($ok, 'topology() nodes are [addr tcp://host:port[/db], role, connected bool]', tl_show($t));
    return $t;
}

/** Aggregated check: one PASS/FAIL for a property checked many times. */
final class TlTally
{
    private array $bad = [];
    private array $n = [];

    public function add(string $what, bool $ok, string $detail = ''): void
    {
        $this->n[$what] = ($this->n[$what] ?? 0) + 1;
        if (!$ok) {
            $this->bad[$what] ??= $detail;
            $this->n["!$what"] = ($this->n["!$what"] ?? 0) + 1;
        }
    }

    public function report(): void
    {
        foreach ($this->n as $what => $n) {
            if ($what[0] === '!') {
                continue;
            }
            $f = $this->n["!$what"] ?? 0;
            tl_check($f === 0, "$what ($n cases)", "$f of $n failed; first: " . ($this->bad[$what] ?? ''));
        }
    }
}
