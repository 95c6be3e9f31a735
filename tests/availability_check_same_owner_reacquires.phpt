--TEST--
AvailabilityWithLock::check() by the caller that already holds the slot: its own lock back (same key and fence, lock_status reacquired, hold refreshed), never slot_locked
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

$first = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a', 60);
var_dump($first['lock_status']);

/* the caller asks again (the agent repeats check_availability) */
$again = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'call-a');
var_dump($again['available']);
var_dump(array_key_exists('reason', $again));
var_dump($again['lock_status']);
var_dump($again['lock_key'] === $first['lock_key']);
var_dump($again['fence'] === $first['fence']);
/* the TTL is refreshed to the default 300 s */
var_dump($again['lock_ttl']);
$pttl = $r->pttl($again['lock_key']);
var_dump($pttl > 290000 && $pttl <= 300000);
var_dump(slotlock_test_field($r, $again['lock_key'], 'owner'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
string(8) "acquired"
bool(true)
bool(false)
string(10) "reacquired"
bool(true)
bool(true)
int(300)
bool(true)
string(6) "call-a"
