<?php
/**
 * slotlock demo: concurrent phone callers racing for appointment slots.
 *
 *   php -d extension=modules/slotlock.so demo/demo.php [options]
 *
 * Every caller is a forked process that walks the voice agent's flow:
 * check_availability -> the agent talks (the gap) -> start_booking. The same
 * callers (arrival, preferences, gap, hang-ups) are replayed twice:
 *   naive     check = read the booking ledger, book = write it. Nothing holds
 *             the slot during the gap, so callers in the gap book it twice.
 *   slotlock  check = read the ledger, acquire() the slot's lock, re-read the
 *             ledger under the lock; book = validate() the lock, write the
 *             ledger, release(). A slot held by another call answers
 *             "slot_locked" and the caller tries its next preferred slot.
 * Callers who hang up after the check never book: their lock expires after
 * the (short) TTL, and the demo shows a late caller booking that slot then.
 *
 * The booking ledger is a Redis list per slot (demo:<run>:bookings:<slot>);
 * a slot is available when its list is empty. Double bookings = sum over
 * slots of max(0, bookings - 1). Exit status: 0 when the slotlock run has no
 * double booking (and nothing failed), 1 when it has, 2 on a usage or
 * environment error.
 *
 * Environment: SLOTLOCK_TEST_HOST (127.0.0.1), SLOTLOCK_TEST_PORT (6379):
 * a throw-away Redis. The demo writes only keys under its own run id and
 * deletes them at the end (SCAN + DEL).
 */

declare(strict_types=1);

const USAGE = <<<'TXT'
Usage: php -d extension=modules/slotlock.so demo/demo.php [options]

  --callers=N       concurrent callers (forked processes) per round   [48]
  --slots=M         appointment slots they race for, per round        [12]
  --gap-ms=A-B      check -> booking gap in ms; stands for the agent's
                    8-12 s of talk                                    [80-120]
  --arrival-ms=A-B  when callers call in, after the start signal      [0-1000]
  --abandon=P       share of callers who hang up after the check      [0.1]
  --tries=T         slot_locked answers before a caller gives up      [3]
  --ttl=S           lock TTL in seconds (production: 300)             [2]
  --rounds=K        rounds per mode, each on fresh slots              [1]
  --seed=S          seed for the callers' plan (default: random)
  --naive-only      run only the naive mode (no extension needed)
  --slotlock-only   run only the slotlock mode
  --help

Redis: SLOTLOCK_TEST_HOST / SLOTLOCK_TEST_PORT (default 127.0.0.1:6379).

TXT;

const COMPANY = 1;
const SERVICE = 31;
const SLOT_MINUTES = 30;
const FIRST_SLOT = '2026-03-02 09:00';

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

function parse_options(array $argv): array
{
    $o = [
        'callers' => 48, 'slots' => 12, 'gap' => [80, 120], 'arrival' => [0, 1000],
        'abandon' => 0.1, 'tries' => 3, 'ttl' => 2, 'rounds' => 1, 'seed' => null,
        'naive' => true, 'slotlock' => true,
    ];
    $valued = ['callers', 'slots', 'gap-ms', 'arrival-ms', 'abandon', 'tries', 'ttl', 'rounds', 'seed'];
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
            case 'tries':      $o['tries'] = parse_int($name, $val, 1, 1000); break;
            case 'ttl':        $o['ttl'] = parse_int($name, $val, 1, 86400); break;
            case 'rounds':     $o['rounds'] = parse_int($name, $val, 1, 1000); break;
            case 'seed':       $o['seed'] = parse_int($name, $val, 0, PHP_INT_MAX); break;
            case 'abandon':
                if (!is_numeric($val) || (float) $val < 0 || (float) $val > 1) {
                    fail_usage("--abandon wants a share in 0..1, got '$val'");
                }
                $o['abandon'] = (float) $val;
                break;
            case 'naive-only':    $o['slotlock'] = false; break;
            case 'slotlock-only': $o['naive'] = false; break;
            case 'help':          echo USAGE; exit(0);
            default:              fail_usage("unknown option --$name");
        }
    }
    if (!$o['naive'] && !$o['slotlock']) {
        fail_usage('--naive-only and --slotlock-only exclude each other');
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

/** @return array{bookings: int, booked_slots: int, double: int, per_slot: array<string, int>} */
function read_ledger(Redis $r, string $run): array
{
    $per = [];
    foreach (scan_keys($r, "demo:$run:bookings:*") as $k) {
        $per[substr($k, strrpos($k, ':') + 1)] = (int) $r->lLen($k);
    }
    ksort($per);
    $bookings = array_sum($per);
    $double = 0;
    foreach ($per as $n) {
        $double += max(0, $n - 1);
    }
    return ['bookings' => $bookings, 'booked_slots' => count(array_filter($per)), 'double' => $double, 'per_slot' => $per];
}

/* ------------------------------------------------------------------ callers */

/**
 * The callers of one round: the same plan is replayed in both modes.
 *
 * @return list<array{id: string, arrival_us: int, gap_us: int, prefs: list<int>, hangup: bool}>
 */
function plan_round(array $o, string $runId, int $round): array
{
    $hangups = (int) round($o['callers'] * $o['abandon']);
    $order = range(0, $o['callers'] - 1);
    shuffle($order);
    $hangupSet = array_flip(array_slice($order, 0, $hangups));
    $plan = [];
    for ($c = 0; $c < $o['callers']; $c++) {
        $prefs = range(0, $o['slots'] - 1);
        shuffle($prefs);
        $plan[] = [
            'id' => "call-$runId-r$round-c$c",
            'arrival_us' => mt_rand($o['arrival'][0] * 1000, $o['arrival'][1] * 1000),
            'gap_us' => mt_rand($o['gap'][0] * 1000, $o['gap'][1] * 1000),
            'prefs' => $prefs,
            'hangup' => isset($hangupSet[$c]),
        ];
    }
    return $plan;
}

/**
 * One caller's call. Runs in a forked child.
 *
 * Outcomes: booked, hung_up (after a successful check), gave_up (no free slot,
 * or too many slot_locked answers), lock_lost (validate() failed at booking).
 */
function run_caller(string $mode, array $o, string $run, int $round, array $call, Redis $r, ?SlotLockService $svc): array
{
    $res = ['outcome' => 'gave_up', 'slot' => null, 'lock_key' => null, 'slot_locked' => 0,
            'taken_under_lock' => 0, 'lat_us' => []];

    // check_availability
    $lock = null;
    $slot = null;
    foreach ($call['prefs'] as $s) {
        $ledger = ledger_key($run, slot_start($o, $round, $s));
        if ($r->lLen($ledger) > 0) {
            continue;                       // already booked: the agent does not offer it
        }
        if ($mode === 'naive') {
            $slot = $s;
            break;
        }
        $t = hrtime(true);
        $lock = $svc->acquire(COMPANY, SERVICE, slot_start($o, $round, $s), $call['id']);
        $res['lat_us'][] = (hrtime(true) - $t) / 1000;
        if ($lock === null) {
            if (++$res['slot_locked'] >= $o['tries']) {
                return $res;                // "slot_locked" too often: the caller gives up
            }
            continue;                       // "slot_locked": offer the next preferred slot
        }
        // Booked between our ledger read and acquire()? The lock is ours now, so a
        // second read is authoritative: nobody else can book while we hold it.
        if ($r->lLen($ledger) > 0) {
            $svc->release($lock->key, $call['id']);
            $lock = null;
            $res['taken_under_lock']++;
            continue;
        }
        $slot = $s;
        break;
    }
    if ($slot === null) {
        return $res;
    }
    $res['slot'] = $slot;
    $res['lock_key'] = $lock?->key;

    if ($call['hangup']) {
        $res['outcome'] = 'hung_up';        // never books; the lock is left to expire
        return $res;
    }

    usleep($call['gap_us']);                // the agent talks to the caller

    // start_booking
    if ($lock !== null && !$svc->validate($lock->key, $call['id'])) {
        $res['outcome'] = 'lock_lost';
        return $res;
    }
    $r->rPush(ledger_key($run, slot_start($o, $round, $slot)), $call['id']);
    if ($lock !== null) {
        $svc->release($lock->key, $call['id']);
    }
    $res['outcome'] = 'booked';
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
                $svc = $mode === 'slotlock' ? new SlotLockService(service_options($o, $lockPrefix)) : null;
                $svc?->activeLocks();       // connect now: acquire() latency is not connect time
                $r->incr("$ctl:ready");
                if (!$r->blPop(["$ctl:go"], 30)) {
                    throw new RuntimeException('no start signal within 30 s');
                }
                usleep($call['arrival_us']);
                $res = run_caller($mode, $o, $run, $round, $call, $r, $svc);
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

    $deadline = microtime(true) + 30 + ($o['arrival'][1] + $o['gap'][1] * ($o['tries'] + 1)) / 1000;
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
    $m = ['run' => $run, 'lock_prefix' => $lockPrefix, 'race_s' => 0.0, 'failed' => [],
          'outcomes' => ['booked' => 0, 'hung_up' => 0, 'gave_up' => 0, 'lock_lost' => 0, 'error' => 0],
          'slot_locked' => 0, 'taken_under_lock' => 0, 'lat_us' => [], 'hung_up' => []];
    foreach ($plans as $round => $plan) {
        $rr = run_round($mode, $o, $run, $lockPrefix, $round, $plan);
        $m['race_s'] += $rr['race_s'];
        foreach ($rr['failed'] as $c => $why) {
            $m['failed']["r$round-c$c"] = $why;
        }
        foreach ($rr['results'] as $res) {
            $m['outcomes'][$res['outcome']]++;
            $m['slot_locked'] += $res['slot_locked'] ?? 0;
            $m['taken_under_lock'] += $res['taken_under_lock'] ?? 0;
            array_push($m['lat_us'], ...($res['lat_us'] ?? []));
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
 * After the race, a late caller asks for every slot whose caller hung up.
 * Locks still held answer slot_locked; the late caller waits out their TTL
 * and then books every one of those slots nobody booked. When no hung-up
 * caller holds a lock any more, one scripted hang-up on the spare slot of
 * round 0 shows the same.
 */
function expiry_check(array $o, array $m): array
{
    $svc = new SlotLockService(service_options($o, $m['lock_prefix']));
    $r = redis_connect($o);
    $late = 'call-' . $m['run'] . '-late';
    $x = ['hung_up' => count($m['hung_up']), 'held' => 0, 'ttl_left' => [], 'expired' => 0,
          'booked_by_others' => 0, 'scripted' => false, 'freed' => 0, 'to_book' => [], 'rebooked' => 0];

    $probe = function (int $round, int $slot) use ($o, $m, $svc, $r, $late, &$x): void {
        $start = slot_start($o, $round, $slot);
        if ($r->lLen(ledger_key($m['run'], $start)) > 0) {
            $x['expired']++;                // its lock expired in the race and a caller booked it
            $x['booked_by_others']++;
            return;
        }
        $lock = $svc->acquire(COMPANY, SERVICE, $start, $late);
        if ($lock === null) {               // "slot_locked": the hung-up call still holds it
            $x['held']++;
            $x['ttl_left'][] = $svc->status($svc->key(COMPANY, SERVICE, $start))['ttl_ms'] ?? 0;
        } else {                            // expired already: free, nobody booked it yet
            $svc->release($lock->key, $late);
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
        $svc->acquire(COMPANY, SERVICE, slot_start($o, 0, $o['slots']), 'call-' . $m['run'] . '-hangup');
        $probe(0, $o['slots']);
    }

    // Wait out the TTL: every one of those slots is free and bookable again.
    $x['waited_ms'] = max($x['ttl_left'] ?: [0]) + 50;
    usleep($x['waited_ms'] * 1000);
    foreach ($x['to_book'] as [$round, $slot]) {
        $start = slot_start($o, $round, $slot);
        $ledger = ledger_key($m['run'], $start);
        $lock = $svc->acquire(COMPANY, SERVICE, $start, $late);
        if ($lock === null) {
            continue;
        }
        $x['freed']++;
        if ($r->lLen($ledger) === 0 && $svc->validate($lock->key, $late)) {
            $r->rPush($ledger, $late);
            $x['rebooked']++;
        }
        $svc->release($lock->key, $late);
    }
    $x['active_after'] = $svc->activeLocks();
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
        $rows[] = [$label, array_map($f, $modes)];
    };
    $lock = fn (array $m, callable $f) => $m['mode'] === 'naive' ? '-' : (string) $f($m);
    $add('callers', fn ($m) => (string) ($o['callers'] * $o['rounds']));
    $add('slots', fn ($m) => (string) ($o['slots'] * $o['rounds']));
    $add('bookings made', fn ($m) => (string) $m['ledger']['bookings']);
    $add('slots booked', fn ($m) => (string) $m['ledger']['booked_slots']);
    $add('DOUBLE BOOKINGS', fn ($m) => (string) $m['ledger']['double']);
    $add('  share of bookings', fn ($m) => $m['ledger']['bookings']
        ? sprintf('%.1f%%', 100 * $m['ledger']['double'] / $m['ledger']['bookings']) : '-');
    $add('slot_locked answers', fn ($m) => $lock($m, fn ($m) => $m['slot_locked']));
    $add('booked while locking', fn ($m) => $lock($m, fn ($m) => $m['taken_under_lock']));
    $add('gave up (no free slot)', fn ($m) => (string) $m['outcomes']['gave_up']);
    $add('abandoned (hung up)', fn ($m) => (string) $m['outcomes']['hung_up']);
    $add('lock lost at booking', fn ($m) => $lock($m, fn ($m) => $m['outcomes']['lock_lost']));
    $add('caller errors', fn ($m) => (string) count($m['failed']));
    $add('acquire() calls', fn ($m) => $lock($m, fn ($m) => count($m['lat_us'])));
    foreach ([50, 95, 99] as $p) {
        $add("acquire latency p$p (µs)", fn ($m) => $lock($m, fn ($m) => fmt_us(percentile($m['lat_us'], $p))));
    }
    $add('race time (s)', fn ($m) => sprintf('%.2f', $m['race_s']));
    $add('wall time incl. fork (s)', fn ($m) => sprintf('%.2f', $m['wall_s']));

    $w = max(array_map(fn ($r) => mb_strlen($r[0]), $rows)) + 2;
    $pad = fn (string $s, int $n) => $s . str_repeat(' ', max(0, $n - mb_strlen($s)));
    echo $pad('', $w);
    foreach ($modes as $m) {
        printf('%12s', $m['mode']);
    }
    echo "\n", str_repeat('-', $w + 12 * count($modes)), "\n";
    foreach ($rows as [$label, $vals]) {
        echo $pad($label, $w);
        foreach ($vals as $v) {
            printf('%12s', $v);
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
            $n = $m['race_per_slot'][slot_start($o, 0, $s)->format('YmdHi')] ?? 0;
            $cells[] = $n > 1 ? "[$n]" : " $n ";
        }
        printf("  %-9s %s\n", $m['mode'], implode('', $cells));
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
    if ($o['slotlock'] && !class_exists('SlotLockService')) {
        fwrite(STDERR, "demo: SlotLockService is missing: run with -d extension=modules/slotlock.so,\n"
            . "      or pass --naive-only to run the naive mode alone\n");
        return 2;
    }
    $impl = extension_loaded('slotlock') ? 'slotlock extension ' . phpversion('slotlock')
        : (class_exists('SlotLockService') ? 'slotlock polyfill (PHP, not the extension)' : 'no SlotLockService');

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

    printf("slotlock demo: %d callers race for %d slots, %d round(s); gap %d-%d ms (stands for 8-12 s of talk);\n"
        . "  arrivals over %d-%d ms; %.0f%% hang up after the check; lock TTL %d s; give up after %d slot_locked\n"
        . "  Redis %s at %s:%d; %s; run %s; seed %d\n\n",
        $o['callers'], $o['slots'], $o['rounds'], $o['gap'][0], $o['gap'][1],
        $o['arrival'][0], $o['arrival'][1], 100 * $o['abandon'], $o['ttl'], $o['tries'],
        $redisVersion, $o['host'], $o['port'], $impl, $runId, $seed);
    if ($o['slotlock'] && $o['gap'][1] * 2 > $o['ttl'] * 1000) {
        echo "note: the gap is not well below the lock TTL: locks may expire before booking\n\n";
    }

    $modes = [];
    foreach (['naive', 'slotlock'] as $mode) {
        if (!$o[$mode]) {
            continue;
        }
        $m = run_mode($mode, $o, $runId, $plans);
        $m['mode'] = $mode;
        $m['race_per_slot'] = $m['ledger']['per_slot'];
        $modes[$mode] = $m;
    }

    print_table($o, $modes);
    print_slots($o, $modes);
    foreach ($modes as $m) {
        if ($m['failed']) {
            echo "\n{$m['mode']}: " . count($m['failed']) . " caller(s) failed, e.g.\n";
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
            echo "  {$x['expired']} of those locks expired during the race; "
                . "{$x['booked_by_others']} of their slots were booked by other callers then\n";
        }
        if ($x['scripted']) {
            echo "  none still held after the race, so a scripted hang-up holds the spare slot "
                . slot_start($o, 0, $o['slots'])->format('H:i') . "\n";
        }
        printf("  a late caller asks for them: %d × slot_locked (ttl left %s ms)\n", $x['held'],
            $x['ttl_left'] ? min($x['ttl_left']) . '-' . max($x['ttl_left']) : '-');
        printf("  after waiting %d ms (TTL %d s): %d/%d free again, %d booked by the late caller; active locks now: %d\n",
            $x['waited_ms'], $o['ttl'], $x['freed'], $n, $x['rebooked'], $x['active_after']);

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
        if ($x['held'] === 0 || $x['freed'] !== $n || $x['rebooked'] !== $n || $x['active_after'] !== 0) {
            $problems[] = 'an abandoned lock did not block, expire and become bookable as expected';
        }
        if ($problems) {
            echo 'FAIL: ', implode('; ', $problems), "\n";
            $ok = false;
        } else {
            echo "OK: {$final['bookings']} bookings, 0 double bookings, abandoned slots bookable again after the TTL\n";
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
