--TEST--
A lock expires after its TTL: the slot is then free for another owner, with a bigger fence
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['fencing' => true]);
$a = $svc->acquire(1, 31, '2030-11-24 14:00', 'owner-a', 1);
var_dump($a instanceof SlotLock);
var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'owner-b', 1));

$pttl = slotlock_test_redis()->pttl($a->key);
var_dump($pttl > 0 && $pttl <= 1000);

usleep(1200000);

var_dump(slotlock_test_redis()->exists($a->key));
var_dump($svc->validate($a, 'owner-a'));
$b = $svc->acquire(1, 31, '2030-11-24 14:00', 'owner-b', 1);
var_dump($b instanceof SlotLock);
var_dump($b->owner);
var_dump($b->fence > $a->fence);
/* the expired holder can neither extend nor release the new holder's lock */
var_dump($svc->extend($a, 'owner-a', 60));
var_dump($svc->release($a, 'owner-a'));
var_dump($svc->validate($b, 'owner-b'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
NULL
bool(true)
int(0)
bool(false)
bool(true)
string(7) "owner-b"
bool(true)
NULL
bool(false)
bool(true)
