--TEST--
key_timezone: DateTimeInterface starts are converted to it, strings without a zone are read in it
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$utc = new DateTimeZone('UTC');
$berlin = slotlock_test_service(['key_timezone' => 'Europe/Berlin']);
$p = slotlock_test_prefix();

/* winter (CET, +01:00) and summer (CEST, +02:00) instants given in UTC */
echo substr($berlin->key(1, 31, new DateTimeImmutable('2025-11-24 13:00', $utc)), strlen($p)), "\n";
echo substr($berlin->key(1, 31, new DateTime('2025-07-01 12:00', $utc)), strlen($p)), "\n";
/* given in another zone */
echo substr($berlin->key(1, 31, new DateTimeImmutable('2025-11-24 08:00', new DateTimeZone('America/New_York'))), strlen($p)), "\n";
/* a string without a zone is Berlin wall clock */
echo substr($berlin->key(1, 31, '2025-11-24 14:00'), strlen($p)), "\n";
/* a string with a zone is converted */
echo substr($berlin->key(1, 31, '2025-11-24T13:00:00Z'), strlen($p)), "\n";
echo substr($berlin->key(1, 31, '2025-11-24T14:30:00+01:00'), strlen($p)), "\n";
/* across midnight */
echo substr($berlin->key(1, 31, new DateTimeImmutable('2025-12-31 23:30', $utc)), strlen($p)), "\n";

/* the lock taken with a UTC instant is the same slot as the Berlin wall-clock string */
$lock = $berlin->acquire(1, 31, new DateTimeImmutable('2025-11-24 13:00', $utc), 'o');
echo substr($lock->key, strlen($p)), "\n";
var_dump($berlin->acquire(1, 31, '2025-11-24 14:00', 'other'));
var_dump(slotlock_test_redis()->exists("$p:c1:s31:t202511241400"));

/* a UTC service keys the same instant by UTC wall clock */
$utcSvc = slotlock_test_service();
echo substr($utcSvc->key(1, 31, new DateTimeImmutable('2025-11-24 14:00', new DateTimeZone('Europe/Berlin'))), strlen($p)), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
:c1:s31:t202511241400
:c1:s31:t202507011400
:c1:s31:t202511241400
:c1:s31:t202511241400
:c1:s31:t202511241400
:c1:s31:t202511241430
:c1:s31:t202601010030
:c1:s31:t202511241400
NULL
int(1)
:c1:s31:t202511241300
