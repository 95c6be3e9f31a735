<?php
/*
 * tests/tls/topology.php: slotlock over TLS beyond one Redis (tests/suites/tls.sh starts them):
 *   cluster   3 TLS masters (tls-cluster yes): every node reached with TLS, keys on the right
 *             master, MOVED followed to a TLS port, a 8 x 40 race without double holds
 *   sentinel  a TLS master and a TLS sentinel: discovery over TLS, then the master over TLS
 *   quorum    3 independent TLS masters: keys on all 3
 * Environment: SLOTLOCK_TLS_DIR (certificates), SLOTLOCK_TLS_CLUSTER "host:port,...",
 * SLOTLOCK_TLS_SENTINEL "host:port", SLOTLOCK_TLS_QUORUM "host:port,...". Prints PASS/FAIL lines,
 * exits non-zero on a failure.
 */
declare(strict_types=1);

$dir = getenv('SLOTLOCK_TLS_DIR');
$tls = ['cafile' => "$dir/ca.crt"];
$failed = 0;
function check(bool $ok, string $what): void
{
    global $failed;
    echo $ok ? 'PASS ' : 'FAIL ', $what, "\n";
    $failed += $ok ? 0 : 1;
}
function raw(string $addr): Redis
{
    global $dir;
    [$h, $p] = explode(':', $addr);
    $r = new Redis();
    $r->connect("tls://$h", (int) $p, 2.0, null, 0, 0, ['stream' => ['cafile' => "$dir/ca.crt"]]);
    return $r;
}

/* ---- cluster ---- */
$cluster = explode(',', (string) getenv('SLOTLOCK_TLS_CLUSTER'));
$prefix = 'tlscl' . bin2hex(random_bytes(3));
$svc = new SlotLockService(['cluster' => $cluster, 'tls' => $tls, 'prefix' => $prefix]);
$held = [];
for ($c = 1; $c <= 30; $c++) {
    $lock = $svc->acquire($c, 5, '2030-11-24 14:00', "o$c");
    $held[] = $lock;
}
check(count(array_filter($held)) === 30, 'cluster: 30 companies acquired over TLS');
$addrs = array_unique(array_column($svc->topology()['nodes'], 'addr'));
check(count($addrs) === 3 && count(array_filter($addrs, fn ($a) => str_starts_with($a, 'tls://'))) === 3,
      'cluster: 3 masters, every one reached with TLS: ' . implode(' ', $addrs));
$where = [];
foreach ($cluster as $addr) {
    $r = raw($addr);
    foreach ($held as $l) {
        try {
            $here = $r->exists($l->key);
        } catch (RedisException $e) {   /* MOVED: another master's slot */
            $here = 0;
        }
        if ($here) {
            $where[$l->key][] = $addr;
        }
    }
}
check(count($where) === 30 && max(array_map('count', $where)) === 1, 'cluster: each key on exactly one master');
check(count(array_unique(array_merge(...array_values($where)))) >= 2, 'cluster: the keys spread over several masters');
check($svc->validate($held[0], 'o1') && $svc->release($held[0], 'o1'), 'cluster: validate + release');
/* a service that knows one node only follows the others (MOVED/slots) over TLS */
$one = new SlotLockService(['cluster' => [$cluster[0]], 'tls' => $tls, 'prefix' => $prefix]);
$ok = true;
for ($c = 2; $c <= 30; $c++) {
    $ok = $ok && $one->validate($held[$c - 1], "o$c");
}
check($ok, 'cluster: a one-seed service finds every key over TLS');
/* race: 8 processes x 40 slots, one winner each */
$race = "$prefix-race";
$pids = [];
$results = sys_get_temp_dir() . "/$race.txt";
@unlink($results);
for ($w = 0; $w < 8; $w++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $s = new SlotLockService(['cluster' => $cluster, 'tls' => $tls, 'prefix' => $race, 'ttl' => 60]);
        $won = [];
        for ($i = 0; $i < 40; $i++) {
            if ($s->acquire(1 + $i % 5, $i + 1, '2030-11-24 15:00', "w$w")) {
                $won[] = $i;
            }
        }
        file_put_contents($results, implode("\n", $won) . "\n", FILE_APPEND | LOCK_EX);
        exit(0);
    }
    $pids[] = $pid;
}
foreach ($pids as $pid) {
    pcntl_waitpid($pid, $st);
}
$wins = array_count_values(array_filter(explode("\n", (string) file_get_contents($results)), 'strlen'));
@unlink($results);
check(count($wins) === 40 && max($wins) === 1, 'cluster: 8 x 40 race over TLS, one winner per slot (' . array_sum($wins) . ' wins)');

/* ---- sentinel ---- */
$sentinel = (string) getenv('SLOTLOCK_TLS_SENTINEL');
$svc = new SlotLockService(['sentinel' => [$sentinel], 'master' => 'tlsmaster', 'tls' => $tls,
                            'prefix' => "$prefix-s"]);
$lock = $svc->acquire(1, 1, '2030-11-24 14:00', 'me');
$nodes = $svc->topology()['nodes'];
check($lock instanceof SlotLock && $svc->release($lock, 'me'), 'sentinel: master found through a TLS sentinel, lock over TLS');
check(str_starts_with($nodes[0]['addr'] ?? '', 'tls://'), 'sentinel: the master is reached with TLS: ' . ($nodes[0]['addr'] ?? '?'));

/* ---- quorum ---- */
$quorum = explode(',', (string) getenv('SLOTLOCK_TLS_QUORUM'));
$svc = new SlotLockService(['nodes' => $quorum, 'tls' => $tls, 'prefix' => "$prefix-q"]);
$lock = $svc->acquire(1, 1, '2030-11-24 14:00', 'me');
$on = 0;
foreach ($quorum as $addr) {
    $on += raw($addr)->exists($lock->key);
}
check($on === 3, "quorum: the hold is on all 3 TLS masters ($on)");
check($svc->release($lock, 'me'), 'quorum: release');
/* rediss:// node addresses without the option: TLS per node, the CA from slotlock.tls_cafile */
ini_set('slotlock.tls_cafile', "$dir/ca.crt");
$svc = new SlotLockService(['nodes' => array_map(fn ($a) => "rediss://$a", $quorum), 'prefix' => "$prefix-q2"]);
$lock = $svc->acquire(1, 1, '2030-11-24 14:00', 'me');
check($lock instanceof SlotLock && $svc->release($lock, 'me'), 'quorum: rediss:// nodes, CA from slotlock.tls_cafile');
ini_set('slotlock.tls_cafile', '');

echo $failed ? "tls topology: $failed failed\n" : "tls topology: all passed\n";
exit($failed ? 1 : 0);
