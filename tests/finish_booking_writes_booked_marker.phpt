--TEST--
AvailabilityWithLock::finishBooking(..., true, $bookingId) turns the hold into a booked marker: the value keeps owner and fence, gains the booking id, and lives booked_ttl seconds
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$r = slotlock_test_redis();
foreach ([null, 120] as $bookedTtl) {
    $svc = slotlock_test_service($bookedTtl === null ? [] : ['booked_ttl' => $bookedTtl]);
    $flow = new AvailabilityWithLock($svc);
    $a = $flow->check(['available' => true], 1, 31, $bookedTtl === null ? '2030-11-24 14:00' : '2030-11-24 15:00', 'call-a', 30);
    $flow->beginBooking($a['lock_key'], 'call-a');

    var_dump($flow->finishBooking($a['lock_key'], 'call-a', true, 'booking-4711'));
    $v = slotlock_test_value($r, $a['lock_key']);   /* "b:<fence>:<idlen>:<id>:<owner>" */
    $hash = $v['kind'] === 'b' ? ['booked' => $v['booking_id'], 'fence' => $v['fence'], 'owner' => $v['owner']] : [];
    var_dump(array_keys($hash));
    var_dump($hash['booked'], $hash['owner'], slotlock_test_fence($r, $a['lock_key']) === $a['fence']);
    $want = ($bookedTtl ?? 600) * 1000;
    $pttl = $r->pttl($a['lock_key']);
    var_dump($pttl > $want - 10000 && $pttl <= $want);
}

/* without a booking id the marker's booked field is empty */
$flow = new AvailabilityWithLock(slotlock_test_service());
$a = $flow->check(['available' => true], 1, 31, '2030-11-24 16:00', 'call-a');
var_dump($flow->finishBooking($a['lock_key'], 'call-a', true));
var_dump(slotlock_test_field($r, $a['lock_key'], 'booked'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
array(3) {
  [0]=>
  string(6) "booked"
  [1]=>
  string(5) "fence"
  [2]=>
  string(5) "owner"
}
string(12) "booking-4711"
string(6) "call-a"
bool(true)
bool(true)
bool(true)
array(3) {
  [0]=>
  string(6) "booked"
  [1]=>
  string(5) "fence"
  [2]=>
  string(5) "owner"
}
string(12) "booking-4711"
string(6) "call-a"
bool(true)
bool(true)
bool(true)
string(0) ""
