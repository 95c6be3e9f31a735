--TEST--
activeLocks() counts the slot keys held now under this prefix: acquire adds, release and expiry remove
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
var_dump($svc->activeLocks());

$a = $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
$svc->acquire(1, 31, '2030-11-24 14:00', 'o');          /* re-acquire: still one key */
$svc->acquire(1, 31, '2030-11-24 14:00', 'other');      /* refused */
$svc->acquire(1, 32, '2030-11-24 14:00', 'o');
$c = $svc->acquireSegments(1, [[33, '2030-11-24 14:00'], [34, '2030-11-24 14:30']], 'o');
var_dump($svc->activeLocks());

/* another prefix on the same server is counted apart */
var_dump(slotlock_test_service(['prefix' => slotlock_test_prefix(true)])->activeLocks());

$svc->release($a, 'o');
var_dump($svc->activeLocks());
$svc->release($c, 'o');
var_dump($svc->activeLocks());

$svc->acquire(1, 30, '2030-11-24 14:00', 'o', 1);
var_dump($svc->activeLocks());
usleep(1100000);                                         /* it expires */
var_dump($svc->activeLocks());

/* the count is the slot keys that exist: nothing else lives under <prefix>:* */
$r = slotlock_test_redis();
$r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
$all = [];
$it = null;
while (($keys = $r->scan($it, slotlock_test_prefix() . ':*', 1000)) !== false) {
    $all = array_merge($all, $keys);
}
var_dump($all === [$svc->key(1, 32, '2030-11-24 14:00')]);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
int(0)
int(4)
int(0)
int(3)
int(1)
int(2)
int(1)
bool(true)
