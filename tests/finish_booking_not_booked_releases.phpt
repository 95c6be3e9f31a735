--TEST--
AvailabilityWithLock::finishBooking(..., false) (the booking failed) releases the hold: the key is gone and the slot is free for the next caller
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$flow = new AvailabilityWithLock(slotlock_test_service(['fencing' => true]));
$r = slotlock_test_redis();

$a = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a');
var_dump($flow->beginBooking($a['lock_key'], 'call-a')['reason']);
var_dump($r->exists($a['lock_key']));

var_dump($flow->finishBooking($a['lock_key'], 'call-a', false));
var_dump($r->exists($a['lock_key']));
/* nothing left to release */
var_dump($flow->finishBooking($a['lock_key'], 'call-a', false));

$b = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-b');
var_dump($b['lock_status'], $b['fence'] > $a['fence']);
/* another caller's finishBooking(false) does not release B's hold */
var_dump($flow->finishBooking($b['lock_key'], 'call-a', false));
var_dump(slotlock_test_field($r, $b['lock_key'], 'owner'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
string(6) "locked"
int(1)
bool(true)
int(0)
bool(false)
string(8) "acquired"
bool(true)
bool(false)
string(6) "call-b"
