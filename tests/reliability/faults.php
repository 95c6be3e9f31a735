<?php
/*
 * tests/reliability/faults.php: the extension against real redis-server processes that die,
 * freeze, restart, forget their scripts, drop our connection, run out of memory or change
 * their password, between calls and in the middle of a burst of calls.
 *
 * Asserted for every call made: it returns or throws within its timeout + 0.5 s (hrtime),
 * a failure is the documented exception class with the endpoint in its message and never an
 * owner token or password, a success carries the right answer (the key / owner / candidate
 * asked for: no stale reply), and after each fault no lock is held by nobody: every slot key
 * left under the prefix belongs to a lock the test still holds, or to a call that threw (its
 * caller was told), and then with a TTL no longer than the one asked.
 *
 *   php -d extension=modules/slotlock.so tests/reliability/faults.php [--burst=2.0]
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';
rl_suite('faults');
pcntl_async_signals(true);

$opt = rl_args(['burst' => 2.0, 'timeout' => 0.5]);
const T = '2030-11-24 14:00';
const TTL = 30;
const SLACK_MS = 500.0;
$TIMEOUT = (float) $opt['timeout'];

/** Every call made, its duration: the bound is checked per scenario and overall. */
final class Calls
{
    public static int $n = 0;
    public static float $maxMs = 0.0;
    public static array $slow = [];
    public static array $classes = [];
    public static array $leaks = [];
    public static array $noEndpoint = [];
}

/**
 * Runs $fn, timed. Returns [value, Throwable|null, ms]. Records calls over the bound and
 * exception messages that show a secret.
 */
function call(callable $fn, float $timeout, string $label, array $secrets = []): array
{
    $t0 = hrtime(true);
    $v = null;
    $e = null;
    try {
        $v = $fn();
    } catch (Throwable $x) {
        $e = $x;
    }
    $ms = rl_ms($t0);
    Calls::$n++;
    Calls::$maxMs = max(Calls::$maxMs, $ms - $timeout * 1000);
    if ($ms > $timeout * 1000 + SLACK_MS) {
        Calls::$slow[] = sprintf('%s took %.0f ms', $label, $ms);
    }
    if ($e) {
        Calls::$classes[get_class($e)] = (Calls::$classes[get_class($e)] ?? 0) + 1;
        foreach ($secrets as $s) {
            if ($s !== '' && (str_contains($e->getMessage(), $s) || str_contains((string) $e, $s))) {
                Calls::$leaks[] = "$label: message shows '$s'";
            }
        }
        /* README, Errors: "Messages name the endpoint (tcp://127.0.0.1:6379/0)" */
        if ($e instanceof SlotLockException && !preg_match('~(tcp|unix)://~', $e->getMessage())) {
            Calls::$noEndpoint[get_class($e) . ': ' . substr($e->getMessage(), 0, 60)] = $label;
        }
    }
    return [$v, $e, $ms];
}

function cls(?Throwable $e): string
{
    return $e ? get_class($e) : 'no exception';
}

function svc_opts(RedisProc $srv, array $extra = []): array
{
    global $TIMEOUT;
    return $extra + ['host' => '127.0.0.1', 'port' => $srv->port, 'timeout' => $TIMEOUT,
                     'prefix' => 'slrel_faults', 'ttl' => TTL];
}

/** The methods that talk to Redis, each as label => fn(SlotLockService, string owner). */
function redis_methods(): array
{
    return [
        'acquire' => fn ($s, $o) => $s->acquire(1, 31, T, $o),
        'acquireSegments' => fn ($s, $o) => $s->acquireSegments(1, [[32, T], [33, '2030-11-24 14:30']], $o),
        'acquireFirst' => fn ($s, $o) => $s->acquireFirst(1, [[34, T], [[35, T], [36, T]]], $o),
        'acquireResource' => fn ($s, $o) => $s->acquireResource(1, 'staff7', T, 60, $o),
        'validate' => fn ($s, $o) => $s->validate($s->key(1, 31, T), $o),
        'release' => fn ($s, $o) => $s->release($s->key(1, 31, T), $o),
        'extend' => fn ($s, $o) => $s->extend($s->key(1, 31, T), $o),
        'commit' => fn ($s, $o) => $s->commit($s->key(1, 37, T), $o, 'bk-1'),
        'status' => fn ($s, $o) => $s->status($s->key(1, 31, T)),
        'activeLocks' => fn ($s, $o) => $s->activeLocks(),
    ];
}

/**
 * Audits the slot keys under $prefix (booked markers aside): each must be held by an owner in $live (locks we still
 * hold) or $threw (owners of calls that threw), with a TTL no longer than $ttl. Returns a list
 * of problems.
 */
function audit(Redis $r, string $prefix, array $live, array $threw, int $ttl = TTL): array
{
    $bad = [];
    foreach (rl_scan($r, "$prefix:c*") as $k) {
        ['owner' => $owner, 'booked' => $booked] = rl_parse($r->get($k));   /* one read: no race with expiry */
        $pttl = $r->pttl($k);
        if ($owner === false && $pttl === -2) {
            continue;                                 /* expired meanwhile */
        }
        if ($booked !== false) {
            continue;                                 /* a booked marker: meant to stay, booked_ttl */
        }
        if ($pttl < 0 || $pttl > $ttl * 1000) {
            $bad[] = "$k: pttl $pttl";
        }
        if (!isset($live[$owner]) && !isset($threw[$owner])) {
            $bad[] = "$k: held by '$owner', whose calls all succeeded and who does not hold it";
        }
    }
    return $bad;
}

function check_bound(string $name, int $n0, int $slow0): void
{
    global $TIMEOUT;
    $slow = array_slice(Calls::$slow, $slow0);
    rl_check($slow === [], "$name: every call returned within timeout + 0.5 s",
        (Calls::$n - $n0) . ' calls' . ($slow ? ', over: ' . implode('; ', array_slice($slow, 0, 4)) : ''));
}

/* ============================================================================================
 * 1. server down at start
 * ========================================================================================== */
function scenario_down_at_start(): void
{
    global $TIMEOUT;
    $n0 = Calls::$n;
    $s0 = count(Calls::$slow);
    $port = rl_free_port();
    $t0 = hrtime(true);
    $svc = new SlotLockService(['host' => '127.0.0.1', 'port' => $port, 'timeout' => $TIMEOUT, 'prefix' => 'slrel_faults']);
    $sock = new SlotLockService('unix:///nonexistent/slrel-' . getmypid() . '.sock');
    rl_check(rl_ms($t0) < 50, 'down at start: the constructors do not connect', sprintf('%.1f ms', rl_ms($t0)));
    $bad = [];
    $max = 0.0;
    foreach (['tcp' => $svc, 'unix' => $sock] as $kind => $s) {
        foreach (redis_methods() as $m => $fn) {
            [$v, $e, $ms] = call(fn () => $fn($s, 'OWNER-TOKEN-down'), $TIMEOUT, "$kind $m", ['OWNER-TOKEN']);
            $max = max($max, $ms);
            $endpoint = $kind === 'tcp' ? "127.0.0.1:$port" : '/nonexistent/';
            if (!$e instanceof SlotLockConnectionException || $e instanceof SlotLockTimeoutException
                || !str_contains($e->getMessage(), $endpoint)) {
                $bad[] = "$kind $m: " . cls($e) . ($e ? ' ' . $e->getMessage() : '');
            }
        }
    }
    rl_check($bad === [], 'down at start: every call throws SlotLockConnectionException naming the endpoint',
        $bad ? implode('; ', array_slice($bad, 0, 3)) : '20 calls (tcp + unix)');
    rl_check($max < 200, 'down at start: refused fast', sprintf('slowest %.1f ms', $max));
    /* no I/O needed: these work without a server */
    [$v, $e] = call(fn () => [$svc->stats(), $svc->topology(), $svc->key(1, 2, T), $svc->close()], $TIMEOUT, 'local calls');
    rl_check($e === null, 'down at start: stats(), topology(), key(), close() work without a server', cls($e));
    check_bound('down at start', $n0, $s0);
}

/* ============================================================================================
 * 2. fail_mode open / closed, server down and server frozen
 * ========================================================================================== */
function scenario_fail_mode(): void
{
    global $TIMEOUT;
    $n0 = Calls::$n;
    $s0 = count(Calls::$slow);
    $srv = rl_start_redis();
    $key = 'slrel_faults:c1:s2:t203011241400';
    $flowCalls = fn (AvailabilityWithLock $f) => [
        'check' => fn () => $f->check(['available' => true, 'x' => 1], 1, 2, T, 'OWNER-TOKEN-fm'),
        'check segments' => fn () => $f->check(['available' => true], 1, [[2, T], [3, 30]], T, 'OWNER-TOKEN-fm'),
        'checkResource' => fn () => $f->checkResource(['available' => true], 1, 'room1', T, 45, 'OWNER-TOKEN-fm'),
        'beginBooking' => fn () => $f->beginBooking($key, 'OWNER-TOKEN-fm'),
        'finishBooking true' => fn () => $f->finishBooking($key, 'OWNER-TOKEN-fm', true, 'b1'),
        'finishBooking false' => fn () => $f->finishBooking($key, 'OWNER-TOKEN-fm', false),
    ];
    $old = ini_get('slotlock.fail_mode');
    foreach (['down' => fn () => $srv->kill(), 'frozen' => fn () => $srv->signal(SIGSTOP)] as $fault => $do) {
        if ($fault === 'frozen') {
            $srv->start();
        }
        $svc = new SlotLockService(svc_opts($srv));
        $flow = new AvailabilityWithLock($svc);
        $svc->activeLocks();                               /* connected before the fault */
        $do();
        foreach (['open', 'closed'] as $mode) {
            ini_set('slotlock.fail_mode', $mode);
            $bad = [];
            foreach ($flowCalls($flow) as $m => $fn) {
                [$v, $e] = call($fn, $TIMEOUT, "$fault $mode $m", ['OWNER-TOKEN']);
                if ($mode === 'closed') {
                    $want = $fault === 'down' ? SlotLockConnectionException::class : SlotLockTimeoutException::class;
                    if (!$e instanceof $want) {
                        $bad[] = "$m: " . cls($e) . ' ' . json_encode($v);
                    }
                    continue;
                }
                $ok = match (true) {
                    $e !== null => false,
                    str_starts_with($m, 'check') => is_array($v) && $v['available'] === true
                        && ($v['lock_status'] ?? null) === 'unavailable' && !isset($v['lock_key'])
                        && ($m !== 'check' || $v['x'] === 1),
                    $m === 'beginBooking' => is_array($v) && $v['ok'] === true && $v['reason'] === 'lock_unavailable',
                    default => $v === false,
                };
                if (!$ok) {
                    $bad[] = "$m: " . ($e ? cls($e) . ' ' . $e->getMessage() : json_encode($v));
                }
            }
            rl_check($bad === [], "fail_mode $mode, server $fault: " . ($mode === 'open'
                ? 'check* answer available + lock_status unavailable, beginBooking ok lock_unavailable, finishBooking false'
                : 'every flow call throws ' . ($fault === 'down' ? 'SlotLockConnectionException' : 'SlotLockTimeoutException')),
                $bad ? implode('; ', $bad) : count($flowCalls($flow)) . ' calls');
        }
        $srv->signal(SIGCONT);
    }
    ini_set('slotlock.fail_mode', $old);
    $srv->stop();
    check_bound('fail_mode', $n0, $s0);
}

/* ============================================================================================
 * 3. killed between calls, restarted on the same port
 * ========================================================================================== */
function scenario_kill_restart(): void
{
    global $TIMEOUT;
    $n0 = Calls::$n;
    $s0 = count(Calls::$slow);
    $srv = rl_start_redis();
    $svc = new SlotLockService(svc_opts($srv));
    $lock = $svc->acquire(1, 31, T, 'o-kill');
    rl_check($lock instanceof SlotLock, 'kill: connected and locked');

    $srv->kill();
    $bad = [];
    foreach (redis_methods() as $m => $fn) {
        [$v, $e] = call(fn () => $fn($svc, 'o-kill'), $TIMEOUT, "killed $m");
        if (!$e instanceof SlotLockConnectionException || $e instanceof SlotLockTimeoutException) {
            $bad[] = "$m: " . cls($e);
        }
    }
    rl_check($bad === [], 'killed between calls: every call throws SlotLockConnectionException', $bad ? implode('; ', $bad) : '10 calls');

    $srv->start();
    $st0 = $svc->stats();
    [$l, $e] = call(fn () => $svc->acquire(1, 40, T, 'o-after'), $TIMEOUT, 'after restart');
    rl_check($e === null && $l instanceof SlotLock && $l->key === $svc->key(1, 40, T) && $l->owner === 'o-after',
        'restarted on the same port: the next call in the same process works', cls($e));
    $st1 = $svc->stats();
    rl_check($st1['connects'] > $st0['connects'], 'restarted: a new connection was opened', "connects {$st0['connects']} -> {$st1['connects']}");

    /* restart between two calls, no failed call in between: transparent, reconnects++ */
    $srv->kill();
    $srv->start();
    [$ok, $e] = call(fn () => $svc->validate($l, 'o-after'), $TIMEOUT, 'validate after silent restart');
    $st2 = $svc->stats();
    rl_check($e === null && $ok === false && $st2['reconnects'] === $st1['reconnects'] + 1,
        'restarted between two calls: the next call reconnects transparently (stats reconnects++)',
        cls($e) . ', validate ' . var_export($ok, true) . " (the lock died with the server), reconnects {$st1['reconnects']} -> {$st2['reconnects']}");
    [$l2, $e] = call(fn () => $svc->acquire(1, 40, T, 'o-other'), $TIMEOUT, 'acquire after silent restart');
    rl_check($e === null && $l2 instanceof SlotLock && $l2->owner === 'o-other', 'the restarted (empty) server grants the slot again', cls($e));
    $svc->release($l2, 'o-other');
    $srv->stop();
    check_bound('kill/restart', $n0, $s0);
}

/* ============================================================================================
 * bursts: one process calls in a loop while a helper process injects a fault
 * ========================================================================================== */

/** Forks a helper running $fn; returns its pid. */
function helper(callable $fn): int
{
    $pid = pcntl_fork();
    if ($pid === 0) {
        pcntl_alarm(30);
        try {
            $fn();
        } catch (Throwable $e) {
            fwrite(STDERR, 'helper: ' . $e->getMessage() . "\n");
        }
        exit(0);
    }
    return $pid;
}

/**
 * Runs booking flows on $svc for $seconds, each on slots of its own: acquire (single, segments,
 * any-of-2) + validate + status + release or commit, or check + beginBooking + finishBooking.
 * Every call is timed. Returns counters, the owners whose calls threw or failed open ('threw')
 * and those whose locks are still held ('live').
 */
function burst(SlotLockService $svc, float $seconds, string $tag, float $timeout): array
{
    $flow = new AvailabilityWithLock($svc);
    $c = ['flows' => 0, 'calls' => 0, 'ok' => 0, 'exceptions' => [], 'wrong' => [], 'release_false_gone' => 0,
          'release_false_held' => 0, 'threw' => [], 'live' => [], 'worst_ms' => 0.0, 'slow' => []];
    $timed = function (string $what, callable $fn) use (&$c, $timeout) {
        $t0 = hrtime(true);
        try {
            return $fn();
        } finally {
            $ms = rl_ms($t0);
            $c['calls']++;
            $c['worst_ms'] = max($c['worst_ms'], $ms);
            if ($ms > $timeout * 1000 + SLACK_MS) {
                $c['slow'][] = sprintf('%s %.0f ms', $what, $ms);
            }
        }
    };
    /* the raw client checking keys comes over the unix socket: the CLIENT KILL storm kills TCP
     * clients only (LADDR) */
    $raw = null;
    $rawClient = function () use (&$raw): Redis {
        if ($raw === null) {
            $raw = new Redis();
            $raw->connect($GLOBALS['burstSocket'], 0, 2.0);
        }
        return $raw;
    };
    /* closed: every failure is an exception, so the owners told of a failure are exact */
    $oldMode = ini_get('slotlock.fail_mode');
    ini_set('slotlock.fail_mode', 'closed');
    $end = microtime(true) + $seconds;
    $i = 0;
    $t0 = hrtime(true);
    while (microtime(true) < $end) {
        $i++;
        $c['flows']++;
        $owner = "$tag-" . $i . '-' . bin2hex(random_bytes(4));
        $lock = null;
        $step = 'acquire';
        try {
            switch ($i % 4) {
                case 0:
                    $lock = $timed('acquire', fn () => $svc->acquire(2, $i, T, $owner));
                    $want = [$svc->key(2, $i, T)];
                    break;
                case 1:
                    $lock = $timed('acquireSegments', fn () => $svc->acquireSegments(3, [[$i, T], [$i + 1000000, '2030-11-24 14:30']], $owner));
                    $want = [$svc->key(3, $i, T), $svc->key(3, $i + 1000000, '2030-11-24 14:30')];
                    break;
                case 2:
                    $lock = $timed('acquireFirst', fn () => $svc->acquireFirst(4, [[2 * $i, T], [2 * $i + 1, T]], $owner));
                    $want = $lock ? [$svc->key(4, 2 * $i + (int) $lock->candidate, T)] : [];
                    break;
                default:
                    $step = 'check';
                    $a = $timed('check', fn () => $flow->check(['available' => true, 'i' => $i], 5, $i, T, $owner));
                    if (($a['i'] ?? null) !== $i) {
                        $c['wrong'][] = 'check answered for another call';
                    }
                    if (isset($a['lock_key'])) {
                        $c['live'][$owner] = true;
                        if ($a['lock_key'] !== $svc->key(5, $i, T)) {
                            $c['wrong'][] = "check: {$a['lock_key']}";
                        }
                        $step = 'beginBooking';
                        $b = $timed('beginBooking', fn () => $flow->beginBooking($a['lock_key'], $owner));
                        if (!$b['ok'] || !in_array($b['reason'], ['locked', 'lock_unavailable'], true)) {
                            $c['wrong'][] = 'beginBooking of our own fresh hold: ' . json_encode($b);
                        }
                        $step = 'finishBooking';
                        $booked = $i % 8 === 3;
                        if (!$timed('finishBooking', fn () => $flow->finishBooking($a['lock_key'], $owner, $booked, "bk$i"))) {
                            if ($booked) {
                                $c['wrong'][] = "flow $i: finishBooking(true) of our own hold is false";
                            } elseif ($rawClient()->exists($a['lock_key'])) {
                                $c['release_false_held']++;
                                continue 2;
                            } else {
                                $c['release_false_gone']++;
                            }
                        }
                        unset($c['live'][$owner]);
                    }
                    $c['ok']++;
                    continue 2;
            }
            if ($lock === null) {
                $c['wrong'][] = "flow $i: a fresh slot was refused";
                continue;
            }
            $c['live'][$owner] = true;
            if ($lock->keys !== $want || $lock->owner !== $owner) {
                $c['wrong'][] = "flow $i: asked " . implode(',', $want) . ", got {$lock->key} of {$lock->owner}";
            }
            $step = 'validate';
            if ($timed('validate', fn () => $svc->validate($lock, $owner)) !== true) {
                $c['wrong'][] = "flow $i: validate of a held lock is false";
            }
            $step = 'status';
            $st = $timed('status', fn () => $svc->status($lock));
            if ($st['locked'] !== true || $st['booked'] !== false || !is_int($st['ttl_ms'])) {
                $c['wrong'][] = "flow $i: status " . json_encode($st);
            }
            if ($i % 8 === 1) {
                $step = 'commit';
                if ($timed('commit', fn () => $svc->commit($lock, $owner, "bk$i", 2)) !== true) {
                    $c['wrong'][] = "flow $i: commit of a held lock is false";
                }
            } else {
                $step = 'release';
                if (!$timed('release', fn () => $svc->release($lock, $owner))) {
                    /* false: nothing deleted. With the keys gone, the release ran and its reply
                     * was lost with the connection: the repeated script found nothing left */
                    if ($rawClient()->exists(...$lock->keys)) {
                        $c['release_false_held']++;
                        continue;                      /* still live */
                    }
                    $c['release_false_gone']++;
                }
            }
            unset($c['live'][$owner]);
            $c['ok']++;
        } catch (Throwable $e) {
            $c['threw'][$owner] = true;
            $k = $step . ': ' . get_class($e);
            $c['exceptions'][$k] = ($c['exceptions'][$k] ?? 0) + 1;
            if (!$e instanceof SlotLockConnectionException || $e->getMessage() === '' || str_contains($e->getMessage(), $owner)) {
                $c['wrong'][] = "flow $i $step: " . get_class($e) . ': ' . $e->getMessage();
            }
        }
    }
    ini_set('slotlock.fail_mode', $oldMode);
    $c['ms'] = rl_ms($t0);
    Calls::$n += $c['calls'];
    Calls::$maxMs = max(Calls::$maxMs, $c['worst_ms'] - $timeout * 1000);
    foreach ($c['slow'] as $sl) {
        Calls::$slow[] = "$tag burst: $sl";
    }
    return $c;
}

function report_burst(string $name, array $c, array $allowedExceptions, float $timeout, RedisProc $srv, string $prefix): void
{
    $exc = array_sum($c['exceptions']);
    rl_info(sprintf('%s: %d flows, %d calls in %.1f s, %d threw %s, release false with key gone %d',
        $name, $c['flows'], $c['calls'], $c['ms'] / 1000, $exc, json_encode($c['exceptions']), $c['release_false_gone']));
    $badClass = [];
    foreach ($c['exceptions'] as $k => $n) {
        $cls = substr($k, strpos($k, ': ') + 2);
        if (!in_array($cls, $allowedExceptions, true)) {
            $badClass[] = $k;
        }
    }
    rl_check($badClass === [], "$name: failures are only " . implode('/', $allowedExceptions), $badClass ? implode(', ', $badClass) : "$exc failures");
    rl_check($c['wrong'] === [], "$name: every answer was the right one (no stale or mixed reply)",
        $c['wrong'] ? count($c['wrong']) . ': ' . implode('; ', array_slice($c['wrong'], 0, 3)) : $c['calls'] . ' calls');
    rl_check($c['release_false_held'] === 0, "$name: a release that answered false left nothing held", $c['release_false_held'] . ' left held');
    rl_check($c['slow'] === [], "$name: every call returned within timeout + 0.5 s",
        sprintf('%d calls, slowest %.0f ms (timeout %.0f ms)', $c['calls'], $c['worst_ms'], $timeout * 1000)
        . ($c['slow'] ? ': ' . implode('; ', array_slice($c['slow'], 0, 3)) : ''));
    $r = $srv->client();
    $bad = audit($r, $prefix, $c['live'], $c['threw']);
    rl_check($bad === [], "$name: no lock held by nobody", $bad ? count($bad) . ': ' . implode('; ', array_slice($bad, 0, 3)) : 'every key left is ours or a failed call\'s, TTL-bound');
    $r->close();
}

/* ============================================================================================
 * 4. SIGKILL during a burst, then restart
 * ========================================================================================== */
function scenario_kill_burst(float $seconds): void
{
    global $TIMEOUT;
    $srv = rl_start_redis();
    $GLOBALS['burstSocket'] = $srv->socket();
    $prefix = rl_prefix('killburst');
    $svc = new SlotLockService(svc_opts($srv, ['prefix' => $prefix]));
    $svc->activeLocks();
    $pid = helper(function () use ($srv, $seconds) {
        usleep(mt_rand((int) ($seconds * 200000), (int) ($seconds * 500000)));
        posix_kill($srv->pid, SIGKILL);
    });
    $c = burst($svc, $seconds, 'kb', $TIMEOUT);
    pcntl_waitpid($pid, $st);
    $exc = array_sum($c['exceptions']);
    rl_info(sprintf('kill during burst: %d flows, %d calls, %d threw %s', $c['flows'], $c['calls'], $exc, json_encode($c['exceptions'])));
    $badClass = array_filter(array_keys($c['exceptions']), fn ($k) => !str_ends_with($k, 'SlotLockConnectionException'));
    rl_check($exc > 0 && $badClass === [], 'SIGKILL during a burst: calls after it throw SlotLockConnectionException',
        $badClass ? implode(', ', $badClass) : "$exc failures");
    rl_check($c['wrong'] === [], 'SIGKILL during a burst: every answer before it was right', implode('; ', array_slice($c['wrong'], 0, 3)));
    rl_check($c['slow'] === [], 'SIGKILL during a burst: every call returned within timeout + 0.5 s',
        sprintf('%d calls, slowest %.0f ms', $c['calls'], $c['worst_ms']));
    $srv->kill();
    $srv->start();
    [$l, $e] = call(fn () => $svc->acquire(1, 31, T, 'after'), $TIMEOUT, 'after kill burst');
    rl_check($l instanceof SlotLock && $l->owner === 'after', 'restarted after the burst: the same object works again', cls($e));
    $srv->stop();
}

/* ============================================================================================
 * 5. SIGSTOP: between calls, every method times out in time; then mid-burst
 * ========================================================================================== */
function scenario_freeze(float $seconds): void
{
    global $TIMEOUT;
    $n0 = Calls::$n;
    $s0 = count(Calls::$slow);
    $srv = rl_start_redis();
    $GLOBALS['burstSocket'] = $srv->socket();
    $prefix = rl_prefix('freeze');
    $svc = new SlotLockService(svc_opts($srv, ['prefix' => $prefix]));
    $held = $svc->acquire(1, 50, T, 'o-held');

    $srv->signal(SIGSTOP);
    $bad = [];
    $range = [INF, 0];
    $threw = [];
    foreach (redis_methods() as $m => $fn) {
        $owner = "o-frozen-$m";
        [$v, $e, $ms] = call(fn () => $fn($svc, $owner), $TIMEOUT, "frozen $m", [$owner]);
        $range = [min($range[0], $ms), max($range[1], $ms)];
        $threw[$owner] = true;
        if (!$e instanceof SlotLockTimeoutException) {
            $bad[] = "$m: " . cls($e);
        }
    }
    /* a new service, persistent or not, on the frozen server: connect works (the kernel
     * accepts), the first reply never comes */
    foreach ([true, false] as $p) {
        [$v, $e, $ms] = call(fn () => (new SlotLockService(svc_opts($srv, ['prefix' => $prefix, 'persistent' => $p])))->activeLocks(),
            $TIMEOUT, 'frozen new service');
        $range = [min($range[0], $ms), max($range[1], $ms)];
        if (!$e instanceof SlotLockTimeoutException) {
            $bad[] = 'new ' . ($p ? 'persistent' : 'non-persistent') . ' service: ' . cls($e);
        }
    }
    rl_check($bad === [], 'SIGSTOP between calls: every method throws SlotLockTimeoutException', $bad ? implode('; ', $bad) : '12 calls');
    rl_check($range[0] >= $TIMEOUT * 1000 * 0.9 && $range[1] < $TIMEOUT * 1000 + SLACK_MS,
        'SIGSTOP: each waited its timeout, and no longer than timeout + 0.5 s',
        sprintf('%.0f..%.0f ms for timeout %.0f ms', $range[0], $range[1], $TIMEOUT * 1000));
    $srv->signal(SIGCONT);
    usleep(100000);
    /* no stale reply: the timed-out commands' answers are never read as these */
    $ok = $svc->validate($held, 'o-held') === true
        && $svc->validate($held, 'o-frozen-acquire') === false
        && ($l = $svc->acquire(1, 51, T, 'o-51')) instanceof SlotLock && $l->key === $svc->key(1, 51, T) && $l->owner === 'o-51'
        && $svc->status($svc->key(1, 52, T))['locked'] === false
        && is_int($svc->activeLocks());
    rl_check($ok, 'SIGCONT: the next calls get their own answers');
    $r = $srv->client();
    $bad = audit($r, $prefix, ['o-held' => true, 'o-51' => true], $threw);
    rl_check($bad === [], 'after the freeze: every key is a live lock or a timed-out call\'s, TTL-bound',
        $bad ? implode('; ', $bad) : count(rl_scan($r, "$prefix:c*")) . ' keys (timed-out commands ran when the server woke)');
    $svc->release($held, 'o-held');
    $svc->release($l, 'o-51');
    check_bound('SIGSTOP between calls', $n0, $s0);

    /* mid-burst: frozen 1.2 s at a random moment */
    $prefix = rl_prefix('freezeburst');
    $svc = new SlotLockService(svc_opts($srv, ['prefix' => $prefix]));
    $pid = helper(function () use ($srv, $seconds) {
        usleep(mt_rand((int) ($seconds * 150000), (int) ($seconds * 400000)));
        posix_kill($srv->pid, SIGSTOP);
        usleep(1200000);
        posix_kill($srv->pid, SIGCONT);
    });
    $c = burst($svc, $seconds + 1.2, 'fz', $TIMEOUT);
    pcntl_waitpid($pid, $st);
    $srv->signal(SIGCONT);
    rl_check(($c['exceptions'] ? array_sum($c['exceptions']) : 0) > 0, 'SIGSTOP mid-burst: the freeze was hit', json_encode($c['exceptions']));
    report_burst('SIGSTOP mid-burst', $c, ['SlotLockTimeoutException', 'SlotLockConnectionException'], $TIMEOUT, $srv, $prefix);
    [$l, $e] = call(fn () => $svc->acquire(1, 60, T, 'o-60'), $TIMEOUT, 'after freeze burst');
    rl_check($l instanceof SlotLock && $l->key === $svc->key(1, 60, T), 'after the frozen burst the same object works', cls($e));
    $srv->stop();
}

/* ============================================================================================
 * 6. SCRIPT FLUSH and CLIENT KILL, between calls and in a storm during a burst
 * ========================================================================================== */
function scenario_flush_kill(float $seconds): void
{
    global $TIMEOUT;
    $n0 = Calls::$n;
    $s0 = count(Calls::$slow);
    $srv = rl_start_redis();
    $GLOBALS['burstSocket'] = $srv->socket();
    $prefix = rl_prefix('flush');
    $svc = new SlotLockService(svc_opts($srv, ['prefix' => $prefix]));
    $r = $srv->client();

    $loads0 = $svc->stats()['script_loads'];
    $bad = [];
    foreach (redis_methods() as $m => $fn) {
        $r->script('flush');
        [$v, $e] = call(fn () => $fn($svc, 'o-flush'), $TIMEOUT, "after flush $m");
        if ($e) {
            $bad[] = "$m: " . cls($e) . ' ' . $e->getMessage();
        }
    }
    $loads = $svc->stats()['script_loads'] - $loads0;
    rl_check($bad === [] && $loads >= 8, 'SCRIPT FLUSH before each call: every call works (EVAL fallback)',
        $bad ? implode('; ', $bad) : "10 calls, script_loads +$loads");
    $svc->release($svc->key(1, 31, T), 'o-flush');

    $rc0 = $svc->stats()['reconnects'];
    $bad = [];
    foreach (redis_methods() as $m => $fn) {
        $r->rawCommand('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
        [$v, $e] = call(fn () => $fn($svc, 'o-ck'), $TIMEOUT, "after client kill $m");
        if ($e) {
            $bad[] = "$m: " . cls($e) . ' ' . $e->getMessage();
        }
    }
    $rc = $svc->stats()['reconnects'] - $rc0;
    rl_check($bad === [] && $rc === 10, 'CLIENT KILL before each call: every call reconnects transparently',
        $bad ? implode('; ', $bad) : "10 calls, reconnects +$rc");
    check_bound('SCRIPT FLUSH / CLIENT KILL between calls', $n0, $s0);
    $svc->release($svc->key(1, 31, T), 'o-ck');

    /* storms */
    foreach (['SCRIPT FLUSH' => ['SCRIPT', 'FLUSH'],
              'CLIENT KILL' => ['CLIENT', 'KILL', 'LADDR', "127.0.0.1:{$srv->port}", 'SKIPME', 'yes']] as $name => $cmd) {
        $pid = helper(function () use ($srv, $cmd, $seconds) {
            $r = $srv->client();
            $end = microtime(true) + $seconds;
            while (microtime(true) < $end) {
                $r->rawCommand(...$cmd);
                usleep(mt_rand(0, 4000));
            }
        });
        $prefix = rl_prefix($name === 'CLIENT KILL' ? 'ckstorm' : 'sfstorm');
        $bsvc = new SlotLockService(svc_opts($srv, ['prefix' => $prefix]));
        $st0 = $bsvc->stats();
        $c = burst($bsvc, $seconds, $name === 'CLIENT KILL' ? 'ck' : 'sf', $TIMEOUT);
        pcntl_waitpid($pid, $st);
        $st1 = $bsvc->stats();
        rl_info(sprintf('%s storm: reconnects +%d, script_loads +%d', $name, $st1['reconnects'] - $st0['reconnects'], $st1['script_loads'] - $st0['script_loads']));
        if ($name === 'SCRIPT FLUSH') {
            rl_check($c['exceptions'] === [], 'SCRIPT FLUSH storm: no call failed', json_encode($c['exceptions']));
        } else {
            /* a call whose connection is killed twice in a row fails; rare */
            rl_check(array_sum($c['exceptions']) * 20 < $c['calls'], 'CLIENT KILL storm: calls go on (failures are rare)',
                array_sum($c['exceptions']) . " failed of {$c['calls']}");
        }
        report_burst("$name storm", $c, ['SlotLockConnectionException'], $TIMEOUT, $srv, $prefix);
        if ($c['release_false_gone'] > 0) {
            rl_info("KNOWN: $name storm: {$c['release_false_gone']} release() / finishBooking(false) calls answered false although "
                . 'they deleted the lock (the reply was lost with the connection; the repeated script found nothing to delete)');
        }
    }
    $srv->stop();
}

/* ============================================================================================
 * 7. OOM: maxmemory + noeviction, filled with junk
 * ========================================================================================== */
function scenario_oom(): void
{
    global $TIMEOUT;
    $n0 = Calls::$n;
    $s0 = count(Calls::$slow);
    $srv = rl_start_redis();
    $prefix = rl_prefix('oom');
    $svc = new SlotLockService(svc_opts($srv, ['prefix' => $prefix]));
    $flow = new AvailabilityWithLock($svc);
    $held = $svc->acquire(1, 1, T, 'o-held');
    $r = $srv->client();
    $used = (int) $r->info('memory')['used_memory'];
    $max = max(1 << 20, $used + 256 * 1024);
    $r->config('set', 'maxmemory-policy', 'noeviction');
    $r->config('set', 'maxmemory', (string) $max);
    $n = 0;
    try {
        while ($n < 100000) {
            $r->set("$prefix-junk:" . $n++, str_repeat('j', 4096));
        }
    } catch (RedisException $e) {
    }
    $oom = str_contains((string) $r->getLastError(), 'OOM');
    $r->clearLastError();
    rl_check($oom, 'OOM: the server refuses writes', "maxmemory $max, $n junk values");
    $before = [];
    foreach (rl_scan($r, "$prefix:*") as $k) {
        $before[$k] = $r->type($k) === Redis::REDIS_HASH ? $r->hGetAll($k) : $r->get($k);
    }
    $connects = $svc->stats()['connects'];
    $bad = [];
    $writes = [
        'acquire' => fn () => $svc->acquire(1, 31, T, 'OWNER-TOKEN-oom'),
        'acquireSegments' => fn () => $svc->acquireSegments(1, [[32, T], [33, '2030-11-24 14:30']], 'OWNER-TOKEN-oom'),
        'acquireFirst' => fn () => $svc->acquireFirst(1, [[34, T], [[35, T], [36, T]]], 'OWNER-TOKEN-oom'),
        'acquireResource' => fn () => $svc->acquireResource(1, 'staff7', T, 60, 'OWNER-TOKEN-oom'),
        'commit (someone else\'s expired slot)' => fn () => $svc->commit($svc->key(1, 37, T), 'OWNER-TOKEN-oom', 'bk'),
        'commit (own hold)' => fn () => $svc->commit($held, 'o-held', 'bk'),
    ];
    foreach ($writes as $m => $fn) {
        [$v, $e] = call($fn, $TIMEOUT, "oom $m", ['OWNER-TOKEN']);
        if (!$e instanceof SlotLockException || $e instanceof SlotLockConnectionException || !str_contains($e->getMessage(), 'OOM')) {
            $bad[] = "$m: " . cls($e) . ($e ? ' ' . $e->getMessage() : ' ' . json_encode($v));
        }
    }
    rl_check($bad === [], 'OOM: every write throws SlotLockException (not a connection exception) saying OOM',
        $bad ? implode('; ', $bad) : count($writes) . ' calls');
    $bad = [];
    $reads = [
        'validate' => fn () => $svc->validate($held, 'o-held') === true,
        'status' => fn () => $svc->status($held)['locked'] === true,
        'extend' => fn () => $svc->extend($held, 'o-held') instanceof SlotLock,
        'activeLocks' => fn () => $svc->activeLocks() === 1,
    ];
    foreach ($reads as $m => $fn) {
        [$v, $e] = call($fn, $TIMEOUT, "oom $m");
        if ($v !== true) {
            $bad[] = "$m: " . ($e ? cls($e) . ' ' . $e->getMessage() : 'wrong answer');
        }
    }
    rl_check($bad === [], 'OOM: validate, status, extend, activeLocks still work (they do not grow memory)', $bad ? implode('; ', $bad) : '4 calls');
    $after = [];
    foreach (rl_scan($r, "$prefix:*") as $k) {
        $after[$k] = $r->type($k) === Redis::REDIS_HASH ? $r->hGetAll($k) : $r->get($k);
    }
    rl_check($after == $before, 'OOM: no key was written or half-written (fence counter untouched, no stray hold)',
        json_encode(array_diff_key($after, $before)) . ' new');
    /* the flow: closed throws SlotLockException; open may fail open */
    $old = ini_get('slotlock.fail_mode');
    ini_set('slotlock.fail_mode', 'closed');
    [$v, $e] = call(fn () => $flow->check(['available' => true], 1, 38, T, 'o-flow'), $TIMEOUT, 'oom check closed');
    rl_check($e instanceof SlotLockException && !$e instanceof SlotLockConnectionException,
        'OOM, fail_mode closed: check() throws SlotLockException', cls($e));
    ini_set('slotlock.fail_mode', 'open');
    [$v, $e] = call(fn () => $flow->check(['available' => true], 1, 38, T, 'o-flow'), $TIMEOUT, 'oom check open');
    rl_check(($e instanceof SlotLockException && !$e instanceof SlotLockConnectionException)
        || (is_array($v) && ($v['lock_status'] ?? '') === 'unavailable'),
        'OOM, fail_mode open: check() throws SlotLockException or fails open', $e ? cls($e) : json_encode($v));
    if (is_array($v)) {
        rl_info('NOTE: fail_mode=open also fails open on an OOM reply (README: "when Redis is unreachable")');
    }
    ini_set('slotlock.fail_mode', $old);
    $r->config('set', 'maxmemory', '0');
    [$l, $e] = call(fn () => $svc->acquire(1, 31, T, 'o-after'), $TIMEOUT, 'after oom');
    rl_check($l instanceof SlotLock && $l->owner === 'o-after' && $svc->stats()['connects'] === $connects,
        'memory freed: the same connection takes locks again', cls($e));
    check_bound('OOM', $n0, $s0);
    $srv->stop();
}

/* ============================================================================================
 * 8. passwords: wrong, and added at runtime
 * ========================================================================================== */
function scenario_auth(): void
{
    global $TIMEOUT;
    $n0 = Calls::$n;
    $s0 = count(Calls::$slow);
    $pw = 'Pw-' . bin2hex(random_bytes(8));
    $srv = rl_start_redis(['--requirepass', $pw]);
    $srv->password = $pw;
    $bad = [];
    $wrong = [
        'wrong password (array)' => svc_opts($srv, ['password' => 'Wr0ng-Secret-1']),
        'wrong password (DSN)' => "redis://:Wr0ng-Secret-1@127.0.0.1:{$srv->port}/0?timeout=$TIMEOUT",
        'unknown user' => svc_opts($srv, ['username' => 'nobody', 'password' => 'Wr0ng-Secret-1']),
        'no password' => svc_opts($srv),
        'right password, wrong db' => svc_opts($srv, ['password' => $pw, 'database' => 99]),
    ];
    foreach ($wrong as $label => $o) {
        foreach ([true, false] as $p) {
            $s = new SlotLockService(is_array($o) ? $o + ['persistent' => $p] : $o);
            [$v, $e] = call(fn () => $s->acquire(1, 31, T, 'OWNER-TOKEN-auth'), $TIMEOUT, $label, ['OWNER-TOKEN', 'Wr0ng-Secret', $pw]);
            if ($label === 'right password, wrong db') {
                if (!$e instanceof SlotLockException) {
                    $bad[] = "$label: " . cls($e);
                }
            } elseif (!$e instanceof SlotLockConnectionException || $e instanceof SlotLockTimeoutException) {
                $bad[] = "$label: " . cls($e) . ($e ? ' ' . $e->getMessage() : '');
            }
        }
    }
    rl_check($bad === [], 'refused credentials: SlotLockConnectionException (persistent or not, array or DSN)',
        $bad ? implode('; ', $bad) : count($wrong) * 2 . ' services');
    $good = new SlotLockService(svc_opts($srv, ['password' => $pw]));
    [$l, $e] = call(fn () => $good->acquire(1, 31, T, 'o-good'), $TIMEOUT, 'right password');
    rl_check($l instanceof SlotLock, 'the right password works', cls($e));
    $srv->stop();

    /* requirepass added while connected */
    $srv = rl_start_redis();
    $r = $srv->client();
    $svc = new SlotLockService(svc_opts($srv));
    $svc->acquire(1, 31, T, 'o-rt');
    $pw2 = 'Rt-' . bin2hex(random_bytes(8));
    $r->config('set', 'requirepass', $pw2);
    [$v, $e] = call(fn () => $svc->validate($svc->key(1, 31, T), 'o-rt'), $TIMEOUT, 'requirepass existing');
    rl_info('requirepass set at runtime: the connection authenticated before keeps working (Redis semantics): '
        . ($e ? cls($e) : var_export($v, true)));
    $svc->close();
    [$v, $e] = call(fn () => $svc->validate($svc->key(1, 31, T), 'o-rt'), $TIMEOUT, 'requirepass new conn', [$pw2]);
    rl_check($e instanceof SlotLockConnectionException && !$e instanceof SlotLockTimeoutException && stripos($e->getMessage(), 'NOAUTH') !== false,
        'requirepass set at runtime: the next connection gets SlotLockConnectionException (NOAUTH)', cls($e) . ($e ? ': ' . $e->getMessage() : ''));
    $fresh = new SlotLockService(svc_opts($srv, ['persistent' => false]));
    [$v, $e] = call(fn () => $fresh->activeLocks(), $TIMEOUT, 'requirepass fresh');
    rl_check($e instanceof SlotLockConnectionException, 'requirepass: a new service without it is refused', cls($e));
    $withPw = new SlotLockService(svc_opts($srv, ['password' => $pw2]));
    [$v, $e] = call(fn () => $withPw->validate($withPw->key(1, 31, T), 'o-rt'), $TIMEOUT, 'requirepass right');
    rl_check($e === null && $v === true, 'requirepass: with the right password the lock is there and validates', cls($e));
    /* the old service, its connection killed: the transparent reconnect meets NOAUTH */
    $svc2 = new SlotLockService(svc_opts($srv, ['password' => $pw2, 'persistent' => false]));
    $svc2->activeLocks();
    $r2 = $srv->client($pw2);
    $r2->config('set', 'requirepass', '');
    [$v, $e] = call(fn () => $svc2->activeLocks(), $TIMEOUT, 'requirepass removed');
    rl_check($e === null, 'requirepass removed at runtime: a connection that sent AUTH keeps working', cls($e));
    $svc->close();
    [$v, $e] = call(fn () => $svc->release($svc->key(1, 31, T), 'o-rt'), $TIMEOUT, 'requirepass removed, reconnect');
    rl_check($e === null && $v === true, 'requirepass removed: the password-less service connects again and releases', cls($e));
    check_bound('passwords', $n0, $s0);
    $srv->stop();
}

/* ============================================================================================
 * 9. the command ran, its reply was lost with the connection (a proxy drops it): the
 *    transparent reconnect repeats the script; the answer must still be the right one
 * ========================================================================================== */
function scenario_lost_reply(): void
{
    global $TIMEOUT;
    $n0 = Calls::$n;
    $s0 = count(Calls::$slow);
    $srv = rl_start_redis();
    $proxy = new DropProxy($srv->port);
    $prefix = rl_prefix('lost');
    $svc = new SlotLockService(['host' => '127.0.0.1', 'port' => $proxy->port, 'timeout' => $TIMEOUT,
                                'prefix' => $prefix, 'ttl' => TTL]);
    $flow = new AvailabilityWithLock($svc);
    $r = $srv->client();
    /* connected, every script loaded: a dropped reply must be the script's answer, not NOSCRIPT */
    $w = $svc->acquire(9, 9, T, 'warm');
    $svc->validate($w, 'warm');
    $svc->extend($w, 'warm');
    $svc->status($w);
    $svc->commit($w, 'warm');
    $svc->release($w, 'warm');
    $svc->activeLocks();
    $held = fn (string $k) => rl_field($r, $k, 'owner');
    $k1 = $svc->key(1, 1, T);
    $cases = [
        /* label => [setup, call, expected answer check, state check] */
        'acquire' => [null, fn () => $svc->acquire(1, 1, T, 'o1'),
            fn ($v) => $v instanceof SlotLock && $v->owner === 'o1' && $v->fence === rl_fence($r, $k1),
            fn () => $held($k1) === 'o1'],
        'validate' => [null, fn () => $svc->validate($k1, 'o1'), fn ($v) => $v === true, fn () => true],
        'extend' => [null, fn () => $svc->extend($k1, 'o1', 100), fn ($v) => $v instanceof SlotLock, fn () => $r->pttl($k1) > 90000],
        'release' => [null, fn () => $svc->release($k1, 'o1'), fn ($v) => $v === true, fn () => !$r->exists($k1)],
        'commit' => [fn () => $svc->acquire(1, 2, T, 'o2'), fn () => $svc->commit($svc->key(1, 2, T), 'o2', 'bk2'),
            fn ($v) => $v === true, fn () => rl_field($r, $svc->key(1, 2, T), 'booked') === 'bk2'],
        'check' => [null, fn () => $flow->check(['available' => true], 1, 3, T, 'o3'),
            fn ($v) => ($v['lock_key'] ?? null) === $svc->key(1, 3, T), fn () => $held($svc->key(1, 3, T)) === 'o3'],
        'beginBooking' => [null, fn () => $flow->beginBooking($svc->key(1, 3, T), 'o3'),
            fn ($v) => $v['ok'] === true && $v['reason'] === 'locked', fn () => $held($svc->key(1, 3, T)) === 'o3'],
        'finishBooking(false)' => [null, fn () => $flow->finishBooking($svc->key(1, 3, T), 'o3', false),
            fn ($v) => $v === true, fn () => !$r->exists($svc->key(1, 3, T))],
        'finishBooking(true)' => [fn () => $flow->check(['available' => true], 1, 4, T, 'o4'),
            fn () => $flow->finishBooking($svc->key(1, 4, T), 'o4', true, 'bk4'),
            fn ($v) => $v === true, fn () => rl_field($r, $svc->key(1, 4, T), 'booked') === 'bk4'],
    ];
    foreach ($cases as $label => [$setup, $fn, $answerOk, $stateOk]) {
        if ($setup) {
            $setup();
        }
        $rc0 = $svc->stats()['reconnects'];
        $proxy->dropNextReply();
        [$v, $e] = call($fn, $TIMEOUT, "lost reply $label");
        $dropped = !$proxy->armed();
        $rc = $svc->stats()['reconnects'] - $rc0;
        $got = $e ? cls($e) . ': ' . $e->getMessage() : json_encode($v instanceof SlotLock ? $v->toArray() : $v);
        rl_check($dropped && $rc === 1 && $e === null && $answerOk($v) && $stateOk(),
            "reply of $label lost: repeated after a reconnect, right answer and state",
            "reconnects +$rc, answer $got" . ($stateOk() ? '' : ', state wrong'));
    }
    $proxy->stop();
    $srv->stop();
    check_bound('lost replies', $n0, $s0);
}

/* ============================================================================================
 * 10. signals while a call waits for a frozen server: a process with signal handlers (a queue
 *     worker's pcntl SIGALRM, SIGCHLD, SIGTERM, a profiler) is interrupted in the read; the
 *     timeout must still bound the call
 * ========================================================================================== */
function scenario_signals(): void
{
    global $TIMEOUT;
    $srv = rl_start_redis();
    $opts = svc_opts($srv, ['prefix' => rl_prefix('sig')]);
    foreach ([100, 30] as $everyMs) {
        $dir = sys_get_temp_dir() . '/slrel_sig_' . getmypid();
        $ready = "$dir.ready";
        @unlink($ready);
        $pid = pcntl_fork();
        if ($pid === 0) {
            pcntl_async_signals(true);
            $n = 0;
            pcntl_signal(SIGUSR1, function () use (&$n) {
                $n++;
            });
            $svc = new SlotLockService($opts);
            $svc->activeLocks();
            touch($ready);
            while (file_exists($ready)) {
                usleep(1000);                           /* until the parent froze the server */
            }
            $t0 = hrtime(true);
            try {
                $svc->acquire(1, 31, T, 'o-sig');
                $what = 'returned';
            } catch (Throwable $e) {
                $what = get_class($e);
            }
            file_put_contents("$dir.out", json_encode([$what, rl_ms($t0), $n]));
            exit(0);
        }
        $deadline = microtime(true) + 5;
        while (!file_exists($ready) && microtime(true) < $deadline) {
            usleep(1000);
        }
        $srv->signal(SIGSTOP);
        unlink($ready);
        $t0 = microtime(true);
        $done = false;
        while (microtime(true) - $t0 < 4.0) {
            posix_kill($pid, SIGUSR1);
            usleep($everyMs * 1000);
            if (pcntl_waitpid($pid, $st, WNOHANG) === $pid) {
                $done = true;
                break;
            }
        }
        $srv->signal(SIGCONT);
        if (!$done) {
            pcntl_waitpid($pid, $st);
        }
        [$what, $ms, $n] = json_decode((string) @file_get_contents("$dir.out"), true) ?? ['no result', 0, 0];
        @unlink("$dir.out");
        rl_check($what === SlotLockTimeoutException::class && $ms < $TIMEOUT * 1000 + SLACK_MS,
            "a signal every $everyMs ms while a call waits for a frozen server: it still times out within timeout + 0.5 s",
            sprintf('%s after %.0f ms (timeout %.0f ms, %d signals handled)%s', $what, $ms, $TIMEOUT * 1000, $n,
                $done ? '' : '; it only returned when the server was woken after 4 s'));
    }
    $srv->stop();
}

/* ============================================================================================
 * 11. every connection of the process dies at once (restart, CLIENT KILL TYPE normal, the
 *     server's idle timeout) while one is idle in the persistent pool: the transparent
 *     reconnect must open a working connection, not take the dead pooled one
 * ========================================================================================== */
function scenario_pool_all_dead(): void
{
    global $TIMEOUT;
    $srv = rl_start_redis();
    $opts = svc_opts($srv, ['prefix' => rl_prefix('pool')]);
    foreach (['CLIENT KILL TYPE normal' => fn () => $srv->client()->rawCommand('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'),
              'server restart' => function () use ($srv) {
                  $srv->kill();
                  $srv->start();
              }] as $label => $fault) {
        $a = new SlotLockService($opts);
        $a->activeLocks();                              /* connection 1, held by $a */
        (new SlotLockService($opts))->activeLocks();    /* connection 2, idle in the pool now */
        $fault();
        usleep(50000);
        $st0 = $a->stats();
        [$v, $e] = call(fn () => $a->acquire(1, 31, T, 'o-pool', 5), $TIMEOUT, "pool $label");
        $st1 = $a->stats();
        rl_check($e === null && $v instanceof SlotLock,
            "$label with an idle pooled connection: the next call reconnects transparently",
            ($e ? cls($e) . ': ' . $e->getMessage() : 'ok') . sprintf(' (reconnects +%d, pool_hits +%d, connects +%d)',
                $st1['reconnects'] - $st0['reconnects'], $st1['pool_hits'] - $st0['pool_hits'], $st1['connects'] - $st0['connects']));
        if ($v instanceof SlotLock) {
            $a->release($v, 'o-pool');
        }
        $a->close();
    }
    $srv->stop();
}

$t0 = hrtime(true);
scenario_down_at_start();
scenario_fail_mode();
scenario_kill_restart();
scenario_kill_burst((float) $opt['burst']);
scenario_freeze((float) $opt['burst']);
scenario_flush_kill((float) $opt['burst']);
scenario_oom();
scenario_auth();
scenario_lost_reply();
scenario_signals();
scenario_pool_all_dead();

rl_check(Calls::$slow === [], 'overall: every call returned within its timeout + 0.5 s',
    sprintf('%d calls, worst %.0f ms over the timeout', Calls::$n, max(0, Calls::$maxMs)) . (Calls::$slow ? '; ' . implode('; ', array_slice(Calls::$slow, 0, 5)) : ''));
rl_check(Calls::$leaks === [], 'overall: no exception message showed an owner token or a password', implode('; ', array_slice(Calls::$leaks, 0, 5)));
rl_check(Calls::$noEndpoint === [], 'overall: every SlotLock* exception message names the endpoint (README, Errors)',
    count(Calls::$noEndpoint) . ' kinds without it' . (Calls::$noEndpoint ? ': ' . implode(' | ', array_map(fn ($m, $l) => "$m... ($l)",
        array_keys(Calls::$noEndpoint), Calls::$noEndpoint)) : ''));
ksort(Calls::$classes);
rl_info('exceptions seen outside the bursts: ' . json_encode(Calls::$classes));
rl_info(sprintf('faults: %.1f s', rl_ms($t0) / 1000));
rl_done();
