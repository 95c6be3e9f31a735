--TEST--
SlotLockService::commit() and finishBooking() throw ValueError for a booking id over 128 bytes or with a NUL byte, and commit() for a TTL outside 1..86400
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
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-a');

$try = function (string $label, callable $fn) {
    try {
        var_dump($fn());
    } catch (ValueError $e) {
        echo "$label: ValueError: ", $e->getMessage(), "\n";
    }
};
$try('commit 129 bytes', fn () => $svc->commit($lock, 'call-a', str_repeat('b', 129)));
$try('commit NUL', fn () => $svc->commit($lock, 'call-a', "bk\0-1"));
$try('commit ttl 0', fn () => $svc->commit($lock, 'call-a', 'bk-1', 0));
$try('commit ttl 86401', fn () => $svc->commit($lock, 'call-a', 'bk-1', 86401));
$try('finishBooking 129 bytes', fn () => $flow->finishBooking($lock->key, 'call-a', true, str_repeat('b', 129)));
/* nothing was committed */
var_dump((slotlock_test_field($r, $lock->key, 'booked') !== false));
/* 128 bytes is fine */
var_dump($svc->commit($lock, 'call-a', str_repeat('b', 128)));
var_dump(strlen(slotlock_test_field($r, $lock->key, 'booked')));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
commit 129 bytes: ValueError: $bookingId must be at most 128 bytes without NUL bytes
commit NUL: ValueError: $bookingId must be at most 128 bytes without NUL bytes
commit ttl 0: ValueError: $ttl must be between 1 and 86400 seconds
commit ttl 86401: ValueError: $ttl must be between 1 and 86400 seconds
finishBooking 129 bytes: ValueError: $bookingId must be at most 128 bytes without NUL bytes
bool(false)
bool(true)
int(128)
