--TEST--
Resource locks on both DST change days (Europe/Berlin): the skipped hour, the repeated hour and afternoon slots get unambiguous UTC bucket keys
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$berlin = new DateTimeZone('Europe/Berlin');
$svc = slotlock_test_service(['key_timezone' => 'Europe/Berlin', 'bucket' => 15]);
$p = slotlock_test_prefix();
$short = fn (array $keys) => implode(' ', array_map(fn ($k) => substr($k, strlen($p) + 1), $keys));

echo "-- spring forward, 2026-03-29 (02:00-03:00 does not exist)\n";
/* 01:30 CET and 03:30 CEST are 30 real minutes apart */
echo $short($svc->resourceKeys(1, 'staff7', '2026-03-29 01:30', 30)), "\n";
echo $short($svc->resourceKeys(1, 'staff7', '2026-03-29 03:00', 30)), "\n";
/* 02:30 does not exist: PHP moves it forward to 03:30 CEST */
echo $short($svc->resourceKeys(1, 'staff7', '2026-03-29 02:30', 15)), "\n";
/* a 60-minute booking from 01:30 CET ends at 03:30 CEST: two wall-clock hours, one real hour */
echo $short($svc->resourceKeys(1, 'staff7', '2026-03-29 01:30', 60)), "\n";
echo $short($svc->resourceKeys(1, 'staff7', '2026-03-29 15:00', 30)), "\n";

echo "-- fall back, 2026-10-25 (02:00-03:00 happens twice)\n";
$first = new DateTimeImmutable('2026-10-25 02:30:00+02:00');  /* CEST */
$second = new DateTimeImmutable('2026-10-25 02:30:00+01:00'); /* CET, one hour later */
echo $first->setTimezone($berlin)->format('H:i T'), ' / ', $second->setTimezone($berlin)->format('H:i T'), "\n";
echo $short($svc->resourceKeys(1, 'staff7', $first, 30)), "\n";
echo $short($svc->resourceKeys(1, 'staff7', $second, 30)), "\n";
echo $short($svc->resourceKeys(1, 'staff7', '2026-10-25 15:00', 30)), "\n";

/* the two 02:30s are different instants: both can be booked */
$a = $svc->acquireResource(1, 'staff7', $first, 30, 'call_a');
$b = $svc->acquireResource(1, 'staff7', $second, 30, 'call_b');
var_dump($a !== null, $b !== null, $a->key !== $b->key);
/* an interval overlapping the first one conflicts, whatever it is called */
var_dump($svc->acquireResource(1, 'staff7', new DateTimeImmutable('2026-10-25 00:45:00Z'), 15, 'call_c'));
/* afternoon slots on the change days: adjacent bookings do not conflict, overlapping ones do */
var_dump($svc->acquireResource(1, 'staff7', '2026-03-29 15:00', 60, 'd') !== null);
var_dump($svc->acquireResource(1, 'staff7', '2026-03-29 16:00', 30, 'e') !== null);
var_dump($svc->acquireResource(1, 'staff7', '2026-03-29 15:30', 30, 'f'));
var_dump($svc->acquireResource(1, 'staff7', '2026-10-25 15:00', 60, 'g') !== null);
var_dump($svc->acquireResource(1, 'staff7', '2026-10-25 15:45', 30, 'h'));
?>
--CLEAN--
<?php require __DIR__ . '/config.inc'; slotlock_test_clean(); ?>
--EXPECT--
-- spring forward, 2026-03-29 (02:00-03:00 does not exist)
c1:rstaff7:b202603290030 c1:rstaff7:b202603290045
c1:rstaff7:b202603290100 c1:rstaff7:b202603290115
c1:rstaff7:b202603290130
c1:rstaff7:b202603290030 c1:rstaff7:b202603290045 c1:rstaff7:b202603290100 c1:rstaff7:b202603290115
c1:rstaff7:b202603291300 c1:rstaff7:b202603291315
-- fall back, 2026-10-25 (02:00-03:00 happens twice)
02:30 CEST / 02:30 CET
c1:rstaff7:b202610250030 c1:rstaff7:b202610250045
c1:rstaff7:b202610250130 c1:rstaff7:b202610250145
c1:rstaff7:b202610251400 c1:rstaff7:b202610251415
bool(true)
bool(true)
bool(true)
NULL
bool(true)
bool(true)
NULL
bool(true)
NULL
