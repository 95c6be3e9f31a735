<?php
/*
 * tests/reliability/concurrency.php: no double booking under contention.
 *
 * W forked workers (default 64) run the voice-agent booking flow against S contested slots
 * (default 1000: 10 services x 100 starts, half of all picks going to 50 hot slots), each
 * doing N flows (default 150):
 *
 *   take a hold:  AvailabilityWithLock::check() on one slot or a compound service (segments),
 *                 or SlotLockService::acquire() / acquireSegments() / acquireFirst() (any-of-3,
 *                 candidates single or compound); TTL 1-2 s
 *   (between two flows a worker pauses 20-100 ms: the run lasts several booked_ttl, so the
 *   hot slots are booked again and again, right when their markers expire)
 *   talk:         a random gap of 0-20 ms; 3 % of flows wait 1.1-2.4 s, past their TTL, so the
 *                 hold expires mid-flow (beginBooking answers relocked, slot_locked or
 *                 slot_booked); 10 % abandon the call (no beginBooking: the hold must expire)
 *   book:         beginBooking(); ONLY when ok, write the booking to the ledger (an RPUSH per
 *                 slot, timestamped by Redis's clock in the same script), then
 *                 finishBooking(booked: true); 10 % of the ok flows fail in "the store" and call
 *                 finishBooking(booked: false) without writing; a refused beginBooking calls
 *                 finishBooking(false) half of the time (must not free another caller's hold)
 *
 * Asserted: no slot has two ledger entries less than booked_ttl apart (a double booking:
 * the booked marker must keep the slot closed that long), the fences of successive bookings
 * of a slot increase, every finishBooking(true) after an ok beginBooking succeeds, no worker
 * throws or dies, the workload really contended (conflicts, relocks), and when everything
 * is over no lock is left behind: once the holds' TTLs passed only booked markers remain
 * (SCAN of the prefix) and activeLocks() counts exactly them; once booked_ttl passed,
 * activeLocks() is 0 and only the fence counter is left.
 *
 * Then the same workload runs naively (availability read from the ledger, the same gap,
 * the booking written without any lock) and its double-booking rate is printed beside.
 *
 *   php -d extension=modules/slotlock.so tests/reliability/concurrency.php [--workers=64]
 *       [--ops=150] [--long] [--seed=N] [--booked-ttl=3] [--no-naive]
 * --long: 1000 flows per worker. Uses its own redis-server (--port=P to use an existing one).
 * --tls=DIR: the workers speak TLS (its TLS port, certificates of scripts/tls.sh in DIR); the
 * ledger and the checks stay on the plain port.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';
rl_suite('concurrency');

$opt = rl_args(['workers' => 64, 'ops' => 150, 'long' => false, 'seed' => 0, 'booked_ttl' => 3,
                'no_naive' => false, 'port' => 0, 'tls' => '']);
if ($opt['long']) {
    $opt['ops'] = max($opt['ops'], 1000);
}
$seed = $opt['seed'] ?: random_int(1, 1 << 30);
$W = $opt['workers'];
$OPS = $opt['ops'];
$BOOKED_TTL = $opt['booked_ttl'];
const SERVICES = 10, STARTS = 100, HOT_SERVICES = 5, HOT_STARTS = 10;
const COMPANY = 7;

$tlsArgs = [];
if ($opt['tls'] !== '') {
    $tlsPort = rl_free_port();
    $tlsArgs = ['--tls-port', $tlsPort, '--tls-cert-file', "{$opt['tls']}/server.crt",
                '--tls-key-file', "{$opt['tls']}/server.key", '--tls-ca-cert-file', "{$opt['tls']}/ca.crt",
                '--tls-auth-clients', 'optional'];
}
if ($opt['port']) {
    $port = $opt['port'];
} else {
    $srv = rl_start_redis(array_merge(['--maxclients', '1000'], $tlsArgs));
    $port = $srv->port;
}
/* where the services connect: the plain port, or the TLS one */
$conn = $tlsArgs ? ['host' => '127.0.0.1', 'port' => $tlsPort, 'tls' => ['cafile' => "{$opt['tls']}/ca.crt"]]
                 : ['host' => '127.0.0.1', 'port' => $port];
$prefix = rl_prefix('conc');
$ledgerPrefix = "$prefix-ledger";
$naivePrefix = "$prefix-naive";
printf("concurrency: %d workers x %d flows, %d slots (%d hot), booked_ttl %d s, seed %d, redis port %d%s\n",
    $W, $OPS, SERVICES * STARTS, HOT_SERVICES * HOT_STARTS, $BOOKED_TTL, $seed, $port,
    $tlsArgs ? ", services over TLS on port $tlsPort" : '');

/* ledger write: one entry per slot key, timestamped with the server's clock (the clock the
 * booked markers expire by), in list order = the order Redis applied them */
const LEDGER_LUA = <<<'LUA'
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, k in ipairs(KEYS) do redis.call('RPUSH', k, ms .. '|' .. ARGV[1]) end
return ms
LUA;
/* naive availability: every key's last booking is at least booked_ttl old */
const NAIVE_CHECK_LUA = <<<'LUA'
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, k in ipairs(KEYS) do
  local last = redis.call('LINDEX', k, -1)
  if last then
    local lt = tonumber(string.match(last, '^(%d+)|'))
    if ms - lt < tonumber(ARGV[1]) then return 0 end
  end
end
return 1
LUA;

$base = new DateTimeImmutable('2031-03-03 08:00', new DateTimeZone('UTC'));
function start_of(int $k): string
{
    global $base;
    return $base->modify('+' . (15 * $k) . ' minutes')->format('Y-m-d H:i');
}

/** One slot [service, startIndex]: half the picks go to the hot corner. */
function pick_slot(): array
{
    if (mt_rand(0, 1) === 0) {
        return [mt_rand(1, HOT_SERVICES), mt_rand(0, HOT_STARTS - 1)];
    }
    return [mt_rand(1, SERVICES), mt_rand(0, STARTS - 1)];
}

/** A compound service: [s, k] and [s', k+2] (30 minutes later). */
function pick_compound(): array
{
    [$s, $k] = pick_slot();
    $k = min($k, STARTS - 3);
    return [[$s, $k], [$s % SERVICES + 1, $k + 2]];
}

/**
 * The flow plan of worker $w: the same for the locked and the naive run.
 * Each: mode, slots (list of candidates, each a list of [s, k]), ttl, gap_us, abandon, store_fail,
 * finish_refused.
 */
function plan(int $seed, int $w, int $ops): array
{
    mt_srand($seed * 1000 + $w);
    $plan = [];
    for ($i = 0; $i < $ops; $i++) {
        $r = mt_rand(1, 100);
        if ($r <= 35) {
            $mode = 'check';
        } elseif ($r <= 45) {
            $mode = 'acquire';
        } elseif ($r <= 60) {
            $mode = 'check_segments';
        } elseif ($r <= 70) {
            $mode = 'segments';
        } else {
            $mode = 'first';
        }
        if ($mode === 'check' || $mode === 'acquire') {
            $cands = [[pick_slot()]];
        } elseif ($mode === 'first') {
            $cands = [];
            for ($c = 0; $c < 3; $c++) {
                $cands[] = mt_rand(1, 5) === 1 ? pick_compound() : [pick_slot()];
            }
        } else {
            $cands = [pick_compound()];
        }
        $long = mt_rand(1, 100) <= 3;
        $plan[] = [
            'mode' => $mode,
            'cands' => $cands,
            'ttl' => mt_rand(1, 2),
            'gap_us' => $long ? mt_rand(1100, 2400) * 1000 : mt_rand(0, 20000),
            'long' => $long,
            'abandon' => mt_rand(1, 100) <= 10,
            'store_fail' => mt_rand(1, 100) <= 10,
            'finish_refused' => mt_rand(0, 1) === 1,
            'int_offset' => mt_rand(0, 1) === 1,
            'pause_us' => mt_rand(20000, 100000),      /* until this worker's next call */
        ];
    }
    return $plan;
}

function keys_of(SlotLockService $svc, array $cand): array
{
    return array_map(fn ($sk) => $svc->key(COMPANY, $sk[0], start_of($sk[1])), $cand);
}

/** The locked flow of one worker; returns its counters. */
function locked_worker(int $w): array
{
    global $seed, $OPS, $port, $prefix, $ledgerPrefix;
    $c = ['flows' => 0, 'held' => 0, 'conflicts' => 0, 'abandoned' => 0, 'long_gaps' => 0,
          'booked' => 0, 'store_failed' => 0, 'finish_refused_true' => 0, 'commit_failed' => 0,
          'begin' => [], 'exceptions' => 0, 'exception_msgs' => [], 'wrong_reply' => 0, 'ledger' => 0];
    $svc = new SlotLockService($GLOBALS['conn'] + ['prefix' => $prefix, 'ttl' => 10, 'booked_ttl' => $GLOBALS['BOOKED_TTL'], 'timeout' => 3.0]);
    $flow = new AvailabilityWithLock($svc);
    $ledger = rl_raw('127.0.0.1', $port, 5.0);
    $ledgerSha = $ledger->script('load', LEDGER_LUA);
    foreach (plan($seed, $w, $OPS) as $i => $p) {
        usleep($p['pause_us']);
        $c['flows']++;
        $owner = sprintf('call-w%d-f%d-%s', $w, $i, bin2hex(random_bytes(3)));
        try {
            $cands = $p['cands'];
            $lockKey = null;
            $fence = null;
            switch ($p['mode']) {
                case 'check':
                    [$s, $k] = $cands[0][0];
                    $a = $flow->check(['available' => true, 'w' => $w], COMPANY, $s, start_of($k), $owner, $p['ttl']);
                    if (($a['w'] ?? null) !== $w) {
                        $c['wrong_reply']++;
                    }
                    if ($a['available']) {
                        $lockKey = $a['lock_key'];
                        if ($lockKey !== $svc->key(COMPANY, $s, start_of($k))) {
                            $c['wrong_reply']++;
                        }
                    }
                    break;
                case 'check_segments':
                    [[$s1, $k1], [$s2, $k2]] = $cands[0];
                    $segs = [[$s1, start_of($k1)], [$s2, $p['int_offset'] ? 30 : start_of($k2)]];
                    $a = $flow->check(['available' => true], COMPANY, $segs, start_of($k1), $owner, $p['ttl']);
                    if ($a['available']) {
                        $lockKey = $a['lock_key'];
                        if ($lockKey !== implode(',', keys_of($svc, $cands[0]))) {
                            $c['wrong_reply']++;
                        }
                    }
                    break;
                case 'acquire':
                    [$s, $k] = $cands[0][0];
                    $lock = $svc->acquire(COMPANY, $s, start_of($k), $owner, $p['ttl']);
                    if ($lock) {
                        $lockKey = $lock->key;
                        if ($lock->owner !== $owner || $lockKey !== $svc->key(COMPANY, $s, start_of($k))) {
                            $c['wrong_reply']++;
                        }
                    }
                    break;
                case 'segments':
                    $segs = array_map(fn ($sk) => [$sk[0], start_of($sk[1])], $cands[0]);
                    $lock = $svc->acquireSegments(COMPANY, $segs, $owner, $p['ttl']);
                    if ($lock) {
                        $lockKey = $lock->key;
                        if ($lock->keys !== keys_of($svc, $cands[0])) {
                            $c['wrong_reply']++;
                        }
                    }
                    break;
                case 'first':
                    $list = [];
                    foreach ($cands as $cand) {
                        $list[] = count($cand) === 1
                            ? [$cand[0][0], start_of($cand[0][1])]
                            : array_map(fn ($sk) => [$sk[0], start_of($sk[1])], $cand);
                    }
                    $lock = $svc->acquireFirst(COMPANY, $list, $owner, $p['ttl']);
                    if ($lock) {
                        $lockKey = $lock->key;
                        if (!isset($cands[$lock->candidate]) || $lock->keys !== keys_of($svc, $cands[$lock->candidate])) {
                            $c['wrong_reply']++;
                        }
                    }
                    break;
            }
            if ($lockKey === null) {
                $c['conflicts']++;
                continue;
            }
            $c['held']++;
            if ($p['abandon']) {
                $c['abandoned']++;
                continue;
            }
            if ($p['long']) {
                $c['long_gaps']++;
            }
            usleep($p['gap_us']);
            $b = $flow->beginBooking($lockKey, $owner);
            $c['begin'][$b['reason']] = ($c['begin'][$b['reason']] ?? 0) + 1;
            if (!$b['ok']) {
                if ($p['finish_refused']) {
                    /* the agent's "booking failed" path: must not free anyone else's hold */
                    if ($flow->finishBooking($lockKey, $owner, false)) {
                        $c['finish_refused_true']++;
                    }
                }
                continue;
            }
            if ($p['store_fail']) {
                $c['store_failed']++;
                $flow->finishBooking($lockKey, $owner, false);
                continue;
            }
            $bookingId = "b-$w-$i";
            $keys = explode(',', $lockKey);
            $ledger->evalSha($ledgerSha, array_merge(
                array_map(fn ($k) => "$ledgerPrefix:$k", $keys),
                ["$owner|{$b['fence']}|$bookingId"]
            ), count($keys));
            $c['ledger'] += count($keys);
            if ($flow->finishBooking($lockKey, $owner, true, $bookingId) !== true) {
                $c['commit_failed']++;
            }
            $c['booked']++;
        } catch (Throwable $e) {
            $c['exceptions']++;
            if (count($c['exception_msgs']) < 3) {
                $c['exception_msgs'][] = get_class($e) . ': ' . $e->getMessage();
            }
        }
    }
    $c['stats'] = $svc->stats();
    return $c;
}

/** The same plan without locks: availability from the ledger, gap, write. */
function naive_worker(int $w): array
{
    global $seed, $OPS, $port, $prefix, $naivePrefix, $BOOKED_TTL;
    $c = ['flows' => 0, 'held' => 0, 'conflicts' => 0, 'booked' => 0, 'ledger' => 0, 'exceptions' => 0];
    $svc = new SlotLockService(['host' => '127.0.0.1', 'port' => 1, 'prefix' => $prefix]);   /* key() only */
    $r = rl_raw('127.0.0.1', $port, 5.0);
    $checkSha = $r->script('load', NAIVE_CHECK_LUA);
    $ledgerSha = $r->script('load', LEDGER_LUA);
    foreach (plan($seed, $w, $OPS) as $i => $p) {
        usleep($p['pause_us']);
        $c['flows']++;
        try {
            $chosen = null;
            foreach ($p['cands'] as $cand) {
                $lk = array_map(fn ($k) => "$naivePrefix:$k", keys_of($svc, $cand));
                if ($r->evalSha($checkSha, array_merge($lk, [(string) ($BOOKED_TTL * 1000)]), count($lk)) === 1) {
                    $chosen = $lk;
                    break;
                }
            }
            if ($chosen === null) {
                $c['conflicts']++;
                continue;
            }
            $c['held']++;
            if ($p['abandon']) {
                continue;
            }
            usleep($p['gap_us']);
            if ($p['store_fail']) {
                continue;
            }
            $r->evalSha($ledgerSha, array_merge($chosen, ["naive-w$w-f$i|0|x"]), count($chosen));
            $c['ledger'] += count($chosen);
            $c['booked']++;
        } catch (Throwable $e) {
            $c['exceptions']++;
        }
    }
    return $c;
}

/** Forks $W workers running $fn; returns [per-worker results, abnormal exits]. */
function run_workers(callable $fn, int $W, int $budget): array
{
    $dir = sys_get_temp_dir() . '/slrel_conc_' . getmypid() . '_' . bin2hex(random_bytes(3));
    mkdir($dir, 0700);
    $pids = [];
    for ($w = 0; $w < $W; $w++) {
        $pid = pcntl_fork();
        if ($pid === 0) {
            pcntl_alarm($budget);          /* a hung worker dies of SIGALRM: reported below */
            $res = $fn($w);
            file_put_contents("$dir/$w.json", json_encode($res));
            exit(0);
        }
        $pids[$pid] = $w;
    }
    $bad = [];
    foreach ($pids as $pid => $w) {
        pcntl_waitpid($pid, $status);
        if (!pcntl_wifexited($status) || pcntl_wexitstatus($status) !== 0) {
            $bad[] = "worker $w: " . (pcntl_wifsignaled($status) ? 'signal ' . pcntl_wtermsig($status) : 'exit ' . pcntl_wexitstatus($status));
        }
    }
    $out = [];
    for ($w = 0; $w < $W; $w++) {
        $j = @file_get_contents("$dir/$w.json");
        if ($j === false) {
            $bad[] = "worker $w: no result";
            continue;
        }
        $out[$w] = json_decode($j, true);
        @unlink("$dir/$w.json");
    }
    @rmdir($dir);
    return [$out, $bad];
}

/**
 * Scans the ledger lists under $lp: [bookings (entries), double bookings, fence inversions,
 * examples]. A double booking: two consecutive entries of one slot less than booked_ttl apart
 * (by Redis's clock, minus 5 ms of slack).
 */
function audit_ledger(Redis $r, string $lp, int $bookedTtl): array
{
    $entries = 0;
    $doubles = 0;
    $inversions = 0;
    $slotsBooked = 0;
    $examples = [];
    foreach (rl_scan($r, "$lp:*") as $lk) {
        $list = $r->lRange($lk, 0, -1);
        $entries += count($list);
        $slotsBooked++;
        $prev = null;
        foreach ($list as $e) {
            [$ms, $owner, $fence] = explode('|', $e) + [null, null, null];
            $cur = ['ms' => (int) $ms, 'owner' => $owner, 'fence' => (int) $fence];
            if ($prev !== null) {
                $dt = $cur['ms'] - $prev['ms'];
                if ($dt < $bookedTtl * 1000 - 5) {
                    $doubles++;
                    if (count($examples) < 5) {
                        $examples[] = sprintf('%s: %s then %s %d ms later', substr($lk, strlen($lp) + 1), $prev['owner'], $cur['owner'], $dt);
                    }
                }
                if ($cur['fence'] !== 0 && $cur['fence'] <= $prev['fence']) {
                    $inversions++;
                    if (count($examples) < 5) {
                        $examples[] = sprintf('%s: fence %d after %d', substr($lk, strlen($lp) + 1), $cur['fence'], $prev['fence']);
                    }
                }
            }
            $prev = $cur;
        }
    }
    return [$entries, $doubles, $inversions, $slotsBooked, $examples];
}

function sum_field(array $results, string $f): int
{
    return array_sum(array_map(fn ($r) => $r[$f] ?? 0, $results));
}

pcntl_async_signals(true);
$budget = (int) ceil($OPS * 0.25) + 120;      /* far above the expected run time */
$raw = rl_raw('127.0.0.1', $port, 5.0);

/* ---- the locked run ---------------------------------------------------------------------- */
$t0 = hrtime(true);
[$res, $bad] = run_workers('locked_worker', $W, $budget);
$tLocked = rl_ms($t0) / 1000;
$endMs = (int) round(microtime(true) * 1000);

rl_check($bad === [], 'every worker exited normally', $bad ? implode('; ', array_slice($bad, 0, 5)) : "$W workers in " . sprintf('%.1f s', $tLocked));
$exc = sum_field($res, 'exceptions');
$msgs = array_merge(...array_map(fn ($r) => $r['exception_msgs'] ?? [], $res ?: [[]]));
rl_check($exc === 0, 'no call threw', $exc ? "$exc exceptions, e.g. " . implode(' | ', array_slice($msgs, 0, 3)) : '0 exceptions');
rl_check(sum_field($res, 'wrong_reply') === 0, 'every answer named the slots asked for', sum_field($res, 'wrong_reply') . ' mismatches');

$begin = [];
foreach ($res as $r) {
    foreach ($r['begin'] as $k => $v) {
        $begin[$k] = ($begin[$k] ?? 0) + $v;
    }
}
ksort($begin);
$stats = [];
foreach ($res as $r) {
    foreach ($r['stats'] as $k => $v) {
        $stats[$k] = ($stats[$k] ?? 0) + $v;
    }
}
rl_info(sprintf('flows %d: holds %d, conflicts at check %d, abandoned %d, long gaps %d, booked %d, store failures %d',
    sum_field($res, 'flows'), sum_field($res, 'held'), sum_field($res, 'conflicts'), sum_field($res, 'abandoned'),
    sum_field($res, 'long_gaps'), sum_field($res, 'booked'), sum_field($res, 'store_failed')));
rl_info('beginBooking: ' . json_encode($begin));
rl_info('stats (sum): ' . json_encode(array_intersect_key($stats, array_flip(
    ['acquired', 'reacquired', 'conflicts', 'released', 'committed', 'relocked', 'expired_before_booking', 'errors', 'connects', 'reconnects']))));

[$entries, $doubles, $inversions, $slotsBooked, $examples] = audit_ledger($raw, $ledgerPrefix, $BOOKED_TTL);
rl_check($entries === sum_field($res, 'ledger') && $entries > 0, 'ledger holds every booking', "$entries slot bookings over $slotsBooked slots");
rl_check($doubles === 0, 'no double booking with locks', "$doubles double bookings in $entries slot bookings" . ($examples ? ': ' . implode('; ', $examples) : ''));
rl_check($inversions === 0, 'fences of successive bookings of a slot increase', "$inversions inversions");
rl_check(sum_field($res, 'commit_failed') === 0, 'finishBooking(true) after an ok beginBooking always succeeded', sum_field($res, 'commit_failed') . ' failed');
rl_check(sum_field($res, 'finish_refused_true') === 0, 'finishBooking(false) by a refused caller never released anything',
    sum_field($res, 'finish_refused_true') . ' released');
rl_check(sum_field($res, 'conflicts') > 0 && ($begin['slot_booked'] ?? 0) + ($begin['slot_locked'] ?? 0) > 0,
    'the workload contended', sum_field($res, 'conflicts') . ' conflicts at check, '
    . (($begin['slot_booked'] ?? 0) + ($begin['slot_locked'] ?? 0)) . ' refused at beginBooking');
rl_check(($begin['relocked'] ?? 0) > 0, 'holds expired mid-flow and were relocked', ($begin['relocked'] ?? 0) . ' relocked');

/* ---- nothing left behind ------------------------------------------------------------------ */
$svc = new SlotLockService($conn + ['prefix' => $prefix]);
$wait = $endMs + 2000 + 300 - (int) round(microtime(true) * 1000);   /* the longest hold TTL: 2 s */
if ($wait > 0) {
    usleep($wait * 1000);
}
$held = rl_held_keys($raw, $prefix);
$markers = array_values(array_filter(rl_scan($raw, "$prefix:c*"), fn ($k) => rl_field($raw, $k, 'booked') !== false));
$active = $svc->activeLocks();
$markersAfter = array_values(array_filter(rl_scan($raw, "$prefix:c*"), fn ($k) => rl_field($raw, $k, 'booked') !== false));
rl_check($held === [], 'once the holds\' TTLs passed only booked markers are left',
    $held ? count($held) . ' left, e.g. ' . json_encode(array_slice($held, 0, 3, true)) : count($markers) . ' booked markers');
rl_check($active <= count($markers) && $active >= count($markersAfter), 'activeLocks() counts exactly the booked markers',
    "activeLocks $active, markers " . count($markers) . ' (' . count($markersAfter) . ' after)');
$wait = $endMs + 1000 * max(2, $BOOKED_TTL) + 2300 - (int) round(microtime(true) * 1000);
if ($wait > 0) {
    usleep($wait * 1000);
}
$active = $svc->activeLocks();
$left = rl_scan($raw, "$prefix:*");
rl_check($active === 0 && array_diff($left, ["$prefix:fence"]) === [],
    'once booked_ttl passed nothing but the fence counter is left',
    "activeLocks $active, keys: " . json_encode(array_slice($left, 0, 5)));

/* ---- the naive run ------------------------------------------------------------------------ */
if (!$opt['no_naive']) {
    $t0 = hrtime(true);
    [$nres, $nbad] = run_workers('naive_worker', $W, $budget);
    [$nentries, $ndoubles] = audit_ledger($raw, $naivePrefix, $BOOKED_TTL);
    $nbooked = sum_field($nres, 'booked');
    rl_check($nbad === [] && sum_field($nres, 'exceptions') === 0, 'naive run completed', sprintf('%.1f s', rl_ms($t0) / 1000));
    printf("RESULT double bookings: with slotlock %d of %d slot bookings (%.2f %%), naive %d of %d (%.2f %%)\n",
        $doubles, $entries, $entries ? 100 * $doubles / $entries : 0,
        $ndoubles, $nentries, $nentries ? 100 * $ndoubles / $nentries : 0);
    rl_check($ndoubles > 0, 'the naive flow double-books under the same workload (the test can see a race)', "$ndoubles double bookings");
    rl_delete_prefix($raw, $naivePrefix);
}
rl_delete_prefix($raw, $ledgerPrefix);
rl_delete_prefix($raw, $prefix);
rl_done();
