--TEST--
A null owner gets a generated token: 32 lowercase hex chars, different for each acquisition
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$owners = [];
foreach ([
    fn ($i) => $svc->acquire(1, 31, sprintf('2030-11-24 %02d:00', $i)),
    fn ($i) => $svc->acquire(1, 32, sprintf('2030-11-24 %02d:00', $i), null),
    fn ($i) => $svc->acquireSegments(1, [[33, sprintf('2030-11-24 %02d:00', $i)]]),
    fn ($i) => $svc->acquireFirst(1, [[34, sprintf('2030-11-24 %02d:00', $i)]]),
] as $fn) {
    for ($i = 0; $i < 4; $i++) {
        $lock = $fn($i);
        if (!preg_match('/^[0-9a-f]{32}$/', $lock->owner)) {
            echo "bad token: ", $lock->owner, "\n";
        }
        if (!$svc->validate($lock, $lock->owner)) {
            echo "token does not hold its lock\n";
        }
        $owners[] = $lock->owner;
    }
}
var_dump(count($owners), count(array_unique($owners)));

/* with a generated owner, the slot is taken for everyone else */
var_dump($svc->acquire(1, 31, '2030-11-24 00:00'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
int(16)
int(16)
NULL
