--TEST--
persistent=false: each service object has its own connection, closed when the object goes
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
$before = slotlock_test_info_int($raw, 'stats', 'total_connections_received');
$opts = ['host' => '127.0.0.1', 'port' => $srv[1], 'prefix' => slotlock_test_prefix(), 'persistent' => false];

$a = new SlotLockService($opts);
$b = new SlotLockService($opts);
$a->acquire(1, 31, '2030-11-24 14:00', 'a');
$b->acquire(1, 32, '2030-11-24 14:00', 'b');
$a->activeLocks();                      /* a keeps its connection between calls */
var_dump(slotlock_test_info_int($raw, 'stats', 'total_connections_received') - $before);
var_dump(count(slotlock_test_other_clients($raw)));

unset($a, $b);
$left = -1;
for ($i = 0; $i < 50 && $left !== 0; $i++) {   /* the server notices the close soon after */
    usleep(10000);
    $left = count(slotlock_test_other_clients($raw));
}
var_dump($left);
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
int(2)
int(2)
int(0)
