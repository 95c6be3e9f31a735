--TEST--
acquireResource()/resourceKeys()/checkResource(): an end not after the start, or an interval over 64 buckets, throws ValueError and takes nothing
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$flow = new AvailabilityWithLock($svc);

$cases = [
    'end before start' => fn () => $svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', '2030-11-24 13:00'),
    'end = start' => fn () => $svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', '2030-11-24 14:00'),
    'acquire end before start' => fn () => $svc->acquireResource(1, 'staff7', '2030-11-24 14:00', '2030-11-24 13:45', 'call-a'),
    'check end before start' => fn () => $flow->checkResource(['available' => true], 1, 'staff7', '2030-11-24 14:00', '2030-11-24 13:45', 'call-a'),
    '65 buckets' => fn () => $svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 16 * 60 + 1),
    'acquire 65 buckets' => fn () => $svc->acquireResource(1, 'staff7', '2030-11-24 14:00', '2030-11-25 06:15', 'call-a'),
    'buffers make 65 buckets' => fn () => $svc->acquireResource(1, 'staff7', '2030-11-24 14:00', 16 * 60, 'call-a', null, 15),
    'check 65 buckets' => fn () => $flow->checkResource(['available' => true], 1, 'staff7', '2030-11-24 14:00', 1440, 'call-a'),
];
foreach ($cases as $label => $fn) {
    try {
        $fn();
        echo "$label: no exception\n";
    } catch (ValueError $e) {
        echo "$label: ValueError: ", $e->getMessage(), "\n";
    }
}
/* 64 buckets are fine */
var_dump(count($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 16 * 60)));
var_dump($svc->activeLocks());
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
end before start: ValueError: $end must be after $start
end = start: ValueError: $end must be after $start
acquire end before start: ValueError: $end must be after $start
check end before start: ValueError: $end must be after $start
65 buckets: ValueError: $start to $end (with the buffers) spans more than 64 buckets
acquire 65 buckets: ValueError: $start to $end (with the buffers) spans more than 64 buckets
buffers make 65 buckets: ValueError: $start to $end (with the buffers) spans more than 64 buckets
check 65 buckets: ValueError: $start to $end (with the buffers) spans more than 64 buckets
int(64)
int(0)
