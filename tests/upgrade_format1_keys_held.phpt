--TEST--
Rolling upgrade: a format-1 key (a hash {owner, fence[, booked]} with PEXPIRE, written by slotlock 0.1.x) is held until it expires: never overwritten or deleted, WRONGTYPE handled, counted by activeLocks(); format 1's counter and index are not slots
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$fenced = slotlock_test_service(['fencing' => true]);
$flow = new AvailabilityWithLock($svc);
$p = slotlock_test_prefix();
$r = slotlock_test_redis();
$hold = $svc->key(1, 31, '2030-11-24 14:00');
$marker = $svc->key(1, 32, '2030-11-24 14:00');

/* exactly what 0.1.x writes: the hash, its TTL, its counter and its index */
$r->hMSet($hold, ['owner' => 'old-owner', 'fence' => '17']);
$r->pExpire($hold, 1500);
$r->hMSet($marker, ['owner' => 'old-booker', 'fence' => '18', 'booked' => 'bk-1']);
$r->pExpire($marker, 60000);
$r->set("$p:fence", '18');
$r->zAdd("$p:active", 0, $hold, 0, $marker);
$before = [$r->hGetAll($hold), $r->hGetAll($marker)];

var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'new-owner'));
var_dump($svc->acquire(1, 31, '2030-11-24 14:00', 'old-owner'));       /* its own token: still not ours to overwrite */
var_dump($fenced->acquire(1, 31, '2030-11-24 14:00', 'new-owner'));
var_dump($svc->acquireSegments(1, [[33, '2030-11-24 14:00'], [31, '2030-11-24 14:00']], 'new-owner'));
var_dump($r->exists($svc->key(1, 33, '2030-11-24 14:00')));            /* nothing half-taken */
var_dump($svc->acquireFirst(1, [[31, '2030-11-24 14:00'], [34, '2030-11-24 14:00']], 'new-owner')->candidate);
var_dump($svc->validate($hold, 'old-owner'), $svc->release($hold, 'old-owner'), $svc->extend($hold, 'old-owner'));
var_dump($svc->commit($hold, 'new-owner'), $svc->commit($marker, 'old-booker'));
var_dump($svc->status($hold)['locked'], $svc->status($marker)['locked']);
$c = $flow->check(['available' => true], 1, 31, '2030-11-24 14:00', 'new-owner');
var_dump($c['available'], $c['reason'], $c['retry_after'] >= 1);
var_dump([$r->hGetAll($hold), $r->hGetAll($marker)] === $before);       /* byte for byte unchanged */

/* counted: the two hashes and the acquireFirst hold; not format 1's counter and index */
var_dump($svc->activeLocks());

/* once it expires the slot is free, and taken in format 2 */
usleep(1600000);
$l = $svc->acquire(1, 31, '2030-11-24 14:00', 'new-owner');
var_dump($l instanceof SlotLock, $r->get($hold));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
NULL
NULL
NULL
NULL
int(0)
int(1)
bool(false)
bool(false)
NULL
bool(false)
bool(false)
bool(true)
bool(true)
bool(false)
string(11) "slot_locked"
bool(true)
bool(true)
int(3)
bool(true)
string(13) "h:0:new-owner"
