<?php
/*
 * Differential test: the same calls through the C extension and through the polyfill must
 * give the same results, the same exception classes and the same messages.
 *
 *   php tests/polyfill/differential.php          (SLOTLOCK_EXT_SO, SLOTLOCK_TEST_HOST/PORT, PHP)
 *
 * It runs itself twice ("run ext", "run polyfill"), each run printing one JSON line per case,
 * and compares the lines. Keys are made under a per-run prefix, shown as "PFX"; times are shown
 * relative to now. Exits 1 on any difference.
 */

if (($argv[1] ?? '') === 'run') {
    run_cases($argv[2]);
    exit(0);
}

$so = getenv('SLOTLOCK_EXT_SO') ?: dirname(__DIR__, 2) . '/modules/slotlock.so';
$php = getenv('PHP') ?: PHP_BINARY;
$out = [];
foreach (['ext' => ['-d', "extension=$so"],
          'polyfill' => ['-d', 'auto_prepend_file=' . dirname(__DIR__, 2) . '/polyfill/slotlock.php']] as $side => $args) {
    $cmd = array_merge([$php, '-d', 'display_errors=stderr'], $args, [__FILE__, 'run', $side]);
    $p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => STDERR], $pipes);
    $text = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    $rc = proc_close($p);
    if ($rc !== 0) {
        echo "differential: the $side run exited $rc\n$text\n";
        exit(1);
    }
    foreach (explode("\n", trim($text)) as $line) {
        $case = json_decode($line, true);
        if (!is_array($case)) {
            echo "differential: bad line from the $side run: $line\n";
            exit(1);
        }
        $out[$side][$case['case']] = $case['out'];
    }
}
$diff = 0;
foreach ($out['ext'] as $case => $e) {
    $p = $out['polyfill'][$case] ?? '(missing)';
    if ($e !== $p) {
        $diff++;
        echo "DIFF $case\n  ext:      ", json_encode($e, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE),
            "\n  polyfill: ", json_encode($p, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
    }
}
foreach (array_diff_key($out['polyfill'], $out['ext']) as $case => $_) {
    $diff++;
    echo "DIFF $case: only in the polyfill run\n";
}
printf("differential: %d cases, %d differ\n", count($out['ext']), $diff);
exit($diff === 0 ? 0 : 1);

/* ------------------------------------------------------------------------------------------ */

function run_cases(string $side): void
{
    $host = getenv('SLOTLOCK_TEST_HOST') ?: '127.0.0.1';
    $port = (int) (getenv('SLOTLOCK_TEST_PORT') ?: 6379);
    $prefix = 'sltest_diff_' . $side . '_' . bin2hex(random_bytes(3));
    $base = ['host' => $host, 'port' => $port, 'prefix' => $prefix];
    $norm = function ($v) use (&$norm, $prefix) {
        if ($v instanceof SlotLock) {
            return ['SlotLock', $norm($v->key), $norm($v->keys), $v->owner === '' ? '' : (strlen($v->owner) === 32 && ctype_xdigit($v->owner) ? 'TOKEN' : $v->owner),
                    $v->fence > 0, round(($v->expiresAt->getTimestamp() - time()) / 10), $v->expiresAt->format('P'),
                    $v->candidate];
        }
        if ($v instanceof SlotLockService || $v instanceof AvailabilityWithLock) {
            return get_class($v);
        }
        if ($v instanceof DateTimeInterface) {
            return ['date', round(($v->getTimestamp() - time()) / 10), $v->format('P')];
        }
        if (is_array($v)) {
            $o = [];
            foreach ($v as $k => $x) {
                if ($k === 'lock_expires_at' && is_string($x)) {
                    $x = substr($x, 19);            /* the zone offset only */
                } elseif (($k === 'ttl_ms' || $k === 'lock_ttl' || $k === 'retry_after') && is_int($x)) {
                    $x = (int) round($x / ($k === 'ttl_ms' ? 10000 : 10));
                } elseif ($k === 'fence' && is_int($x)) {
                    $x = $x > 0;
                }
                $o[$k] = $norm($x);
            }
            return $o;
        }
        if (is_string($v)) {
            return str_replace($prefix, 'PFX', $v);
        }
        if (is_float($v)) {
            return round($v, 3);
        }
        return $v;
    };
    $case = function (string $name, callable $fn) use ($norm) {
        try {
            $out = ['r' => $norm($fn())];
        } catch (Throwable $e) {
            /* a PHP function's TypeError names its caller, an internal one does not: not compared */
            $msg = preg_replace('/, called in .* on line \d+$/s', '', $e->getMessage());
            $out = ['e' => get_class($e), 'm' => $norm($msg), 'c' => $e->getCode()];
        }
        echo json_encode(['case' => $name, 'out' => $out], JSON_PARTIAL_OUTPUT_ON_ERROR | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
    };
    $o = new stdClass();

    /* ---- constructor ---- */
    $ctor = [
        'none' => null, 'empty' => [], 'bogus' => ['bogus' => 1], 'int key' => [1 => 'x'],
        'long name' => [str_repeat('n', 65) => 1], 'Host' => ['Host' => 'x'],
        'port 0' => ['port' => 0], 'port big' => ['port' => 65536], 'port str' => ['port' => '6379'],
        'port float' => ['port' => 6379.0], 'host int' => ['host' => 1], 'host empty' => ['host' => ''],
        'host null' => ['host' => null], 'host nul' => ['host' => "a\0b"], 'socket rel' => ['socket' => 'x.sock'],
        'socket null' => ['socket' => null], 'socket abs' => ['socket' => '/tmp/x.sock'],
        'socket then host' => ['socket' => '/tmp/x.sock', 'host' => 'h'],
        'database -1' => ['database' => -1], 'database str' => ['database' => '1'],
        'username int' => ['username' => 5], 'password null' => ['password' => null],
        'timeout 0' => ['timeout' => 0], 'timeout -1' => ['timeout' => -1.0], 'timeout big' => ['timeout' => 3600.5],
        'timeout str' => ['timeout' => '1'], 'timeout nan' => ['timeout' => NAN], 'timeout int' => ['timeout' => 2],
        'prefix empty' => ['prefix' => ''], 'prefix colon' => ['prefix' => 'a:b'], 'prefix 65' => ['prefix' => str_repeat('p', 65)],
        'prefix int' => ['prefix' => 5], 'ttl 0' => ['ttl' => 0], 'ttl str' => ['ttl' => '5'], 'ttl max' => ['ttl' => 86400],
        'booked_ttl 0' => ['booked_ttl' => 0], 'bucket 0' => ['bucket' => 0], 'bucket 1441' => ['bucket' => 1441],
        'persistent int' => ['persistent' => 1], 'tz bad' => ['key_timezone' => 'Mars/X'], 'tz empty' => ['key_timezone' => ''],
        'tz int' => ['key_timezone' => 1], 'tz utc lower' => ['key_timezone' => 'utc'],
        'dsn int' => ['dsn' => 5], 'dsn bad in array' => ['dsn' => 'x'], 'dsn then port' => ['dsn' => 'redis://h:1', 'port' => 2],
        'object' => $o,
    ];
    foreach ($ctor as $label => $opts) {
        $case("ctor $label", fn () => new SlotLockService($opts));
    }
    $dsns = ['', 'x', 'http://h', 'redis://', 'redis://h', 'redis://h:0', 'redis://h:65536', 'redis://h:abc',
             'redis://h:1/abc', 'redis://h:1/-1', 'redis://h:1/2', 'redis://h/', 'redis://h:1?database=3',
             'redis://h?timeout=0', 'redis://h?timeout=abc', 'redis://h?timeout=2.5', 'redis://h?x=1', 'redis://h?database',
             'redis://h?database=-1', 'redis://u:p@h', 'redis://p@h', 'redis://:p@h', 'redis://u:@h', 'redis://u%zz:p@h',
             'redis://u:p%00@h', 'redis://[::1]:1', 'redis://[::1', 'redis://h:1x', 'redis://a@b@h', 'rediss://h',
             'unix://', 'unix://rel.sock', 'unix:///tmp/s.sock', 'unix:///tmp/s.sock?database=2', 'unix://u:p@/tmp/s.sock',
             'unix:///tmp/s.sock?timeout=0.5', "redis://h\0"];
    foreach ($dsns as $d) {
        $case('dsn ' . json_encode($d), fn () => print_r(new SlotLockService($d), true));
    }

    /* ---- keys and arguments (no connection) ---- */
    $svc = new SlotLockService(['port' => 1, 'prefix' => $prefix]);
    $ber = new SlotLockService(['port' => 1, 'prefix' => $prefix, 'key_timezone' => 'Europe/Berlin']);
    $utc = new DateTimeZone('UTC');
    $ids = [1, 0, -1, PHP_INT_MAX, '0', '', 'a b', 'ü', str_repeat('x', 64), str_repeat('x', 65), 1.0, 1.5, true,
            null, [], $o, '12', '-'];
    foreach ($ids as $i => $id) {
        $case("key company #$i", fn () => $svc->key($id, 1, '2030-11-24 14:00'));
        $case("key service #$i", fn () => $svc->key(1, $id, '2030-11-24 14:00'));
    }
    $starts = ['2030-11-24 14:00', '2030-11-24 14:00:30', '2030-11-24 14:00:00.5', 'not a date', '', 'now',
               '2030-02-30 10:00', '2030-13-01 10:00', '0999-12-31 23:59', '10000-01-01 00:00', '9999-12-31 23:59',
               '2030-11-24T14:00:00+05:45', '2030-11-24 14:00 America/New_York', str_repeat('1', 129), "2030\0",
               '@1764007200', '@1764007201', '2030-03-31 02:30', '2030-10-27 02:30',
               new DateTimeImmutable('2030-11-24 14:00', $utc), new DateTime('2030-11-24 14:00:01', $utc),
               new DateTimeImmutable('2030-11-24 14:00:00.000001', $utc),
               new DateTimeImmutable('2030-11-24 14:00', new DateTimeZone('+05:30')),
               new DateTimeImmutable('1969-12-31 23:59', $utc), 1764007200, 1.5, null, [], $o,
               (new ReflectionClass(DateTime::class))->newInstanceWithoutConstructor()];
    foreach ($starts as $i => $s) {
        $case("key start #$i", fn () => $svc->key(1, 2, $s));
        $case("key berlin start #$i", fn () => $ber->key(1, 2, $s));
    }
    $segs = ['empty' => [], 'one' => [[1, '2030-11-24 14:00']], 'dup' => [[1, '2030-11-24 14:00'], [1, '2030-11-24 14:00']],
             'named' => [['service' => 1, 'start' => '2030-11-24 14:00']],
             'named 3' => [['service' => 1, 'start' => '2030-11-24 14:00', 'x' => 1]],
             'mixed keys' => [[0 => 1, 'start' => '2030-11-24 14:00']], 'pair of 1' => [[1]], 'pair of 3' => [[1, '2030-11-24 14:00', 3]],
             'not array' => ['x'], 'int' => [5], 'null' => [null], 'deep' => [[[1, '2030-11-24 14:00']]],
             'bad start' => [[1, '2030-11-24 14:00:01']], 'bad id' => [[0, '2030-11-24 14:00']],
             'keys 1 0' => [[1 => '2030-11-24 14:00', 0 => 1]],
             '65' => array_map(fn ($i) => [$i + 1, '2030-11-24 14:00'], range(0, 64))];
    foreach ($segs as $label => $sg) {
        $case("acquireSegments $label", fn () => $svc->acquireSegments(1, $sg, 'o'));
    }
    $cands = ['empty' => [], 'int' => [5], 'string' => ['x'], 'empty compound' => [[]], 'pair' => [[1, '2030-11-24 14:00']],
              'compound bad' => [[[1, '2030-11-24 14:00'], [2]]], 'too deep' => [[[[1, '2030-11-24 14:00']]]],
              'dup across' => [[1, '2030-11-24 14:00'], [1, '2030-11-24 14:00']],
              'dup within' => [[[1, '2030-11-24 14:00'], [1, '2030-11-24 14:00']]],
              'named first' => [['service' => 1, 'start' => '2030-11-24 14:00']],
              '65' => array_map(fn ($i) => [$i + 1, '2030-11-24 14:00'], range(0, 64)),
              '1025 keys' => array_map(fn ($c) => array_map(fn ($i) => [$c * 64 + $i + 1, '2030-11-24 14:00'], range(0, 63)), range(0, 16))];
    foreach ($cands as $label => $cd) {
        $case("acquireFirst $label", fn () => $svc->acquireFirst(1, $cd, 'o'));
    }
    foreach (['' => '', '129' => str_repeat('o', 129), 'nul' => "a\0b", 'int' => 5, 'array' => []] as $label => $ow) {
        $case("acquire owner $label", fn () => $svc->acquire(1, 2, '2030-11-24 14:00', $ow));
        $case("validate owner $label", fn () => $svc->validate("$prefix:c1:s2:t203011241400", $ow));
        $case("commit owner $label", fn () => $svc->commit("$prefix:c1:s2:t203011241400", $ow));
    }
    foreach ([0, -1, 86401, '5', 'x', 5.5, 5.0] as $i => $ttl) {
        $case("acquire ttl #$i", fn () => $svc->acquire(1, 2, '2030-11-24 14:00', 'o', $ttl));
        $case("extend ttl #$i", fn () => $svc->extend("$prefix:c1:s2:t203011241400", 'o', $ttl));
        $case("commit ttl #$i", fn () => $svc->commit("$prefix:c1:s2:t203011241400", 'o', null, $ttl));
    }
    $handles = ['', 'x', "$prefix:", "$prefix:c1:s2:t203011241400,", ",$prefix:c1:s2:t203011241400",
                "$prefix:c1:s2:t203011241400,$prefix:c1:s2:t203011241400", "$prefix:c1:s2:t20301124140",
                "$prefix:c1:s2:t2030112414000", "$prefix:c:s2:t203011241400", "$prefix:c1:r2:b203011241400",
                "$prefix:c1:r2:t203011241400", "$prefix:c1:s2:b203011241400", "$prefix:fence", "$prefix:active",
                "$prefix:c" . str_repeat('x', 65) . ':s2:t203011241400', "$prefix:c1:s2:t2030112414a0",
                implode(',', array_map(fn ($i) => "$prefix:c1:s$i:t203011241400", range(1, 65))), 5, [], $o,
                new DateTime(), (new ReflectionClass(SlotLock::class))->newInstanceWithoutConstructor()];
    foreach ($handles as $i => $h) {
        $case("status handle #$i", fn () => $svc->status($h));
        $case("release handle #$i", fn () => $svc->release($h, 'o'));
    }
    foreach ([null, '', str_repeat('b', 128), str_repeat('b', 129), "a\0b"] as $i => $bid) {
        $case("commit booking #$i", fn () => $svc->commit("x", 'o', $bid));
    }
    $res = [
        'plain' => [1, 'staff', '2030-11-24 14:00', '2030-11-24 15:00'],
        'duration' => [1, 'staff', '2030-11-24 14:00', 60],
        'odd' => [1, 'staff', '2030-11-24 14:05', '2030-11-24 14:20'],
        'buffers' => [1, 'staff', '2030-11-24 14:00', 30, 10, 20],
        'empty' => [1, 'staff', '2030-11-24 14:00', '2030-11-24 14:00'],
        'backwards' => [1, 'staff', '2030-11-24 14:00', '2030-11-24 13:00'],
        'duration 0' => [1, 'staff', '2030-11-24 14:00', 0],
        'duration 1441' => [1, 'staff', '2030-11-24 14:00', 1441],
        'buffer -1' => [1, 'staff', '2030-11-24 14:00', 30, -1],
        'buffer after' => [1, 'staff', '2030-11-24 14:00', 30, 0, 1441],
        '65 buckets' => [1, 'staff', '2030-11-24 00:00', '2030-11-24 16:15'],
        '64 buckets' => [1, 'staff', '2030-11-24 00:00', '2030-11-24 16:00'],
        'bad end' => [1, 'staff', '2030-11-24 14:00', 1.5],
        'end seconds' => [1, 'staff', '2030-11-24 14:00', '2030-11-24 14:30:30'],
        'bad resource' => [1, 'a b', '2030-11-24 14:00', 30],
        'resource 0' => [1, 0, '2030-11-24 14:00', 30],
        'berlin dst' => [1, 'staff', '2030-03-31 01:45', '2030-03-31 03:15'],
        'before 1970' => [1, 'staff', '1969-12-31 23:50', 30],
        'year 999' => [1, 'staff', '1000-01-01 00:00', 30, 15],
    ];
    foreach ($res as $label => $a) {
        $case("resourceKeys $label", fn () => $svc->resourceKeys(...$a));
        $case("resourceKeys berlin $label", fn () => $ber->resourceKeys(...$a));
    }
    $case('resourceKeys bucket 7', fn () => (new SlotLockService(['port' => 1, 'prefix' => $prefix, 'bucket' => 7]))
        ->resourceKeys(1, 'r', '2030-11-24 14:00', 30));
    $case('resourceKeys bucket 1440', fn () => (new SlotLockService(['port' => 1, 'prefix' => $prefix, 'bucket' => 1440]))
        ->resourceKeys(1, 'r', '2030-11-24 14:00', 30));

    /* ---- uninitialized and special objects ---- */
    $case('lock ctor', fn () => new SlotLock());
    $case('service clone', fn () => clone $svc);
    $case('serialize service', fn () => serialize($svc));
    $case('dynamic prop', function () use ($svc) { $svc->x = 1; });
    $case('reconstruct', fn () => $svc->__construct([]));
    $case('availability bad arg', fn () => new AvailabilityWithLock($o));
    $case('unconnected var_dump', fn () => print_r($ber, true));

    /* ---- against Redis ---- */
    $live = new SlotLockService($base + ['ttl' => 60, 'booked_ttl' => 120]);
    $events = [];
    $live->onEvent(function (array $e) use (&$events) { $events[] = $e; });
    $s0 = $live->stats();
    $case('acquire', fn () => $live->acquire(1, 31, '2030-11-24 14:00', 'o1'));
    $case('acquire again', fn () => $live->acquire(1, 31, '2030-11-24 14:00', 'o1', 30));
    $case('acquire other', fn () => $live->acquire(1, 31, '2030-11-24 14:00', 'o2'));
    $case('acquire generated', fn () => $live->acquire(1, 32, '2030-11-24 14:00'));
    $case('acquireFirst', fn () => $live->acquireFirst(1, [[31, '2030-11-24 14:00'], [[33, '2030-11-24 14:00'], [34, '2030-11-24 14:00']]], 'o1'));
    $case('acquireFirst berlin', fn () => (new SlotLockService($base + ['key_timezone' => 'Europe/Berlin']))
        ->acquireFirst(1, [[35, '2030-11-24 14:00']], 'o1'));
    $case('validate', fn () => $live->validate("$prefix:c1:s31:t203011241400", 'o1'));
    $case('validate other', fn () => $live->validate("$prefix:c1:s31:t203011241400", 'o2'));
    $case('status', fn () => $live->status("$prefix:c1:s31:t203011241400"));
    $case('status free', fn () => $live->status("$prefix:c1:s99:t203011241400"));
    $case('extend', fn () => $live->extend("$prefix:c1:s31:t203011241400", 'o1', 90));
    $case('extend other', fn () => $live->extend("$prefix:c1:s31:t203011241400", 'o2', 90));
    $case('extend free', fn () => $live->extend("$prefix:c1:s99:t203011241400", 'o2', 90));
    $case('commit other', fn () => $live->commit("$prefix:c1:s31:t203011241400", 'o2', 'b1'));
    $case('commit', fn () => $live->commit("$prefix:c1:s31:t203011241400", 'o1', 'b1'));
    $case('commit again', fn () => $live->commit("$prefix:c1:s31:t203011241400", 'o1', 'b2'));
    $case('status booked', fn () => $live->status("$prefix:c1:s31:t203011241400"));
    $case('acquire booked self', fn () => $live->acquire(1, 31, '2030-11-24 14:00', 'o1'));
    $case('acquire booked other', fn () => $live->acquire(1, 31, '2030-11-24 14:00', 'o2'));
    $case('validate booked', fn () => $live->validate("$prefix:c1:s31:t203011241400", 'o1'));
    $case('release booked', fn () => $live->release("$prefix:c1:s31:t203011241400", 'o1'));
    $case('extend booked', fn () => $live->extend("$prefix:c1:s31:t203011241400", 'o1'));
    $case('commit free', fn () => $live->commit("$prefix:c1:s98:t203011241400", 'o3'));
    $case('acquireResource', fn () => $live->acquireResource(1, 'staff', '2030-11-24 14:00', 60, 'o1', null, 5, 5));
    $case('acquireResource overlap', fn () => $live->acquireResource(1, 'staff', '2030-11-24 14:55', 30, 'o2'));
    $case('acquireResource adjacent', fn () => $live->acquireResource(1, 'staff', '2030-11-24 15:15', 30, 'o2'));
    $case('release', fn () => $live->release("$prefix:c1:s32:t203011241400,$prefix:c1:s33:t203011241400", 'o1'));
    $case('activeLocks', fn () => $live->activeLocks());
    $case('toArray', fn () => $live->acquire(1, 40, '2030-11-24 14:00', 'o1', 100)->toArray());
    $case('extend keeps candidate', fn () => $live->extend($live->acquireFirst(1, [[41, '2030-11-24 14:00'], [42, '2030-11-24 14:00']], 'o1'), 'o1'));
    $case('stats delta', function () use ($live, $s0) {
        $d = [];
        foreach ($live->stats() as $k => $v) {
            $d[$k] = $v - ($s0[$k] ?? 0);
        }
        unset($d['connects'], $d['pool_hits'], $d['commands'], $d['script_loads']);
        return [$d, array_keys($live->stats())];
    });
    $case('events', fn () => $events);
    $live->onEvent(function () { throw new RuntimeException('listener boom'); });
    $case('throwing listener', function () use ($live) {
        set_error_handler(function ($no, $str) use (&$warn) { $warn = preg_replace('/^[A-Za-z:]+\(\): /', '', $str); return true; });
        $warn = null;
        $l = $live->acquire(1, 50, '2030-11-24 14:00', 'o1');
        restore_error_handler();
        return [$l instanceof SlotLock, $warn];
    });
    $live->onEvent(null);

    /* ---- AvailabilityWithLock ---- */
    $flow = new AvailabilityWithLock($live);
    $avail = ['available' => true, 'slot' => '14:00'];
    $case('check', fn () => $flow->check($avail, 1, 60, '2030-11-24 14:00', 'call-1'));
    $case('check again', fn () => $flow->check($avail, 1, 60, '2030-11-24 14:00', 'call-1', 30));
    $case('check other', fn () => $flow->check($avail, 1, 60, '2030-11-24 14:00', 'call-2'));
    $case('check unavailable', fn () => $flow->check(['available' => false], 1, 60, '2030-11-24 14:00', 'call-2'));
    $case('check no available', fn () => $flow->check([], 1, 60, '2030-11-24 14:00', 'call-2'));
    $case('check bad owner', fn () => $flow->check(['available' => false], 1, 60, '2030-11-24 14:00', ''));
    $case('check bad ttl', fn () => $flow->check($avail, 1, 60, '2030-11-24 14:00', 'o', 0));
    $case('check segments', fn () => $flow->check($avail, 1, [[61, 0], [62, 30], [63, '2030-11-24 15:30']], '2030-11-24 14:00', 'call-3'));
    $case('check segments bad', fn () => $flow->check($avail, 1, [[61]], '2030-11-24 14:00', 'call-3'));
    $case('check segments empty', fn () => $flow->check($avail, 1, [], '2030-11-24 14:00', 'call-3'));
    $case('check segments offset', fn () => $flow->check($avail, 1, [[61, 10081]], '2030-11-24 14:00', 'call-3'));
    $case('check segments dup', fn () => $flow->check($avail, 1, [[61, 0], [61, 0]], '2030-11-24 14:00', 'call-3'));
    $case('checkResource', fn () => $flow->checkResource($avail, 1, 'room', '2030-11-24 14:00', 45, 'call-4'));
    $case('checkResource other', fn () => $flow->checkResource($avail, 1, 'room', '2030-11-24 14:30', 45, 'call-5'));
    $key = "$prefix:c1:s60:t203011241400";
    $case('begin null', fn () => $flow->beginBooking(null, 'call-1'));
    $case('begin invalid', fn () => $flow->beginBooking('nope', 'call-1'));
    $case('begin', fn () => $flow->beginBooking($key, 'call-1'));
    $case('begin other', fn () => $flow->beginBooking($key, 'call-2'));
    $case('begin bad owner', fn () => $flow->beginBooking($key, ''));
    $case('finish bad booking', fn () => $flow->finishBooking($key, 'call-1', true, str_repeat('b', 129)));
    $case('finish null', fn () => $flow->finishBooking(null, 'call-1', true));
    $case('finish invalid', fn () => $flow->finishBooking('nope', 'call-1', true));
    $case('finish', fn () => $flow->finishBooking($key, 'call-1', true, 'booking-9'));
    $case('begin after', fn () => $flow->beginBooking($key, 'call-1'));
    $case('begin after other', fn () => $flow->beginBooking($key, 'call-2'));
    $case('check after', fn () => $flow->check($avail, 1, 60, '2030-11-24 14:00', 'call-2'));
    $case('finish release', fn () => $flow->finishBooking("$prefix:c1:s61:t203011241400,$prefix:c1:s62:t203011241430,$prefix:c1:s63:t203011241530", 'call-3', false));
    $case('finish release again', fn () => $flow->finishBooking("$prefix:c1:s61:t203011241400", 'call-3', false));
    $case('begin expired relock', fn () => $flow->beginBooking("$prefix:c1:s64:t203011241400", 'call-6'));
    $case('begin slot free', fn () => $flow->beginBooking(null, 'call-7', 1, 65, '2030-11-24 14:00'));
    $case('begin slot own', fn () => $flow->beginBooking('', 'call-7', 1, 65, '2030-11-24 14:00'));
    $case('begin slot held', fn () => $flow->beginBooking(null, 'call-8', 1, 65, '2030-11-24 14:00'));
    $case('begin slot booked self', fn () => $flow->beginBooking(null, 'call-1', 1, 60, '2030-11-24 14:00'));
    $case('begin slot booked other', fn () => $flow->beginBooking(null, 'call-8', 1, 60, '2030-11-24 14:00'));
    $case('begin slot segments', fn () => $flow->beginBooking(null, 'call-9', 1, [[66, 0], [67, 30]], '2030-11-24 14:00'));
    $case('begin slot partial', fn () => $flow->beginBooking(null, 'call-9', 1, 66));
    $case('begin slot bad type', fn () => $flow->beginBooking(null, 'call-9', 1.5, 66, '2030-11-24 14:00'));
    $case('begin slot bad start', fn () => $flow->beginBooking(null, 'call-9', 1, 66, new stdClass()));
    $case('metrics out of range', fn () => $live->metrics(0));
    $case('metrics window', fn () => array_keys($live->metrics(3)));

    /* ---- connection failures ---- */
    $dead = new SlotLockService(['port' => 1, 'prefix' => $prefix, 'timeout' => 0.5]);
    $case('refused acquire', fn () => $dead->acquire(1, 2, '2030-11-24 14:00', 'o'));
    $case('refused activeLocks', fn () => $dead->activeLocks());
    $case('refused socket', fn () => (new SlotLockService(['socket' => '/nonexistent/x.sock']))->activeLocks());
    $case('refused check (fail open)', fn () => (new AvailabilityWithLock($dead))->check($avail, 1, 2, '2030-11-24 14:00', 'o'));
    $case('refused begin (fail open)', fn () => (new AvailabilityWithLock($dead))->beginBooking("$prefix:c1:s2:t203011241400", 'o'));
    $case('refused finish (fail open)', fn () => (new AvailabilityWithLock($dead))->finishBooking("$prefix:c1:s2:t203011241400", 'o', true));
    $case('wrong db', fn () => (new SlotLockService($base + ['database' => 100000]))->activeLocks());
    $case('unneeded password', fn () => (new SlotLockService($base + ['password' => 'x', 'persistent' => false]))->activeLocks());

    /* clean up */
    $r = new Redis();
    $r->connect($host, $port);
    foreach ([0] as $db) {
        $it = null;
        $r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
        while (($keys = $r->scan($it, "$prefix*", 1000)) !== false) {
            if ($keys) {
                $r->del($keys);
            }
        }
    }
}
