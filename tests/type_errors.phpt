--TEST--
Wrong argument and option types are a TypeError
--EXTENSIONS--
slotlock
--FILE--
<?php
$svc = new SlotLockService(['port' => 1]);
$o = new stdClass();

$cases = [
    'constructor object' => fn () => new SlotLockService($o),
    'option port array' => fn () => new SlotLockService(['port' => []]),
    'option host array' => fn () => new SlotLockService(['host' => []]),
    'option timeout object' => fn () => new SlotLockService(['timeout' => $o]),
    'option prefix array' => fn () => new SlotLockService(['prefix' => ['a']]),
    'option ttl array' => fn () => new SlotLockService(['ttl' => [300]]),
    'option persistent array' => fn () => new SlotLockService(['persistent' => []]),
    'option key_timezone object' => fn () => new SlotLockService(['key_timezone' => $o]),
    'key companyId array' => fn () => $svc->key([], 31, '2030-11-24 14:00'),
    'key serviceId object' => fn () => $svc->key(1, $o, '2030-11-24 14:00'),
    'key start array' => fn () => $svc->key(1, 31, []),
    'key start object' => fn () => $svc->key(1, 31, $o),
    'acquire owner array' => fn () => $svc->acquire(1, 31, '2030-11-24 14:00', []),
    'acquire ttl string' => fn () => $svc->acquire(1, 31, '2030-11-24 14:00', 'o', 'abc'),
    'acquireSegments segments string' => fn () => $svc->acquireSegments(1, 'x', 'o'),
    'acquireSegments service object' => fn () => $svc->acquireSegments(1, [[$o, '2030-11-24 14:00']], 'o'),
    'acquireSegments start object' => fn () => $svc->acquireSegments(1, [[31, $o]], 'o'),
    'acquireSegments start array' => fn () => $svc->acquireSegments(1, [[31, ['2030-11-24 14:00']]], 'o'),
    'acquireFirst candidates int' => fn () => $svc->acquireFirst(1, 5, 'o'),
    'acquireFirst start object' => fn () => $svc->acquireFirst(1, [[31, $o]], 'o'),
    'validate lock object' => fn () => $svc->validate($o, 'o'),
    'validate lock array' => fn () => $svc->validate([], 'o'),
    'release owner array' => fn () => $svc->release('x', []),
    'extend ttl array' => fn () => $svc->extend('x', 'o', []),
    'status DateTime' => fn () => $svc->status(new DateTime()),
];
foreach ($cases as $label => $fn) {
    try {
        $fn();
        echo "$label: no exception\n";
    } catch (TypeError $e) {
        echo "$label: TypeError\n";
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
constructor object: TypeError
option port array: TypeError
option host array: TypeError
option timeout object: TypeError
option prefix array: TypeError
option ttl array: TypeError
option persistent array: TypeError
option key_timezone object: TypeError
key companyId array: TypeError
key serviceId object: TypeError
key start array: TypeError
key start object: TypeError
acquire owner array: TypeError
acquire ttl string: TypeError
acquireSegments segments string: TypeError
acquireSegments service object: TypeError
acquireSegments start object: TypeError
acquireSegments start array: TypeError
acquireFirst candidates int: TypeError
acquireFirst start object: TypeError
validate lock object: TypeError
validate lock array: TypeError
release owner array: TypeError
extend ttl array: TypeError
status DateTime: TypeError
