--TEST--
resourceKeys(): one "<prefix>:c<company>:r<resource>:b<YmdHi>" key per 15-minute bucket the interval touches, in UTC, aligned to the epoch; acquireResource() takes exactly those keys
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$p = slotlock_test_prefix();
$short = fn (array $keys) => implode(' ', array_map(fn ($k) => substr($k, strlen($p) + 1), $keys));

echo $short($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', '2030-11-24 15:00')), "\n";
/* an interval inside one bucket, and one crossing bucket edges */
echo $short($svc->resourceKeys(1, 'staff7', '2030-11-24 14:05', '2030-11-24 14:10')), "\n";
echo $short($svc->resourceKeys(1, 'staff7', '2030-11-24 14:10', '2030-11-24 14:50')), "\n";
/* integer ids, a midnight crossing */
echo $short($svc->resourceKeys(42, 7, '2030-11-24 23:45', '2030-11-25 00:30')), "\n";
/* an offset start becomes UTC */
echo $short($svc->resourceKeys(1, 'room-2', new DateTimeImmutable('2030-11-24 15:00:00+01:00'), '2030-11-24 16:30:00+01:00')), "\n";
/* a list, keys in time order */
var_dump(array_is_list($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 30)));

$lock = $svc->acquireResource(1, 'staff7', '2030-11-24 14:10', '2030-11-24 14:50', 'call-a');
var_dump($lock->keys === $svc->resourceKeys(1, 'staff7', '2030-11-24 14:10', '2030-11-24 14:50'));
var_dump($lock->key === implode(',', $lock->keys));
var_dump($lock->owner, $svc->validate($lock->key, 'call-a'));
$r = slotlock_test_redis();
foreach ($lock->keys as $k) {
    echo substr($k, strlen($p) + 1), ' ', slotlock_test_field($r, $k, 'owner'), "\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
c1:rstaff7:b203011241400 c1:rstaff7:b203011241415 c1:rstaff7:b203011241430 c1:rstaff7:b203011241445
c1:rstaff7:b203011241400
c1:rstaff7:b203011241400 c1:rstaff7:b203011241415 c1:rstaff7:b203011241430 c1:rstaff7:b203011241445
c42:r7:b203011242345 c42:r7:b203011250000 c42:r7:b203011250015
c1:rroom-2:b203011241400 c1:rroom-2:b203011241415 c1:rroom-2:b203011241430 c1:rroom-2:b203011241445 c1:rroom-2:b203011241500 c1:rroom-2:b203011241515
bool(true)
bool(true)
bool(true)
string(6) "call-a"
bool(true)
c1:rstaff7:b203011241400 call-a
c1:rstaff7:b203011241415 call-a
c1:rstaff7:b203011241430 call-a
c1:rstaff7:b203011241445 call-a
