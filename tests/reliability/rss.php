<?php
/*
 * tests/reliability/rss.php: no memory growth over many operations.
 *
 * Runs N API calls (default 200000; --long: 1000000) in cycles that go through every path:
 * acquire / validate / status / extend / release, acquireSegments, acquireFirst,
 * acquireResource, commit, conflicts (null), the booking flow (check / beginBooking /
 * finishBooking booked and not), key(), toArray(), stats(), activeLocks(), a listener on
 * every event, new persistent and non-persistent services per cycle, ValueError /
 * TypeError from bad arguments, SlotLockConnectionException from a dead port (and fail-open
 * answers), SlotLockException from a Redis error reply, and now and then CLIENT KILL of our
 * connection (reconnect) and SCRIPT FLUSH (EVAL fallback).
 *
 * VmRSS (/proc/self/status) and memory_get_usage() are sampled 20 times; after a warm-up of
 * 10 % of the calls, RSS must not grow by more than --max-growth-kb (2048) and the Zend heap
 * by more than 64 KB.
 *
 *   php -d extension=modules/slotlock.so tests/reliability/rss.php [--ops=200000] [--long]
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';
rl_suite('rss');

$opt = rl_args(['ops' => 200000, 'long' => false, 'max_growth_kb' => 2048]);
$OPS = $opt['long'] ? max($opt['ops'], 1000000) : $opt['ops'];

function rss_kb(): int
{
    preg_match('/^VmRSS:\s+(\d+)\s+kB/m', (string) file_get_contents('/proc/self/status'), $m);
    return (int) $m[1];
}

$srv = rl_start_redis();
$raw = $srv->client();
$prefix = rl_prefix('rss');
$opts = ['host' => '127.0.0.1', 'port' => $srv->port, 'prefix' => $prefix, 'booked_ttl' => 1];
$badPrefix = rl_prefix('rssbad');
$raw->set("$badPrefix#fence", 'not a number');          /* INCR fails: a Redis error reply */

$svc = new SlotLockService($opts);
$flow = new AvailabilityWithLock($svc);
$events = 0;
$svc->onEvent(function (array $ev) use (&$events) {
    $events++;
});
$dead = new SlotLockService(['host' => '127.0.0.1', 'port' => 1, 'timeout' => 0.2, 'password' => 'pw']);
$deadFlow = new AvailabilityWithLock($dead);
$broken = new SlotLockService(['host' => '127.0.0.1', 'port' => $srv->port, 'prefix' => $badPrefix, 'fencing' => true]);

$ops = 0;
$killedTwice = 0;
$errors = ['ValueError' => 0, 'TypeError' => 0, 'SlotLockConnectionException' => 0, 'SlotLockException' => 0];
$unexpected = [];
$expect = function (string $class, callable $fn) use (&$ops, &$errors, &$unexpected) {
    $ops++;
    try {
        $fn();
        $unexpected[] = "no $class";
    } catch (Throwable $e) {
        if (get_class($e) !== $class) {
            $unexpected[] = get_class($e) . ': ' . $e->getMessage();
        }
        $errors[$class]++;
    }
};
$base = new DateTimeImmutable('2030-01-01 00:00', new DateTimeZone('UTC'));

/** One cycle: about 40 calls. */
$cycle = function (int $c) use (&$ops, $svc, $flow, $opts, $dead, $deadFlow, $broken, $expect, $base, $raw, &$unexpected) {
    $start = $base->modify('+' . (15 * ($c % 5000)) . ' minutes');
    $s = $start->format('Y-m-d H:i');
    $owner = 'owner-' . ($c % 97);
    $l = $svc->acquire(1, 31, $start, $owner, 30);
    $svc->validate($l, $owner);
    $svc->status($l);
    $svc->extend($l, $owner, 40);
    $l->toArray();
    $svc->acquire(1, 31, $s, 'other');                   /* conflict: null */
    $svc->release($l, $owner);
    $g = $svc->acquireSegments(2, [[31, $s], [32, $start->modify('+30 minutes')]], null, 30);
    $svc->release($g->key, $g->owner);
    $f = $svc->acquireFirst(3, [[31, $s], [[32, $s], [33, $s]]], $owner, 30);
    $svc->commit($f, $owner, "bk$c", 1);
    $r = $svc->acquireResource(4, 'staff' . ($c % 7), $s, 45, $owner, 30, 5, 5);
    $svc->release($r, $owner);
    $svc->resourceKeys(4, 'room', $s, $start->modify('+1 hour'));
    $a = $flow->check(['available' => true, 'c' => $c], 5, 31, $s, "call$c", 30);
    $b = $flow->beginBooking($a['lock_key'], "call$c");
    $flow->finishBooking($a['lock_key'], "call$c", $c % 2 === 0, "bk$c");
    $flow->check(['available' => true], 6, [[31, $s], [32, 30]], $s, "call$c", 30);
    $flow->beginBooking(null, "call$c");
    $flow->finishBooking(implode(',', [$svc->key(6, 31, $s), $svc->key(6, 32, $start->modify('+30 minutes'))]), "call$c", false);
    $svc->key(1, 31, $start);
    $svc->stats();
    $svc->topology();
    $ops += 25;
    if ($c % 10 === 0) {
        $svc->activeLocks();
        (new SlotLockService($opts))->status($l);                                   /* pooled */
        (new SlotLockService($opts + ['persistent' => false]))->validate($l, 'x');   /* own connection */
        $ops += 3;
    }
    $expect('ValueError', fn () => $svc->acquire(1, 31, $s, ''));
    $expect('ValueError', fn () => $svc->key(1, 31, '2030-01-01 00:00:30'));
    $expect('ValueError', fn () => new SlotLockService(['prefix' => 'bad prefix']));
    $expect('TypeError', fn () => $svc->acquireSegments(1, 'x'));
    $expect('SlotLockConnectionException', fn () => $dead->acquire(1, 31, $s, 'o'));
    $expect('SlotLockConnectionException', fn () => (new SlotLockService(['port' => 1, 'persistent' => $c % 2 === 0]))->activeLocks());
    $expect('SlotLockException', fn () => $broken->acquire(1, 31, $s, 'o'));
    $deadFlow->check(['available' => true], 1, 31, $s, 'o');                  /* fails open */
    $deadFlow->beginBooking($svc->key(1, 31, $s), 'o');
    $ops += 2;
    if ($c % 1000 === 999) {
        $raw->rawCommand('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');    /* reconnect path */
        $raw->script('flush');                                                  /* EVAL fallback */
        /* the reconnect may pick the pooled connection, killed too (faults.php reports it):
         * let that one fail here */
        try {
            $svc->activeLocks();
        } catch (SlotLockConnectionException $e) {
            $GLOBALS['killedTwice']++;
        }
        $ops++;
    }
};

printf("rss: %d calls, samples every %d\n", $OPS, intdiv($OPS, 20));
/* preallocated, so that sampling itself does not grow the heap */
$S = new SplFixedArray(4 * 64);
$ns = 0;
$sample = function () use ($S, &$ns, &$ops) {
    gc_collect_cycles();
    $S[4 * $ns] = $ops;
    $S[4 * $ns + 1] = rss_kb();
    $S[4 * $ns + 2] = memory_get_usage();
    $S[4 * $ns + 3] = memory_get_usage(true);
    $ns++;
};
$c = 0;
$next = 0;
$warm = null;
$t0 = hrtime(true);
while ($ops < $OPS) {
    $cycle($c++);
    if ($ops >= $next) {
        $sample();
        if ($warm === null && $ops >= $OPS / 10) {
            $warm = $ns - 1;
        }
        $next += intdiv($OPS, 20);
    }
}
$sample();
$secs = rl_ms($t0) / 1000;
$samples = [];
for ($i = 0; $i < $ns; $i++) {
    $samples[] = [$S[4 * $i], $S[4 * $i + 1], $S[4 * $i + 2], $S[4 * $i + 3]];
}
foreach ($samples as $i => [$n, $rss, $heap, $real]) {
    printf("  %8d calls  VmRSS %7d kB  heap %8d B  (real %d kB)%s\n", $n, $rss, $heap, intdiv($real, 1024), $i === $warm ? '  <- after warm-up' : '');
}
[$n0, $rss0, $heap0] = $samples[$warm ?? 0];
[$n1, $rss1, $heap1] = end($samples);
$st = $svc->stats();
rl_info(sprintf('%.1f s, %.0f calls/s; %d events; stats: connects %d, reconnects %d, script_loads %d, errors %d; expected exceptions %s;'
    . ' reconnects onto a dead pooled connection %d', $secs, $ops / $secs, $events, $st['connects'], $st['reconnects'], $st['script_loads'],
    $st['errors'], json_encode($errors), $killedTwice));
rl_check($unexpected === [], 'every error path threw what it should', count($unexpected) . ($unexpected ? ': ' . implode('; ', array_slice(array_unique($unexpected), 0, 3)) : ''));
rl_check($st['reconnects'] > 0 && $st['script_loads'] > 7, 'the reconnect and EVAL fallback paths ran', "reconnects {$st['reconnects']}, script_loads {$st['script_loads']}");
rl_check($rss1 - $rss0 <= $opt['max_growth_kb'], "VmRSS grew at most {$opt['max_growth_kb']} kB after warm-up",
    sprintf('%+d kB over %d calls (%d -> %d kB)', $rss1 - $rss0, $n1 - $n0, $rss0, $rss1));
rl_check($heap1 - $heap0 <= 64 * 1024, 'the Zend heap grew at most 64 KB after warm-up',
    sprintf('%+d B (%d -> %d)', $heap1 - $heap0, $heap0, $heap1));
$raw = $srv->client();
rl_delete_prefix($raw, $prefix);
rl_delete_prefix($raw, $badPrefix);
rl_done();
