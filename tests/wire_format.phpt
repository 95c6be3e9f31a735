--TEST--
Wire format v1 (docs/WIRE.md): slot hash {owner, fence}, PEXPIRE hold, <prefix>:fence counter, <prefix>:active zset
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$p = slotlock_test_prefix();
$r = slotlock_test_redis();

$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-7', 90);
var_dump($lock->key === "$p:c1:s31:t203011241400");
var_dump($r->type($lock->key) === Redis::REDIS_HASH);
$h = $r->hGetAll($lock->key);
ksort($h);
var_dump($h === ['fence' => (string) $lock->fence, 'owner' => 'call-7']);
$pttl = $r->pttl($lock->key);
var_dump($pttl > 85000 && $pttl <= 90000);

/* the fencing counter: a plain integer string that never expires */
var_dump($r->type("$p:fence") === Redis::REDIS_STRING);
var_dump($r->get("$p:fence") === (string) $lock->fence);
var_dump($r->ttl("$p:fence"));

/* the active set: member = slot key, score = expiry in Unix ms of the Redis clock */
var_dump($r->type("$p:active") === Redis::REDIS_ZSET);
[$sec, $usec] = $r->time();
$nowMs = (int) $sec * 1000 + intdiv((int) $usec, 1000);
$score = $r->zScore("$p:active", $lock->key);
var_dump(is_float($score) && abs($score - ($nowMs + $pttl)) < 2000);

/* a generated owner is 32 lowercase hex chars and is what the hash holds */
$gen = $svc->acquire(1, 32, '2030-11-24 14:00');
var_dump((bool) preg_match('/^[0-9a-f]{32}$/', $r->hGet($gen->key, 'owner')));
var_dump($r->get("$p:fence") === (string) $gen->fence && $gen->fence > $lock->fence);

/* compound: one hash per segment, same owner and fence */
$c = $svc->acquireSegments(1, [[33, '2030-11-24 14:00'], [34, '2030-11-24 14:30']], 'call-8', 60);
foreach ($c->keys as $k) {
    $h = $r->hGetAll($k);
    ksort($h);
    var_dump($h === ['fence' => (string) $c->fence, 'owner' => 'call-8'] && $r->zScore("$p:active", $k) !== false);
}

/* release removes the key and its active member; nothing else appears under the prefix */
$svc->release($lock, 'call-7');
var_dump($r->exists($lock->key), $r->zScore("$p:active", $lock->key));
$r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
$all = [];
$it = null;
while (($keys = $r->scan($it, "$p:*", 1000)) !== false) {
    $all = array_merge($all, $keys);
}
sort($all);
$expect = ["$p:active", "$p:c1:s32:t203011241400", "$p:c1:s33:t203011241400", "$p:c1:s34:t203011241430", "$p:fence"];
var_dump($all === $expect);

/* the polyfill's view: a lock written by hand in the v1 format is honoured */
$r->hMSet("$p:c1:s35:t203011241400", ['owner' => 'polyfill-owner', 'fence' => '999']);
$r->pExpire("$p:c1:s35:t203011241400", 60000);
var_dump($svc->acquire(1, 35, '2030-11-24 14:00', 'ext-owner'));
var_dump($svc->validate("$p:c1:s35:t203011241400", 'polyfill-owner'));
var_dump($svc->acquire(1, 35, '2030-11-24 14:00', 'polyfill-owner')->fence);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(-1)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
bool(false)
bool(true)
NULL
bool(true)
int(999)
