<?php
/*
 * The benchmark driver (bench/run.sh runs it): rounds of interleaved
 * measurements, medians, ratios, targets, tables, CSV, chart data.
 *
 * Every measurement runs in a fresh process (lib/worker.php for the PHP
 * peers, the hiredis_floor binary for the C floor). In each round every peer
 * runs once, in an order rotated by one per round, so slow drift of the
 * machine (other load, thermal, Redis memory) hits all peers alike. Reported:
 * the median over the rounds, and the median of the per-round ratios
 * peer time / slotlock time (> 1: slotlock is faster).
 */

declare(strict_types=1);

require __DIR__ . '/peers.php';

$o = getopt('', ['php:', 'ext:', 'floor:', 'host:', 'port:', 'out:', 'work:', 'rounds:', 'duration:', 'warmup:',
                 'tp-duration:', 'tp-rounds:', 'tp-procs:', 'cg-ops:', 'cg-peers:', 'mem-ops:', 'srv-ops:', 'srv-rounds:', 'redis-pid:', 'pin-cpu:', 'git:', 'only:', 'quick', 'command:']);
$cfg = [
    'php' => $o['php'] ?? PHP_BINARY,
    'ext' => $o['ext'] ?? '',
    'floor' => $o['floor'] ?? '',
    'host' => $o['host'] ?? '127.0.0.1',
    'port' => (int) ($o['port'] ?? 6379),
    'out' => $o['out'] ?? __DIR__ . '/../results',
    'work' => $o['work'] ?? sys_get_temp_dir(),
    'quick' => isset($o['quick']),
];
$q = $cfg['quick'];
$cfg += [
    'rounds' => (int) ($o['rounds'] ?? ($q ? 3 : 7)),
    'duration' => (float) ($o['duration'] ?? ($q ? 0.1 : 0.6)),
    'warmup' => (float) ($o['warmup'] ?? ($q ? 0.03 : 0.15)),
    'tp_duration' => (float) ($o['tp-duration'] ?? ($q ? 0.2 : 1.0)),
    'tp_rounds' => (int) ($o['tp-rounds'] ?? ($o['rounds'] ?? ($q ? 2 : 7))),
    'tp_procs' => array_map('intval', explode(',', $o['tp-procs'] ?? '1,8,32,64')),
    'cg_ops' => (int) ($o['cg-ops'] ?? ($q ? 200 : 2000)),
    'cg_peers' => explode(',', $o['cg-peers'] ?? ($q ? 'slotlock,phpredis,wire,hiredis-floor'
        : 'slotlock,polyfill,phpredis,laravel-phpredis,laravel-predis,symfony,php-lock,wire,hiredis-floor,hiredis-raw')),
    'mem_ops' => (int) ($o['mem-ops'] ?? ($q ? 20000 : 1000000)),
    'srv_ops' => (int) ($o['srv-ops'] ?? ($q ? 300 : 3000)),
    'srv_rounds' => (int) ($o['srv-rounds'] ?? ($q ? 2 : 5)),
    'only' => isset($o['only']) ? explode(',', $o['only']) : null,
    'command' => $o['command'] ?? 'bench/run.sh',
    'redis_pid' => (int) ($o['redis-pid'] ?? 0),
    'pin_cpu' => $o['pin-cpu'] ?? '',
];
$loadStart = trim((string) @file_get_contents('/proc/loadavg'));
$runId = 'bench' . getmypid() . '_' . bin2hex(random_bytes(2));
@mkdir($cfg['out'], 0777, true);
@mkdir($cfg['work'], 0777, true);

const FLOOR = 'hiredis-floor';
const FLOOR_RAW = 'hiredis-raw';   // the floor with hand-built RESP (--raw 1): what formatting costs

function say(string $s): void
{
    fwrite(STDERR, $s . "\n");
}

function median(array $xs): float
{
    sort($xs);
    $n = count($xs);
    if ($n === 0) {
        return NAN;
    }
    return $n % 2 ? (float) $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

/*
 * CPU layout. On a VM, waking a process on another, idle vCPU can cost tens
 * of us and flips at random with the scheduler's placement: a one-client
 * latency measurement then reads either ~35 or ~200 us per pair. So the
 * latency scenarios run Redis and the measured client on one CPU
 * ("pinned"), and the throughput scenario lets the scheduler place Redis
 * and the P clients on all CPUs ("free"), as a host running both would.
 */
$PIN = null;

function set_layout(array $cfg, string $mode): void
{
    global $PIN, $warnings;
    if ($cfg['pin_cpu'] === '') {
        return;
    }
    $PIN = $mode === 'pinned' ? $cfg['pin_cpu'] : null;
    if ($cfg['redis_pid'] > 0) {
        $cpus = $mode === 'pinned' ? $cfg['pin_cpu'] : '0-' . ((int) trim((string) shell_exec('nproc')) - 1);
        exec('taskset -a -p -c ' . escapeshellarg($cpus) . ' ' . (int) $cfg['redis_pid'] . ' 2>&1', $out, $rc);
        if ($rc !== 0) {
            $warnings[] = "taskset on redis-server {$cfg['redis_pid']} failed: " . implode(' ', $out);
        }
    }
}

/** Runs argv (on the pinned CPU, if any); returns [exit code (128+sig when killed), stdout, stderr, seconds]. */
function run_cmd(array $cmd, float $timeout): array
{
    global $PIN;
    if ($PIN !== null) {
        $cmd = array_merge(['taskset', '-c', $PIN], $cmd);
    }
    $t0 = microtime(true);
    $p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    if (!$p) {
        return [127, '', 'proc_open failed', 0.0];
    }
    stream_set_blocking($pipes[1], false);
    stream_set_blocking($pipes[2], false);
    $out = $err = '';
    $open = [1 => $pipes[1], 2 => $pipes[2]];
    while ($open) {
        $r = array_values($open);
        $w = $e = null;
        $left = $timeout - (microtime(true) - $t0);
        if ($left <= 0) {
            proc_terminate($p, 9);
            $err .= "\n(killed after {$timeout} s)";
            break;
        }
        if (@stream_select($r, $w, $e, (int) $left, (int) (fmod($left, 1) * 1e6)) === false) {
            continue;
        }
        foreach ($r as $s) {
            $k = array_search($s, $open, true);
            $chunk = fread($s, 65536);
            if ($chunk === '' || $chunk === false) {
                if (feof($s)) {
                    unset($open[$k]);
                }
                continue;
            }
            $k === 1 ? $out .= $chunk : $err .= $chunk;
        }
    }
    foreach ($pipes as $s) {
        fclose($s);
    }
    $code = -1;
    do {
        $st = proc_get_status($p);
        if (!$st['running']) {
            $code = $st['signaled'] ? 128 + $st['termsig'] : $st['exitcode'];
            break;
        }
        usleep(1000);
    } while (microtime(true) - $t0 < $timeout + 5);
    proc_close($p);
    return [$code, $out, $err, microtime(true) - $t0];
}

$warnings = [];

/** The last JSON line of a run; warns when the process failed after printing it. */
function decode_run(array $cmd, array $res, string $what): ?array
{
    global $warnings;
    [$code, $out, $err] = $res;
    $lines = array_filter(explode("\n", trim($out)));
    $json = $lines ? json_decode((string) end($lines), true) : null;
    $first = static fn (string $s) => substr((string) strtok(trim($s) ?: '(no output)', "\n"), 0, 240);
    if (!is_array($json)) {
        say("FAILED $what (exit $code): " . trim($err . "\n" . $out));
        $warnings[] = "$what failed (exit $code): " . $first($err . "\n" . $out);
        return null;
    }
    if ($code !== 0) {
        $warnings[] = "$what: exit $code after printing its result (kept): " . $first($err);
        say(end($warnings));
    }
    return $json;
}

function php_cmd(array $cfg, array $args): array
{
    $cmd = [$cfg['php'], '-d', 'display_errors=stderr'];
    $peer = ($i = array_search('--peer', $args, true)) !== false ? $args[$i + 1] : '';
    if ($cfg['ext'] !== '' && !bench_peer_without_ext($peer)) {
        $cmd[] = '-d';
        $cmd[] = 'extension=' . $cfg['ext'];
    }
    return array_merge($cmd, [__DIR__ . '/worker.php'], $args);
}

/** One measurement of a peer in a scenario: [variant => [ops, secs]] or a string (n/a). */
function measure(array $cfg, string $runId, string $peer, string $scenario, array $variants): array|string|null
{
    $dur = $scenario === 'throughput' ? $cfg['tp_duration'] : $cfg['duration'];
    if ($peer === FLOOR || $peer === FLOOR_RAW) {
        if ($scenario === 'request') {
            return 'no request/object model in C';
        }
        $res = [];
        foreach ($variants as $v) {
            $mode = ['pair' => 'pair', 'segments' => 'segments', 'anyof' => 'anyof', 'throughput' => 'pair'][$scenario];
            $cmd = [$cfg['floor'], '--host', $cfg['host'], '--port', (string) $cfg['port'],
                    '--prefix', "{$runId}_floor", '--mode', $mode, '--k', (string) $v,
                    '--duration', (string) $dur, '--warmup', '50', '--service', '1',
                    '--procs', (string) ($scenario === 'throughput' ? $v : 1), '--raw', $peer === FLOOR_RAW ? '1' : '0'];
            $j = decode_run($cmd, run_cmd($cmd, 120 + 2 * $dur), "floor $scenario $v");
            if ($j === null) {
                return null;
            }
            $res[$v] = [$j['ops'], $j['secs'], $j['us'] ?? $j['secs'] * 1e6 / max(1, $j['ops']),
                        $scenario === 'throughput' ? null : ($j['acq_us'] ?? null)];
        }
        return $res;
    }
    $cmd = php_cmd($cfg, ['--peer', $peer, '--scenario', $scenario, '--variants', implode(',', $variants),
        '--duration', (string) $dur, '--warmup', (string) $cfg['warmup'],
        '--host', $cfg['host'], '--port', (string) $cfg['port'], '--prefix', "{$runId}_$peer", '--service', '1']);
    $j = decode_run($cmd, run_cmd($cmd, 180 + count($variants) * 3 * ($dur + $cfg['warmup'] + 1)), "$peer $scenario");
    if ($j === null) {
        return null;
    }
    if (isset($j['unsupported'])) {
        return $j['unsupported'];
    }
    $res = [];
    foreach ($j['results'] as $r) {
        $res[$r['variant']] = [$r['ops'], $r['secs'], $r['us'] ?? $r['secs'] * 1e6 / max(1, $r['ops']), $r['acq_us'] ?? null];
        if (!empty($r['late'])) {
            $GLOBALS['warnings'][] = "$peer $scenario {$r['variant']}: some processes were ready only after the window opened";
        }
    }
    return $res;
}

/* ---------------------------------------------------------------- plan --- */

$all = bench_peer_names();
$plan = [
    'pair' => ['title' => '1. One acquire + release (one slot)', 'variants' => [1], 'peers' => [...$all, FLOOR, FLOOR_RAW],
               'vname' => ''],
    'segments' => ['title' => '2. Compound service: k segments, all or nothing, + release', 'variants' => [1, 2, 4, 8],
                   'peers' => [...$all, FLOOR], 'vname' => 'k'],
    'anyof' => ['title' => '3. Any-of-N: first free of N=8 candidates, 7 held by another owner, + release',
                'variants' => [8], 'peers' => [...$all, FLOOR], 'vname' => 'N'],
    'request' => ['title' => '4. Request-shaped: new service/factory object per request (persistent connection), acquire + release',
                  'variants' => [1], 'peers' => array_values(array_diff($all, ['wire'])), 'vname' => ''],
    'throughput' => ['title' => '5. Throughput: P processes, each on its own slot, acquire + release (total ops/s)',
                     'variants' => $cfg['tp_procs'], 'peers' => ['slotlock', 'polyfill', 'phpredis', 'laravel-phpredis', FLOOR],
                     'vname' => 'P'],
];
$targets = [
    // scenario, variant, peer (row), what, threshold check on ratio = peer time / slotlock time, shown value
    // (the Laravel leads are those of slotlock 0.1.0's last full run)
    ['pair', 1, 'phpredis', 'pair wall <= 1.00 x phpredis by hand',
        fn ($r) => $r >= 1.0, fn ($r) => sprintf('sl/ph %.2fx <= 1.00', 1 / $r)],
    ['pair', 1, 'polyfill', 'the extension >= 2 x faster than its own polyfill on a pair',
        fn ($r) => $r >= 2.0, fn ($r) => sprintf('%.2fx >= 2', $r)],
    ['segments', 4, 'laravel-phpredis', 'compound k=4 keeps its lead over Laravel (phpredis): >= 1.95 x',
        fn ($r) => $r >= 1.95, fn ($r) => sprintf('%.2fx >= 1.95', $r)],
    ['segments', 4, 'laravel-predis', 'compound k=4 keeps its lead over Laravel (predis): >= 2.27 x',
        fn ($r) => $r >= 2.27, fn ($r) => sprintf('%.2fx >= 2.27', $r)],
    ['anyof', 8, 'laravel-phpredis', 'any-of-8 keeps its lead over a Laravel loop (phpredis): >= 2.12 x',
        fn ($r) => $r >= 2.12, fn ($r) => sprintf('%.2fx >= 2.12', $r)],
    ['anyof', 8, 'laravel-predis', 'any-of-8 keeps its lead over a Laravel loop (predis): >= 2.48 x',
        fn ($r) => $r >= 2.48, fn ($r) => sprintf('%.2fx >= 2.48', $r)],
    ['throughput', 32, 'phpredis', '32-process throughput >= 1.0 x phpredis by hand',
        fn ($r) => $r >= 1, fn ($r) => sprintf('sl/ph ops %.2fx >= 1', $r)],
    ['cpu', 1, 'phpredis', 'client instructions per pair <= 0.5 x phpredis by hand',
        fn ($r) => 1 / $r <= 0.5, fn ($r) => sprintf('sl/ph %.2fx <= 0.5', 1 / $r)],
];
if ($cfg['only']) {
    $plan = array_intersect_key($plan, array_flip($cfg['only']));
}

/* ------------------------------------------------------------- timings --- */

$S = [];    // $S[scenario][variant][peer][round] = us per op
$A = [];    // the same, acquire-only share (pair, segments, anyof)
$NA = [];   // $NA[scenario][peer] = why not
$raw = [];
$t0 = microtime(true);
foreach ($plan as $scen => $p) {
    set_layout($cfg, $scen === 'throughput' ? 'free' : 'pinned');
    $peers = $p['peers'];
    $n = count($peers);
    $rounds = $scen === 'throughput' ? $cfg['tp_rounds'] : $cfg['rounds'];
    for ($r = 0; $r < $rounds; $r++) {
        $order = array_merge(array_slice($peers, $r % $n), array_slice($peers, 0, $r % $n));
        $line = [];
        foreach ($order as $peer) {
            if (isset($NA[$scen][$peer])) {
                continue;
            }
            $m = measure($cfg, $runId, $peer, $scen, $p['variants']);
            if (is_string($m)) {
                $NA[$scen][$peer] = $m;
                continue;
            }
            if ($m === null) {
                continue;
            }
            foreach ($m as $v => [$ops, $secs, $us, $acq]) {
                $S[$scen][$v][$peer][$r] = $us;
                if ($acq !== null) {
                    $A[$scen][$v][$peer][$r] = $acq;
                }
                $raw[] = [$scen, $v, $peer, $r + 1, $ops, $secs, round($secs * 1e6 / max(1, $ops), 3), round($us, 3),
                          $acq === null ? '' : round($acq, 3)];
            }
            $line[] = sprintf('%s %.1f', $peer, $m[array_key_first($m)][2]);
        }
        say(sprintf('[%5.0fs] %s round %d/%d (us/op, %s=%s): %s', microtime(true) - $t0, $scen, $r + 1,
            $rounds, $p['vname'] ?: 'v', $p['variants'][0], implode(', ', $line)));
    }
}

/* ------------------------------------------- Redis server time per pair --- */

/* Redis' own CPU per acquire + release: used_cpu_user + used_cpu_sys of the
 * server (INFO cpu, getrusage: commands, Lua, socket I/O) around N pairs of
 * one peer at a time, and the commands it ran (INFO commandstats after
 * CONFIG RESETSTAT; Redis 7 counts commands run inside scripts too). The
 * server is the shared resource once many clients run. */
set_layout($cfg, 'pinned');
$SRV = [];   // "scenario variant" => peer => [server cpu us/op, commands/op, command list, client cpu us/op, of it sys]
if ((!$cfg['only'] || in_array('server', $cfg['only'], true)) && $cfg['srv_ops'] > 0) {
    try {
        $admin = new Redis();
        $admin->connect($cfg['host'], $cfg['port'], 2.0);
        $cpu = static function () use ($admin): float {
            $i = $admin->info('cpu');
            return ((float) $i['used_cpu_user'] + (float) $i['used_cpu_sys']) * 1e6;
        };
        $srvPlan = [
            ['pair', 1, [...$all, FLOOR]],
            ['segments', 4, ['slotlock', 'phpredis', 'laravel-phpredis', 'wire', FLOOR]],
            ['anyof', 8, ['slotlock', 'phpredis', 'laravel-phpredis', 'wire', FLOOR]],
        ];
        $one = [];   // "scen v" => peer => list of [server us, client us, client sys us, calls/op, names]
        for ($round = 0; $round < $cfg['srv_rounds']; $round++) {
            foreach ($srvPlan as [$scen, $v, $peers]) {
                $ops = $scen === 'pair' ? $cfg['srv_ops'] : max(1, intdiv($cfg['srv_ops'], 3));
                $order = array_merge(array_slice($peers, $round % count($peers)), array_slice($peers, 0, $round % count($peers)));
                foreach ($order as $peer) {
                    if ($peer === FLOOR) {
                        $cmd = [$cfg['floor'], '--host', $cfg['host'], '--port', (string) $cfg['port'],
                                '--prefix', "{$runId}_srvfloor", '--mode', $scen, '--k', (string) $v,
                                '--ops', (string) $ops, '--warmup', '20'];
                    } else {
                        $cmd = php_cmd($cfg, ['--peer', $peer, '--scenario', $scen, '--variants', (string) $v,
                            '--ops', (string) $ops, '--warmup-ops', '20',
                            '--host', $cfg['host'], '--port', (string) $cfg['port'], '--prefix', "{$runId}_srv$peer"]);
                    }
                    // the server counts from the first command: per op = over the 20 warm-up ops too
                    // (any-of-8 also counts its 7 blockers once)
                    $admin->rawCommand('CONFIG', 'RESETSTAT');
                    $c0 = $cpu();
                    $j = decode_run($cmd, run_cmd($cmd, 600), "server-time $peer $scen");
                    $c1 = $cpu();
                    if ($j === null) {
                        continue;
                    }
                    $jr = $j['results'][0] ?? $j;
                    $calls = 0;
                    $names = [];
                    foreach ($admin->info('commandstats') as $k => $val) {
                        if (!preg_match('/^cmdstat_(.+)$/', $k, $mk) || preg_match('/^(config|info)/', $mk[1])) {
                            continue;
                        }
                        $n = preg_match('/calls=(\d+)/', (string) $val, $mc) ? (int) $mc[1] : 0;
                        $calls += $n;
                        if ($n / ($ops + 20) >= 0.05) {
                            $names[strtoupper($mk[1])] = $n / ($ops + 20);
                        }
                    }
                    arsort($names);
                    $all0 = $ops + 20;
                    $one["$scen $v"][$peer][] = [($c1 - $c0) / $all0, ($jr['cpu_user_us'] ?? NAN) + ($jr['cpu_sys_us'] ?? NAN),
                        $jr['cpu_sys_us'] ?? NAN, $calls / $all0,
                        implode(', ', array_map(fn ($k, $x) => $k . ' ' . round($x, 2), array_keys($names), $names))];
                }
            }
            say(sprintf('[%5.0fs] server/client CPU round %d/%d', microtime(true) - $t0, $round + 1, $cfg['srv_rounds']));
        }
        foreach ($one as $sv => $byPeer) {
            foreach ($byPeer as $peer => $runs) {
                $SRV[$sv][$peer] = [median(array_column($runs, 0)), median(array_column($runs, 3)), $runs[0][4],
                                    median(array_column($runs, 1)), median(array_column($runs, 2))];
            }
        }
    } catch (Throwable $e) {
        $warnings[] = 'server time: ' . $e->getMessage();
    }
}

/* ---------------------------------- what the wire format costs Redis --- */

$SC = [];
/* The design study behind wire format 2 (format 1's scripts and variants of them): only on
 * request (--only scripts), from git dd093ad's src/sl_scripts.c. */
$v1src = sys_get_temp_dir() . '/slotlock-v1-sl_scripts.c';
if ($cfg['only'] && in_array('scripts', $cfg['only'], true) && $cfg['srv_ops'] > 0
    && trim((string) shell_exec('git -C ' . escapeshellarg(__DIR__) . ' show dd093ad:src/sl_scripts.c > ' . escapeshellarg($v1src)
        . ' 2>/dev/null && echo ok')) === 'ok') {
    foreach (['pair' => $cfg['srv_ops'], 'anyof' => max(1, intdiv($cfg['srv_ops'], 2))] as $case => $n) {
        $cmd = [$cfg['php'], __DIR__ . '/script_cost.php', '--host', $cfg['host'], '--port', (string) $cfg['port'],
                '--case', $case, '--pairs', (string) $n, '--rounds', (string) $cfg['rounds'], '--src', $v1src];
        if (($j = decode_run($cmd, run_cmd($cmd, 900), "script cost $case")) !== null) {
            $SC[$case] = $j;
        }
        say(sprintf('[%5.0fs] script cost %s: %s', microtime(true) - $t0, $case, json_encode($j)));
    }
}

/* --------------------------------------------------------- CPU (callgrind) */

$CPU = [];  // peer => [per_op, total_n, total_0]
$cgRan = (!$cfg['only'] || in_array('cpu', $cfg['only'], true)) && $cfg['cg_ops'] > 0;
if ($cgRan) {
    if (!is_executable('/usr/bin/valgrind') && trim((string) shell_exec('command -v valgrind')) === '') {
        $warnings[] = 'valgrind not found: CPU scenario skipped';
        $cgRan = false;
    }
}
if ($cgRan) {
    foreach ($cfg['cg_peers'] as $peer) {
        $tot = [];
        foreach ([$cfg['cg_ops'], 0] as $n) {
            $file = "{$cfg['work']}/callgrind.$peer.$n.out";
            @unlink($file);
            if ($peer === FLOOR || $peer === FLOOR_RAW) {
                $args = [$cfg['floor'], '--host', $cfg['host'], '--port', (string) $cfg['port'],
                         '--prefix', "{$runId}_cg$peer", '--mode', 'pair', '--ops', (string) $n, '--warmup', '50',
                         '--raw', $peer === FLOOR_RAW ? '1' : '0'];
            } else {
                $args = php_cmd($cfg, ['--peer', $peer, '--scenario', 'pair', '--ops', (string) $n, '--warmup-ops', '50',
                    '--host', $cfg['host'], '--port', (string) $cfg['port'], '--prefix', "{$runId}_cg$peer"]);
            }
            $cmd = array_merge(['valgrind', '--tool=callgrind', '--callgrind-out-file=' . $file], $args);
            $res = run_cmd($cmd, 1800);
            $total = null;
            if (is_file($file) && preg_match('/^(?:summary|totals):\s*(\d+)/m', (string) file_get_contents($file), $mm)) {
                $total = (int) $mm[1];
            }
            if ($res[0] !== 0 || $total === null) {
                $warnings[] = "callgrind $peer n=$n failed (exit {$res[0]}): " . substr(trim($res[2]), -300);
                say(end($warnings));
                $tot = null;
                break;
            }
            $tot[$n] = $total;
            say(sprintf('[%5.0fs] callgrind %s n=%d: %d instructions (%.1fs)', microtime(true) - $t0, $peer, $n,
                $total, $res[3]));
        }
        if ($tot) {
            $CPU[$peer] = [($tot[$cfg['cg_ops']] - $tot[0]) / $cfg['cg_ops'], $tot[$cfg['cg_ops']], $tot[0]];
        }
    }
}

/* -------------------------------------------------------------- memory --- */

$MEM = null;
if ((!$cfg['only'] || in_array('memory', $cfg['only'], true)) && $cfg['mem_ops'] > 0) {
    say(sprintf('[%5.0fs] memory: %d acquire+release pairs with slotlock ...', microtime(true) - $t0, $cfg['mem_ops']));
    $cmd = php_cmd($cfg, ['--peer', 'slotlock', '--scenario', 'memory', '--ops', (string) $cfg['mem_ops'],
        '--host', $cfg['host'], '--port', (string) $cfg['port'], '--prefix', "{$runId}_mem"]);
    $j = decode_run($cmd, run_cmd($cmd, 7200), 'memory');
    $MEM = $j['results'][0] ?? null;
}

/* ------------------------------------------------------------- cleanup --- */

set_layout($cfg, 'free');

try {
    $r = new Redis();
    $r->connect($cfg['host'], $cfg['port'], 2.0);
    $r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
    $it = null;
    while (($keys = $r->scan($it, "{$runId}_*", 1000)) !== false) {
        if ($keys) {
            $r->del($keys);
        }
    }
} catch (Throwable $e) {
    $warnings[] = 'cleanup: ' . $e->getMessage();
}

/* ------------------------------------------------------------- reports --- */

function fmt_us(float $us): string
{
    return $us >= 1000 ? sprintf('%.0f', $us) : ($us >= 100 ? sprintf('%.1f', $us) : sprintf('%.2f', $us));
}

function table(array $head, array $rows, array $right): string
{
    $w = array_map('mb_strlen', $head);
    foreach ($rows as $row) {
        foreach ($row as $i => $c) {
            $w[$i] = max($w[$i], mb_strlen((string) $c));
        }
    }
    $line = static function (array $cells) use ($w, $right) {
        $s = [];
        foreach ($cells as $i => $c) {
            $pad = $w[$i] - mb_strlen((string) $c);
            $s[] = in_array($i, $right, true) ? str_repeat(' ', $pad) . $c : $c . str_repeat(' ', $pad);
        }
        return '| ' . implode(' | ', $s) . ' |';
    };
    $sep = [];
    foreach ($w as $i => $n) {
        $sep[] = in_array($i, $right, true) ? str_repeat('-', $n + 1) . ':' : str_repeat('-', $n + 2);
    }
    $out = [$line($head), '|' . implode('|', $sep) . '|'];
    foreach ($rows as $row) {
        $out[] = $line($row);
    }
    return implode("\n", $out) . "\n";
}

/** Median over rounds of peer/slotlock in the same round. */
function ratio_of(array $byPeer, string $peer): float
{
    $rs = [];
    foreach ($byPeer[$peer] ?? [] as $round => $us) {
        if (isset($byPeer['slotlock'][$round])) {
            $rs[] = $us / $byPeer['slotlock'][$round];
        }
    }
    return median($rs);
}

function target_for(array $targets, string $scen, int $v, string $peer): ?array
{
    foreach ($targets as $t) {
        if ($t[0] === $scen && $t[1] === $v && $t[2] === $peer) {
            return $t;
        }
    }
    return null;
}

$txt = [];
$csv = [['scenario', 'variant', 'peer', 'label', 'rounds', 'median_us_per_op', 'ops_per_s', 'min_us', 'max_us',
         'ratio_vs_slotlock', 'acquire_only_median_us', 'acquire_only_ratio_vs_slotlock', 'target', 'target_met']];
$summary = [];

/** Evaluates the target of (scenario, variant, peer) on ratio; returns [cell, met, target]. */
function eval_target(array $targets, string $scen, int $v, string $peer, float $ratio, array &$summary): array
{
    $t = target_for($targets, $scen, $v, $peer);
    if (!$t || is_nan($ratio)) {
        return ['-', '', ''];
    }
    $ok = ($t[4])($ratio);
    $summary[] = [$t[3], ($t[5])($ratio), $ok ? 'yes' : 'NO'];
    return [($t[5])($ratio) . ': ' . ($ok ? 'yes' : 'NO'), $ok ? 'yes' : 'no', $t[3]];
}

foreach ($plan as $scen => $p) {
    $withAcq = in_array($scen, ['pair', 'segments', 'anyof'], true);
    foreach ($p['variants'] as $v) {
        $byPeer = $S[$scen][$v] ?? [];
        $acqBy = $A[$scen][$v] ?? [];
        $title = $p['title'] . ($p['vname'] ? " -- {$p['vname']}=$v" : '');
        $rows = [];
        foreach ($p['peers'] as $peer) {
            $label = bench_peer_label($peer);
            if (isset($NA[$scen][$peer])) {
                $rows[] = $withAcq ? [$label, 'n/a', '', '', '', '', '', $NA[$scen][$peer]]
                                   : [$label, 'n/a', '', '', '', $NA[$scen][$peer]];
                $csv[] = [$scen, $v, $peer, $label, 0, '', '', '', '', '', '', '', '', 'n/a: ' . $NA[$scen][$peer]];
                continue;
            }
            if (empty($byPeer[$peer])) {
                $rows[] = $withAcq ? [$label, 'failed', '', '', '', '', '', ''] : [$label, 'failed', '', '', '', ''];
                continue;
            }
            $xs = array_values($byPeer[$peer]);
            $med = median($xs);
            $ratio = $peer === 'slotlock' ? 1.0 : ratio_of($byPeer, $peer);
            $spread = (max($xs) - min($xs)) / 2 / $med * 100;
            [$tcell, $met, $tname] = eval_target($targets, $scen, $v, $peer, $ratio, $summary);
            $acqMed = !empty($acqBy[$peer]) ? median(array_values($acqBy[$peer])) : NAN;
            $acqRatio = $peer === 'slotlock' ? 1.0 : ratio_of($acqBy, $peer);
            [$tcell2, $met2, $tname2] = eval_target($targets, "$scen-acq", $v, $peer, $acqRatio, $summary);
            if ($tcell2 !== '-') {
                $tcell = $tcell === '-' ? "acquire only $tcell2" : "$tcell; acquire only $tcell2";
                $met = trim("$met $met2");
                $tname = trim("$tname; $tname2", '; ');
            }
            $row = [$label, fmt_us($med), number_format(1e6 / $med, 0, '.', ','), sprintf('±%.0f%%', $spread),
                    is_nan($ratio) ? '' : sprintf('%.2f', $ratio)];
            if ($withAcq) {
                $row[] = is_nan($acqMed) ? '' : fmt_us($acqMed);
                $row[] = is_nan($acqRatio) ? '' : sprintf('%.2f', $acqRatio);
            }
            $row[] = $tcell;
            $rows[] = $row;
            $csv[] = [$scen, $v, $peer, $label, count($xs), round($med, 3), round(1e6 / $med, 1), round(min($xs), 3),
                      round(max($xs), 3), is_nan($ratio) ? '' : round($ratio, 4), is_nan($acqMed) ? '' : round($acqMed, 3),
                      is_nan($acqRatio) ? '' : round($acqRatio, 4), $tname, $met];
        }
        $head = ['peer', $scen === 'throughput' ? 'median us/op (wall, all procs)' : 'median us/op', 'ops/s',
                 'spread', 'ratio vs slotlock'];
        if ($withAcq) {
            $head[] = 'acquire only us';
            $head[] = 'acq. ratio';
        }
        $head[] = 'target met';
        $txt[] = "### $title\n\n" . table($head, $rows, $withAcq ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4]);
    }
}

if ($SRV) {
    $srvCsv = [['scenario', 'variant', 'peer', 'label', 'ops', 'server_cpu_us_per_op', 'client_cpu_us_per_op',
                'client_sys_us_per_op', 'commands_per_op', 'commands']];
    $what = ['pair 1' => 'one acquire + release', 'segments 4' => 'compound k=4 + release',
             'anyof 8' => 'any-of-8 (7 taken) + release'];
    foreach ($SRV as $sv => $byPeer) {
        $rows = [];
        $slS = $byPeer['slotlock'][0] ?? NAN;
        [$scen, $v] = explode(' ', $sv);
        $slT = ($byPeer['slotlock'][0] ?? NAN) + ($byPeer['slotlock'][3] ?? NAN);
        foreach ($byPeer as $peer => [$us, $calls, $names, $client, $sys]) {
            $rows[] = [bench_peer_label($peer), sprintf('%.2f', $us), sprintf('%.2f', $client),
                       sprintf('%.2f', $us + $client), sprintf('%.2f', ($us + $client) / $slT), sprintf('%.2f', $calls), $names];
            $srvCsv[] = [$scen, $v, $peer, bench_peer_label($peer), $scen === 'pair' ? $cfg['srv_ops'] : max(1, intdiv($cfg['srv_ops'], 3)),
                         round($us, 3), round($client, 3), round($sys, 3), round($calls, 3), $names];
        }
        if ($sv === 'pair 1' && isset($byPeer['phpredis'][0]) && $byPeer['phpredis'][0] > 0) {
            $rs = $slS / $byPeer['phpredis'][0];
            $summary[] = ['Redis CPU per pair <= 1.0 x phpredis by hand', sprintf('sl/ph %.2fx <= 1.00 (%.2f vs %.2f us)', $rs, $slS,
                $byPeer['phpredis'][0]), $rs <= 1.0 ? 'yes' : 'NO'];
        }
        $txt[] = sprintf("### CPU per operation, server and client: %s (one peer at a time, median of %d interleaved rounds; server: Redis INFO cpu user+sys; client: getrusage user+sys of the client process over the measured ops; commands include those run inside scripts)\n\n",
                $what[$sv] ?? $sv, $cfg['srv_rounds'])
            . table(['peer', 'server CPU us/op', 'client CPU us/op', 'total', 'total ratio vs slotlock',
                     'commands/op', 'commands per op'], $rows, [1, 2, 3, 4, 5]);
    }
}

if ($SC) {
    $desc = [
        'current' => 'format 1\'s scripts (slotlock 0.1.0, git dd093ad)',
        'no-index' => 'the same without the <prefix>:active sorted set (TIME, ZADD, ZREMRANGEBYSCORE, ZREM)',
        'lean' => 'no index, and PTTL of blockers only when no candidate is free',
        'empty' => 'two EVALSHA of "return 1", same KEYS/ARGV: the fixed cost of 2 script calls',
        'set-nx' => 'SET NX PX per candidate + EVALSHA GET/DEL (phpredis by hand)',
    ];
    foreach ($SC as $case => $vals) {
        $rows = [];
        foreach ($vals as $name => [$srv, $wall]) {
            $rows[] = [$name, sprintf('%.2f', $srv), sprintf('%.2f', $wall), $desc[$name] ?? ''];
        }
        $txt[] = sprintf("### Wire-format cost on the server: %s (one phpredis client sends each variant, %d rounds, medians)\n\n",
                $case === 'pair' ? 'acquire + release of one slot' : 'any-of-8 with 7 taken + release', $cfg['rounds'])
            . table(['variant', 'server CPU us/op', 'client wall us/op', 'what'], $rows, [1, 2]);
    }
}

if ($CPU) {
    $rows = [];
    $sl = $CPU['slotlock'][0] ?? NAN;
    foreach ($CPU as $peer => [$per, $tn, $t0i]) {
        $ratio = $per / $sl;
        $tcell = '-';
        $met = '';
        if ($t = target_for($targets, 'cpu', 1, $peer)) {
            $ok = ($t[4])($ratio);
            $tcell = ($t[5])($ratio) . ': ' . ($ok ? 'yes' : 'NO');
            $met = $ok ? 'yes' : 'no';
            $summary[] = [$t[3], ($t[5])($ratio), $ok ? 'yes' : 'NO'];
        }
        $rows[] = [bench_peer_label($peer), number_format($per, 0, '.', ','), number_format($tn, 0, '.', ','),
                   number_format($t0i, 0, '.', ','), is_nan($ratio) ? '' : sprintf('%.2f', $ratio), $tcell];
        $csv[] = ['cpu', 1, $peer, bench_peer_label($peer), 1, '', '', '', '', is_nan($ratio) ? '' : round($ratio, 4),
                  '', '', $t[3] ?? '', $met];
    }
    $txt[] = sprintf("### 6. Client CPU: callgrind instructions per acquire + release pair (N=%d, minus N=0; both after 50 warm-up pairs)\n\n",
            $cfg['cg_ops'])
        . table(['peer', 'instructions/pair', "total N={$cfg['cg_ops']}", 'total N=0', 'ratio vs slotlock', 'target met'],
            $rows, [1, 2, 3, 4]);
    $cpuCsv = [['peer', 'label', 'pairs', 'instructions_n', 'instructions_0', 'instructions_per_pair', 'ratio_vs_slotlock']];
    foreach ($CPU as $peer => [$per, $tn, $t0i]) {
        $cpuCsv[] = [$peer, bench_peer_label($peer), $cfg['cg_ops'], $tn, $t0i, round($per, 1), round($per / $sl, 4)];
    }
}

if ($MEM) {
    $d = $MEM['rss_after_kb'] - $MEM['rss_before_kb'];
    $txt[] = sprintf("### 7. Memory: slotlock, %s acquire + release pairs in one process\n\n", number_format($MEM['ops']))
        . table(['measure', 'value'], [
            ['VmRSS at start (before the first command)', $MEM['rss_start_kb'] . ' kB'],
            ['VmRSS before (after 1,000 warm-up pairs)', $MEM['rss_before_kb'] . ' kB'],
            ['VmRSS after', $MEM['rss_after_kb'] . ' kB'],
            ['VmRSS growth', sprintf('%+d kB (%+.3f bytes/pair)', $d, $d * 1024 / max(1, $MEM['ops']))],
            ['memory_get_usage() before / after', $MEM['mem_before'] . ' / ' . $MEM['mem_after'] . ' bytes'],
            ['rate over the run', sprintf('%s pairs/s (%.2f us/pair)', number_format($MEM['ops'] / $MEM['secs'], 0),
                $MEM['secs'] * 1e6 / $MEM['ops'])],
        ], [1])
        . "\nVmRSS samples (pairs: kB): " . implode(', ', array_map(fn ($s) => "{$s[0]}: {$s[1]}", $MEM['samples'])) . "\n";
    $memCsv = [['pairs', 'vmrss_kb', 'php_memory_bytes']];
    foreach ($MEM['samples'] as $s) {
        $memCsv[] = $s;
    }
}

if ($summary) {
    $txt[] = "### Targets (reported, never asserted)\n\n" . table(['target', 'measured', 'met'], $summary, []);
}
/* Loopback hides round trips: a model of the ratio with r us of network latency added per round trip. */
$model = [];
foreach ([['segments', 4, 3.5, fn ($k) => [2, 2 * $k, 1, $k]], ['anyof', 8, 5.0, fn ($n) => [2, $n + 1, 1, $n]]] as [$scen, $v, $x, $rt]) {
    [$nS, $nL, $nSa, $nLa] = $rt($v);
    foreach (['laravel-phpredis', 'laravel-predis'] as $peer) {
        foreach ([['acquire + release', $S, $nS, $nL], ['acquire only', $A, $nSa, $nLa]] as [$what, $src, $ns, $nl]) {
            $ts = isset($src[$scen][$v]['slotlock']) ? median(array_values($src[$scen][$v]['slotlock'])) : NAN;
            $tl = isset($src[$scen][$v][$peer]) ? median(array_values($src[$scen][$v][$peer])) : NAN;
            if (is_nan($ts) || is_nan($tl)) {
                continue;
            }
            $f = fn ($r) => ($tl + $nl * $r) / ($ts + $ns * $r);
            $be = $nl > $x * $ns ? max(0.0, ($x * $ts - $tl) / ($nl - $x * $ns)) : null;
            $model[] = sprintf('- %s %s=%d vs %s, %s: %d vs %d round trips; ratio (%.0f + %d r) / (%.0f + %d r) = %.2fx at r = 100 us, %.2fx at 500 us, limit %.1fx; %s',
                $scen === 'segments' ? 'compound' : 'any-of', $scen === 'segments' ? 'k' : 'N', $v, bench_peer_label($peer), $what,
                $nl, $ns, $tl, $nl, $ts, $ns, $f(100), $f(500), $nl / $ns,
                $be === null ? sprintf('never reaches %.1fx', $x) : sprintf('>= %.1fx from r = %.0f us', $x, $be));
        }
    }
}
// pair vs the C floor: the same 2 round trips, so added latency dilutes the client's overhead
if (isset($S['pair'][1]['slotlock'], $S['pair'][1][FLOOR])) {
    $ts = median(array_values($S['pair'][1]['slotlock']));
    $tf = median(array_values($S['pair'][1][FLOOR]));
    $g = fn ($r) => ($ts + 2 * $r) / ($tf + 2 * $r);
    $be = max(0.0, ($ts - 1.05 * $tf) / (2 * 0.05));
    array_unshift($model, sprintf('- pair, slotlock vs hiredis C floor: 2 vs 2 round trips; slotlock/floor = (%.1f + 2 r) / (%.1f + 2 r) = %.3fx at r = 100 us, %.3fx at 500 us; <= 1.05x from r = %.0f us',
        $ts, $tf, $g(100), $g(500), $be));
}
if ($model) {
    $txt[] = "### Round trips: the targets at network distance (model from the medians above)\n\n"
        . "Here Redis is on loopback, where a round trip costs a few us. Adding r us of network latency to every\n"
        . "round trip of the measured medians:\n\n" . implode("\n", $model) . "\n";
}

if ($warnings) {
    $counted = array_count_values($warnings);
    $txt[] = "### Warnings\n\n" . implode("\n", array_map(fn ($w, $n) => "- $w" . ($n > 1 ? " ($n times)" : ''),
        array_keys($counted), $counted)) . "\n";
}

/* ---- header: machine, versions, command ---- */

$cpuModel = preg_match('/^model name\s*:\s*(.+)$/m', (string) @file_get_contents('/proc/cpuinfo'), $m) ? $m[1] : '?';
$redisVer = '?';
try {
    $rr = new Redis();
    $rr->connect($cfg['host'], $cfg['port'], 2.0);
    $info = $rr->info('server');
    $redisVer = ($info['redis_version'] ?? '?') . ' (' . ($info['multiplexing_api'] ?? '') . ', io-threads ' .
        ($rr->config('GET', 'io-threads')['io-threads'] ?? '?') . ')';
} catch (Throwable $e) {
}
$phpVer = trim((string) shell_exec(escapeshellarg($cfg['php']) . ' -r "echo PHP_VERSION;" 2>/dev/null'));
$extVer = $cfg['ext'] === '' ? '?' : trim((string) shell_exec(escapeshellarg($cfg['php']) . ' -d extension='
    . escapeshellarg($cfg['ext']) . ' -r "echo phpversion(\'slotlock\');" 2>/dev/null'));
$pkgs = trim((string) shell_exec("dpkg-query -W -f='\${Package} \${Version}\\n' php-redis php-predis php-laravel-framework php-symfony-lock php-malkusch-lock libhiredis-dev 2>/dev/null"));
$gitDesc = $o['git'] ?? '?';
$load = trim((string) @file_get_contents('/proc/loadavg'));

$header = sprintf(
    "slotlock benchmarks -- %s%s\n\n" .
    "command:  %s\n" .
    "machine:  %d CPUs, %s, Linux %s; /proc/loadavg at start: %s, at end: %s\n" .
    "software: PHP %s, slotlock %s (git %s), Redis %s\n" .
    "peers:    %s\n" .
    "layout:   %s\n" .
    "settings: %d rounds (peers interleaved, order rotated per round), %.2f s measured + %.2f s warm-up per peer and variant; " .
    "throughput %d rounds of a %.2f s window; server CPU %d pairs; callgrind N=%d; memory %d pairs\n" .
    "columns:  median us/op = median over rounds of wall time per operation; ops/s = 1e6 / median; spread = (max-min)/2 " .
    "over rounds, relative to the median; ratio vs slotlock = median over rounds of peer us/op / slotlock us/op in the " .
    "same round (> 1: slotlock is faster)\n",
    date('Y-m-d H:i:s T'), $cfg['quick'] ? ' (QUICK smoke run: few, short rounds; numbers are rough)' : '',
    $cfg['command'], (int) trim((string) shell_exec('nproc')), $cpuModel, php_uname('r'), $loadStart, $load,
    $phpVer, $extVer ?: '?', $gitDesc, $redisVer, str_replace("\n", '; ', $pkgs),
    $cfg['pin_cpu'] === '' ? 'no CPU pinning'
        : "Redis and the measured client pinned to CPU {$cfg['pin_cpu']} for every scenario but throughput, where the "
          . 'scheduler places Redis and the P clients on all CPUs' . ($cfg['redis_pid'] ? '' : ' (Redis pid unknown: only clients pinned)'),
    $cfg['rounds'], $cfg['duration'], $cfg['warmup'], $cfg['tp_rounds'], $cfg['tp_duration'], $cfg['srv_ops'],
    $cfg['cg_ops'], $cfg['mem_ops']
);

$report = $header . "\n" . implode("\n", $txt);
file_put_contents("{$cfg['out']}/latest.txt", $report);

function write_csv(string $file, array $rows): void
{
    $f = fopen($file, 'w');
    foreach ($rows as $r) {
        fputcsv($f, $r);
    }
    fclose($f);
}

write_csv("{$cfg['out']}/bench.csv", $csv);
write_csv("{$cfg['out']}/raw.csv", array_merge([['scenario', 'variant', 'peer', 'round', 'ops', 'secs', 'mean_us_per_op', 'median_slice_us_per_op', 'acquire_only_us']], $raw));
if (isset($cpuCsv)) {
    write_csv("{$cfg['out']}/cpu.csv", $cpuCsv);
}
if (isset($srvCsv)) {
    write_csv("{$cfg['out']}/server.csv", $srvCsv);
}
if (isset($memCsv)) {
    write_csv("{$cfg['out']}/memory.csv", $memCsv);
}

/* ---- chart data for plot.gp (in the work dir) ---- */

$groups = [];
foreach (['pair' => [1], 'segments' => [1, 2, 4, 8], 'anyof' => [8], 'request' => [1]] as $scen => $vs) {
    foreach ($vs as $v) {
        if (isset($S[$scen][$v])) {
            $groups[] = [$scen, $v, ['pair' => 'pair', 'segments' => "k=$v", 'anyof' => "any-of-$v", 'request' => 'request'][$scen]];
        }
    }
}
/* only peers with at least one number (gnuplot warns about empty columns) */
$barPeers = array_values(array_filter([...$all, FLOOR, FLOOR_RAW], function ($peer) use ($groups, $S) {
    foreach ($groups as [$scen, $v]) {
        if (!empty($S[$scen][$v][$peer])) {
            return true;
        }
    }
    return false;
}));
$dat = '"group" ' . implode(' ', array_map(fn ($p) => '"' . bench_peer_label($p) . '"', $barPeers)) . "\n";
foreach ($groups as [$scen, $v, $name]) {
    $cells = ['"' . $name . '"'];
    foreach ($barPeers as $peer) {
        $xs = $S[$scen][$v][$peer] ?? [];
        $cells[] = $xs ? sprintf('%.3f', median(array_values($xs))) : 'NaN';
    }
    $dat .= implode(' ', $cells) . "\n";
}
file_put_contents("{$cfg['work']}/bars.dat", $dat);

$tpPeers = array_values(array_filter($plan['throughput']['peers'] ?? [], fn ($peer) =>
    array_filter($S['throughput'] ?? [], fn ($byPeer) => !empty($byPeer[$peer])) !== []));
$tp = '"procs" ' . implode(' ', array_map(fn ($p) => '"' . bench_peer_label($p) . '"', $tpPeers)) . "\n";
foreach ($plan['throughput']['variants'] ?? [] as $v) {
    $cells = [$v];
    foreach ($tpPeers as $peer) {
        $xs = $S['throughput'][$v][$peer] ?? [];
        $cells[] = $xs ? sprintf('%.1f', 1e6 / median(array_values($xs))) : 'NaN';
    }
    $tp .= implode(' ', $cells) . "\n";
}
file_put_contents("{$cfg['work']}/throughput.dat", $tp);
file_put_contents("{$cfg['work']}/columns", ($groups ? count($barPeers) : 0) . ' ' . count($tpPeers) . "\n");
/* one color per peer, the same in both charts */
$colors = ['slotlock' => '#6a1b9a', 'polyfill' => '#ce93d8', 'phpredis' => '#00897b', 'laravel-phpredis' => '#e64a19',
           'laravel-predis' => '#ffa726', 'symfony' => '#1e3a5f', 'php-lock' => '#fdd835', 'wire' => '#7cb342',
           FLOOR => '#424242', FLOOR_RAW => '#bdbdbd'];
foreach (['bars' => $barPeers, 'tp' => $tpPeers] as $name => $peers) {
    $gp = '';
    foreach (array_values($peers) as $i => $peer) {
        $gp .= sprintf("set linetype %d lc rgb '%s'\n", $i + 1, $colors[$peer] ?? '#000000');
    }
    file_put_contents("{$cfg['work']}/colors_$name.gp", $gp);
}
file_put_contents("{$cfg['work']}/title", ($cfg['quick'] ? 'QUICK run, ' : '') . date('Y-m-d') . ", $cpuModel x" .
    trim((string) shell_exec('nproc')) . ", PHP $phpVer, Redis " . strtok($redisVer, ' ') . "\n");

echo $report;
// A run where slotlock itself never produced a number is a failed run.
$slOk = false;
foreach ($S as $byV) {
    foreach ($byV as $byPeer) {
        $slOk = $slOk || !empty($byPeer['slotlock']);
    }
}
exit(($S || $CPU || $MEM) && ($slOk || !$S) ? 0 : 1);
