<?php
/*
 * tests/reliability/processes.php: processes, forks and PHP-FPM-like request loops.
 *
 * 1. fork with a live persistent connection: the parent and C children hammer the same
 *    SlotLockService object (made and connected before the fork) and new objects, N calls
 *    each, every reply checked against what was asked (key, owner, fence from the server,
 *    validate true / false, status): a reply read by the wrong process would show. Counts
 *    the connections the server accepted: each child opens its own, the parent never
 *    reconnects.
 * 2. an FPM-like worker: one process runs R "requests", each with a new persistent
 *    SlotLockService and AvailabilityWithLock (check, beginBooking, finishBooking), some
 *    ending in an exception, some with the objects leaked into a global; the server sees
 *    one connection for all of them.
 * 3. a request that dies mid-command: a child blocked on a frozen server killed by SIGALRM,
 *    one leaving through exit() in a signal handler, one through exit() in an onEvent
 *    listener; then, in the worker itself, a request that times out on a frozen server
 *    (timeout 0.2 s): the next requests get fresh, correct replies (no stale reply), and
 *    exactly one new connection.
 *
 *   php -d extension=modules/slotlock.so tests/reliability/processes.php [--children=4]
 *       [--ops=1500] [--requests=500]
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';
rl_suite('processes');

$opt = rl_args(['children' => 4, 'ops' => 1500, 'requests' => 500]);
const T = '2030-11-24 14:00';

function conns(Redis $r): array
{
    $i = $r->info('clients') + $r->info('stats');
    return [(int) $i['connected_clients'], (int) $i['total_connections_received']];
}

/* ============================================================================================
 * 1. fork with a live persistent connection
 * ========================================================================================== */

/**
 * $n rounds of calls on $svc (and every 10th round on a new object) with company $company,
 * each reply checked. Returns a list of problems (empty: all right).
 */
function hammer(SlotLockService $svc, int $company, int $n, array $opts, Redis $raw): array
{
    $bad = [];
    for ($i = 0; $i < $n && count($bad) < 5; $i++) {
        $s = $i % 10 === 9 ? new SlotLockService($opts) : $svc;
        $owner = "p$company-$i";
        $start = sprintf('2030-11-%02d %02d:%02d', 1 + $i % 28, intdiv($i, 28) % 24, 0);
        try {
            switch ($i % 5) {
                case 0:
                    $l = $s->acquire($company, 31, $start, $owner);
                    break;
                case 1:
                    $l = $s->acquireSegments($company, [[31, $start], [32, $start]], $owner);
                    break;
                case 2:
                    $l = $s->acquireFirst($company, [[33, $start], [34, $start]], $owner);
                    break;
                case 3:
                    $l = $s->acquireResource($company, 'r' . $i, $start, 30, $owner);
                    break;
                default:
                    $f = new AvailabilityWithLock($s);
                    $a = $f->check(['available' => true, 'i' => $i, 'c' => $company], $company, 35, $start, $owner);
                    if ($a['i'] !== $i || $a['c'] !== $company || $a['lock_key'] !== $s->key($company, 35, $start)) {
                        $bad[] = "$i check: " . json_encode($a);
                        continue 2;
                    }
                    $b = $f->beginBooking($a['lock_key'], $owner);
                    if ($b !== ['ok' => true, 'reason' => 'locked', 'fence' => $a['fence']]) {
                        $bad[] = "$i beginBooking: " . json_encode($b);
                    }
                    if ($f->finishBooking($a['lock_key'], $owner, false) !== true) {
                        $bad[] = "$i finishBooking: false";
                    }
                    continue 2;
            }
            if (!$l instanceof SlotLock || $l->owner !== $owner) {
                $bad[] = "$i acquire: " . var_export($l, true);
                continue;
            }
            foreach ($l->keys as $k) {
                if (!str_contains($k, ":c$company:")) {
                    $bad[] = "$i: key $k is not company $company's";
                }
            }
            if ($i % 25 === 0 && rl_fence($raw, $l->keys[0]) !== $l->fence) {
                $bad[] = "$i: fence {$l->fence} is not the server's";
            }
            if ($s->validate($l, $owner) !== true || $s->validate($l, $owner . 'x') !== false) {
                $bad[] = "$i: validate";
            }
            $st = $s->status($l);
            if ($st['locked'] !== true || $st['booked'] !== false) {
                $bad[] = "$i: status " . json_encode($st);
            }
            if ($s->release($l, $owner) !== true || $s->release($l, $owner) !== false) {
                $bad[] = "$i: release";
            }
        } catch (Throwable $e) {
            $bad[] = "$i: " . get_class($e) . ': ' . $e->getMessage();
        }
    }
    return $bad;
}

function scenario_fork(int $children, int $ops): void
{
    $srv = rl_start_redis();
    $raw = $srv->client();
    $opts = ['host' => '127.0.0.1', 'port' => $srv->port, 'prefix' => rl_prefix('fork')];
    $svc = new SlotLockService($opts);
    $svc->acquire(1, 1, T, 'parent');                  /* the connection is live */
    [, $tc0] = conns($raw);
    $st0 = $svc->stats();
    $dir = sys_get_temp_dir() . '/slrel_fork_' . getmypid();
    @mkdir($dir);
    $pids = [];
    for ($c = 0; $c < $children; $c++) {
        $pid = pcntl_fork();
        if ($pid === 0) {
            pcntl_alarm(120);
            $r = $srv->client();
            $bad = hammer($svc, 100 + $c, $ops, $opts, $r);
            /* a grandchild of the first child, on the object inherited twice */
            if ($c === 0) {
                $g = pcntl_fork();
                if ($g === 0) {
                    $gb = hammer($svc, 200, intdiv($ops, 5), $opts, $srv->client());
                    file_put_contents("$dir/g.json", json_encode($gb));
                    exit(0);
                }
                $bad = array_merge($bad, hammer($svc, 100 + $c, 50, $opts, $r));
                pcntl_waitpid($g, $gs);
                $bad = array_merge($bad, json_decode((string) @file_get_contents("$dir/g.json"), true) ?? ['grandchild: no result']);
            }
            file_put_contents("$dir/$c.json", json_encode(['bad' => $bad, 'stats' => $svc->stats()]));
            exit(0);
        }
        $pids[$c] = $pid;
    }
    $parentBad = hammer($svc, 1, $ops, $opts, $raw);
    $bad = [];
    $childConnects = 0;
    foreach ($pids as $c => $pid) {
        pcntl_waitpid($pid, $status);
        if (!pcntl_wifexited($status) || pcntl_wexitstatus($status) !== 0) {
            $bad[] = "child $c: " . (pcntl_wifsignaled($status) ? 'signal ' . pcntl_wtermsig($status) : 'exit ' . pcntl_wexitstatus($status));
        }
        $res = json_decode((string) @file_get_contents("$dir/$c.json"), true);
        if (!$res) {
            $bad[] = "child $c: no result";
            continue;
        }
        foreach ($res['bad'] as $b) {
            $bad[] = "child $c: $b";
        }
        $childConnects += $res['stats']['connects'] - $st0['connects'];
        @unlink("$dir/$c.json");
    }
    @unlink("$dir/g.json");
    @rmdir($dir);
    $total = ($children + 1) * $ops + intdiv($ops, 5) + 50;
    rl_check($parentBad === [] && $bad === [], 'fork: parent, children and a grandchild on one inherited object: every reply was theirs',
        ($parentBad || $bad) ? implode('; ', array_slice(array_merge($parentBad, $bad), 0, 5)) : sprintf('%d rounds (~%d calls) in %d processes', $total, $total * 5, $children + 2));
    $st1 = $svc->stats();
    [, $tc1] = conns($raw);
    /* each child: one connection for the inherited object, one for the new ones (pooled) */
    /* the parent: its live connection, plus one for the new objects (pooled between them) */
    rl_check($st1['connects'] - $st0['connects'] <= 1 && $st1['reconnects'] === $st0['reconnects'] && $st1['errors'] === $st0['errors'],
        'fork: the parent kept its connection (no reconnect, no error)',
        sprintf('connects +%d, reconnects +%d', $st1['connects'] - $st0['connects'], $st1['reconnects'] - $st0['reconnects']));
    $raw2 = $srv->client();
    [, $tc2] = conns($raw2);
    $opened = $tc2 - $tc0 - 1 /* $raw2 */ - ($children + 1) /* the raw clients of the children and grandchild */
        - ($st1['connects'] - $st0['connects']);
    rl_check($opened >= $children + 1 && $opened <= 2 * ($children + 1),
        'fork: each child opened its own connections (1 or 2: inherited object + new objects), never the parent\'s',
        "$opened connections for " . ($children + 1) . ' children (stats: ' . $childConnects . ')');
    $svc->release($svc->key(1, 1, T), 'parent');
    $srv->stop();
}

/* ============================================================================================
 * 2. + 3. an FPM-like worker
 * ========================================================================================== */

/** One "request": new service + flow, check, beginBooking, finishBooking. Returns problems. */
function request(array $opts, int $n, string $mode = 'normal'): array
{
    global $leaked;
    $svc = new SlotLockService($opts);
    $flow = new AvailabilityWithLock($svc);
    $owner = "call-$n-" . bin2hex(random_bytes(4));
    $start = (new DateTimeImmutable('2031-01-01 00:00', new DateTimeZone('UTC')))->modify('+' . (15 * $n) . ' minutes')->format('Y-m-d H:i');
    $a = $flow->check(['available' => true, 'n' => $n], 1, 31, $start, $owner, 60);
    $bad = [];
    if ($a['n'] !== $n || ($a['lock_key'] ?? null) !== $svc->key(1, 31, $start) || $a['lock_status'] !== 'acquired') {
        $bad[] = "request $n check: " . json_encode($a);
        return $bad;
    }
    if ($mode === 'throw') {
        throw new RuntimeException("request $n failed in the app");     /* hold left: expires */
    }
    $b = $flow->beginBooking($a['lock_key'], $owner);
    if ($b['ok'] !== true || $b['reason'] !== 'locked' || $b['fence'] !== $a['fence']) {
        $bad[] = "request $n beginBooking: " . json_encode($b);
    }
    if ($flow->finishBooking($a['lock_key'], $owner, $n % 2 === 0, "bk$n") !== true) {
        $bad[] = "request $n finishBooking false";
    }
    if ($mode === 'leak') {
        $leaked[] = [$svc, $flow];      /* kept by the app past the request: holds its connection */
    }
    return $bad;
}

function scenario_fpm(int $requests): void
{
    global $leaked;
    $srv = rl_start_redis();
    $raw = $srv->client();
    $opts = ['host' => '127.0.0.1', 'port' => $srv->port, 'prefix' => rl_prefix('fpm'), 'timeout' => 0.2, 'booked_ttl' => 5];
    [$cc0, $tc0] = conns($raw);
    $bad = [];
    $thrown = 0;
    $t0 = hrtime(true);
    for ($n = 0; $n < $requests; $n++) {
        try {
            $bad = array_merge($bad, request($opts, $n, $n % 50 === 7 ? 'throw' : 'normal'));
        } catch (RuntimeException $e) {
            $thrown++;
        }
    }
    $ms = rl_ms($t0);
    [$cc1, $tc1] = conns($raw);
    rl_check($bad === [], "FPM loop: $requests requests (new service + flow each), every answer right",
        $bad ? implode('; ', array_slice($bad, 0, 3)) : sprintf('%.1f ms per request, %d ended in an exception', $ms / $requests, $thrown));
    rl_check($tc1 - $tc0 === 1 && $cc1 - $cc0 === 1, 'FPM loop: one connection served every request',
        sprintf('total_connections_received +%d, connected_clients +%d', $tc1 - $tc0, $cc1 - $cc0));

    /* a request keeps its objects alive past its end: the next one shares their connection
     * (one per endpoint per process), nothing new is opened */
    $leaked = [];
    request($opts, 100000, 'leak');
    $bad = request($opts, 100001);
    [, $tc2] = conns($raw);
    $leaked = [];
    $bad = array_merge($bad, request($opts, 100002), request($opts, 100003));
    [$cc3, $tc3] = conns($raw);
    rl_check($bad === [] && $tc2 === $tc1 && $tc3 === $tc2 && $cc3 - $cc0 <= 1,
        'FPM loop: objects kept past a request share the one connection with the next requests',
        sprintf('new connections %d then %d, connected_clients +%d', $tc2 - $tc1, $tc3 - $tc2, $cc3 - $cc0));

    /* 3a. requests that die mid-command. A child blocked on a frozen server: */
    $victim = function (string $how, float $timeout) use ($opts, $srv) {
        return rl_in_child(function () use ($opts, $how, $timeout, $srv) {
            pcntl_async_signals(true);
            $svc = new SlotLockService(['timeout' => $timeout] + $opts);
            $svc->activeLocks();                         /* connected (pooled at the end) */
            if ($how === 'sigalrm' || $how === 'handler') {
                posix_kill($srv->pid, SIGSTOP);          /* frozen from now on */
            }
            if ($how === 'handler') {
                pcntl_signal(SIGALRM, function () {
                    echo "handler ran\n";
                    exit(7);
                });
            }
            if ($how === 'listener' || $how === 'listener-error') {
                $svc->onEvent(function (array $ev) {
                    echo "listener: {$ev['event']}\n";
                    exit(8);
                });
                if ($how === 'listener-error') {
                    $svc = new SlotLockService(['port' => 1] + $opts);
                    $svc->onEvent(function (array $ev) {
                        echo "listener: {$ev['event']}\n";
                        exit(8);
                    });
                }
                $svc->acquire(1, 777, T, 'dying-listener');
                echo "returned\n";
                return 1;
            }
            pcntl_alarm(1);
            $svc->acquire(1, $how === 'handler' ? 778 : 779, T, "dying-$how");
            echo "returned\n";
            return 0;
        }, 10.0);
    };
    /* ... killed by SIGALRM (default action) while it waits for the reply */
    $t = $victim('sigalrm', 5.0);
    $srv->signal(SIGCONT);
    rl_check($t['status'] === 'signal' && $t['code'] === SIGALRM && $t['ms'] > 900 && $t['ms'] < 3000,
        'a request blocked mid-command and killed by SIGALRM dies of it at once',
        sprintf('%s %d after %.0f ms', $t['status'], $t['code'], $t['ms']));
    /* ... whose SIGALRM handler calls exit(): PHP runs the handler once the call returns (the
     * server wakes up 0.5 s after the alarm), then the request ends with the handler's code */
    $waker = pcntl_fork();
    if ($waker === 0) {
        usleep(1600000);
        posix_kill($srv->pid, SIGCONT);
        exit(0);
    }
    $t = $victim('handler', 5.0);
    pcntl_waitpid($waker, $ws);
    rl_check($t['status'] === 'exit' && $t['code'] === 7 && $t['output'] === "handler ran\n",
        'a request whose signal handler exit()s mid-command: the command completes, then the request ends cleanly',
        sprintf('%s %d after %.0f ms: %s', $t['status'], $t['code'], $t['ms'], json_encode($t['output'])));
    $srv->signal(SIGCONT);
    /* ... through exit() inside an onEvent listener (after a lock, and after an error) */
    foreach (['listener' => 'acquired', 'listener-error' => 'error'] as $how => $event) {
        $t = $victim($how, 1.0);
        rl_check($t['status'] === 'exit' && $t['code'] === 8 && $t['output'] === "listener: $event\n",
            "a request leaving through exit() inside an onEvent listener ($event event) ends cleanly",
            sprintf('%s %d%s: %s', $t['status'], $t['code'], $t['status'] === 'signal' && $t['code'] === SIGSEGV ? ' (SIGSEGV)' : '',
                json_encode($t['output'])));
    }
    usleep(100000);
    $k = fn (int $s) => (new SlotLockService($opts))->key(1, $s, T);
    $pt = [$raw->pttl($k(779)), $raw->pttl($k(778))];
    rl_check($pt[0] > 0 && $pt[0] <= 300000 && $pt[1] > 0 && $pt[1] <= 300000,
        'the dead requests\' commands ran when the server woke: their holds are TTL-bound',
        'pttl ' . implode(', ', $pt) . ' ms');

    /* 3b. in the worker itself: a request times out on a frozen server (fail_mode open: the
     * check lets the booking go on), the connection must be dropped, not pooled */
    [$cc4, $tc4] = conns($raw);
    $srv->signal(SIGSTOP);
    $t0 = hrtime(true);
    $e = null;
    $bad = [];
    try {
        $bad = request($opts, 200000);
    } catch (Throwable $e) {
    }
    $ms = rl_ms($t0);
    $srv->signal(SIGCONT);
    rl_check($e === null && count($bad) === 1 && str_contains($bad[0], '"lock_status":"unavailable"') && $ms < 200 + 500,
        'a request on a frozen server gets lock_status unavailable within timeout 0.2 s + 0.5 s (fail_mode open)',
        ($e ? get_class($e) : implode('; ', $bad)) . sprintf(', %.0f ms', $ms));
    usleep(100000);
    $bad = [];
    for ($n = 200001; $n < 200101; $n++) {
        $bad = array_merge($bad, request($opts, $n));
    }
    [$cc5, $tc5] = conns($raw);
    rl_check($bad === [], 'the next 100 requests in the same process get their own replies (no stale reply)',
        $bad ? implode('; ', array_slice($bad, 0, 3)) : '100 requests');
    /* one connection fewer, plus those opened since */
    rl_check($cc5 - $cc4 === ($tc5 - $tc4) - 1, 'the timed-out connection was closed, not pooled',
        sprintf('connected_clients %+d, new connections %d', $cc5 - $cc4, $tc5 - $tc4));
    $srv->stop();
}

$t0 = hrtime(true);
scenario_fork((int) $opt['children'], (int) $opt['ops']);
scenario_fpm((int) $opt['requests']);
rl_info(sprintf('processes: %.1f s', rl_ms($t0) / 1000));
rl_done();
