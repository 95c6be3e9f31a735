<?php
/*
 * tests/topology/race.php: N forked workers race for M booking units on any topology, and
 * a ledger proves there was no double booking.
 *
 * A unit is one of (in turn):
 *   single    AvailabilityWithLock::check() of one slot                  1 winner
 *   compound  check() of a 2-segment service                              1 winner
 *   anyof     SlotLockService::acquireFirst() over 3 candidates
 *             (two single slots and a 2-segment one)                      3 winners, distinct candidates
 *   resource  checkResource() of a room for 60 minutes                    1 winner
 * Units use distinct keys and are spread over `companies` companies (so over the masters
 * of a cluster). Every worker tries every unit once; half go in order, half shuffled. A
 * worker that got a lock calls beginBooking(); only when that says ok does it append the
 * booking to the ledger (a file, appended under flock, independent of the Redis under
 * test) and then finishBooking(..., true). fail_mode is closed: an unreachable Redis is an
 * error, never a booking.
 *
 * Checks: no Redis key and no (unit, candidate) booked twice; every unit has exactly its
 * number of winners (fewer allowed only in a unit where a worker got an exception).
 *
 * As a library: require it and call slotlock_race($options, [...]); it returns the counts
 * and does not print PASS/FAIL. As a script:
 *
 *   SLOTLOCK_RACE_OPTIONS='{"cluster":["127.0.0.1:7000"]}'  (JSON options, or a DSN string)
 *   SLOTLOCK_RACE_WORKERS=16 SLOTLOCK_RACE_SLOTS=100 SLOTLOCK_RACE_COMPANIES=10
 *   php -d extension=modules/slotlock.so tests/topology/race.php
 *
 * prints PASS/FAIL lines and the counts, exits 1 on a failure.
 */
declare(strict_types=1);

const SLOTLOCK_RACE_KINDS = ['single', 'compound', 'anyof', 'resource'];

/** The start (UTC string) of unit $u: units are 6 hours apart from 2032-01-01. */
function slotlock_race_start(int $u, int $plusMinutes = 0): string
{
    return gmdate('Y-m-d H:i', gmmktime(0, 0, 0, 1, 1, 2032) + ($u * 360 + $plusMinutes) * 60);
}

/** What a worker does for unit $u: returns [booked: bool, candidate, lock key, fence]. */
function slotlock_race_unit(SlotLockService $svc, AvailabilityWithLock $flow, string $kind, int $company, int $u,
                            string $owner, int $ttl): array
{
    $start = slotlock_race_start($u);
    $key = null;
    $cand = 0;
    switch ($kind) {
        case 'single':
            $a = $flow->check(['available' => true], $company, 31, $start, $owner, $ttl);
            $key = $a['lock_key'] ?? null;
            break;
        case 'compound':
            $a = $flow->check(['available' => true], $company, [[41, 0], [42, 30]], $start, $owner, $ttl);
            $key = $a['lock_key'] ?? null;
            break;
        case 'anyof':
            $lock = $svc->acquireFirst($company, [
                [51, $start],
                [51, slotlock_race_start($u, 30)],
                [[52, slotlock_race_start($u, 60)], [53, slotlock_race_start($u, 90)]],
            ], $owner, $ttl);
            if ($lock !== null) {
                $key = $lock->key;
                $cand = (int) $lock->candidate;
            }
            break;
        case 'resource':
            $a = $flow->checkResource(['available' => true], $company, "room$u", $start, 60, $owner, $ttl);
            $key = $a['lock_key'] ?? null;
            break;
    }
    if ($key === null) {
        if (isset($a) && ($a['available'] ?? false) === true) {
            /* available without a lock: fail-open or disabled; must not happen here */
            throw new SlotLockException("check() answered available without a lock_key for unit $u: "
                . json_encode($a));
        }
        return [false, $cand, null, 0];
    }
    $begin = $flow->beginBooking($key, $owner);
    if (!($begin['ok'] ?? false)) {
        return [false, $cand, $key, 0];
    }
    return [true, $cand, $key, (int) ($begin['fence'] ?? 0)];
}

/**
 * Forks $cfg['workers'] workers racing for $cfg['slots'] units. Options: the
 * SlotLockService options (array or DSN); a fresh prefix is added to an array unless it has
 * one. Returns counts: attempts, won, lost, errors, double, wrong_units (unit => detail),
 * error_samples, max_fence, elapsed, prefix, ledger (lines), booked_keys (distinct keys
 * booked), workers_dead, ok.
 */
function slotlock_race($options, array $cfg = []): array
{
    $workers = (int) ($cfg['workers'] ?? 16);
    $slots = (int) ($cfg['slots'] ?? 100);
    $companies = max(1, (int) ($cfg['companies'] ?? 10));
    $companyBase = (int) ($cfg['company_base'] ?? 9000);
    $ttl = (int) ($cfg['ttl'] ?? 120);
    $kinds = $cfg['kinds'] ?? SLOTLOCK_RACE_KINDS;
    if (is_string($options)) {
        $options = ['dsn' => $options];
    }
    if (!isset($options['prefix'])) {
        $options['prefix'] = 'slrace_' . bin2hex(random_bytes(4));
    }
    $prefix = $options['prefix'];

    $dir = sys_get_temp_dir() . '/slotlock-race.' . getmypid() . '.' . bin2hex(random_bytes(3));
    mkdir($dir, 0700);
    $ledger = "$dir/ledger";
    touch($ledger);

    $t0 = microtime(true);
    $go = $t0 + 0.5 + $workers * 0.02;
    $pids = [];
    for ($w = 0; $w < $workers; $w++) {
        $pid = pcntl_fork();
        if ($pid < 0) {
            throw new RuntimeException('fork failed');
        }
        if ($pid === 0) {
            $code = 0;
            $res = ['attempts' => 0, 'won' => 0, 'lost' => 0, 'errors' => 0, 'err_units' => [], 'samples' => []];
            try {
                ini_set('slotlock.fail_mode', 'closed');
                mt_srand($w * 7919 + 1);
                $svc = new SlotLockService($options);
                $flow = new AvailabilityWithLock($svc);
                try {
                    $svc->activeLocks();            /* connect before the start line */
                } catch (Throwable $e) {
                }
                $order = range(0, $slots - 1);
                if ($w % 2 === 1) {
                    shuffle($order);
                }
                while (microtime(true) < $go) {
                    usleep(500);
                }
                $fh = fopen($ledger, 'a');
                foreach ($order as $u) {
                    $kind = $kinds[$u % count($kinds)];
                    $company = $companyBase + $u % $companies;
                    $owner = sprintf('race-w%02d-u%d', $w, $u);
                    $res['attempts']++;
                    try {
                        [$booked, $cand, $key, $fence] = slotlock_race_unit($svc, $flow, $kind, $company, $u, $owner, $ttl);
                    } catch (SlotLockException $e) {
                        $res['errors']++;
                        $res['err_units'][] = $u;
                        if (count($res['samples']) < 3) {
                            $res['samples'][] = get_class($e) . ': ' . $e->getMessage();
                        }
                        continue;
                    }
                    if (!$booked) {
                        $res['lost']++;
                        continue;
                    }
                    $res['won']++;
                    flock($fh, LOCK_EX);
                    fwrite($fh, json_encode(['u' => $u, 'kind' => $kind, 'cand' => $cand, 'key' => $key,
                        'w' => $w, 'fence' => $fence]) . "\n");
                    fflush($fh);
                    flock($fh, LOCK_UN);
                    try {
                        $flow->finishBooking($key, $owner, true, "bk-$w-$u");
                    } catch (SlotLockException $e) {
                        $res['errors']++;
                        if (count($res['samples']) < 3) {
                            $res['samples'][] = 'finishBooking: ' . get_class($e) . ': ' . $e->getMessage();
                        }
                    }
                }
                fclose($fh);
            } catch (Throwable $e) {
                $res['samples'][] = 'worker died: ' . get_class($e) . ': ' . $e->getMessage();
                $code = 1;
            }
            file_put_contents("$dir/w$w.json", json_encode($res));
            /* skip destructors and shutdown functions inherited from the parent */
            posix_kill(getmypid(), SIGKILL);
            exit($code);
        }
        $pids[] = $pid;
    }
    foreach ($pids as $pid) {
        pcntl_waitpid($pid, $st);
    }
    $elapsed = microtime(true) - $go;

    $out = ['attempts' => 0, 'won' => 0, 'lost' => 0, 'errors' => 0, 'double' => 0, 'wrong_units' => [],
            'error_samples' => [], 'max_fence' => 0, 'elapsed' => $elapsed, 'prefix' => $prefix, 'ledger' => 0,
            'booked_keys' => 0, 'workers_dead' => 0];
    $errUnits = [];
    for ($w = 0; $w < $workers; $w++) {
        $res = json_decode((string) @file_get_contents("$dir/w$w.json"), true);
        if (!is_array($res)) {
            $out['workers_dead']++;
            continue;
        }
        foreach (['attempts', 'won', 'lost', 'errors'] as $k) {
            $out[$k] += $res[$k];
        }
        foreach ($res['err_units'] as $u) {
            $errUnits[$u] = true;
        }
        foreach ($res['samples'] as $s) {
            if (count($out['error_samples']) < 6) {
                $out['error_samples'][] = "w$w: $s";
            }
        }
    }
    $byKey = [];
    $byCand = [];
    $perUnit = [];
    foreach (file($ledger, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [] as $line) {
        $b = json_decode($line, true);
        $out['ledger']++;
        $out['max_fence'] = max($out['max_fence'], (int) $b['fence']);
        $perUnit[$b['u']][] = $b;
        $c = $b['u'] . '/' . $b['cand'];
        if (isset($byCand[$c])) {
            $out['double']++;
            $out['wrong_units'][$b['u']] = "candidate {$b['cand']} booked by w{$byCand[$c]} and w{$b['w']}";
        }
        $byCand[$c] = $b['w'];
        foreach (explode(',', (string) $b['key']) as $k) {
            if (isset($byKey[$k])) {
                $out['double']++;
                $out['wrong_units'][$b['u']] = "key $k booked by w{$byKey[$k]} and w{$b['w']}";
            }
            $byKey[$k] = $b['w'];
        }
    }
    $out['booked_keys'] = count($byKey);
    for ($u = 0; $u < $slots; $u++) {
        $kind = $kinds[$u % count($kinds)];
        $want = $kind === 'anyof' ? min(3, $workers) : 1;
        $got = count($perUnit[$u] ?? []);
        if ($got !== $want && !($got < $want && isset($errUnits[$u])) && !isset($out['wrong_units'][$u])) {
            $out['wrong_units'][$u] = "$kind: $got winners, expected $want";
        }
    }
    $out['ok'] = $out['double'] === 0 && $out['wrong_units'] === [] && $out['workers_dead'] === 0
        && $out['attempts'] === $workers * $slots;
    array_map('unlink', glob("$dir/*") ?: []);
    @rmdir($dir);
    return $out;
}

/** One line: the counts of a race. */
function slotlock_race_summary(array $r): string
{
    return sprintf('%d attempts, %d booked, %d lost, %d errors, %d double bookings, %d wrong units, %.2f s',
        $r['attempts'], $r['won'], $r['lost'], $r['errors'], $r['double'], count($r['wrong_units']), $r['elapsed']);
}

/** The race's PASS/FAIL lines through tl_check() (tests/topology/lib.php) or plain echo. */
function slotlock_race_report(array $r, string $label, bool $allowErrors = false): bool
{
    $check = function_exists('tl_check') ? 'tl_check' : function (bool $ok, string $what, string $d = ''): bool {
        echo ($ok ? 'PASS ' : 'FAIL ') . $what . ($ok || $d === '' ? '' : ": $d") . "\n";
        return $ok;
    };
    $detail = slotlock_race_summary($r);
    if ($r['wrong_units']) {
        $detail .= '; e.g. ' . implode('; ', array_slice(array_map(fn ($u, $d) => "unit $u: $d",
            array_keys($r['wrong_units']), $r['wrong_units']), 0, 5));
    }
    if ($r['error_samples']) {
        $detail .= '; errors: ' . implode(' | ', $r['error_samples']);
    }
    echo "INFO $label: $detail\n";
    $ok = $check($r['double'] === 0, "$label: 0 double bookings", $detail);
    $ok = $check($r['wrong_units'] === [] && $r['workers_dead'] === 0,
        "$label: exactly one winner per slot (3 per any-of-3 unit)", $detail) && $ok;
    if (!$allowErrors) {
        $ok = $check($r['errors'] === 0, "$label: no SlotLockException in the race", $detail) && $ok;
    }
    return $ok;
}

if (PHP_SAPI === 'cli' && realpath($_SERVER['argv'][0] ?? '') === __FILE__) {
    $raw = getenv('SLOTLOCK_RACE_OPTIONS');
    if ($raw === false || $raw === '') {
        fwrite(STDERR, "race.php: set SLOTLOCK_RACE_OPTIONS (JSON options or a DSN)\n");
        exit(2);
    }
    $opts = json_decode($raw, true);
    if (!is_array($opts)) {
        $opts = $raw;
    }
    $r = slotlock_race($opts, [
        'workers' => (int) (getenv('SLOTLOCK_RACE_WORKERS') ?: 16),
        'slots' => (int) (getenv('SLOTLOCK_RACE_SLOTS') ?: 100),
        'companies' => (int) (getenv('SLOTLOCK_RACE_COMPANIES') ?: 10),
    ]);
    exit(slotlock_race_report($r, 'race') ? 0 : 1);
}
