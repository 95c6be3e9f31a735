<?php
/*
 * The rolling upgrade from wire format 1 (slotlock 0.1.x) to format 2, both directions, with
 * the polyfill: agents of the 0.1.x polyfill (tests/upgrade/format1/, slot hashes) and of
 * today's polyfill (slot strings; and the extension too when SLOTLOCK_EXT_SO names one that
 * speaks format 2) share one Redis, as servers do while a deploy rolls over (docs/WIRE.md,
 * "Version 1 and the rolling upgrade"):
 *   - format 2 meeting a format-1 hash treats it as another owner's hold, for every operation,
 *     even for the owner that wrote it: never overwritten, never deleted, WRONGTYPE handled,
 *     no exception; it stops blocking when it expires;
 *   - format 1 meeting a format-2 string does the same (its HMGET answers WRONGTYPE), a booked
 *     marker shows as locked, not booked, and its activeLocks() does not count format-2 keys;
 *   - races of both versions on one slot have exactly one winner.
 *
 *   php tests/upgrade/polyfill.php      (SLOTLOCK_TEST_HOST/PORT, PHP, SLOTLOCK_EXT_SO optional)
 * Exits 1 on any violation.
 */

require dirname(__DIR__) . '/polyfill/agents.inc';

const ROUNDS = 10;

if (extension_loaded('slotlock')) {
    fwrite(STDERR, "upgrade: run me without the extension: I start the agents myself\n");
    exit(1);
}
$host = getenv('SLOTLOCK_TEST_HOST') ?: '127.0.0.1';
$port = (int) (getenv('SLOTLOCK_TEST_PORT') ?: 6379);
$prefix = 'sltest_upgrade_' . bin2hex(random_bytes(4));
$r = new Redis();
$r->connect($host, $port, 2.0);

$old = new Agent('format1', 0, $prefix);
$new = [new Agent('polyfill', 1, $prefix)];
$so = getenv('SLOTLOCK_EXT_SO');
if ($so !== false && $so !== '' && is_file($so)) {
    $new[] = new Agent('ext', 2, $prefix);
}
$checks = 0;
function expect(bool $ok, string $what): void
{
    global $checks;
    check($ok, $what);
    $checks++;
}

/** The state of a key Redis can show: its type and value. */
function snapshot(Redis $r, string $key): array
{
    $type = $r->type($key);
    $v = $type === Redis::REDIS_HASH ? $r->hGetAll($key) : $r->get($key);
    if (is_array($v)) {
        ksort($v);
    }
    return [$type, $v];
}

$conflict = fn (array $ev) => ($ev[0]['event'] ?? null) === 'conflict' && ($ev[0]['reason'] ?? null) === 'slot_locked'
    && ($ev[0]['ttl_ms'] ?? 0) > 0;

/* ---- 1. format 2 meets a format-1 hash ------------------------------------------------------ */

foreach ($new as $i => $n) {
    $s = $n->side;
    $day = sprintf('2030-06-%02d', $i + 1);
    $lock = $old->call('acquire', 3, 31, "$day 10:00", 'old-owner', 60);
    $key = $lock['key'];
    $booked = $old->call('acquire', 3, 32, "$day 10:00", 'old-owner', 60);
    $old->call('commit', $booked['key'], 'old-owner', 'old-booking');
    $before = [snapshot($r, $key), snapshot($r, $booked['key'])];
    $pttl = $r->pTTL($key);
    expect($before[0][0] === Redis::REDIS_HASH && $before[0][1]['owner'] === 'old-owner',
        "format 1 wrote a hash: " . json_encode($before[0]));
    $n->call('events');

    expect($n->call('acquire', 3, 31, "$day 10:00", 'new-owner', 30) === null, "$s acquire of a format-1 hold");
    expect($conflict($ev = $n->call('events')) && $ev[0]['ttl_ms'] <= $pttl,
        "$s reports slot_locked with the hash's TTL: " . json_encode($ev));
    expect($n->call('acquire', 3, 31, "$day 10:00", 'old-owner', 30) === null,
        "$s acquire by the format-1 owner itself");
    if ($s !== 'format1') {
        expect($n->call('f:acquire', 3, 31, "$day 10:00", 'new-owner', 30) === null, "$s fenced acquire");
    }
    $first = $n->call('acquireFirst', 3, [[31, "$day 10:00"], [33, "$day 10:00"]], 'new-owner', 30);
    expect(is_array($first) && $first['candidate'] === 1, "$s acquireFirst skips the hash: " . json_encode($first));
    expect($n->call('acquireSegments', 3, [[34, "$day 10:00"], [31, "$day 10:00"]], 'new-owner', 30) === null
        && $r->exists("$prefix:c3:s34:t" . str_replace('-', '', $day) . '1000') === 0,
        "$s compound over the hash: none taken, nothing left behind");
    expect($n->call('validate', $key, 'old-owner') === false, "$s validate");
    expect($n->call('extend', $key, 'old-owner', 90) === null, "$s extend");
    expect($n->call('commit', $key, 'old-owner', 'b') === false, "$s commit");
    expect($n->call('release', $key, 'old-owner') === false, "$s release (one key)");
    expect($n->call('release', "$key,{$first['key']}", 'old-owner') === false, "$s release (two keys)");
    expect($n->call('f:release', $key, 'old-owner') === false, "$s fenced release");
    $st = $n->call('status', $key);
    expect(($st['locked'] ?? null) === true && $st['booked'] === false && $st['ttl_ms'] > 0, "$s status: " . json_encode($st));
    $st = $n->call('status', $booked['key']);
    expect(($st['locked'] ?? null) === true && $st['booked'] === false,
        "$s status of a format-1 booked marker: locked, not booked: " . json_encode($st));
    $chk = $n->call('check', ['available' => true], 3, 31, "$day 10:00", 'new-owner');
    expect(($chk['available'] ?? null) === false && $chk['reason'] === 'slot_locked' && $chk['retry_after'] > 0,
        "$s check: " . json_encode($chk));
    $bb = $n->call('beginBooking', $key, 'old-owner');
    expect(($bb['ok'] ?? null) === false && $bb['reason'] === 'slot_locked', "$s beginBooking: " . json_encode($bb));
    $bb = $n->call('beginBooking', $booked['key'], 'old-owner');
    expect(($bb['ok'] ?? null) === false && $bb['reason'] === 'slot_locked',
        "$s beginBooking on a format-1 marker (not already_booked): " . json_encode($bb));
    expect($n->call('finishBooking', $key, 'old-owner', true, 'x') === false, "$s finishBooking(true)");
    expect($n->call('finishBooking', $key, 'old-owner', false) === false, "$s finishBooking(false)");
    expect([snapshot($r, $key), snapshot($r, $booked['key'])] === $before && $r->pTTL($key) <= $pttl,
        "$s left the format-1 keys as they were: " . json_encode([snapshot($r, $key), snapshot($r, $booked['key'])]));
    /* live locks: the two hashes and the one format-2 hold, whoever counts */
    $day2 = str_replace('-', '', $day);
    $mine = array_filter([$key, $booked['key'], $first['key']], fn ($k) => str_contains($k, $day2));
    expect($n->call('activeLocks') >= count($mine), "$s activeLocks counts format-1 hashes");
    expect($n->call('release', $first['key'], 'new-owner') === true, "$s releases its own hold next to them");

    /* the hash expires: then format 2 takes the slot */
    $short = $old->call('acquire', 3, 35, "$day 10:00", 'old-owner', 1);
    expect($n->call('acquire', 3, 35, "$day 10:00", 'new-owner', 30) === null, "$s before the short hash expires");
    usleep(1100000);
    $after = $n->call('acquire', 3, 35, "$day 10:00", 'new-owner', 30);
    expect(is_array($after) && $r->get($short['key']) === 'h:0:new-owner', "$s takes the slot once the hash expired");
}

/* ---- 2. format 1 meets format-2 strings ----------------------------------------------------- */

foreach ($new as $i => $n) {
    $s = $n->side;
    $day = sprintf('2030-07-%02d', $i + 1);
    $hold = $n->call('acquire', 4, 41, "$day 10:00", 'new-owner', 60);
    $fenced = $n->call('f:acquire', 4, 42, "$day 10:00", 'new-owner', 60);
    $marker = $n->call('acquire', 4, 43, "$day 10:00", 'new-owner', 60);
    $n->call('commit', $marker['key'], 'new-owner', 'new-booking');
    $keys = [$hold['key'], $fenced['key'], $marker['key']];
    $before = array_map(fn ($k) => snapshot($r, $k), $keys);
    expect($before[0] === [Redis::REDIS_STRING, 'h:0:new-owner']
        && $before[1] === [Redis::REDIS_STRING, "h:{$fenced['fence']}:new-owner"]
        && $before[2] === [Redis::REDIS_STRING, 'b:0:11:new-booking:new-owner'],
        "$s wrote format-2 strings: " . json_encode($before));
    $old->call('events');
    $activeBefore = $old->call('activeLocks');

    foreach ([41, 42, 43] as $j => $svc) {
        $k = $keys[$j];
        $old->call('events');
        expect($old->call('acquire', 4, $svc, "$day 10:00", 'old-owner', 30) === null, "format 1 acquire of $s's $k");
        expect($conflict($ev = $old->call('events')), "format 1 reports slot_locked: " . json_encode($ev));
        expect($old->call('acquire', 4, $svc, "$day 10:00", 'new-owner', 30) === null,
            "format 1 acquire of $s's $k by its own owner");
        $old->call('events');
        expect($old->call('validate', $k, 'new-owner') === false, "format 1 validate $k");
        expect($old->call('extend', $k, 'new-owner', 90) === null, "format 1 extend $k");
        expect($old->call('commit', $k, 'new-owner', 'b') === false, "format 1 commit $k");
        expect($old->call('release', $k, 'new-owner') === false, "format 1 release $k");
        $st = $old->call('status', $k);
        expect(($st['locked'] ?? null) === true && $st['booked'] === false && $st['ttl_ms'] > 0,
            "format 1 status of $k: locked, never booked: " . json_encode($st));
        $bb = $old->call('beginBooking', $k, 'new-owner');
        expect(($bb['ok'] ?? null) === false && $bb['reason'] === 'slot_locked', "format 1 beginBooking $k: " . json_encode($bb));
        $chk = $old->call('check', ['available' => true], 4, $svc, "$day 10:00", 'old-owner');
        expect(($chk['available'] ?? null) === false && $chk['reason'] === 'slot_locked', "format 1 check $k: " . json_encode($chk));
    }
    $old->call('events');
    expect($old->call('activeLocks') === $activeBefore, 'format 1 activeLocks does not count format-2 keys');
    expect(array_map(fn ($k) => snapshot($r, $k), $keys) === $before,
        "format 1 left $s's keys as they were: " . json_encode(array_map(fn ($k) => snapshot($r, $k), $keys)));
    expect($n->call('validate', $hold['key'], 'new-owner') === true && $n->call('release', $hold['key'], 'new-owner') === true,
        "$s still holds and releases its slot");
}

/* ---- 3. both versions race for one slot ----------------------------------------------------- */

$agents = [$old, new Agent('format1', 10, $prefix), ...$new, new Agent('polyfill', 11, $prefix)];
$wins = [];
for ($round = 0; $round < ROUNDS; $round++) {
    $start = sprintf('2030-08-01 %02d:00', $round + 8);
    $res = race($agents, $r, $prefix, 'acquire', fn (Agent $a) => [5, 51, $start, "u$round-a{$a->id}", 60]);
    [$won, $bad] = winners($res);
    expect($bad === [] && count($won) === 1, "race $round: winners " . json_encode($won) . ', failures ' . json_encode($bad));
    foreach ($won as $id) {
        $side = $agents[array_search($id, array_map(fn ($a) => $a->id, $agents), true)]->side;
        $wins[$side] = ($wins[$side] ?? 0) + 1;
        $key = $res[$id]['key'];
        $ok = $side === 'format1' ? $r->hGet($key, 'owner') === "u$round-a$id" : $r->get($key) === "h:0:u$round-a$id";
        expect($ok, "race $round: Redis holds the winner's lock in its format");
    }
}
ksort($wins);

foreach ($agents as $a) {
    $a->stop();
}
cleanup($r, $prefix);
printf("upgrade: format 1 <-> %s: %d checks, %d races with one winner each (wins: %s)\n",
    implode(', ', array_map(fn ($a) => $a->side, $new)), $checks, ROUNDS, json_encode($wins));
echo $failures === 0 ? "upgrade: all passed\n" : "upgrade: $failures failures\n";
exit($failures === 0 ? 0 : 1);
