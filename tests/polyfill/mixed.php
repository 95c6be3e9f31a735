<?php
/*
 * The rolling-deploy test: processes with the C extension and processes with the PHP polyfill
 * work on the same slots of one Redis at the same time, as they do while a deploy rolls over.
 *
 *   php tests/polyfill/mixed.php            (SLOTLOCK_EXT_SO, SLOTLOCK_TEST_HOST/PORT, PHP)
 *
 * It starts agents, long-lived PHP processes that run SlotLockService calls sent as JSON lines
 * on stdin: half with slotlock.so (-d extension=...), half with the polyfill (no extension,
 * auto_prepend_file=polyfill/slotlock.php). Then:
 *   - races: in each round all agents wait on one BLPOP barrier and acquire the same slot (or
 *     the same compound service, segments listed in different orders): exactly one winner, and
 *     Redis holds the winner's owner and fence; fences grow from round to round whoever wins;
 *   - any-of-N: acquireFirst() over N candidates by 2N agents: N winners on N distinct candidates;
 *   - hand-over: a lock taken by one side is validated, extended, committed and released by the
 *     other with the same owner; a foreign owner is refused by both; both read one fence counter;
 *   - the scripts: after SCRIPT FLUSH, the digests the extension loads are the polyfill's.
 * Exits 1 on any violation.
 */

const ROUNDS = 20;
const PER_SIDE = 4;

if (($argv[1] ?? '') === 'agent') {
    agent_main($argv[2], $argv[3]);
    exit(0);
}

$so = getenv('SLOTLOCK_EXT_SO') ?: dirname(__DIR__, 2) . '/modules/slotlock.so';
$php = getenv('PHP') ?: PHP_BINARY;
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

$failures = 0;
function check(bool $ok, string $what): void
{
    global $failures;
    if (!$ok) {
        $failures++;
        echo "FAIL: $what\n";
    }
}

final class Agent
{
    public $proc;
    public array $pipes = [];

    public function __construct(public string $side, public int $id, string $php, string $so, string $prefix)
    {
        $args = $side === 'ext'
            ? ['-d', "extension=$so"]
            : ['-d', 'auto_prepend_file=' . dirname(__DIR__, 2) . '/polyfill/slotlock.php'];
        $cmd = array_merge([$php], $args, [__FILE__, 'agent', $side, $prefix]);
        $this->proc = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => STDERR], $this->pipes);
        if (!is_resource($this->proc)) {
            throw new RuntimeException("cannot start the $side agent");
        }
    }

    public function send(string $op, array $args = []): void
    {
        fwrite($this->pipes[0], json_encode(['op' => $op, 'args' => $args]) . "\n");
        fflush($this->pipes[0]);
    }

    public function receive(): array
    {
        $line = fgets($this->pipes[1]);
        if ($line === false) {
            throw new RuntimeException("the {$this->side} agent #{$this->id} died");
        }
        return json_decode($line, true, 512, JSON_THROW_ON_ERROR);
    }

    /** One call; its result (a SlotLock as an array), or ['throws' => class, 'message' => ...]. */
    public function call(string $op, ...$args): mixed
    {
        $this->send($op, $args);
        $a = $this->receive();
        return array_key_exists('result', $a) ? $a['result'] : $a;
    }

    public function stop(): void
    {
        fclose($this->pipes[0]);
        fclose($this->pipes[1]);
        proc_close($this->proc);
    }
}

/* ---- agents ------------------------------------------------------------------------ */

$agents = [];
for ($i = 0; $i < PER_SIDE; $i++) {
    $agents[] = new Agent('ext', count($agents), $php, $so, $prefix);
    $agents[] = new Agent('polyfill', count($agents), $php, $so, $prefix);
}
foreach ($agents as $a) {
    $hello = $a->call('hello');
    if (($hello['extension'] ?? null) !== ($a->side === 'ext')) {
        echo "FAIL: agent #{$a->id} ({$a->side}) runs with extension_loaded('slotlock') = "
            . var_export($hello['extension'] ?? null, true) . "\n";
        exit(1);
    }
}
$ext = $agents[0];
$poly = $agents[1];

/** All agents wait on one BLPOP barrier, then run $op; returns their results by agent id. */
function race(array $agents, Redis $r, string $prefix, string $op, callable $argsFor): array
{
    static $n = 0;
    $barrier = "$prefix:barrier:" . $n++;
    foreach ($agents as $a) {
        $a->send('race', [$barrier, $op, $argsFor($a)]);
    }
    usleep(50000);                               /* let every agent block in BLPOP */
    $r->rPush($barrier, ...array_fill(0, count($agents), 'go'));
    $out = [];
    foreach ($agents as $a) {
        $res = $a->receive();
        $out[$a->id] = array_key_exists('result', $res) ? $res['result'] : $res;
    }
    $r->del($barrier);
    return $out;
}

/* ---- 1. one slot, ROUNDS rounds ------------------------------------------------------- */

$winsBySide = ['ext' => 0, 'polyfill' => 0];
$lastFence = 0;
$roundsOk = 0;
for ($round = 0; $round < $rounds; $round++) {
    $start = sprintf('2030-11-24 %02d:%02d', intdiv($round, 4) + 8, ($round % 4) * 15);
    $res = race($agents, $r, $prefix, 'acquire', fn (Agent $a) => [7, 31, $start, "r$round-a{$a->id}", 60]);
    $winners = array_keys(array_filter($res, fn ($x) => is_array($x) && isset($x['owner'])));
    $bad = array_filter($res, fn ($x) => $x !== null && !(is_array($x) && isset($x['owner'])));
    check($bad === [], "round $round: an agent failed: " . json_encode($bad));
    check(count($winners) === 1, "round $round: " . count($winners) . ' winners');
    if (count($winners) === 1) {
        $w = $res[$winners[0]];
        $key = "$prefix:c7:s31:t" . date_create($start, timezone_open('UTC'))->format('YmdHi');
        $h = $r->hGetAll($key);
        $ok = $w['key'] === $key && ($h['owner'] ?? null) === "r$round-a{$winners[0]}"
            && (int) ($h['fence'] ?? 0) === $w['fence'] && $w['fence'] > $lastFence;
        check($ok, "round $round: Redis holds " . json_encode($h) . ', the winner says ' . json_encode($w)
            . ", previous fence $lastFence");
        $lastFence = max($lastFence, $w['fence']);
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
    $winners = array_keys(array_filter($res, fn ($x) => is_array($x) && isset($x['owner'])));
    check(count($winners) === 1, "compound round $round: " . count($winners) . ' winners');
    if (count($winners) === 1) {
        $w = $res[$winners[0]];
        $held = array_map(fn ($k) => $r->hGetAll($k), $w['keys']);
        $ok = count($w['keys']) === 3;
        foreach ($held as $h) {
            $ok = $ok && ($h['owner'] ?? null) === $w['owner'] && (int) ($h['fence'] ?? 0) === $w['fence'];
        }
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
            $ok = $ok && $r->hGet($k, 'owner') === $w['owner'];
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
        "{$b->side} re-acquires it for the owner, same fence" =>
            ($b->call('acquire', 9, 31, $slot, $owner, 30)['fence'] ?? null) === $lock['fence'],
        "{$b->side} extends it, same fence" => ($b->call('extend', $key, $owner, 120)['fence'] ?? null) === $lock['fence'],
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
            && $r->hGet($c['keys'][0], 'booked') === "bk-{$a->side}",
        "{$b->side} release leaves the booked marker" =>
            $b->call('release', $c['key'], $owner) === false && $r->exists($c['keys'][0]) === 1,
    ];
    foreach ($steps as $what => $ok) {
        check($ok, "booked {$a->side} -> {$b->side}: $what");
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
$active = [$ext->call('activeLocks'), $poly->call('activeLocks')];
check($active[0] === $active[1] && $active[0] > 0, 'activeLocks differ: ' . json_encode($active));
$fenceE = $ext->call('acquire', 9, 99, '2032-04-04 10:00', 'fe', 30)['fence'];
$fenceP = $poly->call('acquire', 9, 99, '2032-04-04 10:30', 'fp', 30)['fence'];
check($fenceP === $fenceE + 1 && (int) $r->get("$prefix:fence") === $fenceP,
    "one fence counter: ext $fenceE, then polyfill $fenceP, Redis " . $r->get("$prefix:fence"));
printf("mixed: hand-over checks: %d passed; fence counter shared (ext %d, then polyfill %d)\n",
    $handover, $fenceE, $fenceP);

/* ---- 5. the scripts the extension loads are the polyfill's ------------------------------- */

$r->script('flush');
$k = $ext->call('acquire', 9, 77, '2032-05-05 10:00', 'sha', 30)['key'];
$ext->call('validate', $k, 'sha');
$ext->call('extend', $k, 'sha', 30);
$ext->call('status', $k);
$ext->call('commit', $ext->call('acquire', 9, 78, '2032-05-05 10:00', 'sha', 30)['key'], 'sha');
$ext->call('release', $k, 'sha');
$ext->call('activeLocks');
$shas = $poly->call('shas');
$exists = $r->script('exists', ...array_values($shas));
check($exists === array_fill(0, count($shas), 1),
    'after the extension ran every script, SCRIPT EXISTS of the polyfill digests: ' . json_encode(array_combine(array_keys($shas), $exists)));
$loads = $poly->call('stats')['script_loads'];
$poly->call('validate', $k, 'sha');
$poly->call('activeLocks');
check($poly->call('stats')['script_loads'] === $loads, 'the polyfill had to load a script the extension loaded');
printf("mixed: %d scripts: the extension loaded exactly the polyfill's digests\n", count($shas));

/* ---- done -------------------------------------------------------------------------------- */

foreach ($agents as $a) {
    $a->stop();
}
$r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
$it = null;
while (($keys = $r->scan($it, "$prefix:*", 1000)) !== false) {
    if ($keys) {
        $r->del($keys);
    }
}
echo $failures === 0 ? "mixed: all passed\n" : "mixed: $failures failures\n";
exit($failures === 0 ? 0 : 1);

/* ---- the agent ------------------------------------------------------------------------------ */

function agent_main(string $side, string $prefix): void
{
    $host = getenv('SLOTLOCK_TEST_HOST') ?: '127.0.0.1';
    $port = (int) (getenv('SLOTLOCK_TEST_PORT') ?: 6379);
    $svc = new SlotLockService(['host' => $host, 'port' => $port, 'prefix' => $prefix, 'timeout' => 5.0]);
    $flow = new AvailabilityWithLock($svc);
    $barrier = new Redis();
    $barrier->connect($host, $port, 5.0);
    $export = function ($v) use (&$export) {
        if ($v instanceof SlotLock) {
            return ['key' => $v->key, 'keys' => $v->keys, 'owner' => $v->owner, 'fence' => $v->fence,
                    'expires' => $v->expiresAt->getTimestamp(), 'candidate' => $v->candidate];
        }
        return $v;
    };
    $run = function (string $op, array $args) use ($svc, $flow, $side) {
        switch ($op) {
            case 'hello':
                $svc->activeLocks();                 /* connected before any race */
                return ['extension' => extension_loaded('slotlock'), 'side' => $side];
            case 'shas':
                $c = new ReflectionClassConstant(SlotLock\Polyfill\Scripts::class, 'SCRIPTS');
                return array_map('sha1', $c->getValue());
            case 'beginBooking':
            case 'finishBooking':
                return $flow->$op(...$args);
            default:
                return $svc->$op(...$args);
        }
    };
    while (($line = fgets(STDIN)) !== false) {
        $cmd = json_decode($line, true);
        $op = $cmd['op'];
        $args = $cmd['args'];
        try {
            if ($op === 'race') {
                [$key, $op, $args] = $args;
                $barrier->blPop([$key], 30);
            }
            $out = ['result' => $export($run($op, $args))];
        } catch (Throwable $e) {
            $out = ['throws' => get_class($e), 'message' => $e->getMessage()];
        }
        echo json_encode($out), "\n";
    }
}
