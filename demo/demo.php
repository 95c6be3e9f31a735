<?php
/**
 * slotlock demo: concurrent phone callers racing for appointment slots,
 * through the voice agent's own booking flow (AvailabilityWithLock).
 *
 *   php -d extension=modules/slotlock.so demo/demo.php [options]
 *
 * Every caller is a forked process that walks the voice agent's flow:
 * check_availability -> the agent talks (the gap) -> start_booking. Both
 * function calls are handled the way the app's handler does it
 * (examples/laravel/.../RetellFunctionCallHandler.php):
 *
 *   check_availability  the app computes availability from the booking
 *                       ledger (a "DB query" of a few ms), then hands it to
 *                       $flow->check(): the only locking, no second ledger
 *                       read after it.
 *   start_booking       $flow->beginBooking($lockKey, $callId); when ok, write
 *                       the ledger; then let the slot go (below).
 *
 * The same callers (arrival, preferred slots, gap, hang-ups, retries, failed
 * writes, delays) are replayed in three modes:
 *
 *   naive     no locks: check = the ledger, start_booking = write it.
 *   release   check() + beginBooking(), then $svc->release() after the write:
 *             the old PHP implementation. The slot is free again the moment
 *             the booking is written, so a caller whose availability was
 *             computed just before the write takes the lock just after it
 *             and books the slot again.
 *   slotlock  the same, but finishBooking($lockKey, $callId, true, $bookingId):
 *             the hold becomes a booked marker, check() answers slot_booked,
 *             and a retried start_booking answers already_booked with the
 *             booking id of the first one. finishBooking(false) when the
 *             booking write fails.
 *
 * A caller told slot_locked re-checks the same slot a few times (the agent:
 * "someone is booking it right now, let me check again"), then offers its
 * next preferred slot; so callers keep asking about a slot while its holder
 * books it. Callers who hang up after the check never book: their hold expires
 * after the (short) TTL, and after the race a late caller books those slots.
 * The agent platform retries some start_booking calls (up to twice) after
 * they succeeded; a few booking writes fail. After the race, a slow talker
 * lets its hold expire before start_booking, which answers relocked.
 *
 * The booking ledger is a Redis list per slot (demo:<run>:bookings:<slot>),
 * one "<call id> <booking id>" entry per booking; a slot is available when
 * its list is empty. Double bookings = sum over slots of max(0, entries - 1).
 * Exit status: 0 when the slotlock mode has no double booking and everything
 * else it promises held, 1 when not, 2 on a usage or environment error.
 *
 * Environment: SLOTLOCK_TEST_HOST (127.0.0.1), SLOTLOCK_TEST_PORT (6379):
 * a throw-away Redis. The demo writes only keys under its own run id and
 * deletes them at the end (SCAN + DEL).
 */

declare(strict_types=1);

const USAGE = <<<'TXT'
Usage: php -d extension=modules/slotlock.so demo/demo.php [options]

  --callers=N        concurrent callers (forked processes) per round  [48]
  --slots=M          appointment slots they race for, per round       [12]
  --gap-ms=A-B       check -> start_booking gap in ms; stands for the
                     agent's 8-12 s of talk                           [80-120]
  --arrival-ms=A-B   when callers call in, after the start signal     [0-300]
  --db-ms=A-B        the availability query: ledger read -> check()   [2-6]
  --recheck-ms=A-B   pause before re-checking a slot_locked slot      [10-20]
  --rechecks=R       re-checks of a slot_locked slot before the next  [6]
  --tries=T          slots refused as slot_locked before giving up    [3]
  --abandon=P        share of callers who hang up after the check     [0.1]
  --retry=P          share of bookers whose start_booking the platform
                     retries (once or twice)                          [0.4]
  --fail=P           share of callers whose booking write fails       [0.04]
  --ttl=S            lock TTL in seconds (production: 300)            [2]
  --rounds=K         rounds per mode, each on fresh slots             [1]
  --seed=S           seed for the callers' plan (default: random)
  --modes=LIST       any of naive,release,slotlock           [all three]
  --naive-only       --modes=naive (no extension needed)
  --slotlock-only    --modes=slotlock
  --help

Redis: SLOTLOCK_TEST_HOST / SLOTLOCK_TEST_PORT (default 127.0.0.1:6379).

TXT;

const COMPANY = 1;
const SERVICE = 31;
const SLOT_MINUTES = 30;
const FIRST_SLOT = '2026-03-02 09:00';
const MODES = ['naive' => 'naive', 'release' => 'lock+release', 'slotlock' => 'slotlock'];

/* ------------------------------------------------------------------ options */

function fail_usage(string $msg): never
{
    fwrite(STDERR, "demo: $msg\n\n" . USAGE);
    exit(2);
}

/** @return array{0: int, 1: int} */
function parse_range(string $name, string $v): array
{
    if (!preg_match('/^(\d+)(?:-(\d+))?$/', $v, $m)) {
        fail_usage("--$name wants A-B (milliseconds), got '$v'");
    }
    $lo = (int) $m[1];
    $hi = isset($m[2]) ? (int) $m[2] : $lo;
    if ($hi < $lo) {
        fail_usage("--$name: $hi < $lo");
    }
    return [$lo, $hi];
}

function parse_int(string $name, string $v, int $min, int $max): int
{
    if (!preg_match('/^\d+$/', $v) || (int) $v < $min || (int) $v > $max) {
        fail_usage("--$name wants an integer in $min..$max, got '$v'");
    }
    return (int) $v;
}

function parse_share(string $name, string $v): float
{
    if (!is_numeric($v) || (float) $v < 0 || (float) $v > 1) {
        fail_usage("--$name wants a share in 0..1, got '$v'");
    }
    return (float) $v;
}

function parse_options(array $argv): array
{
    $o = [
        'callers' => 48, 'slots' => 12, 'gap' => [80, 120], 'arrival' => [0, 300],
        'db' => [2, 6], 'recheck' => [10, 20], 'rechecks' => 6, 'tries' => 3,
        'abandon' => 0.1, 'retry' => 0.4, 'fail' => 0.04,
        'ttl' => 2, 'rounds' => 1, 'seed' => null, 'modes' => array_keys(MODES),
    ];
    $valued = ['callers', 'slots', 'gap-ms', 'arrival-ms', 'db-ms', 'recheck-ms', 'rechecks', 'tries',
               'abandon', 'retry', 'fail', 'ttl', 'rounds', 'seed', 'modes'];
    $args = array_slice($argv, 1);
    while ($args) {
        $arg = array_shift($args);
        if (!preg_match('/^--([a-z-]+)(?:=(.*))?$/s', $arg, $m)) {
            fail_usage("unexpected argument '$arg'");
        }
        $name = $m[1];
        $val = $m[2] ?? null;
        if (in_array($name, $valued, true) && $val === null) {
            $val = array_shift($args) ?? fail_usage("--$name needs a value");
        } elseif (!in_array($name, $valued, true) && $val !== null) {
            fail_usage("--$name takes no value");
        }
        switch ($name) {
            case 'callers':    $o['callers'] = parse_int($name, $val, 1, 2000); break;
            case 'slots':      $o['slots'] = parse_int($name, $val, 1, 1000); break;
            case 'gap-ms':     $o['gap'] = parse_range($name, $val); break;
            case 'arrival-ms': $o['arrival'] = parse_range($name, $val); break;
            case 'db-ms':      $o['db'] = parse_range($name, $val); break;
            case 'recheck-ms': $o['recheck'] = parse_range($name, $val); break;
            case 'rechecks':   $o['rechecks'] = parse_int($name, $val, 0, 1000); break;
            case 'tries':      $o['tries'] = parse_int($name, $val, 1, 1000); break;
            case 'ttl':        $o['ttl'] = parse_int($name, $val, 1, 86400); break;
            case 'rounds':     $o['rounds'] = parse_int($name, $val, 1, 1000); break;
            case 'seed':       $o['seed'] = parse_int($name, $val, 0, PHP_INT_MAX); break;
            case 'abandon':    $o['abandon'] = parse_share($name, $val); break;
            case 'retry':      $o['retry'] = parse_share($name, $val); break;
            case 'fail':       $o['fail'] = parse_share($name, $val); break;
            case 'modes':
                $list = array_values(array_unique(array_filter(explode(',', $val), 'strlen')));
                if (!$list || array_diff($list, array_keys(MODES))) {
                    fail_usage("--modes wants a list of naive, release, slotlock; got '$val'");
                }
                $o['modes'] = array_values(array_intersect(array_keys(MODES), $list));
                break;
            case 'naive-only':    $o['modes'] = ['naive']; break;
            case 'slotlock-only': $o['modes'] = ['slotlock']; break;
            case 'help':          echo USAGE; exit(0);
            default:              fail_usage("unknown option --$name");
        }
    }
    $o['host'] = getenv('SLOTLOCK_TEST_HOST') ?: '127.0.0.1';
    $o['port'] = (int) (getenv('SLOTLOCK_TEST_PORT') ?: 6379);
    return $o;
}

/* ---------------------------------------------------------------- utilities */

function redis_connect(array $o): Redis
{
    $r = new Redis();
    if (!$r->connect($o['host'], $o['port'], 2.0)) {
        throw new RedisException("cannot connect to {$o['host']}:{$o['port']}");
    }
    $r->setOption(Redis::OPT_READ_TIMEOUT, 30.0);
    return $r;
}

function slot_start(array $o, int $round, int $slot): DateTimeImmutable
{
    // Slot $o['slots'] of each round is a spare nobody races for.
    $n = $round * ($o['slots'] + 1) + $slot;
    return (new DateTimeImmutable(FIRST_SLOT, new DateTimeZone('UTC')))
        ->modify('+' . ($n * SLOT_MINUTES) . ' minutes');
}

function ledger_key(string $run, DateTimeImmutable $start): string
{
    return "demo:$run:bookings:" . $start->format('YmdHi');
}

function service_options(array $o, string $prefix): array
{
    return ['host' => $o['host'], 'port' => $o['port'], 'prefix' => $prefix, 'ttl' => $o['ttl']];
}

function rand_us(array $rangeMs): int
{
    return mt_rand($rangeMs[0] * 1000, $rangeMs[1] * 1000);
}

/** Nearest-rank percentile of a sorted list. */
function percentile(array $sorted, float $p): ?float
{
    if (!$sorted) {
        return null;
    }
    $i = (int) ceil($p / 100 * count($sorted)) - 1;
    return $sorted[max(0, min(count($sorted) - 1, $i))];
}

/** Every key matching $pattern, by SCAN (never KEYS). */
function scan_keys(Redis $r, string $pattern): Generator
{
    $r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
    $it = null;
    while (($keys = $r->scan($it, $pattern, 1000)) !== false) {
        yield from $keys;
        if ($it === 0) {
            break;
        }
    }
}

/**
 * The ledger of one mode. A slot's entries beyond the first are double
 * bookings: by another caller (the race) or by the same caller again (a
 * retried start_booking that wrote a second row).
 *
 * @return array{bookings: int, booked_slots: int, double: int, double_race: int, double_retry: int, per_slot: array<string, int>}
 */
function read_ledger(Redis $r, string $run): array
{
    $per = [];
    $race = $retry = 0;
    foreach (scan_keys($r, "demo:$run:bookings:*") as $k) {
        $rows = $r->lRange($k, 0, -1);
        $callers = count(array_unique(array_map(fn ($e) => strtok($e, ' '), $rows)));
        $per[substr($k, strrpos($k, ':') + 1)] = count($rows);
        $race += max(0, $callers - 1);
        $retry += count($rows) - $callers;
    }
    ksort($per);
    return ['bookings' => array_sum($per), 'booked_slots' => count(array_filter($per)),
            'double' => $race + $retry, 'double_race' => $race, 'double_retry' => $retry, 'per_slot' => $per];
}

/* ------------------------------------------------------------------ callers */

/**
 * The callers of one round: the same plan is replayed in every mode.
 *
 * @return list<array{id: string, arrival_us: int, gap_us: int, prefs: list<int>, hangup: bool,
 *                    fail: bool, retries: int, retry_us: list<int>, rng: int}>
 */
function plan_round(array $o, string $runId, int $round): array
{
    $n = $o['callers'];
    $hangups = (int) round($n * $o['abandon']);
    $fails = min($n - $hangups, (int) round($n * $o['fail']));
    $order = range(0, $n - 1);
    shuffle($order);
    $role = [];
    foreach ($order as $i => $c) {
        $role[$c] = $i < $hangups ? 'hangup' : ($i < $hangups + $fails ? 'fail' : '');
    }
    $plan = [];
    for ($c = 0; $c < $n; $c++) {
        $prefs = range(0, $o['slots'] - 1);
        shuffle($prefs);
        $arrival = rand_us($o['arrival']);
        $gap = rand_us($o['gap']);
        if ($role[$c] === 'fail') {
            // calls in early, so it most likely gets a slot to fail on
            $arrival = $o['arrival'][0] * 1000 + intdiv($arrival - $o['arrival'][0] * 1000, 5);
        }
        $retries = $role[$c] !== 'hangup' && $role[$c] !== 'fail' && mt_rand() / mt_getrandmax() < $o['retry']
            ? mt_rand(1, 2) : 0;
        $plan[] = [
            'id' => "call-$runId-r$round-c$c",
            'arrival_us' => $arrival,
            'gap_us' => $gap,
            'prefs' => $prefs,
            'hangup' => $role[$c] === 'hangup',
            'fail' => $role[$c] === 'fail',
            'retries' => $retries,
            'retry_us' => array_map(fn () => mt_rand(2000, 20000), range(1, max(1, $retries))),
            'rng' => mt_rand(),                 // the caller's own delays (DB query, re-check pause)
        ];
    }
    return $plan;
}

/**
 * start_booking, as the app's handler does it. Returns
 * ['result' => booked|already_booked|refused|failed, 'reason' => ..., 'booking_id' => ...].
 */
function start_booking(string $mode, array $ctx, string $ledger, ?string $lockKey, string $callId, bool $writeFails): array
{
    ['r' => $r, 'flow' => $flow, 'svc' => $svc, 'run' => $run] = $ctx;
    $reason = null;
    if ($mode !== 'naive') {
        $gate = $flow->beginBooking($lockKey, $callId);
        $reason = $gate['reason'];
        if (!$gate['ok']) {
            return $reason === 'already_booked'
                ? ['result' => 'already_booked', 'reason' => $reason, 'booking_id' => $gate['booking_id']]
                : ['result' => 'refused', 'reason' => $reason, 'booking_id' => null];
        }
    }
    if ($writeFails) {                          // the calendar refused the booking
        if ($mode === 'release') {
            $svc->release($lockKey, $callId);
        } elseif ($mode === 'slotlock') {
            $flow->finishBooking($lockKey, $callId, false);
        }
        return ['result' => 'failed', 'reason' => $reason, 'booking_id' => null];
    }
    $bookingId = 'bk-' . $r->incr("demo:$run:booking_seq");
    $r->rPush($ledger, "$callId $bookingId");
    if ($mode === 'release') {
        $svc->release($lockKey, $callId);       // the old implementation: the slot is free again
    } elseif ($mode === 'slotlock') {
        $flow->finishBooking($lockKey, $callId, true, $bookingId);
    }
    return ['result' => 'booked', 'reason' => $reason, 'booking_id' => $bookingId];
}

/**
 * One caller's call. Runs in a forked child.
 *
 * Outcomes: booked, hung_up (after a successful check), gave_up (no free slot,
 * or too many slots answered slot_locked), refused (start_booking said
 * slot_locked / slot_booked), failed (the booking write failed).
 */
function run_caller(string $mode, array $o, int $round, array $call, array $ctx): array
{
    $res = ['outcome' => 'gave_up', 'slot' => null, 'lock_key' => null, 'booking_id' => null,
            'slot_locked' => 0, 'slot_booked' => 0, 'rechecks' => 0, 'lat_us' => [],
            'begin' => null, 'retries' => []];
    mt_srand($call['rng']);

    // check_availability
    $slot = null;
    $refusedSlots = 0;
    foreach ($call['prefs'] as $s) {
        $start = slot_start($o, $round, $s);
        $ledger = ledger_key($ctx['run'], $start);
        for ($recheck = 0; ; $recheck++) {
            $availability = ['available' => $ctx['r']->lLen($ledger) === 0];
            usleep(rand_us($o['db']));          // the rest of the availability query
            if ($mode === 'naive') {
                $answer = $availability;
            } else {
                $t = hrtime(true);
                $answer = $ctx['flow']->check($availability, COMPANY, SERVICE, $start, $call['id']);
                if ($availability['available']) {
                    $res['lat_us'][] = (hrtime(true) - $t) / 1000;
                }
            }
            if ($answer['available']) {
                $slot = $s;
                $res['lock_key'] = $answer['lock_key'] ?? null;
                break 2;
            }
            $reason = $answer['reason'] ?? null;
            if ($reason === 'slot_booked') {
                $res['slot_booked']++;
            }
            if ($reason !== 'slot_locked') {
                continue 2;                     // booked (ledger or marker): offer the next slot
            }
            $res['slot_locked']++;
            if ($recheck < $o['rechecks']) {
                $res['rechecks']++;
                usleep(rand_us($o['recheck']));  // "someone is booking it, let me check again"
                continue;
            }
            if (++$refusedSlots >= $o['tries']) {
                return $res;                    // the caller gives up
            }
            continue 2;
        }
    }
    if ($slot === null) {
        return $res;
    }
    $res['slot'] = $slot;

    if ($call['hangup']) {
        $res['outcome'] = 'hung_up';            // never books; the hold is left to expire
        return $res;
    }

    usleep($call['gap_us']);                    // the agent talks to the caller

    // start_booking
    $ledger = ledger_key($ctx['run'], slot_start($o, $round, $slot));
    $b = start_booking($mode, $ctx, $ledger, $res['lock_key'], $call['id'], $call['fail']);
    $res['begin'] = $b['reason'];
    $res['outcome'] = $b['result'];
    $res['booking_id'] = $b['booking_id'];
    if ($b['result'] !== 'booked') {
        return $res;
    }

    // the agent platform retries start_booking (its answer came too late)
    for ($i = 0; $i < $call['retries']; $i++) {
        usleep($call['retry_us'][$i]);
        $again = start_booking($mode, $ctx, $ledger, $res['lock_key'], $call['id'], false);
        $res['retries'][] = $again + ['same_id' => $again['booking_id'] === $res['booking_id']];
    }
    return $res;
}

/** Reaps exited children; returns how many are still running. */
function reap(array &$pids, array &$failed): int
{
    foreach ($pids as $c => $pid) {
        $got = pcntl_waitpid($pid, $status, WNOHANG);
        if ($got === $pid || $got === -1) {
            unset($pids[$c]);
            if ($got === -1 || !pcntl_wifexited($status) || pcntl_wexitstatus($status) !== 0) {
                $failed[$c] = $got === -1 ? 'lost'
                    : (pcntl_wifsignaled($status) ? 'killed by signal ' . pcntl_wtermsig($status)
                    : 'exit ' . pcntl_wexitstatus($status));
            }
        }
    }
    return count($pids);
}

/**
 * Forks one process per caller, starts them together, waits for all.
 *
 * @return array{results: list<array>, race_s: float, failed: array<int, string>}
 */
function run_round(string $mode, array $o, string $run, string $lockPrefix, int $round, array $plan): array
{
    $ctl = "demo:$run:r$round";
    $pids = [];
    foreach ($plan as $c => $call) {
        $pid = pcntl_fork();
        if ($pid === -1) {
            throw new RuntimeException('pcntl_fork failed');
        }
        if ($pid === 0) {
            // Child: its own connections, made after fork.
            $code = 0;
            $r = $svc = null;
            try {
                $r = redis_connect($o);
                $svc = $mode === 'naive' ? null : new SlotLockService(service_options($o, $lockPrefix));
                $flow = $svc ? new AvailabilityWithLock($svc) : null;
                $svc?->activeLocks();           // connect now: check() latency is not connect time
                $ctx = ['r' => $r, 'svc' => $svc, 'flow' => $flow, 'run' => $run];
                $r->incr("$ctl:ready");
                if (!$r->blPop(["$ctl:go"], 30)) {
                    throw new RuntimeException('no start signal within 30 s');
                }
                usleep($call['arrival_us']);
                $res = run_caller($mode, $o, $round, $call, $ctx);
            } catch (Throwable $e) {
                $res = ['outcome' => 'error', 'error' => get_class($e) . ': ' . $e->getMessage()];
                $code = 1;
            }
            try {
                $r?->rPush("$ctl:results", json_encode(['caller' => $c] + $res));
                $svc?->close();
                $r?->close();
            } catch (Throwable) {
                $code = 1;
            }
            exit($code);
        }
        $pids[$c] = $pid;
    }

    $failed = [];
    $r = redis_connect($o);
    $deadline = microtime(true) + 30;
    while ((int) $r->get("$ctl:ready") < count($plan) - count($failed) && microtime(true) < $deadline) {
        reap($pids, $failed);
        usleep(2000);
    }
    $go = hrtime(true);
    $r->rPush("$ctl:go", ...array_fill(0, count($plan), '1'));

    $checking = $o['tries'] * ($o['rechecks'] + 1) * ($o['db'][1] + $o['recheck'][1]) + $o['slots'] * $o['db'][1];
    $talking = $o['gap'][1] + 2 * 20;
    $deadline = microtime(true) + 30 + ($o['arrival'][1] + $checking + $talking) / 1000;
    while (reap($pids, $failed) > 0 && microtime(true) < $deadline) {
        usleep(2000);
    }
    $race_s = (hrtime(true) - $go) / 1e9;
    foreach ($pids as $c => $pid) {                 // stuck past the deadline
        posix_kill($pid, SIGKILL);
        pcntl_waitpid($pid, $status);
        $failed[$c] = 'hung, killed';
    }

    $results = array_map(fn ($j) => json_decode($j, true), $r->lRange("$ctl:results", 0, -1));
    foreach ($results as $res) {
        if ($res['outcome'] === 'error') {
            $failed[$res['caller']] = $res['error'];
        }
    }
    $r->close();
    return ['results' => $results, 'race_s' => $race_s, 'failed' => $failed];
}

/* ------------------------------------------------------------------- a mode */

function run_mode(string $mode, array $o, string $runId, array $plans): array
{
    $run = "$runId-$mode";
    $lockPrefix = "demo-$runId-$mode";
    $t0 = hrtime(true);
    $m = ['mode' => $mode, 'run' => $run, 'lock_prefix' => $lockPrefix, 'race_s' => 0.0, 'failed' => [],
          'outcomes' => ['booked' => 0, 'hung_up' => 0, 'gave_up' => 0, 'refused' => 0, 'failed' => 0, 'error' => 0],
          'slot_locked' => 0, 'slot_booked' => 0, 'rechecks' => 0, 'relocked' => 0, 'lat_us' => [],
          'hung_up' => [], 'retries' => 0, 'retry' => ['already_booked' => 0, 'booked' => 0, 'refused' => 0, 'failed' => 0],
          'retry_wrong_id' => 0];
    foreach ($plans as $round => $plan) {
        $rr = run_round($mode, $o, $run, $lockPrefix, $round, $plan);
        $m['race_s'] += $rr['race_s'];
        foreach ($rr['failed'] as $c => $why) {
            $m['failed']["r$round-c$c"] = $why;
        }
        foreach ($rr['results'] as $res) {
            $m['outcomes'][$res['outcome']]++;
            if ($res['outcome'] === 'error') {
                continue;
            }
            foreach (['slot_locked', 'slot_booked', 'rechecks'] as $k) {
                $m[$k] += $res[$k];
            }
            $m['relocked'] += $res['begin'] === 'relocked' ? 1 : 0;
            array_push($m['lat_us'], ...$res['lat_us']);
            foreach ($res['retries'] as $again) {
                $m['retries']++;
                $m['relocked'] += $again['reason'] === 'relocked' ? 1 : 0;
                $m['retry'][$again['result']]++;
                if ($again['result'] === 'already_booked' && !$again['same_id']) {
                    $m['retry_wrong_id']++;
                }
            }
            if ($res['outcome'] === 'hung_up') {
                $m['hung_up'][] = ['round' => $round, 'slot' => $res['slot'], 'key' => $res['lock_key']];
            }
        }
    }
    sort($m['lat_us']);
    $r = redis_connect($o);
    $m['ledger'] = read_ledger($r, $run);
    $r->close();
    $m['wall_s'] = (hrtime(true) - $t0) / 1e9;
    return $m;
}

/**
 * After the race (slotlock mode), through the same flow:
 *  - a late caller asks for every slot whose caller hung up. Holds still
 *    alive answer slot_locked; the late caller waits out their TTL, then
 *    checks again and books every one of those slots nobody booked. When no
 *    hung-up caller holds a lock any more, one scripted hang-up on the spare
 *    slot of round 0 shows the same;
 *  - a slow talker checks a slot of its own and talks past the TTL: its hold
 *    expires, nobody takes the slot, and start_booking answers relocked and
 *    books it.
 */
function expiry_check(array $o, array $m): array
{
    $svc = new SlotLockService(service_options($o, $m['lock_prefix']));
    $flow = new AvailabilityWithLock($svc);
    $r = redis_connect($o);
    $ctx = ['r' => $r, 'svc' => $svc, 'flow' => $flow, 'run' => $m['run']];
    $late = 'call-' . $m['run'] . '-late';
    $x = ['hung_up' => count($m['hung_up']), 'held' => 0, 'ttl_left' => [], 'expired' => 0,
          'booked_by_others' => 0, 'scripted' => false, 'freed' => 0, 'to_book' => [], 'rebooked' => 0,
          'marked' => 0];

    $probe = function (int $round, int $slot) use ($o, $m, $flow, $svc, $r, $late, &$x): void {
        $start = slot_start($o, $round, $slot);
        if ($r->lLen(ledger_key($m['run'], $start)) > 0) {
            $x['expired']++;                // its hold expired in the race and a caller booked it
            $x['booked_by_others']++;
            return;
        }
        $answer = $flow->check(['available' => true], COMPANY, SERVICE, $start, $late);
        if (!$answer['available']) {        // "slot_locked": the hung-up call still holds it
            $x['held']++;
            $x['ttl_left'][] = $svc->status($svc->key(COMPANY, SERVICE, $start))['ttl_ms'] ?? 0;
        } else {                            // expired already: free, and held by the late caller now
            $x['expired']++;
        }
        $x['to_book'][] = [$round, $slot];
    };
    $seen = [];
    foreach ($m['hung_up'] as $h) {
        if (!isset($seen[$h['key']])) {
            $seen[$h['key']] = true;
            $probe($h['round'], $h['slot']);
        }
    }
    $x['slots'] = count($seen);
    if ($x['held'] === 0) {
        $x['scripted'] = true;
        $flow->check(['available' => true], COMPANY, SERVICE, slot_start($o, 0, $o['slots']), 'call-' . $m['run'] . '-hangup');
        $probe(0, $o['slots']);
    }

    // The slow talker: a slot no round uses (the first of the round after the last).
    $slow = 'call-' . $m['run'] . '-slow';
    $slowStart = slot_start($o, $o['rounds'], 0);
    $slowLedger = ledger_key($m['run'], $slowStart);
    $slowCheck = $flow->check(['available' => $r->lLen($slowLedger) === 0], COMPANY, SERVICE, $slowStart, $slow);
    $slowAt = hrtime(true);

    // Wait out the TTL: every one of those slots is free and bookable again.
    $x['waited_ms'] = max([...$x['ttl_left'], 0]) + 50;
    usleep($x['waited_ms'] * 1000);
    foreach ($x['to_book'] as [$round, $slot]) {
        $start = slot_start($o, $round, $slot);
        $ledger = ledger_key($m['run'], $start);
        $answer = $flow->check(['available' => $r->lLen($ledger) === 0], COMPANY, SERVICE, $start, $late);
        if (!$answer['available']) {
            continue;
        }
        $x['freed']++;
        if (start_booking('slotlock', $ctx, $ledger, $answer['lock_key'], $late, false)['result'] === 'booked') {
            $x['rebooked']++;
            $x['marked'] += $svc->status($answer['lock_key'])['booked'] ? 1 : 0;
        }
    }

    // The slow talker calls start_booking after the TTL.
    $left = $o['ttl'] * 1000000 + 50000 - intdiv(hrtime(true) - $slowAt, 1000);
    if ($left > 0) {
        usleep($left);
    }
    $x['slow_talk_ms'] = intdiv(hrtime(true) - $slowAt, 1000000);
    $x['slow'] = ($slowCheck['lock_key'] ?? null) === null ? ['result' => 'no_hold', 'reason' => null, 'booking_id' => null]
        : start_booking('slotlock', $ctx, $slowLedger, $slowCheck['lock_key'], $slow, false);
    $x['slow']['marked'] = isset($slowCheck['lock_key']) && $svc->status($slowCheck['lock_key'])['booked'];
    // ... and the platform retries it twice: the same booking, no second row
    $x['slow']['retries'] = [];
    if ($x['slow']['result'] === 'booked') {
        for ($i = 0; $i < 2; $i++) {
            $again = start_booking('slotlock', $ctx, $slowLedger, $slowCheck['lock_key'], $slow, false);
            $x['slow']['retries'][] = $again['result'] === 'already_booked' && $again['booking_id'] === $x['slow']['booking_id']
                ? 'already_booked ' . $again['booking_id'] : $again['result'];
        }
    }
    $x['slow']['rows'] = $r->lLen($slowLedger);

    $x['ledger'] = read_ledger($r, $m['run']);
    $svc->close();
    $r->close();
    return $x;
}

/* ------------------------------------------------------------------- output */

function fmt_us(?float $v): string
{
    return $v === null ? '-' : number_format($v, 0, '.', '');
}

function print_table(array $o, array $modes): void
{
    $rows = [];
    $add = function (string $label, callable $f) use (&$rows, $modes) {
        $rows[] = [$label, array_map(fn ($m) => (string) $f($m), $modes)];
    };
    $lock = fn (callable $f) => fn (array $m) => $m['mode'] === 'naive' ? '-' : $f($m);
    $add('bookings (ledger rows)', fn ($m) => $m['ledger']['bookings']);
    $add('slots booked', fn ($m) => $m['ledger']['booked_slots'] . '/' . $o['slots'] * $o['rounds']);
    $add('DOUBLE BOOKINGS', fn ($m) => $m['ledger']['double']);
    $add('  another caller (race)', fn ($m) => $m['ledger']['double_race']);
    $add('  same caller (retry)', fn ($m) => $m['ledger']['double_retry']);
    $add('check(): slot_locked', $lock(fn ($m) => $m['slot_locked']));
    $add('check(): slot_booked', $lock(fn ($m) => $m['slot_booked']));
    $add('start_booking relocked', $lock(fn ($m) => $m['relocked']));
    $add('start_booking refused', $lock(fn ($m) => $m['outcomes']['refused']));
    $add('booking write failed', fn ($m) => $m['outcomes']['failed']);
    $add('retried start_booking', fn ($m) => $m['retries']);
    $add('  answered already_booked', $lock(fn ($m) => $m['retry']['already_booked']));
    $add('  booked again', fn ($m) => $m['retry']['booked']);
    $add('  refused', $lock(fn ($m) => $m['retry']['refused']));
    $add('abandoned (hung up)', fn ($m) => $m['outcomes']['hung_up']);
    $add('gave up', fn ($m) => $m['outcomes']['gave_up']);
    $add('caller errors', fn ($m) => count($m['failed']));
    $add('check() calls to Redis', $lock(fn ($m) => count($m['lat_us'])));
    foreach ([50, 95, 99] as $p) {
        $add("check() latency p$p (µs)", $lock(fn ($m) => fmt_us(percentile($m['lat_us'], $p))));
    }
    $add('race time (s)', fn ($m) => sprintf('%.2f', $m['race_s']));
    $add('wall time incl. fork (s)', fn ($m) => sprintf('%.2f', $m['wall_s']));

    $w = max(array_map(fn ($r) => mb_strlen($r[0]), $rows)) + 1;
    $pad = fn (string $s, int $n) => $s . str_repeat(' ', max(0, $n - mb_strlen($s)));
    echo $pad('', $w);
    foreach ($modes as $m) {
        printf('%14s', MODES[$m['mode']]);
    }
    echo "\n", str_repeat('-', $w + 14 * count($modes)), "\n";
    foreach ($rows as [$label, $vals]) {
        echo $pad($label, $w);
        foreach ($vals as $v) {
            printf('%14s', $v);
        }
        echo "\n";
    }
}

function print_slots(array $o, array $modes): void
{
    if ($o['slots'] > 24) {
        return;
    }
    $first = slot_start($o, 0, 0)->format('H:i');
    $last = slot_start($o, 0, $o['slots'] - 1)->format('H:i');
    echo "\nbookings per slot, round 1 ($first … $last):\n";
    foreach ($modes as $m) {
        $cells = [];
        for ($s = 0; $s < $o['slots']; $s++) {
            $n = $m['ledger']['per_slot'][slot_start($o, 0, $s)->format('YmdHi')] ?? 0;
            $cells[] = $n > 1 ? "[$n]" : " $n ";
        }
        printf("  %-13s %s\n", MODES[$m['mode']], implode('', $cells));
    }
    echo "  ([n] = one slot sold n times; 0 = nobody booked it)\n";
}

/* --------------------------------------------------------------------- main */

function main(array $argv): int
{
    while (ob_get_level()) {
        ob_end_flush();                     // nothing buffered may be flushed twice by a child
    }
    $o = parse_options($argv);
    foreach (['pcntl', 'posix', 'redis'] as $ext) {
        if (!extension_loaded($ext)) {
            fwrite(STDERR, "demo: the PHP extension '$ext' is required\n");
            return 2;
        }
    }
    if ($o['modes'] !== ['naive'] && !class_exists('AvailabilityWithLock')) {
        fwrite(STDERR, "demo: AvailabilityWithLock is missing: run with -d extension=modules/slotlock.so,\n"
            . "      or pass --naive-only to run the naive mode alone\n");
        return 2;
    }
    $impl = extension_loaded('slotlock') ? 'slotlock extension ' . phpversion('slotlock')
        : (class_exists('AvailabilityWithLock') ? 'slotlock polyfill (PHP, not the extension)' : 'no slotlock');

    try {
        $r = redis_connect($o);
        $redisVersion = $r->info('server')['redis_version'] ?? '?';
    } catch (Throwable $e) {
        fwrite(STDERR, "demo: Redis at {$o['host']}:{$o['port']}: {$e->getMessage()}\n"
            . "      (set SLOTLOCK_TEST_HOST / SLOTLOCK_TEST_PORT to a throw-away Redis)\n");
        return 2;
    }

    $runId = bin2hex(random_bytes(4));
    $parent = getmypid();
    register_shutdown_function(function () use ($o, $runId, $parent) {
        if (getmypid() !== $parent) {
            return;                         // a child's exit cleans nothing
        }
        try {
            $r = redis_connect($o);
            foreach (["demo:$runId-*", "demo-$runId-*"] as $pattern) {
                foreach (array_chunk(iterator_to_array(scan_keys($r, $pattern), false), 500) as $keys) {
                    $r->del($keys);
                }
            }
            $r->close();
        } catch (Throwable $e) {
            fwrite(STDERR, "demo: cleanup failed: {$e->getMessage()}\n");
        }
    });
    pcntl_async_signals(true);              // Ctrl-C: exit through the cleanup above
    foreach ([SIGINT, SIGTERM] as $sig) {
        pcntl_signal($sig, fn () => exit(130));
    }
    $r->close();                            // no connection is shared across fork()

    $seed = $o['seed'] ?? random_int(0, PHP_INT_MAX);
    mt_srand($seed);
    $plans = [];
    for ($k = 0; $k < $o['rounds']; $k++) {
        $plans[] = plan_round($o, $runId, $k);
    }
    $retried = array_sum(array_map(fn ($p) => count(array_filter($p, fn ($c) => $c['retries'] > 0)), $plans));

    printf("slotlock demo: %d callers race for %d slots, %d round(s), through AvailabilityWithLock\n"
        . "  arrivals over %d-%d ms; availability query %d-%d ms before check(); gap %d-%d ms (stands for 8-12 s of talk)\n"
        . "  slot_locked: re-check up to %d times every %d-%d ms, give up after %d slots\n"
        . "  %.0f%% hang up after the check (lock TTL %d s); %d booking write(s) fail; the platform retries\n"
        . "  start_booking of %d caller(s) once or twice if they book\n"
        . "  Redis %s at %s:%d; %s; run %s; seed %d\n\n",
        $o['callers'], $o['slots'], $o['rounds'],
        $o['arrival'][0], $o['arrival'][1], $o['db'][0], $o['db'][1], $o['gap'][0], $o['gap'][1],
        $o['rechecks'], $o['recheck'][0], $o['recheck'][1], $o['tries'],
        100 * $o['abandon'], $o['ttl'], (int) round($o['callers'] * $o['fail']) * $o['rounds'], $retried, $redisVersion, $o['host'], $o['port'], $impl, $runId, $seed);
    if ($o['modes'] !== ['naive'] && $o['gap'][1] * 2 > $o['ttl'] * 1000) {
        echo "note: the gap is not well below the lock TTL: holds may expire before booking\n\n";
    }

    $modes = [];
    foreach ($o['modes'] as $mode) {
        $modes[$mode] = run_mode($mode, $o, $runId, $plans);
    }

    print_table($o, $modes);
    print_slots($o, $modes);
    foreach ($modes as $m) {
        if ($m['failed']) {
            echo "\n" . MODES[$m['mode']] . ': ' . count($m['failed']) . " caller(s) failed, e.g.\n";
            foreach (array_slice($m['failed'], 0, 5, true) as $c => $why) {
                echo "  $c: $why\n";
            }
        }
    }

    $ok = true;
    if (isset($modes['slotlock'])) {
        $m = $modes['slotlock'];
        $x = expiry_check($o, $m);
        $n = count($x['to_book']);
        echo "\nabandoned calls (slotlock): {$x['hung_up']} caller(s) hung up holding a lock on {$x['slots']} slot(s)\n";
        if ($x['expired']) {
            echo "  {$x['expired']} of those holds expired during the race; "
                . "{$x['booked_by_others']} of their slots were booked by other callers then\n";
        }
        if ($x['scripted']) {
            echo "  none still held after the race, so a scripted hang-up holds the spare slot "
                . slot_start($o, 0, $o['slots'])->format('H:i') . "\n";
        }
        printf("  a late caller asks for them: %d × slot_locked (ttl left %s ms)\n", $x['held'],
            $x['ttl_left'] ? min($x['ttl_left']) . '-' . max($x['ttl_left']) : '-');
        printf("  after waiting %d ms (TTL %d s): %d/%d available again, %d booked by the late caller (%d marked booked)\n",
            $x['waited_ms'], $o['ttl'], $x['freed'], $n, $x['rebooked'], $x['marked']);
        printf("slow talker (slotlock): checked a free slot, talked %d ms (TTL %d s): start_booking answered %s, %s\n",
            $x['slow_talk_ms'], $o['ttl'], $x['slow']['reason'] ?? '-',
            $x['slow']['result'] === 'booked' ? "booked {$x['slow']['booking_id']}" . ($x['slow']['marked'] ? ' (marked booked)' : '')
                : $x['slow']['result']);
        printf("  the platform retries it twice: %s; ledger rows for the slot: %d\n",
            implode(', ', $x['slow']['retries']) ?: '-', $x['slow']['rows']);

        $final = $x['ledger'];
        echo "\nself-check (slotlock): ";
        $problems = [];
        if ($final['double'] > 0) {
            $problems[] = "{$final['double']} double booking(s)";
        }
        if ($m['failed']) {
            $problems[] = count($m['failed']) . ' caller(s) failed';
        }
        if ($m['ledger']['bookings'] === 0) {
            $problems[] = 'no booking was made';
        }
        if ($m['retry']['already_booked'] !== $m['retries'] || $m['retry_wrong_id'] > 0) {
            $problems[] = ($m['retries'] - $m['retry']['already_booked'] + $m['retry_wrong_id'])
                . " retried start_booking(s) not answered already_booked with the first booking id";
        }
        if ($x['held'] === 0 || $x['freed'] !== $n || $x['rebooked'] !== $n || $x['marked'] !== $n) {
            $problems[] = 'an abandoned hold did not block, expire and become bookable as expected';
        }
        if ($x['slow']['reason'] !== 'relocked' || $x['slow']['result'] !== 'booked' || !$x['slow']['marked']) {
            $problems[] = 'the slow talker\'s expired hold was not relocked and booked';
        }
        $want = 'already_booked ' . $x['slow']['booking_id'];
        if ($x['slow']['rows'] !== 1 || $x['slow']['retries'] !== [$want, $want]) {
            $problems[] = 'the slow talker\'s retried start_booking did not answer already_booked with its booking id';
        }
        if ($problems) {
            echo "FAIL\n  - ", implode("\n  - ", $problems), "\n";
            $ok = false;
        } else {
            printf("OK: %d bookings, 0 double bookings, %d retries answered already_booked with their booking id,\n"
                . "  abandoned slots bookable again after the TTL, an expired hold relocked at start_booking\n",
                $final['bookings'], $m['retries'] + 2);
        }
    }
    return $ok ? 0 : 1;
}

try {
    exit(main($argv));
} catch (Throwable $e) {
    fwrite(STDERR, 'demo: ' . get_class($e) . ': ' . $e->getMessage() . "\n");
    exit(1);
}
