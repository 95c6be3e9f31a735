--TEST--
stats() returns this process's int counters, and they move with the operations
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$s0 = $svc->stats();
foreach (['acquired', 'reacquired', 'conflicts', 'released', 'extended', 'errors', 'connects', 'reconnects'] as $k) {
    if (!array_key_exists($k, $s0)) {
        echo "missing $k\n";
    } elseif (!is_int($s0[$k]) || $s0[$k] < 0) {
        echo "$k is not a non-negative int\n";
    }
}
foreach ($s0 as $k => $v) {
    if (!is_string($k) || !is_int($v)) {
        echo "bad entry $k\n";
    }
}

$delta = function (array $from) use ($svc): array {
    $now = $svc->stats();
    $d = [];
    foreach (['acquired', 'reacquired', 'conflicts', 'released', 'extended'] as $k) {
        if ($now[$k] !== $from[$k]) {
            $d[$k] = $now[$k] - $from[$k];
        }
    }
    return $d;
};

$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
print_r($delta($s0));
var_dump($svc->stats()['connects'] >= 1);

$s = $svc->stats();
$svc->acquire(1, 31, '2030-11-24 14:00', 'o');
print_r($delta($s));

$s = $svc->stats();
$svc->acquire(1, 31, '2030-11-24 14:00', 'other');
print_r($delta($s));

$s = $svc->stats();
$svc->extend($lock, 'o', 60);
print_r($delta($s));

$s = $svc->stats();
$svc->release($lock, 'o');
print_r($delta($s));

/* counters are per process: a second object sees the same totals */
var_dump(slotlock_test_service()->stats()['acquired'] === $svc->stats()['acquired']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
Array
(
    [acquired] => 1
)
bool(true)
Array
(
    [reacquired] => 1
)
Array
(
    [conflicts] => 1
)
Array
(
    [extended] => 1
)
Array
(
    [released] => 1
)
bool(true)
