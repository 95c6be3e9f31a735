--TEST--
AvailabilityWithLock::check() on an available slot: the input plus lock_key, lock_expires_at (ISO-8601), lock_ttl, fence and lock_status acquired
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
$flow = new AvailabilityWithLock($svc);

$input = ['available' => true, 'slot' => '14:00', 'staff' => ['id' => 7]];
$before = time();
$out = $flow->check($input, 1, 31, '2030-11-24 14:00', 'call-a');
$after = time();

var_dump(array_keys($out));
/* the input entries are kept as they were, in front */
var_dump(array_slice($out, 0, 3, true) === $input);
var_dump($out['lock_key'] === "$p:c1:s31:t203011241400");
var_dump($out['lock_key'] === $svc->key(1, 31, '2030-11-24 14:00'));
var_dump($out['lock_ttl']);
var_dump($out['fence'] === null); /* fencing is off by default */
var_dump($out['lock_status']);

/* ISO-8601 with an offset, the expiry of a 300 s hold, in the key timezone (UTC) */
var_dump((bool) preg_match('/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/', $out['lock_expires_at']));
$exp = DateTimeImmutable::createFromFormat(DATE_ATOM, $out['lock_expires_at'])->getTimestamp();
var_dump($exp >= $before + 299 && $exp <= $after + 301);

/* the hold is in Redis, owned by the caller, with the answer's fence */
$r = slotlock_test_redis();
var_dump(slotlock_test_field($r, $out['lock_key'], 'owner'));
var_dump(slotlock_test_fence($r, $out['lock_key']) === $out['fence']);
$pttl = $r->pttl($out['lock_key']);
var_dump($pttl > 290000 && $pttl <= 300000);

/* the $ttl argument */
$short = $flow->check(['available' => true], 1, 31, '2030-11-24 15:00', 'call-a', 60);
var_dump($short['lock_ttl']);
$pttl = $r->pttl($short['lock_key']);
var_dump($pttl > 50000 && $pttl <= 60000);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
array(8) {
  [0]=>
  string(9) "available"
  [1]=>
  string(4) "slot"
  [2]=>
  string(5) "staff"
  [3]=>
  string(8) "lock_key"
  [4]=>
  string(15) "lock_expires_at"
  [5]=>
  string(8) "lock_ttl"
  [6]=>
  string(5) "fence"
  [7]=>
  string(11) "lock_status"
}
bool(true)
bool(true)
bool(true)
int(300)
bool(true)
string(8) "acquired"
bool(true)
bool(true)
string(6) "call-a"
bool(true)
bool(true)
int(60)
bool(true)
