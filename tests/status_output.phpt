--TEST--
status() reports locked and ttl_ms, and never the owner
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'SECRET-OWNER-TOKEN', 60);

$st = $svc->status($lock);
$keys = array_keys($st);
sort($keys);
var_dump(array_values(array_diff($keys, ['booked'])));     /* "booked" may come along (booked markers) */
var_dump(!array_key_exists('booked', $st) || $st['booked'] === false);
var_dump($st['locked']);
var_dump(is_int($st['ttl_ms']) && $st['ttl_ms'] > 55000 && $st['ttl_ms'] <= 60000);
var_dump(str_contains(serialize($st), 'SECRET'));
$byKey = $svc->status($lock->key);     /* the handle string works the same */
var_dump($byKey['locked'] === true && abs($byKey['ttl_ms'] - $st['ttl_ms']) < 5000);

/* a compound lock: the longest remaining TTL */
$c = $svc->acquireSegments(1, [[32, '2030-11-24 14:00'], [33, '2030-11-24 14:30']], 'o', 30);
$svc->extend($c->keys[1], 'o', 90);
$cs = $svc->status($c);
var_dump($cs['locked'], $cs['ttl_ms'] > 85000 && $cs['ttl_ms'] <= 90000);

/* free slots */
$free = $svc->status($svc->key(1, 31, '2030-11-25 14:00'));
var_dump($free['locked'], $free['ttl_ms']);
$svc->release($lock, 'SECRET-OWNER-TOKEN');
$st = $svc->status($lock);
var_dump($st['locked'], $st['ttl_ms']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
array(2) {
  [0]=>
  string(6) "locked"
  [1]=>
  string(6) "ttl_ms"
}
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
bool(true)
bool(true)
bool(false)
NULL
bool(false)
NULL
