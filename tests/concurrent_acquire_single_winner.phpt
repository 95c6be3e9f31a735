--TEST--
Concurrent bookings: 16 forked processes race for one slot, exactly one wins
--EXTENSIONS--
slotlock
redis
pcntl
posix
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

const CHILDREN = 16;
const WON = 10, LOST = 20, FAILED = 30;
slotlock_test_prefix();                 /* fixed before the fork: all children share it */

$start = microtime(true) + 0.5 * slotlock_test_slow_factor();   /* the barrier */
$pids = [];
for ($i = 0; $i < CHILDREN; $i++) {
    $pid = pcntl_fork();
    if ($pid === -1) {
        die("fork failed\n");
    }
    if ($pid === 0) {
        $code = FAILED;
        try {
            $svc = slotlock_test_service();
            $svc->activeLocks();                /* connect before the barrier */
            while (microtime(true) < $start) {
                usleep(200);
            }
            $lock = $svc->acquire(7, 31, '2030-11-24 14:00', "child$i", 60);
            $code = $lock === null ? LOST : ($lock->owner === "child$i" ? WON : FAILED);
        } catch (Throwable $e) {
            $code = FAILED;
        }
        exit($code);
    }
    $pids[$i] = $pid;
}

$won = $lost = $failed = 0;
$winner = null;
foreach ($pids as $i => $pid) {
    pcntl_waitpid($pid, $status);
    $code = pcntl_wifexited($status) ? pcntl_wexitstatus($status) : -1;
    if ($code === WON) {
        $won++;
        $winner = $i;
    } elseif ($code === LOST) {
        $lost++;
    } else {
        $failed++;
    }
}
echo "won=$won lost=$lost failed=$failed\n";

$r = slotlock_test_redis();
$key = slotlock_test_prefix() . ':c7:s31:t203011241400';
var_dump(slotlock_test_field($r, $key, 'owner') === "child$winner");

/* the parent, another owner, is refused too */
var_dump(slotlock_test_service()->acquire(7, 31, '2030-11-24 14:00', 'parent'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
won=1 lost=15 failed=0
bool(true)
NULL
