--TEST--
ttl outside 1..86400 is a ValueError naming $ttl (acquire, segments, first, extend, options)
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o', 60);

foreach ([0, -1, 86401, PHP_INT_MAX, PHP_INT_MIN] as $ttl) {
    foreach ([
        'acquire' => fn () => $svc->acquire(1, 32, '2030-11-24 14:00', 'o', $ttl),
        'acquireSegments' => fn () => $svc->acquireSegments(1, [[32, '2030-11-24 14:00']], 'o', $ttl),
        'acquireFirst' => fn () => $svc->acquireFirst(1, [[32, '2030-11-24 14:00']], 'o', $ttl),
        'extend' => fn () => $svc->extend($lock, 'o', $ttl),
        'options' => fn () => slotlock_test_service(['ttl' => $ttl]),
    ] as $m => $fn) {
        try {
            $fn();
            echo "$m $ttl: accepted\n";
        } catch (ValueError $e) {
            if (!str_contains($e->getMessage(), 'ttl')) {
                echo "$m $ttl: message does not name ttl: ", $e->getMessage(), "\n";
            }
        }
    }
}
echo "done\n";

/* the edges are fine */
var_dump($svc->acquire(1, 33, '2030-11-24 14:00', 'o', 1) instanceof SlotLock);
var_dump($svc->acquire(1, 34, '2030-11-24 14:00', 'o', 86400) instanceof SlotLock);
var_dump($svc->extend($lock, 'o', 86400) instanceof SlotLock);
var_dump(slotlock_test_service(['ttl' => 86400]) instanceof SlotLockService);
/* the refused extend did not touch the lock */
var_dump($svc->validate($lock, 'o'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
done
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
