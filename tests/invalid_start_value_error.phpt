--TEST--
start: a ValueError naming $start for seconds other than 0 and for unparsable dates
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$bad = [
    '2030-11-24 14:00:30',
    '2030-11-24 14:00:59',
    'not a date',
    '2030-13-45 99:99',
    '',
    new DateTimeImmutable('2030-11-24 14:00:15', new DateTimeZone('UTC')),
    new DateTime('2030-11-24 14:00:01', new DateTimeZone('UTC')),
];
foreach ($bad as $i => $start) {
    foreach ([
        'key' => fn () => $svc->key(1, 31, $start),
        'acquire' => fn () => $svc->acquire(1, 31, $start, 'o'),
        'acquireSegments' => fn () => $svc->acquireSegments(1, [[31, '2030-11-24 13:00'], [32, $start]], 'o'),
        'acquireFirst' => fn () => $svc->acquireFirst(1, [[31, $start]], 'o'),
    ] as $m => $fn) {
        try {
            $fn();
            echo "$m #$i accepted\n";
        } catch (ValueError $e) {
            if ($m === 'key' || $m === 'acquire') {
                echo "$m #$i: ", str_contains($e->getMessage(), 'start') ? 'names start' : $e->getMessage(), "\n";
            }
        }
    }
}

/* seconds = 0 is fine, in every accepted form */
foreach (['2030-11-24 14:00', '2030-11-24 14:00:00', '2030-11-24T14:00:00', '2030-11-24T14:00:00Z',
          new DateTimeImmutable('2030-11-24 14:00:00', new DateTimeZone('UTC'))] as $ok) {
    echo $svc->key(1, 31, $ok), "\n";
}
var_dump($svc->activeLocks());
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECTF--
key #0: names start
acquire #0: names start
key #1: names start
acquire #1: names start
key #2: names start
acquire #2: names start
key #3: names start
acquire #3: names start
key #4: names start
acquire #4: names start
key #5: names start
acquire #5: names start
key #6: names start
acquire #6: names start
sltest_%s:c1:s31:t203011241400
sltest_%s:c1:s31:t203011241400
sltest_%s:c1:s31:t203011241400
sltest_%s:c1:s31:t203011241400
sltest_%s:c1:s31:t203011241400
int(0)
