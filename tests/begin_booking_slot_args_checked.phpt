--TEST--
AvailabilityWithLock::beginBooking() slot arguments: all three or none (ValueError), checked like check()'s even with slotlock.enabled=0 for the partial case
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$flow = new AvailabilityWithLock(slotlock_test_service());
$calls = [
    'company only' => fn () => $flow->beginBooking(null, 'call-a', 1),
    'no start' => fn () => $flow->beginBooking(null, 'call-a', 1, 31),
    'no service' => fn () => $flow->beginBooking(null, 'call-a', 1, null, '2030-11-24 14:00'),
    'bad start' => fn () => $flow->beginBooking(null, 'call-a', 1, 31, 'not a time'),
    'bad company' => fn () => $flow->beginBooking(null, 'call-a', 'a b', 31, '2030-11-24 14:00'),
    'bad owner' => fn () => $flow->beginBooking(null, '', 1, 31, '2030-11-24 14:00'),
    'all null' => fn () => $flow->beginBooking(null, 'call-a', null, null, null)['reason'],
];
foreach ($calls as $name => $call) {
    try {
        $out = json_encode($call());
        echo "$name: $out\n";
    } catch (Throwable $e) {
        echo "$name: ", get_class($e), "\n";
    }
}
ini_set('slotlock.enabled', '0');
try {
    $flow->beginBooking(null, 'call-a', 1, 31);
} catch (ValueError $e) {
    echo "disabled: ", $e->getMessage(), "\n";
}
?>
--EXPECT--
company only: ValueError
no start: ValueError
no service: ValueError
bad start: ValueError
bad company: ValueError
bad owner: ValueError
all null: "no_lock_key"
disabled: $companyId, $service and $start must be given together (or none of them)
