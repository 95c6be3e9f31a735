--TEST--
A Redis error reply (a corrupt fence counter) is a SlotLockException, not a connection error; nothing is half-written and the connection stays usable
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['fencing' => true]);
$p = slotlock_test_prefix();
$r = slotlock_test_redis();
$r->set("$p#fence", 'not a number');    /* INCR fails: ERR value is not an integer */

foreach ([
    'acquire' => fn () => $svc->acquire(1, 31, '2030-11-24 14:00', 'OWNER-TOKEN-9'),
    'acquireSegments' => fn () => $svc->acquireSegments(1, [[32, '2030-11-24 14:00'], [33, '2030-11-24 14:00']], 'OWNER-TOKEN-9'),
] as $m => $fn) {
    try {
        var_dump($fn());
    } catch (SlotLockConnectionException $e) {
        echo "$m: ", get_class($e), "\n";
    } catch (SlotLockException $e) {
        echo "$m: ", get_class($e),
            str_contains($e->getMessage(), 'OWNER-TOKEN') ? ' (message reveals the owner)' : '', "\n";
    }
}
var_dump($r->exists($svc->key(1, 31, '2030-11-24 14:00'), $svc->key(1, 32, '2030-11-24 14:00'), $svc->key(1, 33, '2030-11-24 14:00')));
var_dump($svc->stats()['errors'] >= 2);

/* repaired, the same object goes on working */
$r->set("$p#fence", '41');
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
var_dump($lock->fence);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
acquire: SlotLockException
acquireSegments: SlotLockException
int(0)
bool(true)
int(42)
