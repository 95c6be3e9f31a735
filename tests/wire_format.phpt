--TEST--
Wire format 2 (docs/WIRE.md): a slot is a string "h:<fence>:<owner>" with PX, a booked marker "b:<fence>:<idlen>:<id>:<owner>", the fence counter <prefix>#fence only with fencing, nothing else under <prefix>:*
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

/* a hold: a plain string, readable with GET */
$lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'call-7', 90);
var_dump($lock->key === "$p:c1:s31:t203011241400");
var_dump($r->type($lock->key) === Redis::REDIS_STRING);
var_dump($r->get($lock->key));
$pttl = $r->pttl($lock->key);
var_dump($pttl > 85000 && $pttl <= 90000);
var_dump($lock->fence, $r->exists("$p#fence"));

/* a generated owner is 32 lowercase hex chars */
$gen = $svc->acquire(1, 32, '2030-11-24 14:00');
var_dump((bool) preg_match('/^h:0:[0-9a-f]{32}$/', $r->get($gen->key)));

/* an owner may hold ':' and any byte but NUL: it is always last */
$odd = $svc->acquire(1, 36, '2030-11-24 14:00', "a:b:\xff:c");
var_dump($r->get($odd->key) === "h:0:a:b:\xff:c", $svc->validate($odd, "a:b:\xff:c"), $svc->validate($odd, 'a'));

/* compound: one string per segment, same owner */
$c = $svc->acquireSegments(1, [[33, '2030-11-24 14:00'], [34, '2030-11-24 14:30']], 'call-8', 60);
foreach ($c->keys as $k) {
    var_dump($r->get($k));
}

/* a booked marker: the booking id is length-prefixed, so it may hold ':' too */
var_dump($svc->commit($c, 'call-8', 'bk:4711', 120));
var_dump($r->get($c->keys[0]), $r->get($c->keys[1]));
var_dump($svc->commit($gen, $gen->owner));
var_dump(substr($r->get($gen->key), 0, 7));

/* fencing: the counter lives outside <prefix>:*, has no TTL, and goes into the value */
$fenced = slotlock_test_service(['fencing' => true]);
$f1 = $fenced->acquire(1, 37, '2030-11-24 14:00', 'call-9');
var_dump(is_int($f1->fence) && $f1->fence >= 1);
var_dump($r->get($f1->key) === "h:{$f1->fence}:call-9");
var_dump($r->get("$p#fence") === (string) $f1->fence, $r->ttl("$p#fence"));
var_dump($fenced->commit($f1, 'call-9', 'z'));
var_dump($r->get($f1->key) === "b:{$f1->fence}:1:z:call-9");

/* release deletes the key; under <prefix>:* there are only slot keys */
$svc->release($lock, 'call-7');
var_dump($r->exists($lock->key));
$r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
$all = [];
$it = null;
while (($keys = $r->scan($it, "$p:*", 1000)) !== false) {
    $all = array_merge($all, $keys);
}
sort($all);
var_dump($all === ["$p:c1:s32:t203011241400", "$p:c1:s33:t203011241400", "$p:c1:s34:t203011241430",
                   "$p:c1:s36:t203011241400", "$p:c1:s37:t203011241400"]);

/* another writer's values (the polyfill, another version) are honoured byte for byte */
$r->set("$p:c1:s35:t203011241400", 'h:0:polyfill-owner', ['px' => 60000]);
var_dump($svc->acquire(1, 35, '2030-11-24 14:00', 'ext-owner'));
var_dump($svc->validate("$p:c1:s35:t203011241400", 'polyfill-owner'));
var_dump($svc->acquire(1, 35, '2030-11-24 14:00', 'polyfill-owner') instanceof SlotLock);
$r->set("$p:c1:s38:t203011241400", 'b:7:3:b-1:x', ['px' => 60000]);
var_dump($svc->status("$p:c1:s38:t203011241400")['booked'], $svc->acquire(1, 38, '2030-11-24 14:00', 'x'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
string(10) "h:0:call-7"
bool(true)
NULL
int(0)
bool(true)
bool(true)
bool(true)
bool(false)
string(10) "h:0:call-8"
string(10) "h:0:call-8"
bool(true)
string(20) "b:0:7:bk:4711:call-8"
string(20) "b:0:7:bk:4711:call-8"
bool(true)
string(7) "b:0:0::"
bool(true)
bool(true)
bool(true)
int(-1)
bool(true)
bool(true)
int(0)
bool(true)
NULL
bool(true)
bool(true)
bool(true)
NULL
