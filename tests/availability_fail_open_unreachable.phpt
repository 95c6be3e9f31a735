--TEST--
slotlock.fail_mode=open with Redis unreachable: check() answers the input plus lock_status unavailable, beginBooking() ok with reason lock_unavailable
--EXTENSIONS--
slotlock
--INI--
slotlock.fail_mode=open
--FILE--
<?php
require __DIR__ . '/helpers.inc';

/* a port nothing listens on */
$svc = new SlotLockService(['host' => '127.0.0.1', 'port' => slotlock_test_free_port(), 'timeout' => 0.5,
                            'prefix' => slotlock_test_prefix(), 'persistent' => false]);
$flow = new AvailabilityWithLock($svc);
$p = slotlock_test_prefix();

$out = $flow->check(['available' => true, 'slot' => '14:00'], 1, 31, '2030-11-24 14:00', 'call-a');
var_dump($out);
/* not available stays not available, without touching Redis */
var_dump($flow->check(['available' => false], 1, 31, '2030-11-24 14:00', 'call-a'));

$begin = $flow->beginBooking("$p:c1:s31:t203011241400", 'call-a');
var_dump($begin['ok'], $begin['reason'], $begin['fence']);
var_dump($flow->beginBooking(null, 'call-a')['reason']);
?>
--EXPECT--
array(3) {
  ["available"]=>
  bool(true)
  ["slot"]=>
  string(5) "14:00"
  ["lock_status"]=>
  string(11) "unavailable"
}
array(1) {
  ["available"]=>
  bool(false)
}
bool(true)
string(16) "lock_unavailable"
NULL
string(11) "no_lock_key"
