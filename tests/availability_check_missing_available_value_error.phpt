--TEST--
AvailabilityWithLock::check() and checkResource() throw ValueError when $availability has no "available" entry
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$flow = new AvailabilityWithLock($svc);

foreach ([[], ['slot' => '14:00'], ['Available' => true], [0 => true]] as $input) {
    try {
        $flow->check($input, 1, 31, '2030-11-24 14:00', 'call-a');
        echo "no exception\n";
    } catch (ValueError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
try {
    $flow->checkResource(['slot' => '14:00'], 1, 'staff7', '2030-11-24 14:00', 30, 'call-a');
    echo "no exception\n";
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
/* nothing was locked */
var_dump($svc->status($svc->key(1, 31, '2030-11-24 14:00'))['locked']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
ValueError: $availability must have an "available" entry
ValueError: $availability must have an "available" entry
ValueError: $availability must have an "available" entry
ValueError: $availability must have an "available" entry
ValueError: $availability must have an "available" entry
bool(false)
