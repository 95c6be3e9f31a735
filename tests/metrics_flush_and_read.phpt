--TEST--
SlotLockService::flushMetrics() writes this process's counts as one per-minute hash outside the slot keys; metrics() sums them: counters, race rate, conflicts per minute, p50/p99
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--INI--
slotlock.metrics_flush_interval=0
slotlock.metrics_retention=600
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$flow = new AvailabilityWithLock($svc);
$r = slotlock_test_redis();
$prefix = slotlock_test_prefix();
function scan_keys(Redis $r, string $pattern): array
{
    $r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
    $all = [];
    $it = null;
    while (($keys = $r->scan($it, $pattern, 1000)) !== false) {
        $all = array_merge($all, $keys);
    }
    return $all;
}
/* whatever earlier code of this process counted goes first */
$svc->flushMetrics();
foreach (scan_keys($r, "{$prefix}_metrics:*") as $k) { $r->del($k); }

$a = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a');
$b = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-b');  /* slot_locked */
$flow->beginBooking($a['lock_key'], 'call-a');                                   /* reacquired */
$flow->finishBooking($a['lock_key'], 'call-a', true, 'bk-1');
$flow->beginBooking($a['lock_key'], 'call-a');                                   /* already_booked */
$flow->beginBooking(null, 'call-b', 1, 31, '2030-11-24 14:00');                  /* slot_booked */
$c = $flow->check(['available' => true], 1, 31, '2030-11-24 15:00', 'call-c');
$flow->finishBooking($c['lock_key'], 'call-c', false);                           /* released */

/* interval 0: nothing written by the operations themselves */
var_dump(scan_keys($r, "{$prefix}_metrics:*"));
var_dump($svc->flushMetrics(), $svc->flushMetrics());
$keys = scan_keys($r, "{$prefix}_metrics:*");
var_dump(count($keys), preg_match('/^' . preg_quote($prefix) . '_metrics:m\d{12}$/', $keys[0]));
var_dump($r->ttl($keys[0]) > 0 && $r->ttl($keys[0]) <= 600);
/* not under the slot keys' pattern: activeLocks() and SCAN <prefix>:* do not see it */
$slotKeys = scan_keys($r, "$prefix:*");
var_dump(array_filter($slotKeys, fn ($k) => str_contains($k, "_metrics:m")) === [] && count($slotKeys) > 0);

$m = $svc->metrics(5);
foreach (['minutes', 'acquired', 'reacquired', 'slot_locked', 'slot_booked', 'already_booked', 'relocked', 'released', 'expired', 'committed', 'errors', 'attempts', 'conflicts', 'acquire_samples'] as $f) {
    echo "$f: ", json_encode($m[$f]), "\n";
}
var_dump(abs($m['race_rate'] - 2 / 5) < 1e-9, abs($m['conflicts_per_minute'] - 2 / 5) < 1e-9);
var_dump($m['acquire_p50_ms'] > 0 && $m['acquire_p50_ms'] <= $m['acquire_p99_ms'], $m['acquire_mean_ms'] > 0);
var_dump(array_sum($m['latency']) === 6, array_key_last($m['latency']));
var_dump(preg_match('/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/', $m['from']) === 1);

/* a second process adds to the same minute */
$svc2 = slotlock_test_service();
$svc2->acquire(1, 32, '2030-11-24 14:00', 'call-d');
$svc2->flushMetrics();
var_dump($svc->metrics(5)['acquired']);

try {
    $svc->metrics(0);
} catch (ValueError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECTF--
array(0) {
}
bool(true)
bool(false)
int(1)
int(1)
bool(true)
bool(true)
minutes: 5
acquired: 2
reacquired: 1
slot_locked: 1
slot_booked: 1
already_booked: 1
relocked: 0
released: 1
expired: 0
committed: 1
errors: 0
attempts: 5
conflicts: 2
acquire_samples: 6
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(6) "le_inf"
bool(true)
int(3)
ValueError: SlotLockService::metrics(): Argument #1 ($minutes) must be between 1 and 1440
