--TEST--
SlotLock and SlotLockService cannot be serialized or unserialized
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
foreach (['lock' => $lock, 'service' => $svc] as $label => $obj) {
    try {
        serialize($obj);
        echo "$label: serialized\n";
    } catch (Exception $e) {
        echo "$label: ", $e->getMessage(), "\n";
    }
}
foreach (['SlotLock', 'SlotLockService'] as $class) {
    try {
        var_dump(unserialize('O:' . strlen($class) . ':"' . $class . '":0:{}'));
    } catch (Exception $e) {
        echo $e->getMessage(), "\n";
    }
}
/* the handle to carry between requests is the key string */
var_dump($svc->validate($lock->key, 'o'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
lock: Serialization of 'SlotLock' is not allowed
service: Serialization of 'SlotLockService' is not allowed
Unserialization of 'SlotLock' is not allowed
Unserialization of 'SlotLockService' is not allowed
bool(true)
