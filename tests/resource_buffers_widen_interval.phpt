--TEST--
acquireResource() buffers widen the interval to [start - bufferBefore, end + bufferAfter): more buckets, and conflicts with what the buffers reach
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$p = slotlock_test_prefix();
$short = fn (array $keys) => implode(' ', array_map(fn ($k) => substr($k, strlen($p) + 1), $keys));

echo $short($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 30)), "\n";
echo $short($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 30, 15)), "\n";
echo $short($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 30, 0, 15)), "\n";
echo $short($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 30, 10, 5)), "\n";

/* 14:00-14:30 with a 15-minute clean-up after it blocks a booking at 14:30 */
$a = $svc->acquireResource(1, 'staff7', '2030-11-24 14:00', 30, 'call-a', null, 0, 15);
var_dump($a->keys === $svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 30, 0, 15));
var_dump($svc->acquireResource(1, 'staff7', '2030-11-24 14:30', 30, 'call-b'));
var_dump($svc->acquireResource(1, 'staff7', '2030-11-24 14:45', 30, 'call-b') !== null);
/* a 15-minute preparation before 13:30-13:45 does not reach 14:00; one of 30 minutes before 14:45 does */
var_dump($svc->acquireResource(1, 'staff7', '2030-11-24 13:30', 15, 'call-c', null, 15) !== null);
var_dump($svc->acquireResource(1, 'staff7', '2030-11-24 15:30', 15, 'call-d', null, 30));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
c1:rstaff7:b203011241400 c1:rstaff7:b203011241415
c1:rstaff7:b203011241345 c1:rstaff7:b203011241400 c1:rstaff7:b203011241415
c1:rstaff7:b203011241400 c1:rstaff7:b203011241415 c1:rstaff7:b203011241430
c1:rstaff7:b203011241345 c1:rstaff7:b203011241400 c1:rstaff7:b203011241415 c1:rstaff7:b203011241430
bool(true)
NULL
bool(true)
bool(true)
NULL
