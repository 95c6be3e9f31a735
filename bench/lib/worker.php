<?php
/*
 * One measurement of one peer, in its own PHP process (bench.php runs it).
 *
 *   php [-d extension=slotlock.so] worker.php --peer NAME --scenario S [options]
 *
 * scenarios: pair | segments | anyof | request   (time-based, or --ops N)
 *            throughput   (--variants = process counts; pcntl_fork)
 *            memory       (--ops N pairs; VmRSS before, during, after)
 * options:   --variants 1,2,4,8   (segments: k; anyof: N; throughput: procs)
 *            --duration SEC       measured time per variant (default 1)
 *            --warmup SEC         warm-up time per variant (default 0.2)
 *            --ops N              instead of a duration: exactly N operations
 *                                 after --warmup-ops (callgrind)
 *            --warmup-ops N       (default 50)
 *            --host --port --prefix --service
 * Prints one JSON object on stdout: per variant ops, secs and us (the median
 * over 20 time slices of the time per operation; throughput: from totals).
 */

declare(strict_types=1);

require __DIR__ . '/peers.php';

$opt = getopt('', ['peer:', 'scenario:', 'variants:', 'duration:', 'warmup:', 'ops:', 'warmup-ops:',
                   'host:', 'port:', 'prefix:', 'service:']);
$peerName = $opt['peer'] ?? 'slotlock';
$scenario = $opt['scenario'] ?? 'pair';
$variants = array_map('intval', explode(',', (string) ($opt['variants'] ?? '1')));
$duration = (float) ($opt['duration'] ?? 1.0);
$warmup = (float) ($opt['warmup'] ?? 0.2);
$fixedOps = isset($opt['ops']) ? (int) $opt['ops'] : null;
$warmupOps = (int) ($opt['warmup-ops'] ?? 50);
$host = (string) ($opt['host'] ?? '127.0.0.1');
$port = (int) ($opt['port'] ?? 6379);
$prefix = (string) ($opt['prefix'] ?? 'bench');
$service = (int) ($opt['service'] ?? 1);

/** The operation of a scenario, as a closure over the peer. */
function bench_op(Peer $p, string $scenario, int $v): Closure
{
    return match ($scenario) {
        'pair', 'throughput', 'memory' => $p->pair(...),
        'segments' => static fn () => $p->segments($v),
        'anyof' => static fn () => $p->anyOf($v),
        'request' => $p->request(...),
        default => throw new InvalidArgumentException("unknown scenario $scenario"),
    };
}

/**
 * Runs $op until $until (hrtime ns). Returns [ops, seconds, us]: us is the
 * median over time slices of $slice ns of the time per operation, which a
 * burst of load from other processes moves less than the mean.
 */
function bench_run_until(Closure $op, int $until, int $slice): array
{
    $t0 = $st = hrtime(true);
    $n = $sn = 0;
    $slices = [];
    do {
        $op();
        $n++;
        $sn++;
        $t = hrtime(true);
        if ($t - $st >= $slice) {
            $slices[] = ($t - $st) / 1e3 / $sn;
            $st = $t;
            $sn = 0;
        }
    } while ($t < $until);
    if (!$slices) {
        $slices[] = ($t - $t0) / 1e3 / $n;
    }
    sort($slices);
    $k = count($slices);
    $us = $k % 2 ? $slices[intdiv($k, 2)] : ($slices[$k / 2 - 1] + $slices[$k / 2]) / 2;
    return [$n, ($t - $t0) / 1e9, $us];
}

function bench_rss_kb(): int
{
    $s = (string) @file_get_contents('/proc/self/status');
    return preg_match('/^VmRSS:\s+(\d+)\s+kB/m', $s, $m) ? (int) $m[1] : -1;
}

$cls = bench_peer_class($peerName);
if (($why = $cls::supports($scenario)) !== null) {
    echo json_encode(['peer' => $peerName, 'scenario' => $scenario, 'unsupported' => $why]), "\n";
    exit(0);
}

$out = ['peer' => $peerName, 'scenario' => $scenario, 'results' => []];

if ($scenario === 'throughput') {
    /* Loading the library before fork is shared; connections are made after. */
    bench_peer_new($peerName, $host, $port, $prefix, $service)->pair();
    foreach ($variants as $procs) {
        $tmp = tempnam(sys_get_temp_dir(), 'slbench');
        $startWall = microtime(true) + $warmup + 0.15 + 0.004 * $procs;
        $endWall = $startWall + $duration;
        $pids = [];
        for ($i = 0; $i < $procs; $i++) {
            $pid = pcntl_fork();
            if ($pid < 0) {
                fwrite(STDERR, "fork failed\n");
                exit(1);
            }
            if ($pid === 0) {
                $code = 0;
                try {
                    $p = bench_peer_new($peerName, $host, $port, $prefix, $service + 1 + $i);
                    $op = bench_op($p, 'pair', 1);
                    $late = microtime(true) > $startWall;
                    do {
                        $op();
                    } while (microtime(true) < $startWall);
                    $t0 = microtime(true);
                    $n = 0;
                    do {
                        $op();
                        $n++;
                    } while (($t = microtime(true)) < $endWall);
                    file_put_contents($tmp, "$n " . ($t - $t0) . ' ' . (int) $late . "\n", FILE_APPEND | LOCK_EX);
                } catch (Throwable $e) {
                    fwrite(STDERR, "child $i: " . $e->getMessage() . "\n");
                    $code = 1;
                }
                exit($code);
            }
            $pids[] = $pid;
        }
        $failed = 0;
        foreach ($pids as $pid) {
            pcntl_waitpid($pid, $st);
            if (!pcntl_wifexited($st) || pcntl_wexitstatus($st) !== 0) {
                $failed++;
            }
        }
        $ops = 0;
        $secs = 0.0;
        $lateN = 0;
        foreach (file($tmp, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [] as $line) {
            [$n, $s, $l] = explode(' ', $line) + [2 => '0'];
            $ops += (int) $n;
            $secs = max($secs, (float) $s);
            $lateN += (int) $l;
        }
        if ($lateN) {
            fwrite(STDERR, "throughput $procs: $lateN children were ready only after the window opened\n");
        }
        unlink($tmp);
        if ($failed) {
            fwrite(STDERR, "$failed of $procs children failed\n");
            exit(1);
        }
        $out['results'][] = ['variant' => $procs, 'ops' => $ops, 'secs' => $secs, 'late' => $lateN];
    }
    echo json_encode($out), "\n";
    exit(0);
}

$p = bench_peer_new($peerName, $host, $port, $prefix, $service);

if ($scenario === 'memory') {
    $n = $fixedOps ?? 1000000;
    $op = bench_op($p, 'pair', 1);
    $rssStart = bench_rss_kb();
    for ($i = 0; $i < 1000; $i++) {
        $op();
    }
    $rssWarm = bench_rss_kb();
    $memWarm = memory_get_usage();
    $samples = [[0, $rssWarm, $memWarm]];
    $step = max(1, intdiv($n, 10));
    $t0 = hrtime(true);
    for ($i = 1; $i <= $n; $i++) {
        $op();
        if ($i % $step === 0 || $i === $n) {
            $samples[] = [$i, bench_rss_kb(), memory_get_usage()];
        }
    }
    $secs = (hrtime(true) - $t0) / 1e9;
    $out['results'][] = [
        'variant' => 1, 'ops' => $n, 'secs' => $secs,
        'rss_start_kb' => $rssStart, 'rss_before_kb' => $rssWarm, 'rss_after_kb' => bench_rss_kb(),
        'mem_before' => $memWarm, 'mem_after' => memory_get_usage(), 'samples' => $samples,
    ];
    echo json_encode($out), "\n";
    exit(0);
}

foreach ($variants as $v) {
    $blocked = $scenario === 'anyof' ? $v - 1 : 0;
    $p->block($blocked);
    try {
        $op = bench_op($p, $scenario, $v);
        if ($fixedOps !== null) {
            for ($i = 0; $i < $warmupOps; $i++) {
                $op();
            }
            $p->acqNs = 0;
            $ru0 = getrusage();
            $t0 = hrtime(true);
            for ($i = 0; $i < $fixedOps; $i++) {
                $op();
            }
            $secs = (hrtime(true) - $t0) / 1e9;
            $ru1 = getrusage();
            $res = [$fixedOps, $secs, $fixedOps ? $secs * 1e6 / $fixedOps : 0.0];
            $cpuUs = static fn (array $ru, string $k) => $ru["ru_$k.tv_sec"] * 1e6 + $ru["ru_$k.tv_usec"];
            $rusage = $fixedOps ? [($cpuUs($ru1, 'utime') - $cpuUs($ru0, 'utime')) / $fixedOps,
                                   ($cpuUs($ru1, 'stime') - $cpuUs($ru0, 'stime')) / $fixedOps] : [0, 0];
        } else {
            $slice = (int) ($duration * 1e9 / 20);
            bench_run_until($op, hrtime(true) + (int) ($warmup * 1e9), $slice);
            $p->acqNs = 0;
            $res = bench_run_until($op, hrtime(true) + (int) ($duration * 1e9), $slice);
        }
        // the acquire-only share of the median, from the share of the total time
        $acqUs = $res[1] > 0 ? $res[2] * min(1.0, $p->acqNs / ($res[1] * 1e9)) : null;
    } finally {
        $p->unblock($blocked);
    }
    $out['results'][] = ['variant' => $v, 'ops' => $res[0], 'secs' => $res[1], 'us' => $res[2],
                         'acq_us' => $scenario === 'request' ? null : $acqUs]
                       + (isset($rusage) ? ['cpu_user_us' => $rusage[0], 'cpu_sys_us' => $rusage[1]] : []);
}
echo json_encode($out), "\n";
