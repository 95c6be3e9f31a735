<?php
/*
 * tests/upgrade/rolling.php PHASE HOST PORT PREFIX: one step of the rolling-upgrade test
 * (tests/suites/upgrade.sh). Run under a format-1 build (slotlock 0.1.x) or a format-2 build,
 * both on one Redis; each phase prints PASS/FAIL lines and "wire format N" first.
 *
 *   v1-write   the old version takes slots: a hold, a booked marker, a compound hold
 *   v2-meets   the new version meets them: held, never overwritten or deleted
 *   v2-write   the new version takes slots: a hold, a booked marker
 *   v1-meets   the old version meets them: held (WRONGTYPE is "someone else's"), never touched
 *   race N T   N acquire+commit attempts on 40 shared slots from Unix time T on, prints
 *              "won <key>" per booking
 */
$phase = $argv[1] ?? '';
[$host, $port, $prefix] = [$argv[2] ?? '127.0.0.1', (int) ($argv[3] ?? 6379), $argv[4] ?? 'slupgrade'];
$T = '2031-03-01 10:00';
$svc = new SlotLockService(['host' => $host, 'port' => $port, 'prefix' => $prefix, 'ttl' => 60]);
$flow = new AvailabilityWithLock($svc);
$r = new Redis();
$r->connect($host, $port, 2.0);
$format = (new ReflectionProperty(SlotLock::class, 'fence'))->getType()->allowsNull() ? 2 : 1;
echo "wire format $format\n";
$fail = 0;
function check(bool $ok, string $what, string $detail = ''): void
{
    global $fail;
    echo ($ok ? 'PASS ' : 'FAIL ') . $what . ($ok || $detail === '' ? '' : ": $detail") . "\n";
    $fail += $ok ? 0 : 1;
}
$k = fn (int $s) => $svc->key(1, $s, $T);
$snap = fn (string $key) => [$r->type($key), $r->type($key) === Redis::REDIS_HASH ? $r->hGetAll($key) : $r->get($key)];

switch ($phase) {
    case 'v1-write':
    case 'v2-write':
        $base = $phase === 'v1-write' ? 10 : 20;
        check($svc->acquire(1, $base, $T, "hold-$phase") instanceof SlotLock, "$phase: a hold");
        $b = $svc->acquire(1, $base + 1, $T, "book-$phase");
        check($b instanceof SlotLock && $svc->commit($b, "book-$phase", "bk-$phase"), "$phase: a booked marker");
        check($svc->acquireSegments(1, [[$base + 2, $T], [$base + 3, $T]], "seg-$phase") instanceof SlotLock, "$phase: a compound hold");
        break;

    case 'v2-meets':
    case 'v1-meets':
        $base = $phase === 'v2-meets' ? 10 : 20;
        $other = $phase === 'v2-meets' ? 'v1-write' : 'v2-write';
        $before = array_map($snap, [$k($base), $k($base + 1), $k($base + 2), $k($base + 3)]);
        check($svc->acquire(1, $base, $T, 'newcomer') === null, "$phase: acquire() of the other version's hold is null");
        check($svc->acquire(1, $base, $T, "hold-$other") === null, "$phase: even with its owner's token (never overwritten)");
        check($svc->acquire(1, $base + 1, $T, 'newcomer') === null, "$phase: acquire() of the other version's booked marker is null");
        check($svc->acquireSegments(1, [[$base + 2, $T], [$base + 9, $T]], 'newcomer') === null
            && !$r->exists($k($base + 9)), "$phase: a compound over one of its keys is null, nothing half-taken");
        check($svc->release($k($base), "hold-$other") === false, "$phase: release() leaves it");
        check($svc->extend($k($base), "hold-$other") === null, "$phase: extend() refuses");
        check($svc->commit($k($base), 'newcomer') === false, "$phase: commit() refuses");
        check($svc->validate($k($base), 'newcomer') === false, "$phase: validate() is false");
        $st = $svc->status($k($base));
        check(($st['locked'] ?? null) === true, "$phase: status() says locked", json_encode($st));
        $c = $flow->check(['available' => true], 1, $base, $T, 'newcomer');
        check(($c['available'] ?? null) === false && in_array($c['reason'] ?? '', ['slot_locked', 'slot_booked'], true)
            && ($c['retry_after'] ?? 0) > 0, "$phase: check() says not available, with retry_after", json_encode($c));
        $b = $flow->beginBooking($k($base), 'newcomer');
        check(($b['ok'] ?? null) === false, "$phase: beginBooking() refuses", json_encode($b));
        $after = array_map($snap, [$k($base), $k($base + 1), $k($base + 2), $k($base + 3)]);
        check($before === $after, "$phase: the other version's keys are byte for byte unchanged");
        check($svc->activeLocks() >= ($format === 2 ? 4 : 0), "$phase: activeLocks()", (string) $svc->activeLocks());
        break;

    case 'race':
        $n = (int) ($argv[5] ?? 40);
        $me = getmypid();
        $svc->activeLocks();                               /* connected before the start line */
        while (microtime(true) < (float) ($argv[6] ?? 0)) {
            usleep(500);
        }
        for ($i = 0; $i < $n; $i++) {
            $s = 100 + ($i * 7 + $me) % 40;
            $l = $svc->acquire(1, $s, $T, "w$me-$i", 30);
            if ($l && $svc->commit($l, "w$me-$i", "b$me-$i")) {
                echo "won {$l->key}\n";
            }
        }
        break;

    default:
        fwrite(STDERR, "unknown phase $phase\n");
        exit(2);
}
exit($fail ? 1 : 0);
