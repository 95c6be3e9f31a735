--TEST--
SlotLock->expiresAt is now + ttl, as a DateTimeImmutable in key_timezone
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

foreach (['UTC', 'Europe/Berlin', 'America/New_York'] as $tz) {
    $svc = slotlock_test_service(['key_timezone' => $tz]);
    $t0 = microtime(true);
    $lock = $svc->acquire(1, 31, '2030-11-24 14:00', "o-$tz", 120);
    $exp = (float) $lock->expiresAt->format('U.u');
    echo $tz, ': ', $lock->expiresAt->getTimezone()->getName(), ' ',
        abs($exp - ($t0 + 120)) < 2.0 ? 'now+120s' : sprintf('off by %.3fs', $exp - ($t0 + 120)), "\n";
    $svc->release($lock, "o-$tz");
}
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
UTC: UTC now+120s
Europe/Berlin: Europe/Berlin now+120s
America/New_York: America/New_York now+120s
