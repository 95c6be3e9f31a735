<?php
/*
 * tests/topology/sentinel.php: slotlock behind Redis Sentinel (scripts/topology.sh start
 * sentinel: a master, one replica, 3 sentinels, quorum 2, down-after 1 s). Checks:
 *   - the master is discovered (keys land on it, topology() names it); a dead sentinel first
 *     in the list is skipped
 *   - wait_replicas=1: WAIT is sent after each acquire and the key is on the replica when
 *     acquire() returns; wait_replicas=2 (one replica) still gives the lock after wait_timeout
 *   - SENTINEL FAILOVER: the next operations work after re-discovery within 15 s (counting the
 *     SlotLockConnectionExceptions meanwhile); the lock taken before is still valid
 *   - the master frozen (SIGSTOP): the sentinels fail over, operations work again within 25 s
 *   - a race after the failovers: 16 workers x 100 units, 0 double bookings
 * Prints PASS/FAIL lines; exits 1 when a check failed.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';
require __DIR__ . '/race.php';

tl_require_extension();
register_shutdown_function('tl_thaw_all');
$sentinels = explode(',', tl_env('SLOTLOCK_SENTINEL'));
$name = tl_env('SLOTLOCK_SENTINEL_MASTER');
$prefix = tl_prefix('se');
$opts = ['sentinel' => $sentinels, 'master' => $name, 'prefix' => $prefix, 'timeout' => 1.0, 'ttl' => 120];

/** The master the sentinels name now, "127.0.0.1:port" (asks each until one answers). */
function se_master(): ?string
{
    global $sentinels, $name;
    foreach ($sentinels as $s) {
        try {
            [$h, $p] = tl_hostport($s);
            $rs = new RedisSentinel($h, $p, 1.0);
            $a = $rs->getMasterAddrByName($name);
            if (is_array($a) && count($a) === 2) {
                return $a[0] . ':' . $a[1];
            }
        } catch (Throwable $e) {
        }
    }
    return null;
}

/** ROLE of a data node: 'master', 'slave', or null when it does not answer. */
function se_role(string $addr): ?string
{
    try {
        $r = tl_redis($addr, 0.5);
        $role = $r->rawCommand('ROLE');
        return is_array($role) ? (string) $role[0] : null;
    } catch (Throwable $e) {
        return null;
    }
}

/** Waits until $master is a master with one replica whose link is up, and the sentinels agree. */
function se_settled(string $master, float $timeout = 15.0): bool
{
    return (bool) tl_wait_until(function () use ($master) {
        if (se_master() !== $master || se_role($master) !== 'master') {
            return false;
        }
        $info = tl_redis($master, 0.5)->info('replication');
        if ((int) ($info['connected_slaves'] ?? 0) < 1) {
            return false;
        }
        return str_contains((string) ($info['slave0'] ?? ''), 'state=online');
    }, $timeout, 0.1);
}

function se_cmdstat(string $addr, string $cmd): int
{
    $s = tl_redis($addr)->info('commandstats');
    return preg_match('/calls=(\d+)/', (string) ($s["cmdstat_$cmd"] ?? ''), $m) ? (int) $m[1] : 0;
}

function se_exists(string $addr, string $key): bool
{
    return (bool) tl_redis($addr)->exists($key);
}

$m0 = tl_env('SLOTLOCK_SENTINEL_MASTER_ADDR');
$r0 = tl_env('SLOTLOCK_SENTINEL_REPLICA_ADDR');
$svc = new SlotLockService($opts);
$held = null;

tl_section('discovery', function () use ($svc, $m0, $opts, $sentinels, &$held) {
    tl_check_topology_shape($svc, 'sentinel');
    $held = $svc->acquire(1, 31, tl_start(600), 'o1');
    tl_check($held instanceof SlotLock, 'acquire() through the discovered master', tl_show($held));
    tl_check($held && se_exists($m0, $held->key), "the key is on the master $m0 (raw)");
    tl_check($held && !str_contains($held->key, '{'), 'sentinel mode keeps the single-node key format', $held ? $held->key : '');
    $t = $svc->topology();
    $masters = array_values(array_filter($t['nodes'], fn ($n) => $n['role'] === 'master'));
    tl_check(count($masters) === 1 && tl_hostport($masters[0]['addr'])[1] === tl_hostport($m0)[1] && $masters[0]['connected'],
        'topology() names the master, connected', tl_topology_str($t));
    tl_same(null, $svc->acquire(1, 31, tl_start(600), 'o2'), 'another owner gets null');

    $s = stream_socket_server('tcp://127.0.0.1:0');
    $dead = stream_socket_get_name($s, false);
    fclose($s);
    $o2 = $opts;
    $o2['sentinel'] = array_merge([$dead], $sentinels);
    $o2['timeout'] = 0.5;
    $l = (new SlotLockService($o2))->acquire(1, 32, tl_start(600), 'o1');
    tl_check($l instanceof SlotLock, "a dead sentinel ($dead) first in the list is skipped", tl_show($l));
});

tl_section('wait_replicas', function () use ($opts, $m0, $r0) {
    $o = $opts + ['wait_replicas' => 1, 'wait_timeout' => 0.5];
    $svc = new SlotLockService($o);
    $waits = se_cmdstat($m0, 'wait');
    $onReplica = 0;
    $n = 20;
    $t0 = microtime(true);
    for ($i = 0; $i < $n; $i++) {
        $l = $svc->acquire(2, 31, tl_start(600 + $i), 'w');
        if ($l && se_exists($r0, $l->key)) {
            $onReplica++;
        }
    }
    $dt = microtime(true) - $t0;
    tl_same($n, se_cmdstat($m0, 'wait') - $waits, "wait_replicas=1: one WAIT per acquire ($n)");
    tl_same($n, $onReplica, 'wait_replicas=1: the key is on the replica when acquire() returns');
    tl_check($dt < $n * 0.25, sprintf('wait_replicas=1 with the replica up does not wait for wait_timeout (%.3f s for %d)', $dt, $n));

    $o = $opts + ['wait_replicas' => 2, 'wait_timeout' => 0.2];
    $svc = new SlotLockService($o);
    $t0 = microtime(true);
    try {
        $l = $svc->acquire(2, 32, tl_start(600), 'w2');
        $dt = microtime(true) - $t0;
        tl_check($l instanceof SlotLock && $dt >= 0.18 && $dt < 1.5,
            sprintf('wait_replicas=2 with one replica: the lock after wait_timeout (%.3f s)', $dt), tl_show($l));
    } catch (SlotLockException $e) {
        tl_check(false, 'wait_replicas=2 with one replica: the lock after wait_timeout (README: held whatever WAIT answers)', tl_show($e));
    }
});

/** Runs $op until it works (deadline $timeout); PASS/FAIL + INFO with the exceptions counted. */
function se_recover(string $what, callable $op, float $timeout)
{
    [$res, $dt, $conn, $other] = tl_retry($op, $timeout, 0.1);
    tl_info(sprintf('%s: %s after %.2f s, %d SlotLockConnectionException, %d other SlotLockException',
        $what, $res instanceof Throwable ? 'still failing' : 'worked', $dt, $conn, $other));
    tl_check(!($res instanceof Throwable), "$what: works again within {$timeout} s", tl_show($res));
    return $res instanceof Throwable ? null : $res;
}

/**
 * Right after a failover: $stale (connected to the old master before it) and a new service
 * acquire the same slot. Both holding it is a double booking. Also checks where $stale wrote.
 */
function se_split_brain(SlotLockService $stale, array $opts, int $company, string $old, string $new, string $when): void
{
    $fresh = new SlotLockService($opts + ['persistent' => false]);
    $start = tl_start(900);
    try {
        $a = $stale->acquire($company, 40, $start, 'stale');
    } catch (SlotLockException $e) {
        $a = $e;
    }
    try {
        $b = $fresh->acquire($company, 40, $start, 'fresh');
    } catch (SlotLockException $e) {
        $b = $e;
    }
    $where = function ($l) use ($old, $new) {
        if (!$l instanceof SlotLock) {
            return tl_show($l);
        }
        $on = array_values(array_filter([$old, $new], fn ($n) => (tl_field(tl_redis($n), $l->key, 'owner') ?: null) === $l->owner));
        return tl_show($l) . ' held on ' . (implode(',', $on) ?: 'none');
    };
    $detail = "service connected before: {$where($a)}; new service: {$where($b)} (old master $old, new $new)";
    tl_info("$when: $detail");
    tl_check(!($a instanceof SlotLock && $b instanceof SlotLock),
        "$when: a service connected before the failover and a new one never both hold one slot", $detail);
    tl_check(!($a instanceof SlotLock) || (tl_field(tl_redis($new), $a->key, 'owner') === 'stale'),
        "$when: a service connected before the failover writes to the new master, not the old one", $detail);
    foreach ([$a, $b] as $l) {
        if ($l instanceof SlotLock) {
            try {
                ($l === $a ? $stale : $fresh)->release($l, $l->owner);
            } catch (SlotLockException $e) {
            }
        }
    }
}

$m1 = null;
tl_section('forced failover (SENTINEL FAILOVER)', function () use ($svc, $opts, $m0, $r0, $sentinels, $name, &$held, &$m1) {
    /* the lock to carry over, replicated for sure */
    $w = new SlotLockService($opts + ['wait_replicas' => 1, 'wait_timeout' => 1.0]);
    $carry = $w->acquire(3, 31, tl_start(600), 'carry');
    tl_check($carry instanceof SlotLock && se_exists($r0, $carry->key), 'a lock taken before, on the replica too');
    $pre = $svc->acquire(3, 33, tl_start(600), 'pre');            /* the service is connected to $m0 */

    $rs = new RedisSentinel(...tl_hostport($sentinels[0]));
    tl_check($rs->failover($name) === true, 'SENTINEL FAILOVER accepted');
    $t0 = microtime(true);
    $m1 = tl_wait_until(fn () => ($m = se_master()) !== $m0 ? $m : null, 15.0);
    tl_info(sprintf('sentinels name %s after %.2f s', tl_show($m1), microtime(true) - $t0));
    tl_same($r0, $m1, 'the replica is the new master');

    /* Split brain: Sentinel turns the old master into a replica only ~8 s after the
       failover (it waits before reconfiguring an instance that still says "master"), and
       until then the old master takes writes, which its resync then throws away. */
    se_split_brain($svc, $opts, 3, $m0, $r0, 'right after SENTINEL FAILOVER');

    $v = se_recover('validate() after the failover', fn () => $svc->validate($carry, 'carry'), 15.0);
    tl_same(true, $v, 'the lock taken before the failover is still valid');
    $l = se_recover('acquire() after the failover', fn () => $svc->acquire(3, 32, tl_start(600), 'post'), 5.0);
    tl_check($svc->extend($carry, 'carry') instanceof SlotLock, 'extend() after the failover');
    tl_same(false, $svc->release($carry, 'someone'), 'release() by another owner after the failover: false');
    tl_same(true, $svc->release($carry, 'carry'), 'release() after the failover');
    $t = $svc->topology();
    $masters = array_values(array_filter($t['nodes'], fn ($n) => $n['role'] === 'master'));
    tl_check(count($masters) === 1 && tl_hostport($masters[0]['addr'])[1] === tl_hostport($r0)[1],
        'topology() names the new master', tl_topology_str($t));
    tl_check(se_settled($r0, 20.0), "the old master $m0 follows the new one (settled)");
});

tl_section('master frozen (SIGSTOP): sentinel failover', function () use ($svc, $opts, $m0, $r0) {
    $old = se_master() ?? $r0;          /* the current master */
    $next = $old === $r0 ? $m0 : $r0;
    $w = new SlotLockService($opts + ['wait_replicas' => 1, 'wait_timeout' => 1.0]);
    $carry = $w->acquire(4, 31, tl_start(600), 'carry');
    tl_check($carry instanceof SlotLock && se_exists($next, $carry->key), 'a lock taken before, on the replica too');
    $idle = new SlotLockService($opts + ['persistent' => false]);     /* connected, then idle */
    $idle->acquire(4, 30, tl_start(600), 'idle');
    $port = tl_hostport($old)[1];
    tl_freeze($port);
    tl_info("froze the master $old");
    $t0 = microtime(true);
    try {
        $l = se_recover('acquire() with the master frozen', fn () => $svc->acquire(4, 32, tl_start(600), 'post'), 25.0);
        tl_info(sprintf('sentinels name %s after %.2f s', tl_show(se_master()), microtime(true) - $t0));
        tl_check($l instanceof SlotLock && se_exists($next, $l->key), "acquire() after the failover: on the new master $next", tl_show($l));
        tl_same(true, $svc->validate($carry, 'carry'), 'the lock taken before is still valid');
        tl_same(null, $svc->acquire(4, 32, tl_start(600), 'other'), 'another owner gets null on the new master');
    } finally {
        tl_thaw($port);
    }
    /* the old master is back and still says "master" until Sentinel reconfigures it */
    se_split_brain($idle, $opts, 4, $old, $next, 'the frozen master thawed, a service idle through the failover');
    tl_check(se_settled($next, 20.0), "the thawed old master $old follows $next (settled)");
    tl_check($svc->release($carry, 'carry'), 'release() after the old master came back');
});

tl_section('race after the failovers', function () use ($opts) {
    $o = $opts;
    $o['prefix'] = tl_prefix('serace');
    $r = slotlock_race($o, ['workers' => 16, 'slots' => 100, 'companies' => 10]);
    slotlock_race_report($r, 'sentinel race');
    tl_same($r['booked_keys'], (new SlotLockService($o))->activeLocks(), 'activeLocks() after the race: every booked key');
});

tl_done();
