--TEST--
The default key_timezone is UTC, whatever date.timezone says
--EXTENSIONS--
slotlock
--INI--
date.timezone=America/New_York
--FILE--
<?php
$svc = new SlotLockService(['port' => 1]);
/* a string without zone is UTC wall clock, not New York */
var_dump($svc->key(1, 31, '2025-11-24 14:00'));
/* a DateTime in the PHP default zone (New York, 09:00 = 14:00 UTC) is converted to UTC */
var_dump($svc->key(1, 31, new DateTimeImmutable('2025-11-24 09:00')));
var_dump($svc->key(1, 31, new DateTimeImmutable('@1764007200')));   /* 2025-11-24 18:00 UTC */
?>
--EXPECT--
string(30) "slot_lock:c1:s31:t202511241400"
string(30) "slot_lock:c1:s31:t202511241400"
string(30) "slot_lock:c1:s31:t202511241800"
