--TEST--
A listener that never answers (accepts nothing) makes commands throw SlotLockTimeoutException within the timeout
--EXTENSIONS--
slotlock
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
$name = stream_socket_get_name($server, false);
$port = (int) substr($name, strrpos($name, ':') + 1);
$limit = 1.0 * slotlock_test_slow_factor();

foreach ([true, false] as $persistent) {
    $svc = new SlotLockService(['host' => '127.0.0.1', 'port' => $port, 'timeout' => 0.3 * slotlock_test_slow_factor(), 'persistent' => $persistent]);
    for ($i = 0; $i < 2; $i++) {
        $t = microtime(true);
        try {
            $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
            echo "no exception\n";
        } catch (SlotLockConnectionException $e) {
            $took = microtime(true) - $t;
            echo $persistent ? 'persistent' : 'non-persistent', ': ', get_class($e),
                $took < $limit ? '' : sprintf(' (took %.2fs)', $took), "\n";
        }
    }
}
fclose($server);
?>
--EXPECT--
persistent: SlotLockTimeoutException
persistent: SlotLockTimeoutException
non-persistent: SlotLockTimeoutException
non-persistent: SlotLockTimeoutException
