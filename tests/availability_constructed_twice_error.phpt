--TEST--
AvailabilityWithLock::__construct() called a second time throws Error and keeps the first service
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$first = slotlock_test_service();
$second = slotlock_test_service(['prefix' => slotlock_test_prefix(true)]);
$flow = new AvailabilityWithLock($first);
try {
    $flow->__construct($second);
    echo "no exception\n";
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
/* still on the first service (its prefix) */
$out = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a');
var_dump($out['lock_key'] === $first->key(1, 31, '2030-11-24 14:00'));
/* a wrong type */
try {
    new AvailabilityWithLock(new stdClass());
} catch (TypeError $e) {
    echo "TypeError\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
Error: AvailabilityWithLock object is already constructed
bool(true)
TypeError
