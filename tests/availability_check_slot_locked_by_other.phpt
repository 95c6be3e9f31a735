--TEST--
AvailabilityWithLock::check() on a slot another caller holds: available false, reason slot_locked, retry_after in seconds; the other input entries are kept and nothing is taken
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

$a = $flow->check(['available' => true, 'slot' => '14:00'], 1, 31, '2030-11-24 14:00', 'call-a', 120);
var_dump($a['lock_status']);

/* call B, from another service object (another request) */
$other = new AvailabilityWithLock(slotlock_test_service());
$b = $other->check(['available' => true, 'slot' => '14:00', 'price' => 40], 1, 31, '2030-11-24 14:00', 'call-b');
var_dump($b['available'], $b['reason'], $b['slot'], $b['price']);
var_dump(is_int($b['retry_after']) && $b['retry_after'] >= 1 && $b['retry_after'] <= 120);
foreach (['lock_key', 'lock_expires_at', 'lock_ttl', 'fence'] as $k) {
    var_dump(array_key_exists($k, $b));
}

/* A still holds it, with its fence */
var_dump(slotlock_test_field($r, $a['lock_key'], 'owner'));
var_dump(slotlock_test_fence($r, $a['lock_key']) === $a['fence']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
string(8) "acquired"
bool(false)
string(11) "slot_locked"
string(5) "14:00"
int(40)
bool(true)
bool(false)
bool(false)
bool(false)
bool(false)
string(6) "call-a"
bool(true)
