--TEST--
CLIENT KILL of our connection between calls: the next call reconnects transparently
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
$kill = function () use ($raw): int {
    $n = 0;
    foreach (slotlock_test_other_clients($raw) as $c) {
        $n += (int) $raw->rawCommand('CLIENT', 'KILL', 'ID', (string) $c['id']);
    }
    usleep(20000);
    return $n;
};

foreach ([true, false] as $persistent) {
    echo $persistent ? "persistent\n" : "non-persistent\n";
    $svc = new SlotLockService(['host' => '127.0.0.1', 'port' => $srv[1], 'persistent' => $persistent,
                                'prefix' => slotlock_test_prefix(true)]);
    $lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
    $reconnects = $svc->stats()['reconnects'];

    var_dump($kill());
    var_dump($svc->validate($lock, 'o'));
    var_dump($kill());
    var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'other'));
    var_dump($kill());
    var_dump($svc->acquire(1, 32, '2030-11-24 14:00', 'o')->key === $svc->key(1, 32, '2030-11-24 14:00'));
    var_dump($kill());
    var_dump($svc->release($lock, 'o'));
    var_dump($svc->stats()['reconnects'] - $reconnects >= 4);
    $svc->close();
    usleep(50000);
}
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
persistent
int(1)
bool(true)
int(1)
NULL
int(1)
bool(true)
int(1)
bool(true)
bool(true)
non-persistent
int(1)
bool(true)
int(1)
NULL
int(1)
bool(true)
int(1)
bool(true)
bool(true)
