--TEST--
slotlock.enabled=0: AvailabilityWithLock::check() returns its input and locks nothing, beginBooking() answers ok with reason disabled, finishBooking() true
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--INI--
slotlock.enabled=0
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$flow = new AvailabilityWithLock($svc);
$r = slotlock_test_redis();
$key = $svc->key(1, 31, '2030-11-24 14:00');

$input = ['available' => true, 'slot' => '14:00'];
var_dump($flow->check($input, 1, 31, '2030-11-24 14:00', 'call-a') === $input);
var_dump($flow->check($input, 1, [[31, 0], [32, 30]], '2030-11-24 14:00', 'call-a') === $input);
var_dump($flow->checkResource($input, 1, 'staff7', '2030-11-24 14:00', 30, 'call-a') === $input);
var_dump($r->exists($key));
var_dump($svc->activeLocks());

var_dump($flow->beginBooking($key, 'call-a'));
var_dump($flow->beginBooking(null, 'call-a')['reason']);
var_dump($flow->finishBooking($key, 'call-a', true, 'bk-1'));
var_dump($flow->finishBooking($key, 'call-a', false));
var_dump($r->exists($key));

/* the service itself still locks: the setting is for the booking flow */
var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'call-a') instanceof SlotLock);
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
int(0)
int(0)
array(3) {
  ["ok"]=>
  bool(true)
  ["reason"]=>
  string(8) "disabled"
  ["fence"]=>
  NULL
}
string(8) "disabled"
bool(true)
bool(true)
int(0)
bool(true)
