--TEST--
key(): "<prefix>:c<company>:s<service>:t<YmdHi>", default prefix slot_lock
--EXTENSIONS--
slotlock
--FILE--
<?php
$svc = new SlotLockService(['port' => 1]);   /* key() never connects */
var_dump($svc->key(1, 31, '2025-11-24 14:00'));
var_dump($svc->key('1', '31', '2025-11-24 14:00'));
var_dump($svc->key(1, 31, '2025-11-24 14:00:00'));
var_dump($svc->key(12, 345, new DateTimeImmutable('2025-01-02 03:04', new DateTimeZone('UTC'))));
var_dump($svc->key(12, 345, new DateTime('2025-12-31 23:59', new DateTimeZone('UTC'))));
var_dump($svc->key('Acme-GmbH', 'cut_and_wash', '2030-02-28 00:00'));

$custom = new SlotLockService(['port' => 1, 'prefix' => 'salon.v2-eu_1']);
var_dump($custom->key(1, 31, '2025-11-24 14:00'));
?>
--EXPECT--
string(30) "slot_lock:c1:s31:t202511241400"
string(30) "slot_lock:c1:s31:t202511241400"
string(30) "slot_lock:c1:s31:t202511241400"
string(32) "slot_lock:c12:s345:t202501020304"
string(32) "slot_lock:c12:s345:t202512312359"
string(48) "slot_lock:cAcme-GmbH:scut_and_wash:t203002280000"
string(34) "salon.v2-eu_1:c1:s31:t202511241400"
