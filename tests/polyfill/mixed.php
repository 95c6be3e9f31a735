<?php
/*
 * The rolling-deploy test: processes with the C extension and processes with the PHP polyfill
 * work on the same slots of one Redis at the same time, as they do while a deploy rolls over.
 *
 *   php tests/polyfill/mixed.php            (SLOTLOCK_EXT_SO, SLOTLOCK_TEST_HOST/PORT, PHP)
 *
 * It starts agents (tests/polyfill/agent.php), long-lived PHP processes that run SlotLockService
 * calls sent as JSON lines on stdin: half with slotlock.so, half with the polyfill. Then:
 *   - races: in each round all agents wait on one BLPOP barrier and acquire the same slot (the
 *     native SET NX PX GET path, and every other round with fencing), or the same compound
 *     service, segments listed in different orders: exactly one winner, and Redis holds the
 *     winner's value (docs/WIRE.md) byte for byte; fenced winners' fences grow whoever wins;
 *   - any-of-N: acquireFirst() over N candidates by 2N agents: N winners on N distinct candidates;
 *   - hand-over: a lock taken by one side is validated, extended, committed and released by the
 *     other with the same owner; a foreign owner is refused by both; both read one fence counter;
 *     nothing but slot keys (and that counter, outside the slot pattern) is written;
 *   - the scripts: after SCRIPT FLUSH, the digests the extension loads are the polyfill's.
 * Exits 1 on any violation.
 */

require __DIR__ . '/agents.inc';

const ROUNDS = 20;
const PER_SIDE = 4;

$so = getenv('SLOTLOCK_EXT_SO') ?: dirname(__DIR__, 2) . '/modules/slotlock.so';
$host = getenv('SLOTLOCK_TEST_HOST') ?: '127.0.0.1';
$port = (int) (getenv('SLOTLOCK_TEST_PORT') ?: 6379);
$rounds = (int) (getenv('SLOTLOCK_MIXED_ROUNDS') ?: ROUNDS);
if (!is_file($so)) {
    fwrite(STDERR, "mixed: $so does not exist (./dev build)\n");
    exit(1);
}
if (extension_loaded('slotlock')) {
    fwrite(STDERR, "mixed: run me without the extension: I start the agents myself\n");
    exit(1);
}

$prefix = 'sltest_mixed_' . bin2hex(random_bytes(4));
$r = new Redis();
$r->connect($host, $port, 2.0);

/** A hold's value: h:<fence>:<owner> (fence 0 without fencing). */
function hold(array $lock): string
{
    return 'h:' . ($lock['fence'] ?? 0) . ':' . $lock['owner'];
}

/* ---- agents ------------------------------------------------------------------------ */

$agents = [];
for ($i = 0; $i < PER_SIDE; $i++) {
    $agents[] = new Agent('ext', count($agents), $prefix);
    $agents[] = new Agent('polyfill', count($agents), $prefix);
}
$ext = $agents[0];
$poly = $agents[1];

/* ---- 1. one slot, ROUNDS rounds ------------------------------------------------------- */

$winsBySide = ['ext' => 0, 'polyfill' => 0];
$lastFence = 0;
$roundsOk = 0;
for ($round = 0; $round < $rounds; $round++) {
    $start = sprintf('2030-11-24 %02d:%02d', intdiv($round, 4) + 8, ($round % 4) * 15);
    $fenced = $round % 2 === 1;
    $res = race($agents, $r, $prefix, $fenced ? 'f:acquire' : 'acquire', fn (Agent $a) => [7, 31, $start, "r$round-a{$a->id}", 60]);
    [$winners, $bad] = winners($res);
    check($bad === [], "round $round: an agent failed: " . json_encode($bad));
    check(count($winners) === 1, "round $round: " . count($winners) . ' winners');
    if (count($winners) === 1) {
        $w = $res[$winners[0]];
        $key = "$prefix:c7:s31:t" . date_create($start, timezone_open('UTC'))->format('YmdHi');
        $v = $r->get($key);
        $ok = $w['key'] === $key && $w['owner'] === "r$round-a{$winners[0]}" && $v === hold($w)
            && ($fenced ? $w['fence'] > $lastFence : $w['fence'] === null);
        check($ok, "round $round: Redis holds " . json_encode($v) . ', the winner says ' . json_encode($w)
            . ", previous fence $lastFence");
        $lastFence = max($lastFence, (int) $w['fence']);
        $winsBySide[$agents[$winners[0]]->side]++;
        $roundsOk += $ok ? 1 : 0;
    }
}
printf("mixed: %d rounds x %d agents (%d ext, %d polyfill) on one slot: %d rounds with exactly one winner "
    . "(ext won %d, polyfill won %d)\n", $rounds, count($agents), PER_SIDE, PER_SIDE, $roundsOk,
    $winsBySide['ext'], $winsBySide['polyfill']);

/* ---- 2. a compound service, segments in different orders -------------------------------- */

$segs = [[41, '2030-11-25 10:00'], [42, '2030-11-25 10:30'], [43, '2030-11-25 11:00']];
$compoundOk = 0;
$compoundRounds = max(1, intdiv($rounds, 2));
for ($round = 0; $round < $compoundRounds; $round++) {
    $day = sprintf('2030-12-%02d', $round + 1);
    $mine = array_map(fn ($s) => [$s[0], $day . substr($s[1], 10)], $segs);
    $res = race($agents, $r, $prefix, 'acquireSegments', function (Agent $a) use ($mine, $round) {
        $rot = $a->id % 3;
        return [7, array_merge(array_slice($mine, $rot), array_slice($mine, 0, $rot)), "c$round-a{$a->id}", 60];
    });
    [$winners, $bad] = winners($res);
    check($bad === [], "compound round $round: an agent failed: " . json_encode($bad));
    check(count($winners) === 1, "compound round $round: " . count($winners) . ' winners');
    if (count($winners) === 1) {
        $w = $res[$winners[0]];
        $held = array_map(fn ($k) => $r->get($k), $w['keys']);
        $ok = count($w['keys']) === 3 && $held === array_fill(0, 3, hold($w));
        check($ok, "compound round $round: segments " . json_encode($held) . ' for ' . json_encode($w));
        $compoundOk += $ok ? 1 : 0;
    }
}
printf("mixed: %d compound rounds (3 segments, %d agents): %d with exactly one winner holding all 3\n",
    $compoundRounds, count($agents), $compoundOk);

/* ---- 3. any of N: acquireFirst over N candidates by 2N agents ---------------------------- */

$n = intdiv(count($agents), 2);
$anyOk = 0;
$anyRounds = max(1, intdiv($rounds, 4));
for ($round = 0; $round < $anyRounds; $round++) {
    $cands = [];
    for ($c = 0; $c < $n; $c++) {
        $cands[] = $c % 2 === 0
            ? [51, sprintf('2031-01-%02d %02d:00', $round + 1, 9 + $c)]
            : [[52, sprintf('2031-01-%02d %02d:00', $round + 1, 9 + $c)], [53, sprintf('2031-01-%02d %02d:30', $round + 1, 9 + $c)]];
    }
    $res = race($agents, $r, $prefix, 'acquireFirst', fn (Agent $a) => [7, $cands, "f$round-a{$a->id}", 60]);
    $won = array_filter($res, fn ($x) => is_array($x) && isset($x['owner']));
    $nulls = array_filter($res, fn ($x) => $x === null);
    $taken = array_map(fn ($x) => $x['candidate'], $won);
    $ok = count($won) === $n && count($nulls) === count($agents) - $n && count(array_unique($taken)) === $n;
    foreach ($won as $w) {
        foreach ($w['keys'] as $k) {
            $ok = $ok && $r->get($k) === hold($w);
        }
    }
    check($ok, "any-of-$n round $round: " . json_encode($res));
    $anyOk += $ok ? 1 : 0;
}
printf("mixed: %d any-of-%d rounds (%d agents): %d with %d winners on distinct candidates\n",
    $anyRounds, $n, count($agents), $anyOk, $n);

/* ---- 4. hand-over between the sides ------------------------------------------------------ */

$handover = 0;
foreach ([[$ext, $poly], [$poly, $ext]] as [$a, $b]) {
    $slot = $a === $ext ? '2032-02-02 10:00' : '2032-02-02 11:00';
    $owner = "owner-{$a->side}";
    $lock = $a->call('acquire', 9, 31, $slot, $owner, 30);
    check(is_array($lock) && isset($lock['key']), "{$a->side} acquire: " . json_encode($lock));
    $key = $lock['key'];
    $steps = [
        "{$b->side} validates it" => $b->call('validate', $key, $owner) === true,
        "{$b->side} refuses a foreign owner" => $b->call('validate', $key, 'thief') === false,
        "{$b->side} refuses to take it" => $b->call('acquire', 9, 31, $slot, 'thief', 30) === null,
        "{$b->side} re-acquires it for the owner, no fence" =>
            is_array($again = $b->call('acquire', 9, 31, $slot, $owner, 30)) && $again['fence'] === null
            && $r->get($key) === "h:0:$owner",
        "{$b->side} extends it, no fence" => is_array($ext2 = $b->call('extend', $key, $owner, 120))
            && $ext2['fence'] === null,
        'Redis has the new TTL' => $r->pttl($key) > 100000,
        "{$a->side} status after the extend" => ($a->call('status', $key)['ttl_ms'] ?? 0) > 100000,
        "{$a->side} does not release for a foreign owner" => $a->call('release', $key, 'thief') === false,
        "{$b->side} releases it" => $b->call('release', $key, $owner) === true,
        "{$a->side} sees it free" => ($a->call('status', $key)['locked'] ?? null) === false,
        "{$a->side} cannot extend it now" => $a->call('extend', $key, $owner) === null,
    ];
    foreach ($steps as $what => $ok) {
        check($ok, "hand-over {$a->side} -> {$b->side}: $what");
        $handover += $ok ? 1 : 0;
    }

    /* a booked marker made by one side is honoured by the other */
    $c = $a->call('acquireSegments', 9, [[32, $slot], [33, $slot]], $owner, 30);
    $steps = [
        "{$b->side} commits it" => $b->call('commit', $c['key'], $owner, "bk-{$a->side}") === true,
        "{$a->side} sees it booked" => ($a->call('status', $c['key'])['booked'] ?? null) === true,
        "{$a->side} cannot take it, even for the owner" =>
            $a->call('acquireSegments', 9, [[32, $slot], [33, $slot]], $owner, 30) === null,
        "{$a->side} answers already_booked with the booking id" =>
            ($a->call('beginBooking', $c['key'], $owner)['booking_id'] ?? null) === "bk-{$a->side}",
        "{$a->side} finishBooking keeps the first booking id" =>
            $a->call('finishBooking', $c['key'], $owner, true, 'other-id') === true
            && $r->get($c['keys'][0]) === 'b:0:' . strlen("bk-{$a->side}") . ":bk-{$a->side}:$owner",
        "{$b->side} release leaves the booked marker" =>
            $b->call('release', $c['key'], $owner) === false && $r->exists($c['keys'][0]) === 1,
    ];
    foreach ($steps as $what => $ok) {
        check($ok, "booked {$a->side} -> {$b->side}: $what");
        $handover += $ok ? 1 : 0;
    }

    /* a fenced lock: the other side keeps its fence on re-acquire, extend and commit */
    $f = $a->call('f:acquire', 9, 34, $slot, $owner, 30);
    $steps = [
        "{$a->side} fenced acquire" => is_array($f) && $f['fence'] > 0 && $r->get($f['key']) === hold($f),
        "{$b->side} re-acquires it fenced, same fence" =>
            is_array($x = $b->call('f:acquire', 9, 34, $slot, $owner, 30)) && $x['fence'] === $f['fence'],
        "{$b->side} extends it, same fence" =>
            is_array($x = $b->call('extend', $f['key'], $owner, 60)) && $x['fence'] === $f['fence'],
        "{$b->side} commits it, the fence kept" => $b->call('f:commit', $f['key'], $owner, 'fb') === true
            && $r->get($f['key']) === "b:{$f['fence']}:2:fb:$owner",
    ];
    foreach ($steps as $what => $ok) {
        check($ok, "fenced {$a->side} -> {$b->side}: $what");
        $handover += $ok ? 1 : 0;
    }
}

/* resource buckets: both sides cut an interval into the same keys, and conflict on them */
$rk = fn (Agent $a) => $a->call('resourceKeys', 9, 'staff-1', '2032-03-03 09:50', 70, 10, 5);
check($rk($ext) === $rk($poly) && count($rk($ext)) === 7, 'resourceKeys differ: ' . json_encode([$rk($ext), $rk($poly)]));
$res = $ext->call('acquireResource', 9, 'staff-1', '2032-03-03 10:00', '2032-03-03 11:00', 'res-ext', 30);
check(is_array($res) && count($res['keys']) === 4, 'ext acquireResource: ' . json_encode($res));
check($poly->call('acquireResource', 9, 'staff-1', '2032-03-03 10:45', 30, 'res-poly', 30) === null,
    'polyfill took an overlapping resource interval');
check(is_array($poly->call('acquireResource', 9, 'staff-1', '2032-03-03 11:00', 30, 'res-poly', 30)),
    'polyfill could not take the adjacent resource interval');

/* keys and counters are the same from both sides */
check($ext->call('key', 1, 31, '2030-11-24 14:00') === $poly->call('key', 1, 31, '2030-11-24 14:00'), 'key() differs');
$all = [];
$it = null;
$r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
while (($keys = $r->scan($it, "$prefix:*", 1000)) !== false) {
    array_push($all, ...$keys);
}
$slotKey = '/^' . preg_quote($prefix, '/') . ':c[A-Za-z0-9_-]+:(s[A-Za-z0-9_-]+:t|r[A-Za-z0-9_-]+:b)[0-9]{12}$/';
$strays = array_filter($all, fn ($k) => !preg_match($slotKey, $k));
check($strays === [], 'keys besides slots under the slot pattern: ' . json_encode(array_values($strays)));
$active = [$ext->call('activeLocks'), $poly->call('activeLocks')];
check($active[0] === $active[1] && $active[0] === count($all),
    'activeLocks: ext, polyfill, keys in Redis: ' . json_encode([...$active, count($all)]));
$fenceE = $ext->call('f:acquire', 9, 99, '2032-04-04 10:00', 'fe', 30)['fence'];
$fenceP = $poly->call('f:acquire', 9, 99, '2032-04-04 10:30', 'fp', 30)['fence'];
check($fenceP === $fenceE + 1 && (int) $r->get("$prefix#fence") === $fenceP,
    "one fence counter: ext $fenceE, then polyfill $fenceP, Redis " . $r->get("$prefix#fence"));
printf("mixed: hand-over checks: %d passed; fence counter shared (ext %d, then polyfill %d)\n",
    $handover, $fenceE, $fenceP);

/* ---- 5. the scripts the extension loads are the polyfill's ------------------------------- */

$r->script('flush');
$k = $ext->call('f:acquire', 9, 77, '2032-05-05 10:00', 'sha', 30)['key'];   /* the acquire script */
$ext->call('validate', $k, 'sha');
$ext->call('extend', $k, 'sha', 30);
$ext->call('status', $k);
$ext->call('commit', $ext->call('acquire', 9, 78, '2032-05-05 10:00', 'sha', 30)['key'], 'sha');
$ext->call('release', $k, 'sha');                                                /* DELIFEQ, DELEX or release1 */
$ext->call('release', $ext->call('acquireSegments', 9, [[79, '2032-05-05 10:00'], [80, '2032-05-05 10:00']], 'sha', 30)['key'], 'sha');
$shas = $poly->call('shas');
$native = $r->rawCommand('COMMAND', 'INFO', 'DELIFEQ', 'DELEX');
if (is_array($native[0] ?? null) || is_array($native[1] ?? null)) {
    unset($shas['release1']);                    /* the server deletes natively: no script */
}
$exists = $r->script('exists', ...array_values($shas));
check($exists === array_fill(0, count($shas), 1),
    'after the extension ran every script, SCRIPT EXISTS of the polyfill digests: ' . json_encode(array_combine(array_keys($shas), $exists)));
$loads = $poly->call('stats')['script_loads'];
$poly->call('validate', $k, 'sha');
$poly->call('status', $k);
check($poly->call('stats')['script_loads'] === $loads, 'the polyfill had to load a script the extension loaded');
printf("mixed: %d scripts: the extension loaded exactly the polyfill's digests\n", count($shas));

/* ---- done -------------------------------------------------------------------------------- */

foreach ($agents as $a) {
    $a->stop();
}
cleanup($r, $prefix);
echo $failures === 0 ? "mixed: all passed\n" : "mixed: $failures failures\n";
exit($failures === 0 ? 0 : 1);
