<?php
/*
 * tests/topology/quorum.php: slotlock over 3 independent masters (Redlock quorum;
 * scripts/topology.sh start quorum, SLOTLOCK_QUORUM = their DSNs). Checks, with raw
 * php-redis clients on each node:
 *   - all up: every operation; the keys are on all 3; expiresAt is TTL minus elapsed and drift
 *   - a race, 16 forked workers x 100 units: exactly one winner per slot, 0 double bookings
 *   - one master frozen (SIGSTOP): acquire still succeeds (2/3) within about one timeout, with
 *     a validity shortened by the wait; validate, extend, release work
 *   - a second master down (SHUTDOWN SAVE; the first still frozen): acquire does not give a
 *     lock, and leaves no partial hold on the remaining node
 *   - both back (SIGCONT, restart from the saved RDB): works again, keys on all 3
 *   - a race with one master down (connection refused): 0 double bookings
 *   - the fence grows strictly for each new holder of a slot through all of the above
 * Prints PASS/FAIL lines; exits 1 when a check failed.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';
require __DIR__ . '/race.php';

tl_require_extension();
register_shutdown_function('tl_thaw_all');
$dsns = explode(',', tl_env('SLOTLOCK_QUORUM'));
$ports = array_map(fn ($d) => tl_hostport($d)[1], $dsns);
$prefix = tl_prefix('qu');
const Q_TIMEOUT = 0.5;
const Q_TTL = 60;
$opts = ['nodes' => $dsns, 'prefix' => $prefix, 'timeout' => Q_TIMEOUT, 'ttl' => Q_TTL, 'fencing' => true];
$svc = new SlotLockService($opts);

/** The owner field of $key on each node given (port => owner or null). */
function q_owners(string $key, array $ports): array
{
    $out = [];
    foreach ($ports as $p) {
        $out[$p] = tl_field(tl_redis("127.0.0.1:$p", 1.0), $key, 'owner') ?: null;
    }
    return $out;
}

/** True when every key of $lock has owner $owner on each of $ports. */
function q_on(SlotLock $lock, array $ports, ?string $owner = null): bool
{
    foreach ($lock->keys as $k) {
        foreach (q_owners($k, $ports) as $o) {
            if ($o !== ($owner ?? $lock->owner)) {
                return false;
            }
        }
    }
    return true;
}

/** expiresAt as float seconds. */
function q_exp(SlotLock $l): float
{
    return (float) $l->expiresAt->format('U.u');
}

/* the fence of each new holder of one slot, through every stage */
$fences = [];
function q_next_holder(SlotLockService $svc, string $stage): void
{
    global $fences;
    $owner = 'holder' . count($fences);
    $l = $svc->acquire(5, 99, tl_start(0), $owner);
    if (!$l instanceof SlotLock) {
        tl_check(false, "$stage: a new holder of the fence slot gets it", tl_show($l));
        return;
    }
    $fences[] = [$stage, $l->fence];
    $svc->release($l, $owner);
}

tl_section('all 3 masters up', function () use ($svc, $ports) {
    $t = tl_check_topology_shape($svc, 'quorum');
    $svc->activeLocks();
    $t = $svc->topology();
    $tp = array_map(fn ($n) => tl_hostport($n['addr'])[1], $t['nodes']);
    sort($tp);
    $want = $ports;
    sort($want);
    tl_same($want, array_values($tp), 'topology() lists the 3 masters: ' . tl_topology_str($t));
    tl_info('topology() roles in quorum mode: ' . implode(',', array_unique(array_column($t['nodes'], 'role'))));

    q_next_holder($svc, 'all up');
    $t0 = microtime(true);
    $l = $svc->acquire(1, 31, tl_start(600), 'a');
    $t1 = microtime(true);
    tl_check($l instanceof SlotLock && q_on($l, $ports), 'acquire(): the key is on all 3 masters', tl_show($l));
    $exp = q_exp($l);
    tl_check($exp < $t0 + Q_TTL && $exp > $t1 + Q_TTL - 2.0,
        sprintf('expiresAt is start + TTL - drift (%.3f s before start + TTL)', $t0 + Q_TTL - $exp));
    tl_same(null, $svc->acquire(1, 31, tl_start(600), 'b'), 'another owner gets null');
    tl_same(true, $svc->validate($l, 'a'), 'validate() by the owner');
    tl_same(false, $svc->validate($l, 'b'), 'validate() by another owner');
    $e = $svc->extend($l, 'a', 200);
    $pttl = array_map(fn ($p) => tl_redis("127.0.0.1:$p")->pTtl($l->key), $ports);
    tl_check($e instanceof SlotLock && min($pttl) > 150000, 'extend(): the TTL reset on all 3', tl_show($pttl));
    tl_same(null, $svc->extend($l, 'b'), 'extend() by another owner: null');
    $st = $svc->status($l);
    tl_same(true, $st['locked'] ?? null, 'status(): locked');

    $seg = $svc->acquireSegments(1, [[32, tl_start(600)], [33, tl_start(630)]], 'a');
    tl_check($seg instanceof SlotLock && count($seg->keys) === 2 && q_on($seg, $ports), 'acquireSegments(): both keys on all 3', tl_show($seg));
    $any = $svc->acquireFirst(1, [[31, tl_start(600)], [[32, tl_start(600)], [34, tl_start(630)]], [35, tl_start(660)]], 'b');
    tl_check($any instanceof SlotLock && $any->candidate === 2 && q_on($any, $ports), 'acquireFirst(): the first free candidate, on all 3', tl_show($any));
    $res = $svc->acquireResource(1, 'room1', tl_start(600), 60, 'a');
    tl_check($res instanceof SlotLock && count($res->keys) === 4 && q_on($res, $ports), 'acquireResource(): 4 buckets on all 3', tl_show($res));
    tl_same(4, $svc->activeLocks() - 4, 'activeLocks(): the 8 keys held');   /* 1 + 2 + 1 + 4 */
    tl_same(true, $seg && $svc->commit($seg, 'a', 'bk1'), 'commit()');
    $booked = array_map(fn ($p) => tl_field(tl_redis("127.0.0.1:$p"), $seg->keys[0], 'booked'), $ports);
    tl_same(['bk1', 'bk1', 'bk1'], $booked, 'commit(): the booked marker on all 3');
    tl_same(false, $svc->release($l, 'b'), 'release() by another owner: false');
    tl_same(true, $svc->release($l, 'a'), 'release()');
    tl_same([null, null, null], array_values(q_owners($l->key, $ports)), 'release(): the key is gone from all 3');
    foreach ([$any, $res] as $x) {
        $x && $svc->release($x, $x->owner);
    }
    q_next_holder($svc, 'all up');
});

tl_section('race: 16 workers x 100 units, all up', function () use ($opts) {
    $o = $opts;
    $o['prefix'] = tl_prefix('qurace');
    $r = slotlock_race($o, ['workers' => 16, 'slots' => 100, 'companies' => 10]);
    slotlock_race_report($r, 'quorum race');
});

$frozen = $ports[2];
$down = $ports[1];
$alive = $ports[0];
$stageA = null;

tl_section('one master frozen (SIGSTOP)', function () use ($svc, $opts, $frozen, $alive, $down, &$stageA) {
    tl_freeze($frozen);
    tl_info("froze 127.0.0.1:$frozen");
    $up = [$alive, $down];
    $t0 = microtime(true);
    try {
        $l = $svc->acquire(2, 31, tl_start(600), 'a');
    } catch (SlotLockException $e) {
        $l = $e;
    }
    $dt = microtime(true) - $t0;
    tl_check($l instanceof SlotLock, sprintf('acquire() with 2 of 3 answering: a lock (%.3f s)', $dt), tl_show($l));
    if (!$l instanceof SlotLock) {
        return;
    }
    $stageA = $l;
    tl_check($dt < Q_TIMEOUT + 0.4, sprintf('acquire() waited about one timeout at most (%.3f s, timeout %.1f)', $dt, Q_TIMEOUT));
    tl_check(q_on($l, $up), 'the key is on the 2 masters that answer');
    /* validity = TTL - elapsed - drift from the moment acquire() returns: start + TTL - drift */
    $exp = q_exp($l);
    $left = $exp - ($t0 + $dt);
    tl_check($left < Q_TTL - $dt + 0.01 && $exp > $t0 + Q_TTL - 2.0,
        sprintf('expiresAt: validity left when acquire() returns is TTL - elapsed - drift (%.3f s left, TTL %d, elapsed %.3f)',
            $left, Q_TTL, $dt));
    tl_same(null, $svc->acquire(2, 31, tl_start(600), 'b'), 'another owner gets null');
    tl_same(true, $svc->validate($l, 'a'), 'validate() with 2 of 3');
    $e = $svc->extend($l, 'a', 300);
    $pttl = array_map(fn ($p) => tl_redis("127.0.0.1:$p")->pTtl($l->key), $up);
    tl_check($e instanceof SlotLock && min($pttl) > 250000, 'extend() with 2 of 3: TTL reset on both', tl_show($pttl));
    /* Redlock: an acquire that took longer than the TTL has no validity left: no lock */
    $slow = new SlotLockService(['timeout' => 1.2, 'ttl' => 1] + $opts);
    $t0 = microtime(true);
    try {
        $x = $slow->acquire(2, 39, tl_start(600), 'slow');
    } catch (SlotLockException $e) {
        $x = $e;
    }
    $dt = microtime(true) - $t0;
    tl_info(sprintf('ttl 1 s, timeout 1.2 s, one master frozen: %s after %.3f s', tl_show($x), $dt));
    tl_check(!($x instanceof SlotLock) || q_exp($x) > microtime(true),
        'an acquire that outlasted the TTL gives no lock (or one still valid)', tl_show($x));
    tl_check(!($x instanceof SlotLock) || $x->expiresAt > new DateTimeImmutable(), 'no lock already expired on return');
    $k = $svc->key(2, 39, tl_start(600));
    tl_check($x instanceof SlotLock || array_values(q_owners($k, $up)) === [null, null],
        'and what it took on the nodes that answered was released', tl_show(q_owners($k, $up)));

    $l2 = $svc->acquireSegments(2, [[32, tl_start(600)], [33, tl_start(630)]], 'a');
    tl_check($l2 instanceof SlotLock && q_on($l2, $up), 'acquireSegments() with 2 of 3', tl_show($l2));
    tl_same(true, $l2 && $svc->release($l2, 'a'), 'release() with 2 of 3');
    tl_check($l2 && array_values(q_owners($l2->keys[0], $up)) === [null, null], 'release(): gone from both');
    q_next_holder($svc, 'one frozen');
});

tl_section('a second master down (SHUTDOWN SAVE), the first still frozen', function () use ($svc, $frozen, $alive, $down, $stageA) {
    try {
        tl_redis("127.0.0.1:$down")->rawCommand('SHUTDOWN', 'SAVE');
    } catch (Throwable $e) {
        /* the connection closes: expected */
    }
    tl_check(!tl_ping($down), "127.0.0.1:$down is down");
    $key = $svc->key(3, 31, tl_start(600));
    $t0 = microtime(true);
    try {
        $l = $svc->acquire(3, 31, tl_start(600), 'c');
        $what = tl_show($l);
    } catch (SlotLockException $e) {
        $l = $e;
        $what = tl_show($e);
    }
    $dt = microtime(true) - $t0;
    tl_info(sprintf('acquire() with 1 of 3 answering: %s after %.3f s', $what, $dt));
    tl_check(!($l instanceof SlotLock), 'acquire() with 1 of 3: no lock (null or SlotLockException)', $what);
    tl_check($l === null || $l instanceof SlotLockException, 'acquire() with 1 of 3: null or a SlotLockException', $what);
    $r = tl_redis("127.0.0.1:$alive");
    tl_same(false, (bool) $r->exists($key), 'no partial hold left on the remaining master (raw EXISTS)');
    global $prefix;
    tl_same(0, count(array_filter(tl_scan_slots($r, $prefix), fn ($k) => $k === $key)), 'activeLocks() on the remaining master cannot count it (SCAN finds no such key)');
    $seg = null;
    try {
        $seg = $svc->acquireSegments(3, [[32, tl_start(600)], [33, tl_start(630)]], 'c');
    } catch (SlotLockException $e) {
    }
    tl_check(!$seg instanceof SlotLock && !$r->exists($svc->key(3, 32, tl_start(600))) && !$r->exists($svc->key(3, 33, tl_start(630))),
        'acquireSegments() with 1 of 3: no lock, no partial hold');
    if ($stageA) {
        try {
            $h = $svc->acquire(2, 31, tl_start(600), 'b');
        } catch (SlotLockException $e) {
            $h = $e;
        }
        tl_info('acquire() of a slot held by another owner, with 1 of 3 answering: ' . tl_show($h));
        tl_check(!($h instanceof SlotLock), 'acquire() of a held slot with 1 of 3: no lock', tl_show($h));
        try {
            $v = $svc->validate($stageA, 'a');
        } catch (SlotLockException $e) {
            $v = $e;
        }
        tl_info('validate() of a lock held on 2 nodes, with 1 of 3 answering: ' . tl_show($v));
        tl_check($v !== true, 'validate() with 1 of 3: not true (no majority)', tl_show($v));
    }
});

tl_section('both back: SIGCONT and restart', function () use ($svc, $frozen, $down, $ports, $stageA) {
    tl_thaw($frozen);
    tl_check(tl_ctl('restart', $down), "restarted 127.0.0.1:$down (from its RDB)");
    tl_check((bool) tl_wait_until(fn () => tl_ping($down) && tl_ping($frozen), 10.0), 'all 3 answer PING');
    [$l, $dt, $conn, $other] = tl_retry(fn () => $svc->acquire(4, 31, tl_start(600), 'd'), 5.0);
    tl_info(sprintf('acquire() after the restart: %s after %.2f s (%d connection exceptions)', tl_show($l), $dt, $conn));
    tl_check($l instanceof SlotLock && q_on($l, $ports), 'acquire() after the restart: the key on all 3', tl_show($l));
    if ($stageA) {
        tl_same(true, $svc->validate($stageA, 'a'), 'the lock taken with one master frozen is still valid');
        tl_same(true, $svc->release($stageA, 'a'), 'and can be released');
    }
    q_next_holder($svc, 'after restart');
});

tl_section('race with one master down (connection refused)', function () use ($opts, $svc, $frozen) {
    try {
        tl_redis("127.0.0.1:$frozen")->rawCommand('SHUTDOWN', 'SAVE');
    } catch (Throwable $e) {
    }
    $o = $opts;
    $o['prefix'] = tl_prefix('qurace2');
    $r = slotlock_race($o, ['workers' => 16, 'slots' => 60, 'companies' => 10]);
    slotlock_race_report($r, 'quorum race, 2 of 3');
    q_next_holder($svc, 'one down');
    tl_check(tl_ctl('restart', $frozen), "restarted 127.0.0.1:$frozen");
    q_next_holder($svc, 'all up again');
});

tl_section('credentials apply to every node', function () use ($opts, $ports, $dsns) {
    foreach ($ports as $p) {
        tl_redis("127.0.0.1:$p")->rawCommand('CONFIG', 'SET', 'requirepass', 'pw-q');
    }
    try {
        $svc = new SlotLockService(['password' => 'pw-q', 'persistent' => false] + $opts);
        $l = $svc->acquire(6, 31, tl_start(600), 'auth');
        tl_check($l instanceof SlotLock && $svc->release($l, 'auth'), "the 'password' option: acquire() and release() on all 3", tl_show($l));
        $o = $opts;
        $o['nodes'] = array_map(fn ($d) => str_replace('redis://', 'redis://:pw-q@', $d), $dsns);
        $svc = new SlotLockService($o + ['persistent' => false]);
        $l = $svc->acquire(6, 32, tl_start(600), 'auth');
        tl_check($l instanceof SlotLock && $svc->release($l, 'auth'), 'passwords in the node DSNs: acquire() and release()', tl_show($l));
        $svc = new SlotLockService(['persistent' => false] + $opts);
        try {
            $x = $svc->acquire(6, 33, tl_start(600), 'auth');
            tl_check(false, 'no password: SlotLockConnectionException', tl_show($x));
        } catch (Throwable $e) {
            tl_check($e instanceof SlotLockConnectionException, 'no password: SlotLockConnectionException', tl_show($e));
        }
    } finally {
        foreach ($ports as $p) {
            $r = tl_redis("127.0.0.1:$p");
            $r->auth('pw-q');
            $r->rawCommand('CONFIG', 'SET', 'requirepass', '');
        }
    }
});

tl_section('fences', function () {
    global $fences;
    $ok = count($fences) >= 6;
    for ($i = 1; $i < count($fences); $i++) {
        $ok = $ok && $fences[$i][1] > $fences[$i - 1][1];
    }
    $seq = implode(', ', array_map(fn ($f) => "{$f[0]}: {$f[1]}", $fences));
    tl_info("fences: $seq");
    tl_check($ok, 'the fence grows for every new holder of a slot, through every stage', $seq);
});

tl_done();
