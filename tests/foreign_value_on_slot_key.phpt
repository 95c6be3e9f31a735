--TEST--
A foreign (non-hash) value at a slot key is never overwritten: acquire refuses or throws SlotLockException, the connection stays usable
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$r = slotlock_test_redis();
$key = $svc->key(1, 31, '2030-11-24 14:00');
$r->set($key, 'not a hash');

foreach ([
    'acquire' => fn () => $svc->acquire(1, 31, '2030-11-24 14:00', 'o'),
    'validate' => fn () => $svc->validate($key, 'o'),
    'release' => fn () => $svc->release($key, 'o'),
    'extend' => fn () => $svc->extend($key, 'o'),
] as $m => $fn) {
    try {
        $res = $fn();
        echo "$m: ", $res === null || $res === false ? 'refused' : 'took it', "\n";
    } catch (SlotLockConnectionException $e) {
        echo "$m: ", get_class($e), "\n";
    } catch (SlotLockException $e) {
        echo "$m: refused\n";
    }
}
var_dump($r->get($key));
var_dump($svc->acquire(1, 32, '2030-11-24 14:00', 'o') instanceof SlotLock);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
acquire: refused
validate: refused
release: refused
extend: refused
string(10) "not a hash"
bool(true)
