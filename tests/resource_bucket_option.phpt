--TEST--
The bucket option (minutes) sets the resource bucket size: 30-minute buckets give fewer keys, aligned to the epoch, and coarser conflicts
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['bucket' => 30]);
$p = slotlock_test_prefix();
$short = fn (array $keys) => implode(' ', array_map(fn ($k) => substr($k, strlen($p) + 1), $keys));

echo $short($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 60)), "\n";
echo $short($svc->resourceKeys(1, 'staff7', '2030-11-24 14:15', 30)), "\n";
echo $short($svc->resourceKeys(1, 'staff7', '2030-11-24 14:45', 15)), "\n";
/* the same interval with the default 15 */
echo $short(slotlock_test_service()->resourceKeys(1, 'staff7', '2030-11-24 14:15', 30)), "\n";
/* 60-minute buckets */
echo $short(slotlock_test_service(['bucket' => 60])->resourceKeys(1, 'staff7', '2030-11-24 14:15', 90)), "\n";

/* 14:00-14:15 and 14:15-14:30 share a 30-minute bucket: they conflict */
var_dump($svc->acquireResource(1, 'staff7', '2030-11-24 14:00', 15, 'call-a') !== null);
var_dump($svc->acquireResource(1, 'staff7', '2030-11-24 14:15', 15, 'call-b'));
var_dump($svc->acquireResource(1, 'staff7', '2030-11-24 14:30', 15, 'call-b') !== null);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
c1:rstaff7:b203011241400 c1:rstaff7:b203011241430
c1:rstaff7:b203011241400 c1:rstaff7:b203011241430
c1:rstaff7:b203011241430
c1:rstaff7:b203011241415 c1:rstaff7:b203011241430
c1:rstaff7:b203011241400 c1:rstaff7:b203011241500
bool(true)
NULL
bool(true)
