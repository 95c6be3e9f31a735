--TEST--
Metrics and fork: a child writes only what it counted itself (not its parent's unflushed counts), and a CLI child writes them when it ends
--EXTENSIONS--
slotlock
redis
pcntl
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--INI--
slotlock.metrics_flush_interval=10
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$svc->flushMetrics();
for ($i = 1; $i <= 5; $i++) {
    $svc->acquire(1, $i, '2030-11-24 14:00', 'parent');       /* counted, not written yet */
}
$kids = [];
for ($k = 1; $k <= 3; $k++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $child = slotlock_test_service();
        $child->acquire(2, $k, '2030-11-24 14:00', "child-$k");
        $child->acquire(1, 1, '2030-11-24 14:00', "child-$k");   /* slot_locked */
        exit(0);
    }
    $kids[] = $pid;
}
foreach ($kids as $pid) {
    pcntl_waitpid($pid, $status);
}
var_dump($svc->flushMetrics());
$m = $svc->metrics(3);
var_dump($m['acquired'], $m['slot_locked'], $m['acquire_samples']);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
int(8)
int(3)
int(11)
