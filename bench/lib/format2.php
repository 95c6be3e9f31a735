<?php
/*
 * bench/lib/format2.php: what wire format 2's options cost, appended to latest.txt by
 * bench/run.sh.
 *
 *   php -d extension=slotlock.so format2.php --host H --port P [--pairs 3000] [--rounds 5]
 *                                            [--live 100000] [--out latest.txt]
 *
 * 1. Fencing: acquire + release of one slot with fencing off (SET NX PX GET + compare-and-
 *    delete) and on (the acquire script, INCR, and the release script), interleaved rounds:
 *    Redis CPU (INFO cpu user+sys) and wall per pair, medians.
 * 2. activeLocks() with --live holds in the database (SET ... PX written by pipelines under a
 *    bench prefix, beside nothing else): wall per call, and what an acquire + release costs
 *    meanwhile (nothing is written to count locks, so it must not change).
 * Prints markdown tables to stdout (and appends them to --out).
 */
$o = getopt('', ['host:', 'port:', 'pairs:', 'rounds:', 'live:', 'out:']);
$host = $o['host'] ?? '127.0.0.1';
$port = (int) ($o['port'] ?? 6379);
$pairs = (int) ($o['pairs'] ?? 3000);
$rounds = (int) ($o['rounds'] ?? 5);
$live = (int) ($o['live'] ?? 100000);
$r = new Redis();
$r->connect($host, $port, 5.0);
$cpu = function () use ($r): float {
    $i = $r->info('cpu');
    return ((float) $i['used_cpu_user'] + (float) $i['used_cpu_sys']) * 1e6;
};
$median = function (array $v): float {
    sort($v);
    $n = count($v);
    return $n % 2 ? $v[intdiv($n, 2)] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2;
};
$out = [];

/* ---- 1. fencing --------------------------------------------------------------------- */
$prefix = 'bench_f2_' . bin2hex(random_bytes(3));
$svc = [
    'fencing off' => new SlotLockService(['host' => $host, 'port' => $port, 'prefix' => $prefix]),
    'fencing on' => new SlotLockService(['host' => $host, 'port' => $port, 'prefix' => $prefix, 'fencing' => true]),
];
$res = [];
foreach ($svc as $name => $s) {
    for ($i = 0; $i < 200; $i++) {                          /* warm-up: connection, scripts loaded */
        $l = $s->acquire(1, 1, '2030-01-01 12:00', 'w');
        $s->release($l, 'w');
    }
}
for ($round = 0; $round < $rounds; $round++) {
    foreach ($round % 2 ? array_reverse($svc, true) : $svc as $name => $s) {
        $c0 = $cpu();
        $t0 = hrtime(true);
        for ($i = 0; $i < $pairs; $i++) {
            $l = $s->acquire(1, 1, '2030-01-01 12:00', 'o');
            $s->release($l, 'o');
        }
        $wall = (hrtime(true) - $t0) / 1e3 / $pairs;
        $res[$name]['srv'][] = ($cpu() - $c0) / $pairs;
        $res[$name]['wall'][] = $wall;
    }
}
$rows = [];
$offSrv = $median($res['fencing off']['srv']);
$offWall = $median($res['fencing off']['wall']);
foreach ($res as $name => $v) {
    $rows[] = sprintf('| %s | %.2f | %.2fx | %.2f | %.2fx |', $name, $median($v['srv']), $median($v['srv']) / $offSrv,
        $median($v['wall']), $median($v['wall']) / $offWall);
}
$out[] = sprintf("### Fencing: acquire + release of one slot, %d pairs x %d interleaved rounds, medians\n\n", $pairs, $rounds)
    . "| fencing | Redis CPU us/pair | vs off | wall us/pair (client + Redis on one machine) | vs off |\n"
    . "|---|---:|---:|---:|---:|\n" . implode("\n", $rows) . "\n";

/* ---- 2. activeLocks() at $live live locks ------------------------------------------------ */
$lp = 'bench_live_' . bin2hex(random_bytes(3));
$counter = new SlotLockService(['host' => $host, 'port' => $port, 'prefix' => $lp]);
$pairCost = function () use ($counter, $cpu, $pairs, $median): array {
    $srv = [];
    $wall = [];
    for ($k = 0; $k < 3; $k++) {
        $c0 = $cpu();
        $t0 = hrtime(true);
        for ($i = 0; $i < $pairs; $i++) {
            $l = $counter->acquire(999999, 1, '2030-01-01 12:00', 'p');   /* not among the filled keys */
            $counter->release($l, 'p');
        }
        $wall[] = (hrtime(true) - $t0) / 1e3 / $pairs;
        $srv[] = ($cpu() - $c0) / $pairs;
    }
    return [$median($srv), $median($wall)];
};
[$emptySrv, $emptyWall] = $pairCost();
$t0 = hrtime(true);
for ($i = 0; $i < $live; $i += 1000) {
    $p = $r->pipeline();
    for ($j = $i; $j < min($live, $i + 1000); $j++) {
        $p->set(sprintf('%s:c%d:s%d:t203001011200', $lp, 1 + intdiv($j, 1000), 1 + $j % 1000), 'h:0:owner-' . $j,
            ['nx', 'px' => 600000]);
    }
    $p->exec();
}
$fill = (hrtime(true) - $t0) / 1e9;
$times = [];
$n = -1;
for ($k = 0; $k < 5; $k++) {
    $t0 = hrtime(true);
    $n = $counter->activeLocks();
    $times[] = (hrtime(true) - $t0) / 1e6;
}
[$fullSrv, $fullWall] = $pairCost();
$dbsize = $r->dbSize();
$out[] = sprintf("### activeLocks() at %s live locks (SCAN MATCH <prefix>:c*:[sr]* COUNT 1000; %s keys in the database; filled in %.1f s)\n\n",
        number_format($live), number_format($dbsize), $fill)
    . "| measure | value |\n|---|---:|\n"
    . sprintf("| activeLocks() answer | %s |\n", number_format($n))
    . sprintf("| activeLocks() wall, median of 5 | %.1f ms |\n", $median($times))
    . sprintf("| acquire + release, Redis CPU us/pair: empty database / with %s live locks | %.2f / %.2f |\n", number_format($live), $emptySrv, $fullSrv)
    . sprintf("| acquire + release, wall us/pair: empty database / with %s live locks | %.2f / %.2f |\n", number_format($live), $emptyWall, $fullWall);

/* clean up: the bench prefixes, by SCAN */
foreach ([$lp, $prefix] as $pf) {
    $it = null;
    $r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
    while (($keys = $r->scan($it, "$pf*", 5000)) !== false) {
        if ($keys) {
            $r->unlink($keys);
        }
    }
}
$text = implode("\n", $out);
echo $text;
if (!empty($o['out'])) {
    file_put_contents($o['out'], "\n" . $text, FILE_APPEND);
}
