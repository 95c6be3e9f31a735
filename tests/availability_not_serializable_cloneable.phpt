--TEST--
AvailabilityWithLock cannot be serialized, unserialized or cloned, and takes no dynamic properties
--EXTENSIONS--
slotlock
--FILE--
<?php
$flow = new AvailabilityWithLock(new SlotLockService(['port' => 1]));

try {
    serialize($flow);
    echo "serialized\n";
} catch (Exception $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    var_dump(unserialize('O:20:"AvailabilityWithLock":0:{}'));
} catch (Exception $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $copy = clone $flow;
    echo "cloned\n";
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $flow->extra = 1;
    echo "property set\n";
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
/* still usable */
var_dump($flow->beginBooking(null, 'call-a')['reason']);
?>
--EXPECT--
Exception: Serialization of 'AvailabilityWithLock' is not allowed
Exception: Unserialization of 'AvailabilityWithLock' is not allowed
Error: Trying to clone an uncloneable object of class AvailabilityWithLock
Error: Cannot create dynamic property AvailabilityWithLock::$extra
string(11) "no_lock_key"
