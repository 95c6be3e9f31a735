--TEST--
A refused connection throws SlotLockConnectionException quickly, from every command
--EXTENSIONS--
slotlock
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$port = slotlock_test_free_port();
$svc = new SlotLockService(['host' => '127.0.0.1', 'port' => $port, 'timeout' => 1.0]);
$calls = [
    'acquire' => fn () => $svc->acquire(1, 31, '2030-11-24 14:00', 'OWNER-TOKEN-1'),
    'acquireSegments' => fn () => $svc->acquireSegments(1, [[31, '2030-11-24 14:00']], 'OWNER-TOKEN-1'),
    'acquireFirst' => fn () => $svc->acquireFirst(1, [[31, '2030-11-24 14:00']], 'OWNER-TOKEN-1'),
    'validate' => fn () => $svc->validate($svc->key(1, 31, '2030-11-24 14:00'), 'OWNER-TOKEN-1'),
    'release' => fn () => $svc->release($svc->key(1, 31, '2030-11-24 14:00'), 'OWNER-TOKEN-1'),
    'extend' => fn () => $svc->extend($svc->key(1, 31, '2030-11-24 14:00'), 'OWNER-TOKEN-1'),
    'status' => fn () => $svc->status($svc->key(1, 31, '2030-11-24 14:00')),
    'activeLocks' => fn () => $svc->activeLocks(),
];
foreach ($calls as $m => $fn) {
    $t = microtime(true);
    try {
        $fn();
        echo "$m: no exception\n";
    } catch (SlotLockException $e) {
        $fast = microtime(true) - $t < 0.5 * slotlock_test_slow_factor();
        printf("%s: %s%s%s%s\n", $m, get_class($e),
            $e instanceof RuntimeException ? '' : ' (not a RuntimeException)',
            $fast ? '' : ' (slow)',
            str_contains($e->getMessage(), 'OWNER-TOKEN') ? ' (message reveals the owner)' : '');
    }
}
var_dump(is_array($svc->stats()));
$svc->close();
echo "closed\n";
?>
--EXPECT--
acquire: SlotLockConnectionException
acquireSegments: SlotLockConnectionException
acquireFirst: SlotLockConnectionException
validate: SlotLockConnectionException
release: SlotLockConnectionException
extend: SlotLockConnectionException
status: SlotLockConnectionException
activeLocks: SlotLockConnectionException
bool(true)
closed
