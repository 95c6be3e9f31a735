--TEST--
AvailabilityWithLock::beginBooking() without a lock key (null or "", an older agent prompt): ok with reason no_lock_key, nothing locked
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$flow = new AvailabilityWithLock($svc);

var_dump($flow->beginBooking(null, 'call-a'));
var_dump($flow->beginBooking('', 'call-a'));
var_dump($svc->activeLocks());
/* finishBooking without a key has nothing to do either */
var_dump($flow->finishBooking(null, 'call-a', true, 'bk-1'));
var_dump($flow->finishBooking('', 'call-a', false));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
array(3) {
  ["ok"]=>
  bool(true)
  ["reason"]=>
  string(11) "no_lock_key"
  ["fence"]=>
  NULL
}
array(3) {
  ["ok"]=>
  bool(true)
  ["reason"]=>
  string(11) "no_lock_key"
  ["fence"]=>
  NULL
}
int(0)
bool(true)
bool(true)
