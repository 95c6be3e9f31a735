--TEST--
While a booked marker lives: check() answers slot_booked to anyone, acquire() is null even for its owner, validate() is false, status() says booked, and release() by the owner leaves it
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$flow = new AvailabilityWithLock($svc);
$r = slotlock_test_redis();

$a = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a');
$flow->beginBooking($a['lock_key'], 'call-a');
var_dump($flow->finishBooking($a['lock_key'], 'call-a', true, 'bk-1'));
$key = $a['lock_key'];

echo "-- check\n";
foreach (['call-b', 'call-a'] as $who) {
    $c = $flow->check(['available' => true, 'slot' => '14:00'], 1, 31, '2030-11-24 14:00', $who);
    var_dump($c['available'], $c['reason'], $c['slot']);
    var_dump(is_int($c['retry_after']) && $c['retry_after'] > 590 && $c['retry_after'] <= 600);
    var_dump(isset($c['lock_key']));
}
echo "-- acquire\n";
var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'call-b'));
var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'call-a'));
var_dump($svc->acquire(1, 31, '2030-11-24 14:00'));
echo "-- validate\n";
var_dump($svc->validate($key, 'call-a'));
var_dump($svc->validate($key, 'call-b'));
echo "-- status\n";
$st = $svc->status($key);
var_dump($st['locked'], $st['booked'], $st['ttl_ms'] > 590000 && $st['ttl_ms'] <= 600000);
echo "-- release by the owner\n";
var_dump($svc->release($key, 'call-a'));
var_dump($flow->finishBooking($key, 'call-a', false));
var_dump(slotlock_test_field($r, $key, 'booked'));
var_dump($r->pttl($key) > 590000);
echo "-- extend\n";
var_dump($svc->extend($key, 'call-a'));
var_dump(slotlock_test_field($r, $key, 'booked'), $r->pttl($key) > 590000);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
-- check
bool(false)
string(11) "slot_booked"
string(5) "14:00"
bool(true)
bool(false)
bool(false)
string(11) "slot_booked"
string(5) "14:00"
bool(true)
bool(false)
-- acquire
NULL
NULL
NULL
-- validate
bool(false)
bool(false)
-- status
bool(true)
bool(true)
bool(true)
-- release by the owner
bool(false)
bool(false)
string(4) "bk-1"
bool(true)
-- extend
NULL
string(4) "bk-1"
bool(true)
