--TEST--
persistent=true: service objects in one process share one connection to the server
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
$opts = ['host' => '127.0.0.1', 'port' => $srv[1], 'prefix' => slotlock_test_prefix()];

for ($i = 0; $i < 4; $i++) {
    $svc = new SlotLockService($opts);        /* persistent is the default */
    $svc->acquire(1, 30 + $i, '2030-11-24 14:00', "o$i");
    unset($svc);
}
$a = new SlotLockService($opts + ['persistent' => true]);
var_dump($a->validate($a->key(1, 30, '2030-11-24 14:00'), 'o0'));
unset($a);
$b = new SlotLockService($opts + ['persistent' => true]);
var_dump($b->validate($b->key(1, 31, '2030-11-24 14:00'), 'o1'));
var_dump($b->activeLocks());

var_dump(slotlock_test_info_int($raw, 'stats', 'total_connections_received') - $before);
var_dump(count(slotlock_test_other_clients($raw)));
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
bool(true)
bool(true)
int(4)
int(1)
int(1)
