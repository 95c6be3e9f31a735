--TEST--
AvailabilityWithLock::check() with a list of segments (starts as times or as minutes after $start) locks every segment or none
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$p = slotlock_test_prefix();
$flow = new AvailabilityWithLock($svc);
$r = slotlock_test_redis();
$short = fn (string $handle) => str_replace("$p:", '', $handle);

/* colour at 14:00, wash 45 minutes later, cut at 15:00 (a time) */
$segments = [[31, 0], [32, 45], [33, '2030-11-24 15:00']];
$a = $flow->check(['available' => true], 1, $segments, '2030-11-24 14:00', 'call-a');
var_dump($a['lock_status']);
echo $short($a['lock_key']), "\n";
foreach (explode(',', $a['lock_key']) as $k) {
    echo $short($k), ' ', slotlock_test_field($r, $k, 'owner'), ' ', slotlock_test_fence($r, $k) === $a['fence'] ? 'same fence' : 'other fence', "\n";
}

/* B wants a compound service sharing only the wash segment: refused, and B takes none of its segments */
$b = $flow->check(['available' => true, 'slot' => 'x'], 1, [[40, 0], [32, 15]], '2030-11-24 14:30', 'call-b');
var_dump($b['available'], $b['reason'], $b['slot']);
var_dump(is_int($b['retry_after']));
var_dump($r->exists("$p:c1:s40:t203011241430"));

/* C holds one segment first: A2's compound check takes nothing */
$svc->acquire(1, 51, '2030-11-25 10:30', 'call-c');
$a2 = $flow->check(['available' => true], 1, [[50, 0], [51, 30], [52, 60]], '2030-11-25 10:00', 'call-a2');
var_dump($a2['available'], $a2['reason']);
var_dump($r->exists("$p:c1:s50:t203011251000", "$p:c1:s52:t203011251100"));
var_dump(slotlock_test_field($r, "$p:c1:s51:t203011251030", 'owner'));

/* the whole compound lock comes back to its owner, and beginBooking takes the handle */
$again = $flow->check(['available' => true], 1, $segments, '2030-11-24 14:00', 'call-a');
var_dump($again['lock_status'], $again['lock_key'] === $a['lock_key'], $again['fence'] === $a['fence']);
var_dump($flow->beginBooking($a['lock_key'], 'call-a')['reason']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
string(8) "acquired"
c1:s31:t203011241400,c1:s32:t203011241445,c1:s33:t203011241500
c1:s31:t203011241400 call-a same fence
c1:s32:t203011241445 call-a same fence
c1:s33:t203011241500 call-a same fence
bool(false)
string(11) "slot_locked"
string(1) "x"
bool(true)
int(0)
bool(false)
string(11) "slot_locked"
int(0)
string(6) "call-c"
string(10) "reacquired"
bool(true)
bool(true)
string(6) "locked"
