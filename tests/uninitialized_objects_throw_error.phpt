--TEST--
Objects whose constructor never ran (Reflection) are refused or throw an Error on use; never a crash
--EXTENSIONS--
slotlock
--FILE--
<?php
function use_or_error(string $label, callable $fn): void
{
    try {
        $fn();
        echo "$label: worked\n";
    } catch (Error $e) {
        echo "$label: Error\n";
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), "\n";
    }
}

/* SlotLockService: internal and final; Reflection must refuse it, or its methods must throw */
try {
    $svc = (new ReflectionClass(SlotLockService::class))->newInstanceWithoutConstructor();
    $refused = false;
} catch (ReflectionException $e) {
    $refused = true;
}
if ($refused) {
    echo "service: refused by Reflection\n";
} else {
    foreach ([
        'acquire' => fn () => $svc->acquire(1, 31, '2030-11-24 14:00', 'o'),
        'key' => fn () => $svc->key(1, 31, '2030-11-24 14:00'),
        'validate' => fn () => $svc->validate('x', 'o'),
        'activeLocks' => fn () => $svc->activeLocks(),
        'stats' => fn () => $svc->stats(),
        'close' => fn () => $svc->close(),
    ] as $m => $fn) {
        try {
            $fn();
            echo "service $m: worked\n";
        } catch (Error $e) {
        }
    }
    echo "service: refused by Reflection\n";   /* same output: every method threw an Error */
}

/* SlotLock without its constructor: toArray() and passing it to the service are refused */
$svc = new SlotLockService(['port' => 1]);
try {
    $lock = (new ReflectionClass(SlotLock::class))->newInstanceWithoutConstructor();
    use_or_error('toArray', fn () => $lock->toArray());
    use_or_error('validate', fn () => $svc->validate($lock, 'o'));
    use_or_error('release', fn () => $svc->release($lock, 'o'));
    use_or_error('extend', fn () => $svc->extend($lock, 'o'));
    use_or_error('status', fn () => $svc->status($lock));
} catch (ReflectionException $e) {
    foreach (['toArray', 'validate', 'release', 'extend', 'status'] as $m) {
        echo "$m: Error\n";
    }
}

/* a second __construct() call with bad options leaves a usable or refusing object, not a broken one */
$svc = new SlotLockService(['port' => 1, 'prefix' => 'first']);
try {
    $svc->__construct(['bogus' => 1]);
} catch (Throwable $e) {
}
use_or_error('key after failed re-construct', fn () => $svc->key(1, 2, '2030-11-24 14:00'));
echo "alive\n";
?>
--EXPECTREGEX--
service: refused by Reflection
toArray: Error
validate: Error
release: Error
extend: Error
status: Error
key after failed re-construct: (worked|Error)
alive
