--TEST--
onEvent(null) removes the listener; a new listener replaces the old one
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$first = $second = 0;

$svc->onEvent(function (array $e) use (&$first) { $first++; });
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-a');
echo "first: $first, second: $second\n";

$svc->onEvent(function (array $e) use (&$second) { $second++; });
$svc->extend($lock, 'call-a');
echo "first: $first, second: $second\n";

$svc->onEvent(null);
$svc->release($lock, 'call-a');
$svc->acquire(1, 31, '2030-11-24 14:00', 'call-b');
echo "first: $first, second: $second\n";

/* any callable, e.g. a static method string */
class Sink { public static int $n = 0; public static function take(array $e): void { self::$n++; } }
$svc->onEvent('Sink::take');
$svc->acquire(1, 31, '2030-11-24 14:00', 'call-c');
echo "sink: ", Sink::$n, "\n";
try {
    $svc->onEvent('no_such_function');
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
first: 1, second: 0
first: 1, second: 1
first: 1, second: 1
sink: 1
TypeError
