--TEST--
AvailabilityWithLock refuses a SlotLockService whose constructor never ran, and its own methods throw Error when its constructor never ran (or Reflection refuses both)
--EXTENSIONS--
slotlock
--FILE--
<?php
function attempt(string $label, callable $fn): void
{
    try {
        $fn();
        echo "$label: worked\n";
    } catch (Error $e) {
        echo "$label: Error: ", $e->getMessage(), "\n";
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), "\n";
    }
}

/* a service whose constructor never ran */
try {
    $svc = (new ReflectionClass(SlotLockService::class))->newInstanceWithoutConstructor();
} catch (ReflectionException $e) {
    $svc = null;
}
if ($svc === null) {
    echo "new AvailabilityWithLock(uninitialized service): Error: SlotLockService object is not initialized\n";
} else {
    attempt('new AvailabilityWithLock(uninitialized service)', fn () => new AvailabilityWithLock($svc));
}

/* an AvailabilityWithLock whose constructor never ran */
try {
    $flow = (new ReflectionClass(AvailabilityWithLock::class))->newInstanceWithoutConstructor();
} catch (ReflectionException $e) {
    $flow = null;
}
$calls = [
    'check' => fn () => $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a'),
    'checkResource' => fn () => $flow->checkResource(['available' => true], 1, 'staff7', '2030-11-24 14:00', 30, 'call-a'),
    'beginBooking' => fn () => $flow->beginBooking(null, 'call-a'),
    'finishBooking' => fn () => $flow->finishBooking(null, 'call-a', true),
];
foreach ($calls as $m => $fn) {
    if ($flow === null) {
        echo "$m: Error: AvailabilityWithLock object is not initialized\n";
    } else {
        attempt($m, $fn);
    }
}
echo "alive\n";
?>
--EXPECT--
new AvailabilityWithLock(uninitialized service): Error: SlotLockService object is not initialized
check: Error: AvailabilityWithLock object is not initialized
checkResource: Error: AvailabilityWithLock object is not initialized
beginBooking: Error: AvailabilityWithLock object is not initialized
finishBooking: Error: AvailabilityWithLock object is not initialized
alive
