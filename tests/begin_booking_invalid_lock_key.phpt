--TEST--
AvailabilityWithLock::beginBooking() and finishBooking() with a malformed lock key: not ok, reason invalid_lock_key / false, no exception
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$flow = new AvailabilityWithLock($svc);
$p = slotlock_test_prefix();

foreach ([
    'garbage',
    'slot_lock_other_prefix:c1:s31:t203011241400',   /* not this service's prefix */
    "$p:c1:s31",                                      /* no time part */
    "$p:c1:s31:t203011241400,",                       /* an empty key in the list */
    "$p:c1:s31:t2030112414",
    "$p:c1:s31:t203011241400\0",
] as $key) {
    $begin = $flow->beginBooking($key, 'call-a');
    echo json_encode($begin), ' ';
    var_dump($flow->finishBooking($key, 'call-a', true, 'bk-1'));
}
var_dump($svc->activeLocks());
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
{"ok":false,"reason":"invalid_lock_key","fence":null} bool(false)
{"ok":false,"reason":"invalid_lock_key","fence":null} bool(false)
{"ok":false,"reason":"invalid_lock_key","fence":null} bool(false)
{"ok":false,"reason":"invalid_lock_key","fence":null} bool(false)
{"ok":false,"reason":"invalid_lock_key","fence":null} bool(false)
{"ok":false,"reason":"invalid_lock_key","fence":null} bool(false)
int(0)
