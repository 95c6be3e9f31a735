--TEST--
slotlock.metrics_flush_interval: lock operations write no metrics until the interval has passed, then the next one writes the whole interval's counts as one batch
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--INI--
slotlock.metrics_flush_interval=1
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$r = slotlock_test_redis();
$prefix = slotlock_test_prefix();
$metricKeys = function () use ($r, $prefix) {
    $r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
    $all = [];
    $it = null;
    while (($keys = $r->scan($it, "{$prefix}_metrics:*", 1000)) !== false) {
        $all = array_merge($all, $keys);
    }
    return $all;
};

/* the first operation starts the interval; 40 more within it write nothing */
$t0 = microtime(true);
for ($i = 0; $i < 41; $i++) {
    $svc->acquire(1, 40 + $i, '2030-11-24 14:00', "call-$i");
}
$within = microtime(true) - $t0 < 0.9;
var_dump($within ? $metricKeys() : []);

/* after the interval, the next operation flushes everything counted so far */
usleep(1100000);
var_dump($svc->acquire(1, 40, '2030-11-24 14:00', 'call-x'));   /* slot_locked */
/* (one key, unless a slow run's batches fell into two minutes) */
$sum = ['acquired' => 0, 'slot_locked' => 0];
foreach ($metricKeys() as $k) {
    foreach ($sum as $f => $n) {
        $sum[$f] += (int) $r->hGet($k, $f);
    }
}
var_dump(count($metricKeys()) >= 1);
var_dump($sum['acquired'], $sum['slot_locked']);
$m = $svc->metrics(2);
var_dump($m['acquired'], $m['slot_locked'], $m['acquire_samples']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
array(0) {
}
NULL
bool(true)
int(41)
int(1)
int(41)
int(1)
int(42)
