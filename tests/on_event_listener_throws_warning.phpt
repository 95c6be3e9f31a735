--TEST--
onEvent(): a listener that throws does not cost the caller its lock: the operation's result comes back and the exception becomes a warning
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$r = slotlock_test_redis();
$svc->onEvent(function (array $e) {
    throw new RuntimeException("listener failed on {$e['event']}");
});

$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-a');
var_dump($lock instanceof SlotLock);
var_dump(slotlock_test_field($r, $lock->key, 'owner'));

$flow = new AvailabilityWithLock($svc);
$answer = $flow->check(['available' => true], 1, 31, '2030-11-24 15:00', 'call-a');
var_dump($answer['lock_status']);
var_dump($svc->release($lock, 'call-a'));
var_dump($r->exists($lock->key));
echo "done\n";
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECTF--
Warning: %s: SlotLockService event listener threw RuntimeException: listener failed on acquired in %s on line %d
bool(true)
string(6) "call-a"

Warning: %s: SlotLockService event listener threw RuntimeException: listener failed on acquired in %s on line %d
string(8) "acquired"

Warning: %s: SlotLockService event listener threw RuntimeException: listener failed on released in %s on line %d
bool(true)
int(0)
done
