--TEST--
50 live SlotLockService objects on one endpoint (same credentials and database) share one persistent socket; another database or persistent => false opens its own
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$srv = slotlock_test_start_redis();
$raw = slotlock_test_redis_on($srv);
$before = slotlock_test_info_int($raw, 'stats', 'total_connections_received');
$opts = ['host' => '127.0.0.1', 'port' => $srv[1], 'prefix' => slotlock_test_prefix()];

$all = [];
for ($i = 0; $i < 50; $i++) {
    $all[$i] = new SlotLockService($opts);
    $lock = $all[$i]->acquire(1, $i + 1, '2030-11-24 14:00', "o$i");
    if (!$lock instanceof SlotLock) {
        echo "acquire $i failed\n";
    }
}
/* all 50 alive, interleaved use: still one socket */
foreach ($all as $i => $svc) {
    if (!$svc->validate($svc->key(1, $i + 1, '2030-11-24 14:00'), "o$i")) {
        echo "validate $i failed\n";
    }
}
var_dump(slotlock_test_info_int($raw, 'stats', 'total_connections_received') - $before);
var_dump(count(slotlock_test_other_clients($raw)));

/* another database, and a non-persistent service: one socket each */
$db1 = new SlotLockService($opts + ['database' => 1]);
$db1->activeLocks();
$own = new SlotLockService($opts + ['persistent' => false]);
$own->activeLocks();
var_dump(count(slotlock_test_other_clients($raw)));
unset($own);
var_dump(count(slotlock_test_other_clients($raw)));

/* close() on one of them closes the shared socket; the others reconnect on their next call */
$all[0]->close();
var_dump($all[1]->validate($all[1]->key(1, 2, '2030-11-24 14:00'), 'o1'));
var_dump(count(slotlock_test_other_clients($raw)));
unset($all, $svc, $db1);
var_dump(count(slotlock_test_other_clients($raw)));   /* idle in the pool, still open */
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
int(1)
int(1)
int(3)
int(2)
bool(true)
int(2)
int(2)
