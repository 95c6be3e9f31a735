--TEST--
A malformed lock handle string (empty, foreign prefix, not a slot key, empty part) is a ValueError naming $lock
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
$good = $svc->acquire(1, 31, '2030-11-24 14:00', 'o')->key;

$bad = [
    'empty' => '',
    'no prefix' => 'c1:s31:t203011241400',
    'foreign prefix' => 'slot_lock:c1:s31:t203011241400',
    'prefix of a prefix' => substr($p, 0, -1) . ':c1:s31:t203011241400',
    'fence counter' => "$p#fence",
    'format 1 fence counter' => "$p:fence",
    'format 1 active set' => "$p:active",
    'prefix only' => "$p:",
    'trailing comma' => "$good,",
    'leading comma' => ",$good",
    'empty part' => "$good,,$good",
    'foreign second key' => "$good,other:c1:s31:t203011241400",
    'garbage' => 'hello world',
];
foreach ($bad as $label => $handle) {
    foreach ([
        'validate' => fn () => $svc->validate($handle, 'o'),
        'release' => fn () => $svc->release($handle, 'o'),
        'extend' => fn () => $svc->extend($handle, 'o'),
        'status' => fn () => $svc->status($handle),
    ] as $m => $fn) {
        try {
            $fn();
            echo "$m ($label): accepted\n";
        } catch (ValueError $e) {
            if (!str_contains($e->getMessage(), 'lock')) {
                echo "$m ($label): message does not name \$lock: ", $e->getMessage(), "\n";
            }
        }
    }
}
echo "done\n";

/* the good handle is still held, and the counters are intact */
var_dump($svc->validate($good, 'o'));
var_dump(slotlock_test_redis()->type("$p#fence") === Redis::REDIS_STRING);
var_dump($svc->activeLocks());
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
int(1)
