--TEST--
AvailabilityWithLock::finishBooking(..., true) repeated (a retried call) is harmless: true again, and the marker keeps the first booking id
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$flow = new AvailabilityWithLock(slotlock_test_service());
$r = slotlock_test_redis();

$a = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a');
$flow->beginBooking($a['lock_key'], 'call-a');
var_dump($flow->finishBooking($a['lock_key'], 'call-a', true, 'booking-1'));
var_dump($flow->finishBooking($a['lock_key'], 'call-a', true, 'other-id'));
var_dump($flow->finishBooking($a['lock_key'], 'call-a', true));
var_dump(slotlock_test_field($r, $a['lock_key'], 'booked'));
var_dump(slotlock_test_field($r, $a['lock_key'], 'owner'));
var_dump(slotlock_test_fence($r, $a['lock_key']) === $a['fence']);
var_dump($flow->beginBooking($a['lock_key'], 'call-a')['booking_id']);

/* another caller cannot turn the marker into its own booking */
var_dump($flow->finishBooking($a['lock_key'], 'call-b', true, 'booking-b'));
var_dump(slotlock_test_field($r, $a['lock_key'], 'booked'), slotlock_test_field($r, $a['lock_key'], 'owner'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
string(9) "booking-1"
string(6) "call-a"
bool(true)
string(9) "booking-1"
bool(false)
string(9) "booking-1"
string(6) "call-a"
