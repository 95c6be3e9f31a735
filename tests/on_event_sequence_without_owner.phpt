--TEST--
onEvent(): the listener sees acquired, reacquired, conflict, extended, released and committed in order, with keys, fences and TTLs, and never an owner
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['fencing' => true]);
$p = slotlock_test_prefix();
$events = [];
$svc->onEvent(function (array $e) use (&$events) { $events[] = $e; });

$ownerA = 'owner-A-' . bin2hex(random_bytes(8));
$ownerB = 'owner-B-' . bin2hex(random_bytes(8));

$lock = $svc->acquire(1, 31, '2030-11-24 14:00', $ownerA, 60);
$svc->acquire(1, 31, '2030-11-24 14:00', $ownerA, 60);
$svc->acquire(1, 31, '2030-11-24 14:00', $ownerB);
$svc->extend($lock, $ownerA, 120);
$svc->release($lock, $ownerA);
$two = $svc->acquireSegments(1, [[31, '2030-11-24 15:00'], [32, '2030-11-24 15:30']], $ownerA);
$svc->commit($two, $ownerA, 'bk-1', 90);
/* the booking flow reports through the same listener */
$flow = new AvailabilityWithLock($svc);
$flow->check(['available' => true], 1, 31, '2030-11-24 15:00', $ownerB);

foreach ($events as $e) {
    echo $e['event'], ' ', str_replace("$p:", '', (string) $e['key']);
    echo ' fence=', !array_key_exists('fence', $e) ? '-' : ($e['fence'] === $lock->fence ? 'first' : ($e['fence'] === $two->fence ? 'second' : var_export($e['fence'], true)));
    echo ' ttl_ms=', !array_key_exists('ttl_ms', $e) ? '-' : (is_int($e['ttl_ms']) ? ($e['ttl_ms'] > 0 && $e['ttl_ms'] <= 600000 ? ceil($e['ttl_ms'] / 1000) . 's' : $e['ttl_ms']) : gettype($e['ttl_ms']));
    echo ' reason=', $e['reason'] ?? '-', "\n";
}
var_dump($two->fence > $lock->fence);

/* no owner token anywhere in the payloads */
$all = serialize($events) . json_encode($events);
var_dump(str_contains($all, $ownerA), str_contains($all, $ownerB));
/* nor an entry for it */
$fields = array_unique(array_merge(...array_map('array_keys', $events)));
sort($fields);
echo implode(' ', $fields), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
acquired c1:s31:t203011241400 fence=first ttl_ms=60s reason=-
reacquired c1:s31:t203011241400 fence=first ttl_ms=60s reason=-
conflict c1:s31:t203011241400 fence=- ttl_ms=60s reason=slot_locked
extended c1:s31:t203011241400 fence=first ttl_ms=120s reason=-
released c1:s31:t203011241400 fence=- ttl_ms=- reason=-
acquired c1:s31:t203011241500,c1:s32:t203011241530 fence=second ttl_ms=300s reason=-
committed c1:s31:t203011241500,c1:s32:t203011241530 fence=second ttl_ms=90s reason=-
conflict c1:s31:t203011241500 fence=- ttl_ms=90s reason=slot_booked
bool(true)
bool(false)
bool(false)
event fence key reason ttl_ms
