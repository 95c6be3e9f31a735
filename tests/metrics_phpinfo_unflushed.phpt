--TEST--
php --ri slotlock: the metrics INI settings, and this process's unflushed metrics until a batch writes them
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--INI--
slotlock.metrics_flush_interval=0
slotlock.metrics_retention=3600
--FILE--
<?php
require __DIR__ . '/config.inc';

function info(): string
{
    ob_start();
    (new ReflectionExtension('slotlock'))->info();
    return ob_get_clean();
}

$svc = slotlock_test_service();
$svc->flushMetrics();
$i = info();
var_dump(str_contains($i, 'slotlock.metrics_flush_interval => 0 => 0'), str_contains($i, 'slotlock.metrics_retention => 3600 => 3600'));
var_dump(str_contains($i, 'Metrics unflushed (this process) => none'));
$svc->acquire(1, 2, '2030-11-24 14:00', 'call-a');
$svc->acquire(1, 2, '2030-11-24 14:00', 'call-b');
preg_match('/Metrics unflushed \(this process\) => (.*)/', info(), $m);
echo $m[1], "\n";
$svc->flushMetrics();
preg_match('/Metrics batches written \/ failed => (\d+) \/ (\d+)/', info(), $m);
var_dump((int) $m[1] >= 1, $m[2]);
var_dump(str_contains(info(), 'Metrics unflushed (this process) => none'));
/* out of range: refused, the value stays */
var_dump(ini_set('slotlock.metrics_flush_interval', '-1'), ini_set('slotlock.metrics_flush_interval', '3601'), ini_set('slotlock.metrics_retention', '59'));
var_dump(ini_get('slotlock.metrics_flush_interval'), ini_set('slotlock.metrics_flush_interval', '5'), ini_get('slotlock.metrics_flush_interval'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
acquired=1 slot_locked=1 le_%s=%d %Slat_sum_us=%d
bool(true)
string(1) "0"
bool(true)
bool(false)
bool(false)
bool(false)
string(1) "0"
string(1) "0"
string(1) "5"
