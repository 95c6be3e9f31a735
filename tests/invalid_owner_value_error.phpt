--TEST--
owner: empty, longer than 128 bytes or with a NUL byte is a ValueError naming $owner, without echoing the token
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'good-owner');

$bad = ['' => '', '129 bytes' => 'SECRETTOKEN' . str_repeat('q', 118), 'NUL' => "SECRET\0TOKEN"];
foreach ($bad as $label => $owner) {
    foreach ([
        'acquire' => fn () => $svc->acquire(1, 32, '2030-11-24 14:00', $owner),
        'acquireSegments' => fn () => $svc->acquireSegments(1, [[32, '2030-11-24 14:00']], $owner),
        'acquireFirst' => fn () => $svc->acquireFirst(1, [[32, '2030-11-24 14:00']], $owner),
        'validate' => fn () => $svc->validate($lock, $owner),
        'release' => fn () => $svc->release($lock, $owner),
        'extend' => fn () => $svc->extend($lock, $owner),
    ] as $m => $fn) {
        try {
            $fn();
            echo "$m ($label): accepted\n";
        } catch (ValueError $e) {
            $msg = $e->getMessage();
            if (!str_contains($msg, 'owner')) {
                echo "$m ($label): message does not name owner: $msg\n";
            }
            if (str_contains($msg, 'SECRET') || str_contains($msg, 'TOKEN')) {
                echo "$m ($label): message reveals the token\n";
            }
        }
    }
}
echo "done\n";

/* 128 bytes, any bytes but NUL, is a valid owner */
$l = $svc->acquire(1, 33, '2030-11-24 14:00', str_repeat('o', 128));
var_dump($l->owner === str_repeat('o', 128));
var_dump($svc->acquire(1, 34, '2030-11-24 14:00', 'owner with spaces: ü')->owner);
/* the refused calls left the lock alone */
var_dump($svc->validate($lock, 'good-owner'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
done
bool(true)
string(21) "owner with spaces: ü"
bool(true)
