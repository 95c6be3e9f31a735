--TEST--
SlotLock cannot be constructed from PHP: its constructor is private
--EXTENSIONS--
slotlock
--FILE--
<?php
try {
    $l = new SlotLock();
    echo "constructed\n";
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
$rc = new ReflectionClass(SlotLock::class);
var_dump($rc->isFinal(), $rc->getConstructor()->isPrivate(), $rc->isInstantiable());
var_dump((new ReflectionClass(SlotLockService::class))->isFinal());
?>
--EXPECT--
Error: Call to private SlotLock::__construct() from global scope
bool(true)
bool(true)
bool(false)
bool(true)
