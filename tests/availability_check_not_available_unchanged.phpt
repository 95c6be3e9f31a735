--TEST--
AvailabilityWithLock::check() when the slot is not available: the input comes back unchanged and nothing is written to Redis
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
$key = $svc->key(1, 31, '2030-11-24 14:00');

foreach ([
    ['available' => false, 'reason' => 'closed', 'alternatives' => ['15:00', '16:00']],
    ['available' => 0],
    ['available' => null, 'note' => 'x'],
    ['note' => 'first', 'available' => ''],
] as $input) {
    $out = $flow->check($input, 1, 31, '2030-11-24 14:00', 'call-a');
    var_dump($out === $input);
}
var_dump($r->exists($key));
var_dump($r->exists(slotlock_test_prefix() . ':fence'));
var_dump($svc->status($key)['locked']);
var_dump($svc->activeLocks());
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
bool(true)
int(0)
int(0)
bool(false)
int(0)
