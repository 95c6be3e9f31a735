--TEST--
A persistent connection authenticated with one password is never handed to a service with another
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php if (!shell_exec('command -v redis-server')) die('skip redis-server not installed'); ?>
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$srv = slotlock_test_start_redis(['--requirepass', 'S3cret-Pw']);
$base = ['host' => '127.0.0.1', 'port' => $srv[1], 'prefix' => slotlock_test_prefix(), 'persistent' => true];

$good = new SlotLockService($base + ['password' => 'S3cret-Pw']);
var_dump($good->acquire(1, 31, '2030-11-24 14:00', 'o') instanceof SlotLock);

foreach (['wrong password' => $base + ['password' => 'Wr0ng-Pw'], 'no password' => $base] as $label => $opts) {
    try {
        $bad = new SlotLockService($opts);
        var_dump($bad->validate($good->key(1, 31, '2030-11-24 14:00'), 'o'));
        echo "$label: got through\n";
    } catch (SlotLockException $e) {
        echo "$label: refused\n";      /* which class is auth_password.phpt's business */
    }
}
/* the good one still works */
var_dump($good->validate($good->key(1, 31, '2030-11-24 14:00'), 'o'));
slotlock_test_stop_redis($srv);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECT--
bool(true)
wrong password: refused
no password: refused
bool(true)
