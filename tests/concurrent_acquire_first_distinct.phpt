--TEST--
Concurrent acquireFirst(): 8 forked processes, 4 candidates: 4 winners on 4 distinct candidates, 4 nulls
--EXTENSIONS--
slotlock
redis
pcntl
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

const CHILDREN = 8;
slotlock_test_prefix();                 /* fixed before the fork: all children share it */
$candidates = [
    [31, '2030-11-24 09:00'],
    [[31, '2030-11-24 09:30'], [32, '2030-11-24 10:00']],
    [31, '2030-11-24 10:30'],
    [[33, '2030-11-24 09:00'], [34, '2030-11-24 09:30']],
];
$start = microtime(true) + 0.5 * slotlock_test_slow_factor();
$pids = [];
for ($i = 0; $i < CHILDREN; $i++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $code = 99;
        try {
            $svc = slotlock_test_service();
            $svc->activeLocks();
            while (microtime(true) < $start) {
                usleep(200);
            }
            $lock = $svc->acquireFirst(1, $candidates, "child$i", 60);
            $code = $lock === null ? 50 : $lock->candidate;   /* exit code = candidate index */
        } catch (Throwable $e) {
        }
        exit($code);
    }
    $pids[] = $pid;
}
$results = [];
foreach ($pids as $pid) {
    pcntl_waitpid($pid, $status);
    $results[] = pcntl_wifexited($status) ? pcntl_wexitstatus($status) : -1;
}
sort($results);
echo implode(',', $results), "\n";

$r = slotlock_test_redis();
$svc = slotlock_test_service();
var_dump($svc->activeLocks());
/* each compound candidate is held whole by one owner */
var_dump(slotlock_test_field($r, $svc->key(1, 31, '2030-11-24 09:30'), 'owner') === slotlock_test_field($r, $svc->key(1, 32, '2030-11-24 10:00'), 'owner'));
var_dump(slotlock_test_field($r, $svc->key(1, 33, '2030-11-24 09:00'), 'owner') === slotlock_test_field($r, $svc->key(1, 34, '2030-11-24 09:30'), 'owner'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
0,1,2,3,50,50,50,50
int(6)
bool(true)
bool(true)
