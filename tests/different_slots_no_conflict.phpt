--TEST--
Locks on different slots (company, service or start) do not conflict
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$slots = [
    [1, 31, '2030-11-24 14:00'],
    [1, 31, '2030-11-24 14:30'],   /* other start */
    [1, 31, '2030-11-25 14:00'],   /* other day */
    [1, 32, '2030-11-24 14:00'],   /* other service */
    [2, 31, '2030-11-24 14:00'],   /* other company */
    ['acme', 'haircut', '2030-11-24 14:00'],
];
$keys = [];
foreach ($slots as $i => [$c, $s, $t]) {
    $lock = $svc->acquire($c, $s, $t, "owner$i");
    echo $i, ': ', $lock === null ? 'refused' : 'acquired by ' . $lock->owner, "\n";
    $keys[] = $lock?->key;
}
var_dump(count(array_unique($keys)));
foreach ($keys as $i => $key) {
    if (!$svc->validate($key, "owner$i")) {
        echo "lost $i\n";
    }
}
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
0: acquired by owner0
1: acquired by owner1
2: acquired by owner2
3: acquired by owner3
4: acquired by owner4
5: acquired by owner5
int(6)
