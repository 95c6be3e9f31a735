<?php
/*
 * tests/reliability/security.php: least privilege, owner checks, secrets, owner tokens.
 *
 * 1. The ACL line of README.md's "Security" section (parsed out of the README, so that the
 *    README stays true) creates a user on a private redis-server; the whole API runs through
 *    it: acquire, acquireSegments, acquireFirst, acquireResource, resourceKeys, validate,
 *    extend, commit, status, activeLocks, release, the AvailabilityWithLock flow, the EVAL
 *    fallback (after SCRIPT FLUSH), a reconnect (CLIENT KILL) and database 1 (SELECT).
 * 2. For each command of the line, a user without it: the API must fail with
 *    SlotLockConnectionException naming NOPERM, never answer wrongly (a lock refused as if
 *    held by someone else, a lock reported free, a booked slot reported not booked).
 * 3. No lock is validated, extended, released, committed, begun or finished without its
 *    owner token: wrong owners, owners differing in case / whitespace / a NUL / a prefix of
 *    the token, another lock's owner, for single and compound locks and booked markers.
 * 4. Owner tokens and passwords never appear in phpinfo(), php --ri, exception messages,
 *    onEvent payloads, var_dump / var_export / print_r / json_encode / serialize /
 *    debug_zval_dump / (array) / get_object_vars / Reflection of the service, stats(),
 *    topology(), or error_log output.
 * 5. Generated owners are 32 lowercase hex characters, unique over 100000 draws, with
 *    uniformly distributed digits, and differ between a parent and its forked child.
 *
 *   php -d extension=modules/slotlock.so tests/reliability/security.php [--draws=100000]
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';
rl_suite('security');

$opt = rl_args(['draws' => 100000]);
const T = '2030-11-24 14:00';
const T2 = '2030-11-24 14:30';
const SKIP = 'skipped: its input failed';

/* ---------------------------------------------------------------- the README's ACL line --- */
function readme_acl_line(): array
{
    $readme = (string) file_get_contents(dirname(__DIR__, 2) . '/README.md');
    if (!preg_match('/^## Security\s*$(.*?)(?=^## )/ms', $readme, $m)) {
        return [];
    }
    if (!preg_match('/^\s*(ACL SETUSER .+?)\s*$/m', $m[1], $l)) {
        return [];
    }
    return preg_split('/\s+/', trim($l[1]));
}

$acl = readme_acl_line();
if (!rl_check(count($acl) > 4 && $acl[0] === 'ACL' && $acl[1] === 'SETUSER', 'README.md\'s Security section has an ACL SETUSER line',
    implode(' ', $acl))) {
    rl_done();
}
$user = $acl[2];
$commands = array_values(array_map(fn ($a) => substr($a, 1), array_filter($acl, fn ($a) => preg_match('/^\+[a-z|]+$/', $a))));
$keyPatterns = array_values(array_map(fn ($a) => substr($a, 1), array_filter($acl, fn ($a) => $a[0] === '~')));
rl_info("user '$user', commands: " . implode(' ', $commands) . '; keys: ' . implode(' ', $keyPatterns));
$prefix = 'slot_lock';
rl_check(in_array("$prefix:*", $keyPatterns, true), "the line grants the default prefix's keys ($prefix:*)");

$srv = rl_start_redis();
$admin = $srv->client();

/** Creates $name from the README line with $password, minus the commands in $without. */
function make_user(Redis $admin, array $acl, string $name, string $password, array $without = []): void
{
    $args = array_slice($acl, 2);
    $args[0] = $name;
    foreach ($args as $i => $a) {
        if ($a === '>PASSWORD' || preg_match('/^>/', $a)) {
            $args[$i] = ">$password";
        }
        if ($a[0] === '+' && in_array(substr($a, 1), $without, true)) {
            unset($args[$i]);
        }
    }
    $admin->rawCommand('ACL', 'DELUSER', $name);
    $admin->rawCommand('ACL', 'SETUSER', ...array_values($args));
}

/**
 * The whole API through $svc; returns [call => result or Throwable]. Fresh slots per run
 * ($tag picks the company), each step checked by the caller.
 */
function full_api(SlotLockService $svc, int $company, Redis $admin, bool $flush): array
{
    $out = [];
    $run = function (string $name, callable $fn) use (&$out) {
        try {
            $out[$name] = $fn();
        } catch (Throwable $e) {
            $out[$name] = $e;
        }
        return $out[$name];
    };
    $admin->flushAll();                  /* the ACL pins the prefix: start from an empty server */
    /* closed: a refused command is an exception, not a fail-open answer */
    $oldMode = ini_set('slotlock.fail_mode', 'closed');
    if ($flush) {
        $admin->script('flush');
    }
    $flow = new AvailabilityWithLock($svc);
    $isLock = fn ($x) => $x instanceof SlotLock;
    $hasKey = fn ($x) => is_array($x) && isset($x['lock_key']);
    /* a step whose input failed is skipped, not judged */
    $after = function (string $name, mixed $input, callable $ok, callable $fn) use ($run, &$out) {
        if (!$ok($input)) {
            return $out[$name] = SKIP;
        }
        return $run($name, $fn);
    };
    $l = $run('acquire', fn () => $svc->acquire($company, 31, T, 'own-a', 60));
    $after('acquire conflict', $l, $isLock, fn () => $svc->acquire($company, 31, T, 'own-b', 60));
    $after('validate', $l, $isLock, fn () => $svc->validate($l, 'own-a'));
    $after('extend', $l, $isLock, fn () => $svc->extend($l, 'own-a', 90));
    $after('status', $l, $isLock, fn () => $svc->status($svc->key($company, 31, T)));
    $after('activeLocks', $l, $isLock, fn () => $svc->activeLocks());
    $after('release', $l, $isLock, fn () => $svc->release($l, 'own-a'));
    $g = $run('acquireSegments', fn () => $svc->acquireSegments($company, [[32, T], [33, T2]], 'own-a', 60));
    $f = $run('acquireFirst', fn () => $svc->acquireFirst($company, [[34, T], [[35, T], [36, T]]], 'own-a', 60));
    $r = $run('acquireResource', fn () => $svc->acquireResource($company, 'staff1', T, 60, 'own-a', 60, 10, 10));
    $run('resourceKeys', fn () => $svc->resourceKeys($company, 'staff1', T, 60));
    $c = $after('commit', $g, $isLock, fn () => $svc->commit($g, 'own-a', 'bk-1', 60));
    $after('status booked', $c, fn ($x) => $x === true, fn () => $svc->status($svc->key($company, 32, T)));
    $after('acquire booked', $c, fn ($x) => $x === true, fn () => $svc->acquire($company, 32, T, 'own-b', 60));
    $after('release compound', $f, $isLock, fn () => $svc->release($f, 'own-a'));
    $after('release resource', $r, $isLock, fn () => $svc->release($r, 'own-a'));
    $a = $run('check', fn () => $flow->check(['available' => true], $company, 40, T, 'call-1', 60));
    $after('check conflict', $a, $hasKey, fn () => $flow->check(['available' => true], $company, 40, T, 'call-2', 60));
    $run('checkResource', fn () => $flow->checkResource(['available' => true], $company, 'room1', T, 30, 'call-1', 60));
    $b = $after('beginBooking', $a, $hasKey, fn () => $flow->beginBooking($a['lock_key'], 'call-1'));
    $fb = $after('finishBooking', $b, fn ($x) => is_array($x) && $x['ok'] === true, fn () => $flow->finishBooking($a['lock_key'], 'call-1', true, 'bk-2'));
    $after('beginBooking retried', $fb, fn ($x) => $x === true, fn () => $flow->beginBooking($a['lock_key'], 'call-1'));
    $after('check booked', $fb, fn ($x) => $x === true, fn () => $flow->check(['available' => true], $company, 40, T, 'call-3', 60));
    /* commit of a slot whose hold expired (never taken here): marked booked too */
    $ce = $run('commit expired', fn () => $svc->commit($svc->key($company, 41, T), 'own-a', 'bk-3', 60));
    $after('status expired committed', $ce, fn ($x) => $x === true, fn () => $svc->status($svc->key($company, 41, T)));
    ini_set('slotlock.fail_mode', $oldMode);
    return $out;
}

/** What every step of full_api() must answer with full permissions. */
function api_expectations(): array
{
    return [
        'acquire' => fn ($v) => $v instanceof SlotLock && $v->owner === 'own-a',
        'acquire conflict' => fn ($v) => $v === null,
        'validate' => fn ($v) => $v === true,
        'extend' => fn ($v) => $v instanceof SlotLock && $v->toArray()['lock_ttl'] >= 89,
        'status' => fn ($v) => is_array($v) && $v['locked'] === true && $v['booked'] === false,
        'activeLocks' => fn ($v) => $v === 1,             /* the server is flushed before each run */
        'release' => fn ($v) => $v === true,
        'acquireSegments' => fn ($v) => $v instanceof SlotLock && count($v->keys) === 2,
        'acquireFirst' => fn ($v) => $v instanceof SlotLock && $v->candidate === 0,
        'acquireResource' => fn ($v) => $v instanceof SlotLock && count($v->keys) === 6,
        'resourceKeys' => fn ($v) => is_array($v) && count($v) === 4,
        'commit' => fn ($v) => $v === true,
        'status booked' => fn ($v) => is_array($v) && $v['locked'] === true && $v['booked'] === true,
        'acquire booked' => fn ($v) => $v === null,
        'release compound' => fn ($v) => $v === true,
        'release resource' => fn ($v) => $v === true,
        'check' => fn ($v) => is_array($v) && ($v['lock_status'] ?? null) === 'acquired',
        'check conflict' => fn ($v) => is_array($v) && $v['available'] === false && $v['reason'] === 'slot_locked',
        'checkResource' => fn ($v) => is_array($v) && ($v['lock_status'] ?? null) === 'acquired',
        'beginBooking' => fn ($v) => is_array($v) && $v['ok'] === true && $v['reason'] === 'locked',
        'finishBooking' => fn ($v) => $v === true,
        'beginBooking retried' => fn ($v) => is_array($v) && $v['ok'] === false && $v['reason'] === 'already_booked' && $v['booking_id'] === 'bk-2',
        'check booked' => fn ($v) => is_array($v) && $v['available'] === false && $v['reason'] === 'slot_booked',
        'commit expired' => fn ($v) => $v === true,
        'status expired committed' => fn ($v) => is_array($v) && $v['booked'] === true && $v['ttl_ms'] > 0,
    ];
}

function describe(mixed $v): string
{
    if ($v instanceof Throwable) {
        return get_class($v) . ': ' . $v->getMessage();
    }
    if ($v instanceof SlotLock) {
        return 'SlotLock ' . $v->key;
    }
    return json_encode($v);
}

/* ---------------------------------------------------------------- 1. the README user ----- */
$pw = 'Acl-' . bin2hex(random_bytes(12));
make_user($admin, $acl, $user, $pw);
$admin->rawCommand('ACL', 'SETUSER', 'admin', 'on', '>' . ($adminPw = bin2hex(random_bytes(8))), '~*', '&*', '+@all');
$admin = $srv->client(['admin', $adminPw]);
$admin->rawCommand('ACL', 'SETUSER', 'default', 'off');     /* only the ACL users get in */

$base = ['host' => '127.0.0.1', 'port' => $srv->port, 'username' => $user, 'password' => $pw, 'timeout' => 1.0];
$exp = api_expectations();
$company = 1;
foreach (['persistent, scripts loaded' => [[], false], 'after SCRIPT FLUSH (EVAL)' => [[], true],
          'database 1 (SELECT)' => [['database' => 1], true], 'non-persistent' => [['persistent' => false], false],
          'DSN' => ['dsn', false]] as $label => [$extra, $flush]) {
    $svc = $extra === 'dsn'
        ? new SlotLockService("redis://$user:$pw@127.0.0.1:{$srv->port}/2")
        : new SlotLockService($extra + $base);
    $res = full_api($svc, $company++, $admin, $flush);
    $bad = [];
    foreach ($exp as $step => $ok) {
        if (!array_key_exists($step, $res) || !$ok($res[$step])) {
            $bad[] = "$step: " . describe($res[$step] ?? 'not run');
        }
    }
    rl_check($bad === [], "the README's ACL user runs the whole API: $label", $bad ? implode('; ', array_slice($bad, 0, 4)) : count($exp) . ' steps');
}
/* a reconnect (connection killed) under the ACL user */
$svc = new SlotLockService($base);
$svc->activeLocks();
$admin->rawCommand('CLIENT', 'KILL', 'USER', $user);
try {
    $v = $svc->acquire(50, 31, T, 'own-k', 30);
    rl_check($v instanceof SlotLock && $svc->stats()['reconnects'] === 1, 'the README\'s ACL user: a killed connection is reopened (AUTH again)', describe($v));
} catch (Throwable $e) {
    rl_check(false, 'the README\'s ACL user: a killed connection is reopened (AUTH again)', describe($e));
}
$svc->close();

/* ---------------------------------------------------------------- 2. one command less ---- */
/*
 * Per command: every call that fails must fail with SlotLockConnectionException (permissions
 * refused), at least one must, no call may answer wrongly instead (a pcall'd command refused
 * reads as "held by someone" or "not booked"), and no key may be left without a TTL (a
 * script stopped by the refusal after its first write).
 */
$table = [];
foreach ($commands as $cmd) {
    $name = "less-$cmd";
    make_user($admin, $acl, $name, $pw, [$cmd]);
    $svc = new SlotLockService(['username' => $name, 'database' => $cmd === 'select' ? 1 : 0, 'persistent' => false] + $base);
    $res = full_api($svc, 100 + count($table), $admin, $cmd === 'eval');
    $conn = [];
    $other = [];
    $wrong = [];
    foreach ($exp as $step => $ok) {
        $v = array_key_exists($step, $res) ? $res[$step] : SKIP;
        if ($v === SKIP) {
            continue;
        }
        if ($v instanceof SlotLockConnectionException) {
            $conn[] = $step;
        } elseif ($v instanceof Throwable) {
            $other[] = "$step: " . get_class($v) . ' ' . substr($v->getMessage(), 0, 90);
        } elseif (!$ok($v)) {
            $wrong[] = "$step: " . describe($v);
        }
    }
    $noTtl = [];
    foreach ([0, 1] as $db) {
        $admin->select($db);
        foreach (rl_scan($admin, 'slot_lock:*') as $k) {
            if ($admin->pttl($k) === -1 && !str_ends_with($k, ':fence') && !str_ends_with($k, ':active')) {
                $noTtl[] = "$k " . json_encode($admin->get($k));
            }
        }
    }
    $admin->select(0);
    $table[$cmd] = [count($conn), count($other), count($wrong), count($noTtl)];
    /* optional: +incr is only used with fencing => true, +command|info only to look for
     * DELIFEQ/DELEX (a refusal means the release script): without them everything works */
    $optional = in_array($cmd, ['incr', 'command|info'], true);
    rl_check(($optional ? $conn === [] : $conn !== []) && $other === [] && $wrong === [] && $noTtl === [],
        $optional ? "without +$cmd (optional without fencing): every call answers right, no key without TTL"
                  : "without +$cmd: calls fail with SlotLockConnectionException, none answers wrongly, no key without TTL",
        sprintf('%d SlotLockConnectionException', count($conn))
        . ($other ? '; ' . count($other) . ' other: ' . implode('; ', array_slice($other, 0, 2)) : '')
        . ($wrong ? '; ' . count($wrong) . ' WRONG ANSWERS: ' . implode('; ', array_slice($wrong, 0, 3)) : '')
        . ($noTtl ? '; ' . count($noTtl) . ' KEYS WITHOUT TTL: ' . implode('; ', array_slice($noTtl, 0, 2)) : ''));
    $admin->rawCommand('ACL', 'DELUSER', $name);
}
rl_info('per missing command: [SlotLockConnectionException, other exceptions, wrong answers, keys without TTL]: '
    . implode(' ', array_map(fn ($c, $v) => "$c=" . implode('/', $v), array_keys($table), $table)));

/* ---------------------------------------------------------------- 3. owner checks -------- */
$svc = new SlotLockService($base);
$flow = new AvailabilityWithLock($svc);
$single = $svc->acquire(200, 31, T, null, 60);
$token = $single->owner;
$compound = $svc->acquireSegments(200, [[32, T], [33, T2]], 'Call-Owner-7', 60);
$other = $svc->acquire(200, 34, T, 'someone-else', 60);
$booked = $svc->acquire(200, 35, T, 'booker-1', 60);
$svc->commit($booked, 'booker-1', 'bk-9', 60);
$snapshot = function () use ($admin, $single, $compound, $booked): array {
    $s = [];
    foreach (array_merge($single->keys, $compound->keys, $booked->keys) as $k) {
        $s[$k] = [$admin->get($k), $admin->pttl($k)];
    }
    return $s;
};
/* same fields, TTL not extended (and not gone) */
$same = function (array $a, array $b): bool {
    foreach ($a as $k => [$fields, $ttl]) {
        if (!isset($b[$k]) || $b[$k][0] !== $fields || $b[$k][1] > $ttl || $b[$k][1] < $ttl - 10000) {
            return false;
        }
    }
    return count($a) === count($b);
};
$wrongOwners = function (string $real): array {
    return array_unique([
        'other', 'x', ' ', '0', strtoupper($real), strtolower($real), ucfirst($real), " $real", "$real ", "$real\n",
        "$real\0", substr($real, 0, -1), substr($real, 1), $real . $real, 'someone-else', "\t$real",
        str_replace('-', '_', $real), bin2hex(random_bytes(16)),
    ]);
};
$before = $snapshot();
$breaches = [];
$tried = 0;
foreach ([[$single, $token], [$compound, 'Call-Owner-7'], [$booked, 'booker-1']] as [$lock, $real]) {
    foreach ($wrongOwners($real) as $w) {
        if ($w === $real) {
            continue;
        }
        foreach ([
            'validate' => fn () => $svc->validate($lock, $w) === false,
            'validate key' => fn () => $svc->validate($lock->key, $w) === false,
            'release' => fn () => $svc->release($lock, $w) === false,
            'extend' => fn () => $svc->extend($lock, $w, 600) === null,
            'commit' => fn () => $svc->commit($lock, $w, 'evil', 600) === false,
            'beginBooking' => fn () => ($b = $flow->beginBooking($lock->key, $w))['ok'] === false && !isset($b['booking_id']),
            'finishBooking true' => fn () => $flow->finishBooking($lock->key, $w, true, 'evil') === false,
            'finishBooking false' => fn () => $flow->finishBooking($lock->key, $w, false) === false,
            'acquire' => fn () => $lock === $compound
                ? $svc->acquireSegments(200, [[32, T], [33, T2]], $w) === null
                : $svc->acquire(200, (int) substr($lock->keys[0], strrpos($lock->keys[0], ':s') + 2, 2), T, $w) === null,
        ] as $op => $fn) {
            $tried++;
            try {
                if (!$fn()) {
                    $breaches[] = "$op by " . json_encode($w, JSON_INVALID_UTF8_SUBSTITUTE) . " on {$lock->key}";
                }
            } catch (ValueError $e) {
                /* refused as an argument: fine */
            } catch (Throwable $e) {
                $breaches[] = "$op by " . json_encode($w) . ': ' . get_class($e);
            }
        }
    }
}
$after = $snapshot();
rl_check($breaches === [], 'no call with a wrong owner succeeded', "$tried calls" . ($breaches ? '; ' . count($breaches) . ': ' . implode('; ', array_slice($breaches, 0, 5)) : ''));
rl_check($same($before, $after), 'the locks and the booked marker are as before (owner, fence, booked; TTL not extended)',
    $same($before, $after) ? count($before) . ' keys' : json_encode(['before' => $before, 'after' => $after]));
rl_check($svc->validate($single, $token) && $svc->validate($compound, 'Call-Owner-7') && $svc->release($compound, 'Call-Owner-7'),
    'the real owners still hold their locks');
/* an empty owner is refused outright */
$refused = 0;
foreach (['validate' => fn () => $svc->validate($single, ''), 'release' => fn () => $svc->release($single, ''),
          'extend' => fn () => $svc->extend($single, ''), 'commit' => fn () => $svc->commit($single, ''),
          'beginBooking' => fn () => $flow->beginBooking($single->key, ''), 'finishBooking' => fn () => $flow->finishBooking($single->key, '', true)] as $fn) {
    try {
        $fn();
    } catch (ValueError $e) {
        $refused++;
    }
}
rl_check($refused === 6, 'an empty owner is a ValueError everywhere', "$refused of 6");

/* ---------------------------------------------------------------- 4. secrets ------------- */
$secretPw = 'Pw-Secret-' . bin2hex(random_bytes(6));
$secretOwner = 'Owner-Secret-' . bin2hex(random_bytes(6));
make_user($admin, $acl, 'secretive', $secretPw);
$svc = new SlotLockService(['username' => 'secretive', 'password' => $secretPw] + $base);
$dsnSvc = new SlotLockService("redis://secretive:$secretPw@127.0.0.1:{$srv->port}/0");
$events = [];
$svc->onEvent(function (array $ev) use (&$events) {
    $events[] = $ev;
});
$flow = new AvailabilityWithLock($svc);
$gen = $svc->acquire(300, 31, T, null, 60);
$genToken = $gen->owner;
$svc->acquire(300, 32, T, $secretOwner, 60);
$svc->acquire(300, 32, T, 'x', 60);                               /* conflict event */
$svc->validate($svc->key(300, 32, T), $secretOwner);
$svc->extend($svc->key(300, 32, T), $secretOwner);
$svc->commit($svc->key(300, 32, T), $secretOwner, 'bk');
$a = $flow->check(['available' => true], 300, 33, T, $secretOwner, 60);
$flow->beginBooking($a['lock_key'], $secretOwner);
$flow->finishBooking($a['lock_key'], $secretOwner, false);
$svc->release($gen, $genToken);
$secrets = [$secretPw, $secretOwner, $genToken];
$leaks = [];
$look = function (string $where, string $text) use (&$leaks, $secrets) {
    foreach ($secrets as $s) {
        if (str_contains($text, $s)) {
            $leaks[] = "$where shows " . substr($s, 0, 9) . '...';
        }
    }
};
$look('onEvent payloads', json_encode($events));
foreach ([$svc, $dsnSvc] as $i => $s) {
    $tag = $i ? 'DSN service' : 'service';
    ob_start();
    var_dump($s);
    print_r($s);
    var_export($s);
    debug_zval_dump($s);
    var_dump((array) $s, get_object_vars($s), $s->stats(), $s->topology());
    foreach ((new ReflectionObject($s))->getProperties() as $p) {
        $p->setAccessible(true);
        var_dump($p->isInitialized($s) ? $p->getValue($s) : null);
    }
    echo json_encode($s), json_encode($s->topology());
    $look("$tag var_dump/print_r/var_export/debug_zval_dump/(array)/Reflection/json_encode/stats/topology", (string) ob_get_clean());
    try {
        $look("$tag serialize", serialize($s));
    } catch (Exception $e) {
        $look("$tag serialize message", $e->getMessage());
    }
}
/* exception messages of failures that involve the secrets */
$msgs = [];
$collect = function (callable $fn) use (&$msgs) {
    try {
        $fn();
    } catch (Throwable $e) {
        $msgs[] = get_class($e) . ': ' . $e->getMessage();
    }
};
$collect(fn () => (new SlotLockService(['username' => 'secretive', 'password' => $secretPw . 'x'] + $base))->activeLocks());
$collect(fn () => (new SlotLockService("redis://secretive:{$secretPw}x@127.0.0.1:{$srv->port}"))->activeLocks());
$collect(fn () => (new SlotLockService(['password' => $secretPw, 'port' => 1]))->activeLocks());
$collect(fn () => (new SlotLockService("redis://:$secretPw@127.0.0.1:1/0?timeout=abc"))->activeLocks());
$collect(fn () => (new SlotLockService("redis://:$secretPw@[::1"))->activeLocks());
$collect(fn () => $svc->acquire(300, 34, T, $secretOwner . str_repeat('x', 200)));
$collect(fn () => $svc->acquire(300, 34, T, $secretOwner . "\0"));
$collect(fn () => $svc->validate('not-a-key', $secretOwner));
$collect(fn () => $flow->finishBooking($a['lock_key'], $secretOwner, true, str_repeat('b', 5000)));
$collect(fn () => (new SlotLockService(['port' => 1, 'timeout' => 0.2]))->acquire(300, 34, T, $secretOwner));
make_user($admin, $acl, 'secretive-noperm', $secretPw, ['hset']);
$collect(fn () => (new SlotLockService(['username' => 'secretive-noperm', 'password' => $secretPw] + $base))->acquire(300, 35, T, $secretOwner));
$look('exception messages', implode("\n", $msgs));
rl_info(count($msgs) . ' exception messages checked, e.g. ' . ($msgs[0] ?? ''));
/* error_log: a throwing listener's warning, with the log going to a file */
$log = tempnam(sys_get_temp_dir(), 'slrel_log_');
$oldLog = ini_set('error_log', $log);
$oldDisplay = ini_set('display_errors', '0');
set_error_handler(null);
$svc->onEvent(function (array $ev) use ($secretOwner) {
    throw new RuntimeException('listener failed for ' . $ev['event']);
});
$svc->acquire(300, 36, T, $secretOwner, 30);
try {
    $s = new SlotLockService(['password' => $secretPw, 'port' => 1]);
    $s->onEvent(fn ($e) => throw new LogicException('x'));
    $s->activeLocks();
} catch (Throwable $e) {
}
$svc->onEvent(null);
ini_set('error_log', $oldLog === false ? '' : $oldLog);
ini_set('display_errors', (string) $oldDisplay);
$logText = (string) file_get_contents($log);
@unlink($log);
$look('error_log', $logText);
rl_info('error_log got ' . substr_count($logText, "\n") . ' lines');
/* phpinfo() and php --ri, with the DSN INI setting carrying a password */
$php = PHP_BINARY;
$iniDsn = "redis://secretive:$secretPw@127.0.0.1:{$srv->port}/0";
$soPath = getenv('SLOTLOCK_EXT_SO') ?: dirname(__DIR__, 2) . '/modules/slotlock.so';
$cmd = escapeshellarg($php) . ' -n -d extension=' . escapeshellarg($soPath) . ' -d ' . escapeshellarg("slotlock.dsn=$iniDsn");
$ri = (string) shell_exec("$cmd --ri slotlock 2>&1");
$info = (string) shell_exec("$cmd -r " . escapeshellarg('$s = new SlotLockService(null); $s->activeLocks(); phpinfo(INFO_MODULES);') . ' 2>&1');
$look('php --ri slotlock', $ri);
$look('phpinfo()', $info);
rl_check(str_contains($ri, 'slotlock') && str_contains($info, 'slotlock.dsn') && str_contains($info, 'secretive'),
    'php --ri and phpinfo() ran and show the DSN (masked)', trim((string) preg_replace('/\s+/', ' ', (string) (preg_match('/slotlock\.dsn.*$/m', $info, $mm) ? $mm[0] : substr($info, 0, 200)))));
ob_start();
phpinfo(INFO_MODULES);
$look('phpinfo() in this process', (string) ob_get_clean());
rl_check($leaks === [], 'no owner token or password in dumps, events, messages, error_log, phpinfo()', $leaks ? implode('; ', array_unique($leaks)) : 'checked ' . count($secrets) . ' secrets');

/* ---------------------------------------------------------------- 5. generated owners ---- */
$svc = new SlotLockService($base);
$draws = (int) $opt['draws'];
$tokens = [];
$badFormat = 0;
$t0 = hrtime(true);
for ($i = 0; $i < $draws; $i++) {
    $l = $svc->acquire(400, 1 + $i % 1000, T, null, 5);
    if ($l === null) {
        $badFormat++;
        continue;
    }
    $tokens[] = $l->owner;
    if (!preg_match('/^[0-9a-f]{32}$/', $l->owner)) {
        $badFormat++;
    }
    $svc->release($l, $l->owner);
}
$unique = count(array_unique($tokens));
rl_check($badFormat === 0 && count($tokens) === $draws, 'generated owners are 32 lowercase hex characters', sprintf('%d draws in %.1f s', $draws, rl_ms($t0) / 1000));
rl_check($unique === $draws, 'generated owners are unique', "$unique unique of $draws");
/* digit distribution: 16 symbols, each about 1/16 of all characters, and per position */
$all = implode('', $tokens);
$counts = count_chars($all, 1);
$n = strlen($all);
$chi = 0.0;
foreach (str_split('0123456789abcdef') as $ch) {
    $e = $n / 16;
    $chi += (($counts[ord($ch)] ?? 0) - $e) ** 2 / $e;
}
$posBad = 0;
for ($p = 0; $p < 32; $p++) {
    $col = count_chars(implode('', array_map(fn ($t) => $t[$p], $tokens)), 1);
    if (count($col) < 16) {
        $posBad++;
    }
}
/* 15 degrees of freedom: chi2 > 50 has a probability below 1e-5 */
rl_check($chi < 50 && $posBad === 0, 'the hex digits are uniformly distributed (all positions vary)', sprintf('chi2 %.1f (15 df), %d constant-ish positions', $chi, $posBad));
/* fork: parent and child draw different tokens (no RNG state copied across fork) */
$dir = tempnam(sys_get_temp_dir(), 'slrel_tok_');
$pid = pcntl_fork();
if ($pid === 0) {
    $out = [];
    for ($i = 0; $i < 1000; $i++) {
        $l = $svc->acquire(401, 1 + $i, T, null, 5);
        $out[] = $l->owner;
    }
    file_put_contents($dir, implode("\n", $out));
    exit(0);
}
$mine = [];
for ($i = 0; $i < 1000; $i++) {
    $l = $svc->acquire(402, 1 + $i, T, null, 5);
    $mine[] = $l->owner;
}
pcntl_waitpid($pid, $st);
$theirs = array_filter(explode("\n", (string) file_get_contents($dir)));
@unlink($dir);
rl_check(count($theirs) === 1000 && array_intersect($mine, $theirs) === [], 'after fork, parent and child draw different owners',
    count(array_intersect($mine, $theirs)) . ' shared of 1000');
$srv->stop();
rl_done();
