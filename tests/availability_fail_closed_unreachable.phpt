--TEST--
slotlock.fail_mode=closed with Redis unreachable: check(), beginBooking() and finishBooking() throw SlotLockConnectionException
--EXTENSIONS--
slotlock
--INI--
slotlock.fail_mode=closed
--FILE--
<?php
require __DIR__ . '/helpers.inc';

$svc = new SlotLockService(['host' => '127.0.0.1', 'port' => slotlock_test_free_port(), 'timeout' => 0.5,
                            'prefix' => slotlock_test_prefix(), 'persistent' => false]);
$flow = new AvailabilityWithLock($svc);
$key = $svc->key(1, 31, '2030-11-24 14:00');

slotlock_test_throws('check', fn () => $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a'));
slotlock_test_throws('check segments', fn () => $flow->check(['available' => true], 1, [[31, 0], [32, 30]], '2030-11-24 14:00', 'call-a'));
slotlock_test_throws('checkResource', fn () => $flow->checkResource(['available' => true], 1, 'staff7', '2030-11-24 14:00', 30, 'call-a'));
slotlock_test_throws('beginBooking', fn () => $flow->beginBooking($key, 'call-a'));
slotlock_test_throws('finishBooking booked', fn () => $flow->finishBooking($key, 'call-a', true, 'bk-1'));
slotlock_test_throws('finishBooking not booked', fn () => $flow->finishBooking($key, 'call-a', false));
/* what needs no Redis still works */
var_dump($flow->check(['available' => false], 1, 31, '2030-11-24 14:00', 'call-a'));
var_dump($flow->beginBooking(null, 'call-a')['reason']);
?>
--EXPECT--
check: SlotLockConnectionException
check segments: SlotLockConnectionException
checkResource: SlotLockConnectionException
beginBooking: SlotLockConnectionException
finishBooking booked: SlotLockConnectionException
finishBooking not booked: SlotLockConnectionException
array(1) {
  ["available"]=>
  bool(false)
}
string(11) "no_lock_key"
