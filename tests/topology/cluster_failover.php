<?php
/*
 * tests/topology/cluster_failover.php: slotlock on a Redis Cluster whose master dies
 * (scripts/topology.sh start cluster-replicas: 3 masters, one replica each). Checks:
 *   - wait_replicas=1 in cluster mode: one WAIT per acquire, the key on the replica
 *   - a master killed (SIGKILL): its replica takes over; the locks taken before are valid again
 *     within 20 s (the map reloaded after the connection error), new keys land on the new
 *     master, the other masters' locks are unaffected once the cluster is ok
 *   - a race after the failover: 16 workers x 60 units, 0 double bookings
 *   - the killed master restarted: it rejoins as a replica, operations go on
 *   - a master frozen (SIGSTOP) and thawed after the failover: measured (INFO) whether a service
 *     connected to it before can still write there while a new service writes to the new master
 * Prints PASS/FAIL lines; exits 1 when a check failed.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';
require __DIR__ . '/race.php';

tl_require_extension();
register_shutdown_function('tl_thaw_all');
$seeds = explode(',', tl_env('SLOTLOCK_CLUSTER'));
$prefix = tl_prefix('cf');
$opts = ['cluster' => $seeds, 'prefix' => $prefix, 'timeout' => 1.0, 'ttl' => 120];

/** CLUSTER NODES as seen by the first node that answers: addr => [id, role, master_id, failed]. */
function cf_nodes(): array
{
    global $seeds;
    foreach ($seeds as $s) {
        if (!tl_ping(tl_hostport($s)[1], 0.3)) {
            continue;
        }
        try {
            $txt = tl_redis($s, 0.5)->rawCommand('CLUSTER', 'NODES');
        } catch (Throwable $e) {
            continue;
        }
        $out = [];
        foreach (explode("\n", trim((string) $txt)) as $line) {
            $f = explode(' ', $line);
            $addr = preg_replace('/@.*$/', '', $f[1]);
            $out[$addr] = ['id' => $f[0], 'role' => str_contains($f[2], 'master') ? 'master' : 'replica',
                'master' => $f[3], 'failed' => str_contains($f[2], 'fail')];
        }
        return $out;
    }
    return [];
}

/** The master serving $slot now, per CLUSTER SLOTS of a live node. */
function cf_owner(int $slot): ?string
{
    global $seeds;
    foreach ($seeds as $s) {
        if (!tl_ping(tl_hostport($s)[1], 0.3)) {
            continue;
        }
        try {
            foreach (tl_redis($s, 0.5)->rawCommand('CLUSTER', 'SLOTS') as $r) {
                if ($slot >= $r[0] && $slot <= $r[1]) {
                    return $r[2][0] . ':' . $r[2][1];
                }
            }
        } catch (Throwable $e) {
        }
    }
    return null;
}

/** The replica of master $addr. */
function cf_replica_of(string $addr): ?string
{
    $nodes = cf_nodes();
    $id = $nodes[$addr]['id'] ?? null;
    foreach ($nodes as $a => $n) {
        if ($n['role'] === 'replica' && $n['master'] === $id) {
            return $a;
        }
    }
    return null;
}

/** True when every node that answers says cluster_state:ok. */
function cf_state_ok(): bool
{
    global $seeds;
    foreach ($seeds as $s) {
        $p = tl_hostport($s)[1];
        if (!tl_ping($p, 0.3)) {
            continue;
        }
        $info = (string) tl_redis($s, 0.5)->rawCommand('CLUSTER', 'INFO');
        if (!str_contains($info, 'cluster_state:ok')) {
            return false;
        }
    }
    return true;
}

function cf_owner_of_key(string $key): ?string
{
    return cf_owner(tl_keyslot($key));
}

function cf_has(string $addr, string $key, string $owner): bool
{
    try {
        $r = tl_redis($addr, 0.5);
        $r->rawCommand('READONLY');
        return tl_field($r, $key, 'owner') === $owner;
    } catch (Throwable $e) {
        return false;
    }
}

$svc = new SlotLockService($opts);
$locks = [];
$T0 = tl_start(600);

tl_section('setup: 30 companies, wait_replicas=1', function () use ($opts, &$locks, $T0) {
    $w = new SlotLockService($opts + ['wait_replicas' => 1, 'wait_timeout' => 1.0]);
    $onReplica = 0;
    for ($c = 1; $c <= 30; $c++) {
        $l = $w->acquire($c, 31, $T0, "o$c");
        if (!$l instanceof SlotLock) {
            continue;
        }
        $locks[$c] = $l;
        $rep = cf_replica_of((string) cf_owner_of_key($l->key));
        $onReplica += $rep !== null && cf_has($rep, $l->key, "o$c") ? 1 : 0;
    }
    tl_same(30, count($locks), 'acquire() for 30 companies');
    tl_same(30, $onReplica, 'wait_replicas=1 in cluster mode: each key is on its master\'s replica when acquire() returns');
    $t = $w->topology();
    tl_info('topology(): ' . tl_topology_str($t));
});

tl_section('a master killed: its replica takes over', function () use ($svc, $opts, &$locks, $T0) {
    $victim = cf_owner_of_key($locks[1]->key);
    $heir = cf_replica_of($victim);
    tl_check($heir !== null, "master $victim has a replica", tl_show(cf_nodes()));
    $mine = array_filter($locks, fn ($l) => cf_owner_of_key($l->key) === $victim);
    $svc->validate($locks[1], 'o1');                        /* connected to the victim */
    tl_check(tl_ctl('kill', tl_hostport($victim)[1]), "killed $victim (SIGKILL)");
    $t0 = microtime(true);
    [$res, $dt, $conn, $other] = tl_retry(fn () => $svc->validate($locks[1], 'o1'), 20.0, 0.2);
    tl_info(sprintf('validate() of a lock on the killed master: %s after %.2f s, %d SlotLockConnectionException, %d other SlotLockException',
        tl_show($res), $dt, $conn, $other));
    tl_same(true, $res, 'validate() of a lock on the killed master works again within 20 s');
    tl_same($heir, cf_owner_of_key($locks[1]->key), 'the replica serves the slot now');
    tl_check((bool) tl_wait_until('cf_state_ok', 10.0), 'cluster_state:ok again');
    $bad = [];
    foreach ($locks as $c => $l) {
        try {
            if ($svc->validate($l, "o$c") !== true) {
                $bad[] = $c;
            }
        } catch (SlotLockException $e) {
            $bad[] = "$c: " . get_class($e) . ' ' . $e->getMessage();
        }
    }
    tl_check($bad === [], sprintf('all 30 locks are valid after the failover (%d were on the killed master)', count($mine)),
        implode('; ', $bad));
    $l = $svc->acquire(1, 32, $T0, 'o1');
    tl_check($l instanceof SlotLock && cf_has($heir, $l->key, 'o1'), "acquire() after the failover: the key on $heir", tl_show($l));
    tl_same(null, $svc->acquire(1, 31, $T0, 'other'), 'another owner gets null for a lock taken before the failover');
    $fresh = new SlotLockService($opts);
    tl_same(true, $fresh->validate($locks[2], 'o2'), 'a new service with the dead node among its seeds works');
    $t = $svc->topology();
    tl_info('topology() after the failover: ' . tl_topology_str($t));
    $GLOBALS['cf_victim'] = $victim;
});

tl_section('race after the failover', function () use ($opts) {
    $o = $opts;
    $o['prefix'] = tl_prefix('cfrace');
    $r = slotlock_race($o, ['workers' => 16, 'slots' => 60, 'companies' => 20]);
    slotlock_race_report($r, 'cluster race after failover');
});

tl_section('the killed master restarted', function () use ($svc, &$locks, $T0) {
    $victim = $GLOBALS['cf_victim'] ?? null;
    if ($victim === null) {
        tl_check(false, 'no killed master to restart');
        return;
    }
    tl_check(tl_ctl('restart', tl_hostport($victim)[1]), "restarted $victim");
    $ok = tl_wait_until(function () use ($victim) {
        $n = cf_nodes()[$victim] ?? null;
        if (!$n || $n['role'] !== 'replica' || $n['failed']) {
            return false;
        }
        $info = tl_redis($victim, 0.5)->info('replication');
        return ($info['master_link_status'] ?? '') === 'up';
    }, 15.0, 0.2);
    tl_check((bool) $ok, "$victim rejoined as a replica, link up");
    $l = $svc->acquire(1, 33, $T0, 'o1');
    tl_check($l instanceof SlotLock, 'acquire() after the old master rejoined', tl_show($l));
    tl_same(true, $svc->validate($locks[1], 'o1'), 'the lock taken before everything is still valid');
});

tl_section('a master frozen then thawed after the failover (measured)', function () use ($opts, $T0) {
    /* a master other than the restarted one */
    $victim = null;
    foreach (cf_nodes() as $a => $n) {
        if ($n['role'] === 'master' && !$n['failed'] && cf_replica_of($a) !== null) {
            $victim = $a;
            break;
        }
    }
    if ($victim === null) {
        tl_check(false, 'a master with a replica to freeze', tl_show(cf_nodes()));
        return;
    }
    $heir = cf_replica_of($victim);
    /* a company whose slot $victim serves, and a service connected to it that stays idle */
    $c = null;
    for ($i = 100; $i < 400 && $c === null; $i++) {
        $k = (new SlotLockService($opts))->key($i, 40, $T0);
        if (cf_owner_of_key($k) === $victim) {
            $c = $i;
        }
    }
    $stale = new SlotLockService($opts + ['persistent' => false]);
    $stale->validate($stale->key($c, 41, $T0), 'x');
    $port = tl_hostport($victim)[1];
    /* one service used throughout (it will time out on the frozen master) vs a new one per try */
    $same = new SlotLockService($opts + ['persistent' => false]);
    $same->validate($same->key($c, 41, $T0), 'x');
    tl_freeze($port);
    try {
        $newOk = null;
        $t0 = microtime(true);
        [$res, $dt, $conn] = tl_retry(function () use ($same, $opts, $c, $T0, $t0, &$newOk) {
            if ($newOk === null) {
                try {
                    (new SlotLockService($opts + ['persistent' => false]))->validate((new SlotLockService($opts))->key($c, 43, $T0), 'x');
                    $newOk = microtime(true) - $t0;
                } catch (SlotLockException $e) {
                }
            }
            return $same->acquire($c, 42, $T0, 'fresh0');
        }, 15.0, 0.2);
        tl_info(sprintf('master %s frozen: a new service per try works after %s s; CLUSTER SLOTS now names %s',
            $victim, $newOk === null ? 'never' : sprintf('%.2f', $newOk), tl_show(cf_owner(tl_keyslot($same->key($c, 42, $T0))))));
        tl_check($res instanceof SlotLock, sprintf('with master %s frozen, a service that timed out on it works again after the failover (%.2f s, %d SlotLockConnectionException)',
            $victim, $dt, $conn), tl_show($res) . ' (the slot map is not reloaded after a timeout?)');
    } finally {
        tl_thaw($port);
    }
    try {
        $a = $stale->acquire($c, 40, $T0, 'stale');
    } catch (SlotLockException $e) {
        $a = $e;
    }
    try {
        $b = (new SlotLockService($opts + ['persistent' => false]))->acquire($c, 40, $T0, 'fresh');
    } catch (SlotLockException $e) {
        $b = $e;
    }
    $both = $a instanceof SlotLock && $b instanceof SlotLock;
    tl_info(sprintf('right after the thaw of %s (now failed over to %s): service connected before: %s; new service: %s%s',
        $victim, $heir, tl_show($a), tl_show($b), $both ? ' => BOTH HOLD THE SLOT (the old master took a write it will drop)' : ''));
    tl_check((bool) tl_wait_until(fn () => (cf_nodes()[$victim]['role'] ?? '') === 'replica', 15.0, 0.2),
        "the thawed $victim becomes a replica");
});

tl_done();
