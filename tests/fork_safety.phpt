--TEST--
After fork the child never uses the parent's connection: parent and children work concurrently, replies never mixed
--EXTENSIONS--
slotlock
redis
pcntl
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

const CHILDREN = 4, ROUNDS = 15;

/* one round of commands whose replies all differ in shape; false on a wrong reply */
function round_ok(SlotLockService $svc, int $company, int $i): bool
{
    $lock = $svc->acquire($company, 31, sprintf('2030-11-24 %02d:00', $i % 24), "owner-$company");
    if (!$lock instanceof SlotLock || $lock->owner !== "owner-$company"
        || $lock->key !== $svc->key($company, 31, sprintf('2030-11-24 %02d:00', $i % 24))) {
        return false;
    }
    if ($svc->validate($lock, "owner-$company") !== true || $svc->validate($lock, 'nobody') !== false) {
        return false;
    }
    $st = $svc->status($lock);
    if ($st['locked'] !== true || !is_int($st['ttl_ms'])) {
        return false;
    }
    return $svc->release($lock, "owner-$company") === true && $svc->release($lock, "owner-$company") === false;
}

$svc = slotlock_test_service();          /* persistent */
var_dump(round_ok($svc, 1, 0));          /* the parent is connected before the fork */

$pids = [];
for ($c = 0; $c < CHILDREN; $c++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $code = 0;
        try {
            for ($i = 0; $i < ROUNDS && $code === 0; $i++) {
                if (!round_ok($svc, 100 + $c, $i)) {     /* the object made before the fork */
                    $code = 1;
                }
            }
            if ($code === 0 && !round_ok(slotlock_test_service(), 200 + $c, 0)) {   /* a new one */
                $code = 2;
            }
        } catch (Throwable $e) {
            $code = 3;
        }
        exit($code);
    }
    $pids[] = $pid;
}

$parentOk = true;
for ($i = 0; $i < ROUNDS; $i++) {
    $parentOk = $parentOk && round_ok($svc, 2, $i);
}
$codes = [];
foreach ($pids as $pid) {
    pcntl_waitpid($pid, $status);
    $codes[] = pcntl_wifexited($status) ? pcntl_wexitstatus($status) : -1;
}
var_dump($parentOk);
echo 'children: ', implode(',', $codes), "\n";

/* the children have exited (and shut down): the parent's connection still works */
var_dump(round_ok($svc, 3, 0));
var_dump(round_ok(slotlock_test_service(), 4, 0));
var_dump($svc->activeLocks());
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
children: 0,0,0,0
bool(true)
bool(true)
int(0)
