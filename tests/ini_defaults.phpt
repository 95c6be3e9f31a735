--TEST--
null options take the INI defaults: slotlock.prefix, slotlock.key_timezone, slotlock.dsn
--EXTENSIONS--
slotlock
--INI--
slotlock.prefix=ini_prefix
slotlock.key_timezone=Europe/Berlin
slotlock.dsn=redis://127.0.0.1:1
slotlock.timeout=0.5
slotlock.ttl=120
--FILE--
<?php
$svc = new SlotLockService();
var_dump($svc->key(1, 31, '2025-11-24 14:00'));
var_dump($svc->key(1, 31, new DateTimeImmutable('2025-11-24 13:00', new DateTimeZone('UTC'))));
var_dump(ini_get('slotlock.ttl'), ini_get('slotlock.prefix'));

/* the DSN from the INI is used: port 1 refuses */
try {
    $svc->acquire(1, 31, '2025-11-24 14:00', 'o');
    echo "acquired\n";
} catch (SlotLockConnectionException $e) {
    echo get_class($e), "\n";
}
$plain = new SlotLockService(null);
var_dump($plain->key(2, 3, '2025-11-24 14:00'));
?>
--EXPECT--
string(31) "ini_prefix:c1:s31:t202511241400"
string(31) "ini_prefix:c1:s31:t202511241400"
string(3) "120"
string(10) "ini_prefix"
SlotLockConnectionException
string(30) "ini_prefix:c2:s3:t202511241400"
