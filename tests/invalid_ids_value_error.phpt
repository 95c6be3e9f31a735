--TEST--
Company and service ids: positive ints or [A-Za-z0-9_-]{1,64}; anything else is a ValueError naming the argument
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$bad = [0, -1, '', 'a b', 'a:b', 'a,b', "a\0b", 'ü', str_repeat('x', 65)];

foreach ($bad as $id) {
    $label = var_export($id, true);
    foreach (['companyId' => fn () => $svc->key($id, 31, '2030-11-24 14:00'),
              'serviceId' => fn () => $svc->key(1, $id, '2030-11-24 14:00')] as $arg => $fn) {
        try {
            $fn();
            echo "$arg $label: accepted\n";
        } catch (ValueError $e) {
            if (!str_contains($e->getMessage(), $arg)) {
                echo "$arg $label: message does not name the argument: ", $e->getMessage(), "\n";
            }
        }
    }
    foreach (['acquire companyId' => fn () => $svc->acquire($id, 31, '2030-11-24 14:00', 'o'),
              'acquire serviceId' => fn () => $svc->acquire(1, $id, '2030-11-24 14:00', 'o'),
              'acquireSegments companyId' => fn () => $svc->acquireSegments($id, [[31, '2030-11-24 14:00']], 'o'),
              'acquireSegments serviceId' => fn () => $svc->acquireSegments(1, [[$id, '2030-11-24 14:00']], 'o'),
              'acquireFirst companyId' => fn () => $svc->acquireFirst($id, [[31, '2030-11-24 14:00']], 'o'),
              'acquireFirst serviceId' => fn () => $svc->acquireFirst(1, [[31, '2030-11-24 14:00'], [$id, '2030-11-24 14:00']], 'o'),
             ] as $what => $fn) {
        try {
            $fn();
            echo "$what $label: accepted\n";
        } catch (ValueError $e) {
        }
    }
}
echo "done\n";

/* the edges that are valid */
echo $svc->key(1, 2147483647, '2030-11-24 14:00') === slotlock_test_prefix() . ':c1:s2147483647:t203011241400' ? "ok\n" : "bad\n";
echo $svc->key('Acme_Corp-1', str_repeat('x', 64), '2030-11-24 14:00') === slotlock_test_prefix() . ':cAcme_Corp-1:s' . str_repeat('x', 64) . ':t203011241400' ? "ok\n" : "bad\n";

/* nothing was written for the refused calls */
var_dump($svc->activeLocks());
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
done
ok
ok
int(0)
