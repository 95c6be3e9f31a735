--TEST--
acquireSegments() locks every segment of a compound service under one lock
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
$r = slotlock_test_redis();

$lock = $svc->acquireSegments(1, [
    [31, '2030-11-24 14:00'],
    [32, '2030-11-24 14:30'],
    [33, new DateTimeImmutable('2030-11-24 15:00', new DateTimeZone('UTC'))],
], 'call-1', 120);

var_dump($lock instanceof SlotLock);
var_dump($lock->keys === ["$p:c1:s31:t203011241400", "$p:c1:s32:t203011241430", "$p:c1:s33:t203011241500"]);
var_dump($lock->key === implode(',', $lock->keys));
var_dump($lock->candidate);
var_dump($lock->owner);

foreach ($lock->keys as $k) {
    $pttl = $r->pttl($k);
    var_dump([slotlock_test_field($r, $k, 'owner'), slotlock_test_fence($r, $k) === $lock->fence, $pttl > 110000 && $pttl <= 120000]);
}

/* another owner is refused on any one of the segments */
var_dump($svc->acquire(1, 32, '2030-11-24 14:30', 'call-2'));
var_dump($svc->validate($lock, 'call-1'));
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
NULL
string(6) "call-1"
array(3) {
  [0]=>
  string(6) "call-1"
  [1]=>
  bool(true)
  [2]=>
  bool(true)
}
array(3) {
  [0]=>
  string(6) "call-1"
  [1]=>
  bool(true)
  [2]=>
  bool(true)
}
array(3) {
  [0]=>
  string(6) "call-1"
  [1]=>
  bool(true)
  [2]=>
  bool(true)
}
NULL
bool(true)
