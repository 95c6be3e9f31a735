--TEST--
acquireResource(): overlapping intervals of one resource conflict whatever the service or service object; the slot keys of those services would not have
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$other = slotlock_test_service();   /* another request, same prefix */

/* a 60-minute colouring at 14:00 by staff7 */
$a = $svc->acquireResource(1, 'staff7', '2030-11-24 14:00', 60, 'call-a');
var_dump($a !== null);
/* a 30-minute haircut at 14:30 by the same staff member: different service, different start */
var_dump($other->acquireResource(1, 'staff7', '2030-11-24 14:30', 30, 'call-b'));
/* starting earlier and running into it */
var_dump($other->acquireResource(1, 'staff7', '2030-11-24 13:30', '2030-11-24 14:15', 'call-b'));
/* containing it */
var_dump($other->acquireResource(1, 'staff7', '2030-11-24 13:00', '2030-11-24 16:00', 'call-b'));
/* a one-minute overlap at its end */
var_dump($other->acquireResource(1, 'staff7', '2030-11-24 14:59', 30, 'call-b'));
/* the same owner gets it back */
$again = $svc->acquireResource(1, 'staff7', '2030-11-24 14:00', 60, 'call-a');
var_dump($again->fence === $a->fence);
/* the slot keys of the two services never met */
var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'call-a') !== null);
var_dump($svc->acquire(1, 32, '2030-11-24 14:30', 'call-b') !== null);

/* the refused attempts took nothing: after A releases, B's containing interval is free */
var_dump($svc->release($a, 'call-a'));
var_dump($other->acquireResource(1, 'staff7', '2030-11-24 13:00', '2030-11-24 16:00', 'call-b') !== null);

/* a resource interval through the booking flow */
$flow = new AvailabilityWithLock($svc);
$c = $flow->checkResource(['available' => true], 1, 'staff7', '2030-11-24 15:30', 30, 'call-c');
var_dump($c['available'], $c['reason']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
NULL
NULL
NULL
NULL
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
string(11) "slot_locked"
