--TEST--
acquire() locks an available slot and returns a SlotLock describing it
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$prefix = slotlock_test_prefix();
$before = time();
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-1');

var_dump($lock instanceof SlotLock);
var_dump($lock->key === "$prefix:c1:s31:t203011241400");
var_dump($lock->keys === [$lock->key]);
var_dump($lock->owner);
var_dump($lock->fence === null); /* fencing is off by default */
var_dump($lock->candidate);
var_dump($lock->expiresAt instanceof DateTimeImmutable);
$left = $lock->expiresAt->getTimestamp() - $before;
var_dump($left >= 299 && $left <= 301 + (time() - $before)); /* a slow first connect (TLS under valgrind) */

$r = slotlock_test_redis();
var_dump($r->exists($lock->key));
var_dump(slotlock_test_field($r, $lock->key, 'owner'));
$pttl = $r->pttl($lock->key);
var_dump($pttl > 290000 && $pttl <= 300000);
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
string(6) "call-1"
bool(true)
NULL
bool(true)
bool(true)
int(1)
string(6) "call-1"
bool(true)
