<?php
/*
 * bench/topology/run.php: the latency of acquire() + release() on one Redis, a 3-master
 * Cluster, Sentinel (master + replica, with and without wait_replicas=1) and a quorum of 3
 * masters, all on loopback. Starts each topology with scripts/topology.sh and stops it.
 *
 *   php -d extension=modules/slotlock.so bench/topology/run.php [--ops N] [--warmup N]
 *       [--modes single,single-rr3,cluster,sentinel,sentinel-wait,quorum] [--csv FILE]
 *
 * Each op takes a distinct slot (companies 1..50, so spread over the cluster's masters) with
 * a persistent connection, then releases it; times are per op, from hrtime(). Prints a table
 * (median and p99 in microseconds, and the ratio to single); it measures, it does not assert.
 * single-rr3 is 3 independent single nodes used in turn: on a small machine most of the
 * cluster's extra latency is that hopping between server processes, not slotlock.
 */
declare(strict_types=1);

$root = dirname(__DIR__, 2);
$o = getopt('', ['ops:', 'warmup:', 'modes:', 'csv:', 'help']);
if (isset($o['help'])) {
    echo preg_replace('/^ ?\* ?/m', '', explode('*/', explode('/*', file_get_contents(__FILE__), 2)[1])[0]);
    exit(0);
}
$ops = (int) ($o['ops'] ?? 2000);
$warmup = (int) ($o['warmup'] ?? 200);
$modes = explode(',', $o['modes'] ?? 'single,single-rr3,cluster,sentinel,sentinel-wait,quorum');
if (!extension_loaded('slotlock') || !method_exists('SlotLockService', 'topology')) {
    fwrite(STDERR, "bench/topology: load a slotlock.so with topology support (-d extension=modules/slotlock.so)\n");
    exit(1);
}

$started = [];
function topo_stop_all(): void
{
    global $started, $root;
    foreach ($started as $dir => $_) {
        exec('bash ' . escapeshellarg("$root/scripts/topology.sh") . ' stop ' . escapeshellarg($dir));
        unset($started[$dir]);
    }
}
register_shutdown_function('topo_stop_all');
if (function_exists('pcntl_async_signals')) {
    pcntl_async_signals(true);
    foreach ([SIGINT, SIGTERM] as $sig) {
        pcntl_signal($sig, function () {
            topo_stop_all();
            exit(130);
        });
    }
}

/** Starts a topology; returns its variables (NAME => value). */
function topo_start(string $mode): array
{
    global $root, $started;
    $out = [];
    exec('SLOTLOCK_TOPOLOGY_QUIET=1 bash ' . escapeshellarg("$root/scripts/topology.sh") . ' start ' . escapeshellarg($mode), $out, $rc);
    $env = [];
    foreach ($out as $line) {
        if (preg_match("/^export ([A-Z_]+)='(.*)'$/", $line, $m)) {
            $env[$m[1]] = $m[2];
        }
    }
    if ($rc !== 0 || !isset($env['SLOTLOCK_TOPOLOGY_DIR'])) {
        throw new RuntimeException("scripts/topology.sh start $mode failed ($rc)");
    }
    $started[$env['SLOTLOCK_TOPOLOGY_DIR']] = true;
    return $env;
}

function topo_stop(array $env): void
{
    global $root, $started;
    exec('bash ' . escapeshellarg("$root/scripts/topology.sh") . ' stop ' . escapeshellarg($env['SLOTLOCK_TOPOLOGY_DIR']));
    unset($started[$env['SLOTLOCK_TOPOLOGY_DIR']]);
}

function pct(array $sorted, float $p): float
{
    $i = (int) min(count($sorted) - 1, max(0, ceil($p * count($sorted)) - 1));
    return $sorted[$i];
}

/**
 * Runs the ops, round robin over the services of $optionsList (one for every mode but
 * single-rr3); returns [pair µs sorted, acquire µs sorted, release µs sorted, failures].
 */
function run_ops(array $optionsList, int $n, int $warmup): array
{
    $prefix = 'bench_topo_' . bin2hex(random_bytes(3));
    $svcs = array_map(fn ($o) => new SlotLockService($o + ['prefix' => $prefix, 'ttl' => 60]), $optionsList);
    $base = gmmktime(0, 0, 0, 1, 1, 2033);
    $pair = $acq = $rel = [];
    $fail = 0;
    for ($i = 0; $i < $warmup + $n; $i++) {
        $svc = $svcs[$i % count($svcs)];
        $start = gmdate('Y-m-d H:i', $base + $i * 60);
        $t0 = hrtime(true);
        $l = $svc->acquire(1 + $i % 50, 31, $start, 'bench');
        $t1 = hrtime(true);
        $ok = $l !== null && $svc->release($l, 'bench');
        $t2 = hrtime(true);
        if ($i < $warmup) {
            continue;
        }
        if (!$ok) {
            $fail++;
        }
        $acq[] = ($t1 - $t0) / 1e3;
        $rel[] = ($t2 - $t1) / 1e3;
        $pair[] = ($t2 - $t0) / 1e3;
    }
    sort($pair);
    sort($acq);
    sort($rel);
    return [$pair, $acq, $rel, $fail];
}

$rows = [];
foreach ($modes as $mode) {
    $topo = ['sentinel-wait' => 'sentinel', 'single-rr3' => 'quorum'][$mode] ?? $mode;
    fwrite(STDERR, "bench/topology: $mode ...\n");
    try {
        $env = topo_start($topo);
        switch ($mode) {
            case 'single':
                $options = ['dsn' => $env['SLOTLOCK_SINGLE']];
                break;
            case 'single-rr3':
                /* 3 independent single nodes, one op on each in turn: what hopping between
                   server processes costs by itself (compare with cluster) */
                $options = array_map(fn ($d) => ['dsn' => $d], explode(',', $env['SLOTLOCK_QUORUM']));
                break;
            case 'cluster':
                $options = ['cluster' => explode(',', $env['SLOTLOCK_CLUSTER'])];
                break;
            case 'sentinel':
            case 'sentinel-wait':
                $options = ['sentinel' => explode(',', $env['SLOTLOCK_SENTINEL']), 'master' => $env['SLOTLOCK_SENTINEL_MASTER']];
                if ($mode === 'sentinel-wait') {
                    $options += ['wait_replicas' => 1, 'wait_timeout' => 0.1];
                }
                break;
            case 'quorum':
                $options = ['nodes' => explode(',', $env['SLOTLOCK_QUORUM'])];
                break;
            default:
                throw new RuntimeException("unknown mode $mode");
        }
        [$pair, $acq, $rel, $fail] = run_ops($mode === 'single-rr3' ? $options : [$options], $ops, $warmup);
        $rows[$mode] = [
            'ops' => count($pair), 'failed' => $fail,
            'median' => pct($pair, 0.5), 'p99' => pct($pair, 0.99),
            'acq_median' => pct($acq, 0.5), 'rel_median' => pct($rel, 0.5),
        ];
        topo_stop($env);
    } catch (Throwable $e) {
        fwrite(STDERR, "bench/topology: $mode: " . get_class($e) . ': ' . $e->getMessage() . "\n");
        $rows[$mode] = null;
    }
}
topo_stop_all();

$single = $rows['single']['median'] ?? null;
printf("acquire()+release() latency, %d ops per mode after %d warm-up, loopback, persistent connections\n\n", $ops, $warmup);
printf("%-14s %7s %12s %10s %14s %14s %9s\n", 'mode', 'ops', 'median µs', 'p99 µs', 'acquire med', 'release med', 'vs single');
foreach ($rows as $mode => $r) {
    if ($r === null) {
        printf("%-14s %s\n", $mode, 'failed (see stderr)');
        continue;
    }
    printf("%-14s %7d %12.1f %10.1f %14.1f %14.1f %9s%s\n", $mode, $r['ops'], $r['median'], $r['p99'], $r['acq_median'],
        $r['rel_median'], $single ? sprintf('%.2fx', $r['median'] / $single) : '-',
        $r['failed'] ? "  ({$r['failed']} ops failed)" : '');
}
if (isset($o['csv'])) {
    $fh = fopen($o['csv'], 'w');
    fputcsv($fh, ['mode', 'ops', 'failed', 'median_us', 'p99_us', 'acquire_median_us', 'release_median_us']);
    foreach ($rows as $mode => $r) {
        if ($r !== null) {
            fputcsv($fh, [$mode, $r['ops'], $r['failed'], round($r['median'], 1), round($r['p99'], 1),
                round($r['acq_median'], 1), round($r['rel_median'], 1)]);
        }
    }
    fclose($fh);
}
