<?php

/*
 * bench/metrics_cost.php: what the fleet-wide metrics cost on the hot path.
 *
 *   php -d extension=modules/slotlock.so bench/metrics_cost.php [--rounds 7] [--duration 1.0]
 *   php -d auto_prepend_file=polyfill/slotlock.php bench/metrics_cost.php     the polyfill
 *
 * Pairs (acquire + release of a fresh slot, one process, one Redis) per
 * second under three settings, measured in alternating rounds (median of the
 * rounds, and of the per-round ratios):
 *   off        slotlock.metrics_flush_interval=0: counted in memory, never written
 *   interval   slotlock.metrics_flush_interval=1: one batch a second (production: 10)
 *   per-call   flushMetrics() after every pair: what a write per call would cost
 * and, for the polyfill's per-request batch, "per-request": a batch every 3
 * pairs (a start_booking request: check, begin, finish). Prints; asserts nothing.
 * Uses SLOTLOCK_TEST_HOST / SLOTLOCK_TEST_PORT.
 */

$opt = getopt('', ['rounds:', 'duration:']);
$rounds = (int) ($opt['rounds'] ?? 7);
$duration = (float) ($opt['duration'] ?? 1.0);
$impl = extension_loaded('slotlock') ? 'extension ' . phpversion('slotlock') : 'polyfill';
$setIni = extension_loaded('slotlock') ? 'ini_set' : 'slotlock_polyfill_ini_set';
$svc = new SlotLockService([
    'host' => getenv('SLOTLOCK_TEST_HOST') ?: '127.0.0.1',
    'port' => (int) (getenv('SLOTLOCK_TEST_PORT') ?: 6379),
    'prefix' => 'slbench_metrics_' . getmypid(),
]);

/** pairs per second for $duration seconds; $every: flushMetrics() after every $every pairs (0: never) */
function run(SlotLockService $svc, float $duration, int $every): float
{
    static $s = 0;
    $n = 0;
    $t0 = hrtime(true);
    $end = $t0 + (int) ($duration * 1e9);
    do {
        $lock = $svc->acquire(1, 1 + ($s++ % 1000), '2031-01-01 10:00', 'bench-owner');
        $svc->release($lock, 'bench-owner');
        $n++;
        if ($every > 0 && $n % $every === 0) {
            $svc->flushMetrics();
        }
    } while (hrtime(true) < $end);

    return $n / ((hrtime(true) - $t0) / 1e9);
}

$modes = ['off' => ['0', 0], 'interval' => ['1', 0], 'per-request' => ['0', 3], 'per-call' => ['0', 1]];
$results = array_fill_keys(array_keys($modes), []);
run($svc, 0.3, 0); // warm-up
for ($r = 0; $r < $rounds; $r++) {
    foreach ($modes as $name => [$interval, $every]) {
        $setIni('slotlock.metrics_flush_interval', $interval);
        $results[$name][] = run($svc, $duration, $every);
    }
}
$svc->flushMetrics();

function median(array $v): float
{
    sort($v);
    $n = count($v);

    return $n % 2 ? $v[intdiv($n, 2)] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2;
}

printf("metrics cost, %s, PHP %s, %d rounds x %.1f s\n", $impl, PHP_VERSION, $rounds, $duration);
printf("%-12s %12s %14s\n", 'mode', 'pairs/s', 'vs off');
$off = median($results['off']);
foreach ($results as $name => $v) {
    $ratios = array_map(fn ($x, $o) => $x / $o, $v, $results['off']);
    printf("%-12s %12.0f %13.3fx\n", $name, median($v), median($ratios));
}
$r = new Redis();
$r->connect(getenv('SLOTLOCK_TEST_HOST') ?: '127.0.0.1', (int) (getenv('SLOTLOCK_TEST_PORT') ?: 6379));
$it = null;
while (($keys = $r->scan($it, 'slbench_metrics_' . getmypid() . '*', 1000)) !== false) {
    $keys && $r->del($keys);
}
