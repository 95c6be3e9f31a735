--TEST--
The constructor does not connect: an unreachable server fails only at the first command
--EXTENSIONS--
slotlock
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$port = slotlock_test_free_port();
$t = microtime(true);
$svc = new SlotLockService(['host' => '127.0.0.1', 'port' => $port, 'timeout' => 0.5]);
$dsn = new SlotLockService("redis://127.0.0.1:$port");
$ini = new SlotLockService();
echo "constructed\n";
var_dump($svc->key(1, 31, '2030-11-24 14:00'));
var_dump(microtime(true) - $t < 0.2 * slotlock_test_slow_factor());
try {
    $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
    echo "acquired?\n";
} catch (SlotLockConnectionException $e) {
    echo "first command: ", get_class($e), "\n";
}
?>
--EXPECT--
constructed
string(30) "slot_lock:c1:s31:t203011241400"
bool(true)
first command: SlotLockConnectionException
