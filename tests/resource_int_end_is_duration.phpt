--TEST--
acquireResource()/resourceKeys(): an int $end is a duration in minutes after $start (1..1440), the same as the end time
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();

var_dump($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 45) === $svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', '2030-11-24 14:45'));
var_dump($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 1) === $svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', '2030-11-24 14:01'));
var_dump(count($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 45)));
var_dump(count($svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', 46)));
$at = new DateTimeImmutable('2030-11-24 14:00:00Z');
var_dump($svc->resourceKeys(1, 'staff7', $at, 90) === $svc->resourceKeys(1, 'staff7', $at, $at->modify('+90 minutes')));

$lock = $svc->acquireResource(1, 'staff7', '2030-11-24 14:00', 45, 'call-a');
var_dump(count($lock->keys));
foreach ([0, -30, 1441] as $minutes) {
    try {
        $svc->resourceKeys(1, 'staff7', '2030-11-24 14:00', $minutes);
        echo "$minutes: no exception\n";
    } catch (ValueError $e) {
        echo "$minutes: ", $e->getMessage(), "\n";
    }
}
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
int(3)
int(4)
bool(true)
int(3)
0: $end as a duration must be 1 to 1440 minutes
-30: $end as a duration must be 1 to 1440 minutes
1441: $end as a duration must be 1 to 1440 minutes
