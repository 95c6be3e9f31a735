<?php
/*
 * tests/topology/cluster.php: slotlock on a 3-master Redis Cluster (scripts/topology.sh
 * start cluster; SLOTLOCK_CLUSTER = the seed nodes). Checks, with raw php-redis clients on
 * each node:
 *   - topology(): mode cluster, the 3 masters; a dead seed in the list is skipped
 *   - keys carry the hash tag {c<company>} (slot, fence counter <prefix>#fence{c<id>}, resource
 *     buckets) and land on the master that owns that slot, nowhere else
 *   - acquire / acquireSegments / acquireFirst / acquireResource / validate / extend /
 *     commit / status / release for 50 companies spread over all 3 masters
 *   - activeLocks() counts the keys of every master
 *   - MOVED: a slot moved to another master between two operations (the map is refreshed)
 *   - ASK: operations on a lock whose slot is half-way through a migration
 *   - fences grow per company across holders
 *   - a race: 16 forked workers x 100 units (tests/topology/race.php), 0 double bookings
 * Prints PASS/FAIL lines; exits 1 when a check failed.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';
require __DIR__ . '/race.php';

tl_require_extension();
$seeds = explode(',', tl_env('SLOTLOCK_CLUSTER'));
$prefix = tl_prefix('cl');
$opts = ['cluster' => $seeds, 'prefix' => $prefix, 'timeout' => 2.0, 'ttl' => 120, 'fencing' => true];

/* ------------------------------------------------------------- raw cluster view ---- */
$raw = [];                                  /* "127.0.0.1:port" => Redis */
foreach ($seeds as $s) {
    $raw[$s] = tl_redis($s);
}

/** slot => "host:port" of its master, from CLUSTER SLOTS on $via. */
function cl_slot_map(Redis $via): array
{
    $map = [];
    foreach ($via->rawCommand('CLUSTER', 'SLOTS') as $range) {
        $addr = $range[2][0] . ':' . $range[2][1];
        for ($s = (int) $range[0]; $s <= (int) $range[1]; $s++) {
            $map[$s] = $addr;
        }
    }
    return $map;
}

function cl_owner(string $key): string
{
    global $raw;
    return cl_slot_map(reset($raw))[tl_keyslot($key)];
}

/**
 * The nodes on which $key exists. By SCAN MATCH: a node answers EXISTS of a key it does
 * not serve with MOVED/ASK, but SCAN shows what it really stores.
 */
function cl_where(string $key): array
{
    global $raw;
    $pat = preg_replace('/([*?\[\]\\\\])/', '\\\\$1', $key);
    $on = [];
    foreach ($raw as $addr => $r) {
        $cursor = '0';
        do {
            [$cursor, $keys] = $r->rawCommand('SCAN', $cursor, 'MATCH', $pat, 'COUNT', '1000');
            if (in_array($key, $keys, true)) {
                $on[] = $addr;
                break;
            }
        } while ($cursor !== '0' && $cursor !== 0);
    }
    return $on;
}

function cl_id(string $addr): string
{
    global $raw;
    return (string) $raw[$addr]->rawCommand('CLUSTER', 'MYID');
}

/** Starts moving $slot from $from to $to: IMPORTING/MIGRATING, then MIGRATE of all its keys. */
function cl_migrate_keys(int $slot, string $from, string $to): int
{
    global $raw;
    [$th, $tp] = tl_hostport($to);
    $raw[$to]->rawCommand('CLUSTER', 'SETSLOT', (string) $slot, 'IMPORTING', cl_id($from));
    $raw[$from]->rawCommand('CLUSTER', 'SETSLOT', (string) $slot, 'MIGRATING', cl_id($to));
    $moved = 0;
    while ($keys = $raw[$from]->rawCommand('CLUSTER', 'GETKEYSINSLOT', (string) $slot, '100')) {
        $res = $raw[$from]->rawCommand('MIGRATE', $th, (string) $tp, '', '0', '5000', 'KEYS', ...$keys);
        if ($res !== true && $res !== 'OK') {
            throw new RuntimeException('MIGRATE: ' . tl_show($res) . ' ' . $raw[$from]->getLastError());
        }
        $moved += count($keys);
    }
    return $moved;
}

/** Ends the move: SETSLOT NODE on every master, the target first. */
function cl_migrate_finish(int $slot, string $to): void
{
    global $raw;
    $id = cl_id($to);
    $raw[$to]->rawCommand('CLUSTER', 'SETSLOT', (string) $slot, 'NODE', $id);
    foreach ($raw as $addr => $r) {
        if ($addr !== $to) {
            $r->rawCommand('CLUSTER', 'SETSLOT', (string) $slot, 'NODE', $id);
        }
    }
    /* every node agrees */
    tl_wait_until(function () use ($slot, $to) {
        global $raw;
        foreach ($raw as $r) {
            if ((cl_slot_map($r)[$slot] ?? '') !== $to) {
                return false;
            }
        }
        return true;
    }, 5.0);
}

/** A master other than $addr. */
function cl_other(string $addr): string
{
    global $raw;
    foreach (array_keys($raw) as $a) {
        if ($a !== $addr) {
            return $a;
        }
    }
    throw new RuntimeException('no other master');
}

$svc = new SlotLockService($opts);
$T0 = tl_start(600);            /* 2031-01-01 10:00 */
$T30 = tl_start(630);
$T60 = tl_start(660);

tl_section('topology() and keys', function () use ($svc, $prefix, $seeds, $opts) {
    $t = tl_check_topology_shape($svc, 'cluster');
    tl_same("$prefix:{c7}:s31:t203101011000", $svc->key(7, 31, '2031-01-01 10:00'), 'key() carries the {c<company>} hash tag');
    tl_same("$prefix:{cacme-3}:s31:t203101011000", $svc->key('acme-3', 31, '2031-01-01 10:00'), 'key() of a string company id');
    $rk = $svc->resourceKeys(7, 'staff1', '2031-01-01 10:00', 30);
    tl_check(count($rk) === 2 && str_starts_with($rk[0], "$prefix:{c7}:rstaff1:b"), 'resourceKeys() carry the hash tag', tl_show($rk));

    $w = $svc->acquire(1, 1, '2031-01-01 09:00', 'warmup', 5);
    $t = $svc->topology();
    $w && $svc->release($w, 'warmup');
    $masters = array_values(array_filter($t['nodes'], fn ($n) => $n['role'] === 'master'));
    $ports = array_map(fn ($n) => tl_hostport($n['addr'])[1], $masters);
    sort($ports);
    $want = array_map(fn ($s) => tl_hostport($s)[1], $seeds);
    sort($want);
    tl_same($want, $ports, 'topology() lists the 3 masters after the first command: ' . tl_topology_str($t));
    tl_check(count(array_filter($t['nodes'], fn ($n) => $n['connected'])) >= 1, 'topology(): a node is connected');

    /* a dead seed first in the list is skipped */
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $dead = stream_socket_get_name($s, false);
    fclose($s);
    $o2 = $opts;
    $o2['cluster'] = array_merge([$dead], $seeds);
    $o2['timeout'] = 0.5;
    $svc2 = new SlotLockService($o2);
    $l = $svc2->acquire(2, 1, '2031-01-01 09:00', 'deadseed', 5);
    tl_check($l instanceof SlotLock, "a dead seed ($dead) first in the seed list is skipped");
    $l && $svc2->release($l, 'deadseed');
});

$companies = array_merge(range(1, 45), ['co-a', 'co-b', 'co-c', 'co-d', 'co-e']);
$held = [];         /* company => lock of o-<c> on (31, T0), extended */
$expectedKeys = 0;

tl_section('50 companies: every operation, keys on the owning master', function () use (
    $svc, $prefix, $companies, $T0, $T30, $T60, &$held, &$expectedKeys
) {
    $t = new TlTally();
    $nodesUsed = [];
    foreach ($companies as $c) {
        $o = "o-$c";
        $p = "p-$c";
        $tag = '{c' . $c . '}';
        $l1 = $svc->acquire($c, 31, $T0, $o);
        $t->add('acquire() gives a lock', $l1 instanceof SlotLock, "company $c");
        if (!$l1) {
            continue;
        }
        $held[$c] = $l1;
        $key = $l1->key;
        $t->add('the lock key is key() and has the hash tag', $key === $svc->key($c, 31, $T0) && str_contains($key, $tag), $key);
        $owner = cl_owner($key);
        $nodesUsed[$owner] = true;
        global $raw;
        $t->add('the slot key is on the master owning its hash slot, and only there', cl_where($key) === [$owner],
            "$key: slot " . tl_keyslot($key) . " owned by $owner, found on " . tl_show(cl_where($key)));
        $t->add('the slot value is "h:<fence>:<owner>"', $raw[$owner]->get($key) === "h:{$l1->fence}:$o", $key);
        $fk = "$prefix#fence$tag";
        $t->add("the fence counter <prefix>#fence{c<id>} is on the same master",
            cl_where($fk) === [$owner] && (int) $raw[$owner]->get($fk) >= $l1->fence, "$fk on " . tl_show(cl_where($fk)));
        $t->add("no format-1 counter or index under <prefix>:{c<id>}:*",
            cl_where("$prefix:$tag:fence") === [] && cl_where("$prefix:$tag:active") === [], $tag);
        $t->add('another owner gets null', $svc->acquire($c, 31, $T0, $p) === null, "company $c");

        $seg = $svc->acquireSegments($c, [[32, $T0], [33, $T30]], $o);
        $ok = $seg instanceof SlotLock && count($seg->keys) === 2;
        foreach ($ok ? $seg->keys : [] as $k) {
            $ok = $ok && cl_where($k) === [$owner] && str_contains($k, $tag);
        }
        $t->add('acquireSegments(): both keys on the owning master', $ok, tl_show($seg));

        $any = $svc->acquireFirst($c, [[31, $T0], [[32, $T0], [34, $T30]], [35, $T60]], $p);
        $t->add('acquireFirst(): the first free candidate (2)', $any instanceof SlotLock && $any->candidate === 2
            && cl_where($any->key) === [$owner], tl_show($any) . ' candidate ' . tl_show($any->candidate ?? null));

        $res = $svc->acquireResource($c, 'staff1', $T0, 60, $o);
        $ok = $res instanceof SlotLock && $res->keys === $svc->resourceKeys($c, 'staff1', $T0, 60);
        foreach ($ok ? $res->keys : [] as $k) {
            $ok = $ok && cl_where($k) === [$owner];
        }
        $t->add('acquireResource(): every bucket key on the owning master', $ok, tl_show($res));
        $t->add('acquireResource(): an overlapping interval of the resource conflicts',
            $svc->acquireResource($c, 'staff1', $T30, 15, $p) === null, "company $c");

        $t->add('validate(): true for the owner, false for another',
            $svc->validate($l1, $o) === true && $svc->validate($l1->key, $p) === false, $key);
        $ttlBefore = $raw[$owner]->pTtl($key);
        $ext = $svc->extend($l1, $o, 300);
        $t->add('extend(): a lock, and the key TTL reset on the owning master',
            $ext instanceof SlotLock && $raw[$owner]->pTtl($key) > 250000 && $ttlBefore <= 120000, "pttl before $ttlBefore");
        $t->add('extend() by another owner: null', $svc->extend($l1, $p) === null, $key);
        $held[$c] = $ext ?: $l1;

        $t->add('commit(): true and a booked marker', $seg && $svc->commit($seg, $o, "b-$c") === true
            && tl_field($raw[$owner], $seg->keys[0], 'booked') === "b-$c", tl_show($seg));
        $st = $svc->status($l1);
        $t->add('status(): locked', ($st['locked'] ?? null) === true && ($st['booked'] ?? null) === false, tl_show($st));
        $t->add('release() by another owner: false, key kept', $svc->release($l1, $p) === false && cl_where($key) === [$owner], $key);
        $t->add('release(): true and the key is gone', $any && $svc->release($any, $p) === true && cl_where($any->key) === [], tl_show($any));
        $expectedKeys += 1 + 2 + count($res ? $res->keys : []);
    }
    $t->report();
    tl_same(3, count($nodesUsed), 'the 50 companies are spread over all 3 masters');
});

tl_section('activeLocks() across the cluster', function () use ($svc, $prefix, &$expectedKeys, $raw) {
    $rawCount = 0;
    foreach ($raw as $r) {
        $rawCount += count(tl_scan_slots($r, $prefix));
    }
    tl_same($expectedKeys, $rawCount, 'the raw number of slot keys is what the test took');
    tl_same($rawCount, $svc->activeLocks(), 'activeLocks() counts the keys on every master');
    $fresh = new SlotLockService(['cluster' => [array_key_last($raw)]] + ['prefix' => $prefix]);
    tl_same($rawCount, $fresh->activeLocks(), 'activeLocks() of a new service with one seed');
});

tl_section('fences grow per company across holders', function () use ($svc) {
    $ok = true;
    $detail = '';
    foreach ([3, 17, 'co-b'] as $c) {
        $prev = 0;
        for ($i = 0; $i < 4; $i++) {
            $l = $svc->acquire($c, 77, '2031-02-01 10:00', "f$i");
            if (!$l || $l->fence <= $prev) {
                $ok = false;
                $detail = "company $c holder $i: " . tl_show($l) . " after fence $prev";
            }
            $prev = $l ? $l->fence : $prev;
            $l && $svc->release($l, "f$i");
        }
    }
    tl_check($ok, 'each new holder of a slot gets a bigger fence', $detail);
});

tl_section('MOVED: a slot moved to another master between operations', function () use ($svc, $held, $T60) {
    $c = 7;
    $l = $held[$c];
    $slot = tl_keyslot($l->key);
    $from = cl_owner($l->key);
    $to = cl_other($from);
    $n = cl_migrate_keys($slot, $from, $to);
    cl_migrate_finish($slot, $to);
    tl_info("moved slot $slot ($n keys) from $from to $to");
    tl_same([$to], cl_where($l->key), 'the lock key is now on the target (raw)');
    tl_same(true, $svc->validate($l, "o-$c"), 'validate() after the move (MOVED followed)');
    $l2 = $svc->acquire($c, 36, $T60, "o-$c");
    tl_check($l2 instanceof SlotLock && cl_where($l2->key) === [$to], 'acquire() after the move: the new key on the new owner',
        tl_show($l2) . ' on ' . tl_show($l2 ? cl_where($l2->key) : null));
    $e = $svc->extend($l, "o-$c");
    tl_check($e instanceof SlotLock, 'extend() after the move', tl_show($e));
    tl_same(true, $svc->release($l2, "o-$c"), 'release() after the move');
    tl_same([], $l2 ? cl_where($l2->key) : [], 'the released key is gone');
    /* a second move back: the refreshed map must be refreshed again */
    $n = cl_migrate_keys($slot, $to, $from);
    cl_migrate_finish($slot, $from);
    tl_same(true, $svc->validate($l, "o-$c"), 'validate() after moving the slot back');
    $t = $svc->topology();
    $bad = array_filter($t['nodes'], fn ($n) => !preg_match('~^tcp://127\.0\.0\.1:\d+/0$~', $n['addr']));
    tl_check($bad === [], 'topology() after MOVED: only real nodes (host:port)', tl_topology_str($t));
    $l3 = $svc->acquire($c, 37, $T60, "o-$c");
    tl_check($l3 instanceof SlotLock && cl_where($l3->key) === [$from], 'acquire() after moving back: key on the original master',
        tl_show($l3));
});

tl_section('ASK: a lock whose slot is half-way through a migration', function () use ($svc, $held, $T60) {
    $c = 8;
    $l = $held[$c];
    $slot = tl_keyslot($l->key);
    $from = cl_owner($l->key);
    $to = cl_other($from);
    $n = cl_migrate_keys($slot, $from, $to);       /* all keys moved; slot still MIGRATING/IMPORTING */
    tl_info("slot $slot: $n keys moved from $from to $to, migration left open");
    try {
        tl_same(true, $svc->validate($l, "o-$c"), 'validate() while migrating (ASK + ASKING to the target)');
        $st = $svc->status($l);
        tl_same(true, $st['locked'] ?? null, 'status() while migrating');
        $e = $svc->extend($l, "o-$c");
        tl_check($e instanceof SlotLock, 'extend() while migrating', tl_show($e));
        /* a new slot of the company: the target has the fence and index but not the new key,
           so Redis answers TRYAGAIN to the multi-key script until the migration ends */
        try {
            $x = $svc->acquire($c, 38, $T60, "o-$c");
            tl_info('acquire() of a new slot mid-migration returned ' . tl_show($x));
            tl_check($x === null || cl_where($x->key) === [$to], 'acquire() mid-migration: a lock on the target, or null', tl_show($x));
        } catch (SlotLockException $e) {
            tl_info('acquire() of a new slot mid-migration threw ' . tl_show($e) . ' (Redis says TRYAGAIN)');
            tl_check(true, 'acquire() mid-migration: a SlotLockException (TRYAGAIN) is acceptable');
        }
    } finally {
        cl_migrate_finish($slot, $to);
    }
    $l2 = $svc->acquire($c, 39, $T60, "o-$c");
    tl_check($l2 instanceof SlotLock && cl_where($l2->key) === [$to], 'acquire() once the migration ended: on the target', tl_show($l2));
    tl_same(true, $svc->release($l, "o-$c"), 'release() of the migrated lock');
    tl_same([], cl_where($l->key), 'its key is gone');
});

tl_section('race: 16 workers x 100 units over 20 companies', function () use ($opts) {
    $o = $opts;
    $o['prefix'] = tl_prefix('clrace');
    $r = slotlock_race($o, ['workers' => 16, 'slots' => 100, 'companies' => 20]);
    slotlock_race_report($r, 'cluster race');
    $svc = new SlotLockService($o);
    tl_same($r['booked_keys'], $svc->activeLocks(), 'activeLocks() after the race: every booked key');
});

tl_section('credentials apply to every node', function () use ($opts, $raw, $T0) {
    foreach ($raw as $r) {
        $r->rawCommand('ACL', 'SETUSER', 'sltopo', 'on', '>pw-user', '~*', '+@all');
        $r->rawCommand('CONFIG', 'SET', 'requirepass', 'pw-default');   /* existing connections stay authenticated */
    }
    try {
        foreach ([
            'password' => ['password' => 'pw-default'],
            'username + password' => ['username' => 'sltopo', 'password' => 'pw-user'],
        ] as $what => $cred) {
            $svc = new SlotLockService($cred + $opts + ['persistent' => false]);
            $n = 0;
            foreach ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as $c) {     /* companies on every master */
                $l = $svc->acquire($c, 60, $T0, 'auth');
                $n += $l instanceof SlotLock && $svc->release($l, 'auth') ? 1 : 0;
            }
            tl_same(10, $n, "$what: acquire() and release() on every master");
            tl_check($svc->activeLocks() >= 0, "$what: activeLocks() (every master)");
        }
        $svc = new SlotLockService(['password' => 'wrong'] + $opts + ['persistent' => false]);
        try {
            $svc->acquire(1, 60, $T0, 'auth');
            tl_check(false, 'a wrong password: SlotLockConnectionException', 'no exception');
        } catch (Throwable $e) {
            tl_check($e instanceof SlotLockConnectionException && !str_contains($e->getMessage(), 'wrong'),
                'a wrong password: SlotLockConnectionException, the password not in the message', tl_show($e));
        }
        $svc = new SlotLockService($opts + ['persistent' => false]);
        try {
            $svc->acquire(1, 60, $T0, 'auth');
            tl_check(false, 'no password: SlotLockConnectionException (NOAUTH)', 'no exception');
        } catch (Throwable $e) {
            tl_check($e instanceof SlotLockConnectionException, 'no password: SlotLockConnectionException (NOAUTH)', tl_show($e));
        }
    } finally {
        foreach ($raw as $r) {
            $r->rawCommand('CONFIG', 'SET', 'requirepass', '');
            $r->rawCommand('ACL', 'DELUSER', 'sltopo');
        }
    }
});

tl_done();
