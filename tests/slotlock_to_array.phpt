--TEST--
SlotLock::toArray(): lock_key, lock_expires_at (ISO-8601), lock_ttl (seconds), fence
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
$a = $lock->toArray();
var_dump(array_keys($a));
var_dump($a['lock_key'] === $lock->key);
var_dump($a['fence'] === $lock->fence);
var_dump(is_int($a['lock_ttl']) && $a['lock_ttl'] >= 299 && $a['lock_ttl'] <= 300);
var_dump((bool) preg_match('/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/', $a['lock_expires_at']));
var_dump((new DateTimeImmutable($a['lock_expires_at']))->getTimestamp() === $lock->expiresAt->getTimestamp());
var_dump(str_contains(serialize($a), '"o"'));   /* the owner token stays out */

$c = $svc->acquireSegments(1, [[32, '2030-11-24 14:00'], [33, '2030-11-24 14:30']], 'o', 60)->toArray();
var_dump($c['lock_key'] === $svc->key(1, 32, '2030-11-24 14:00') . ',' . $svc->key(1, 33, '2030-11-24 14:30'));
var_dump($c['lock_ttl'] >= 59 && $c['lock_ttl'] <= 60);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
array(4) {
  [0]=>
  string(8) "lock_key"
  [1]=>
  string(15) "lock_expires_at"
  [2]=>
  string(8) "lock_ttl"
  [3]=>
  string(5) "fence"
}
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
bool(true)
