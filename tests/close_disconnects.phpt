--TEST--
close() closes the object's connection, a persistent one too
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php if (!shell_exec('command -v redis-server')) die('skip redis-server not installed'); ?>
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$srv = slotlock_test_start_redis();
$raw = slotlock_test_redis_on($srv);
$base = ['host' => '127.0.0.1', 'port' => $srv[1], 'prefix' => slotlock_test_prefix()];

function clients_after_close(Redis $raw): int
{
    $left = -1;
    for ($i = 0; $i < 50 && $left !== 0; $i++) {
        usleep(10000);
        $left = count(slotlock_test_other_clients($raw));
    }
    return $left;
}

foreach ([true, false] as $persistent) {
    $svc = new SlotLockService($base + ['persistent' => $persistent]);
    $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
    var_dump(count(slotlock_test_other_clients($raw)));
    $svc->close();
    var_dump(clients_after_close($raw));
    $svc->close();                      /* twice is harmless */
}
echo "done\n";
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
int(1)
int(0)
int(1)
int(0)
done
