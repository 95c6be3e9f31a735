--TEST--
topology() of a single-node service: mode single, no hash tag, one master node named tcp://host:port/db (tls:// over TLS), connected only after the first command
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['persistent' => false]);
$t = $svc->topology();
var_dump(array_keys($t));
var_dump($t['mode'], $t['hash_tag']);
var_dump(count($t['nodes']));
var_dump($t['nodes'][0]['addr'] === (SLOTLOCK_TEST_TLS ? 'tls://' : 'tcp://') . SLOTLOCK_TEST_HOST . ':' . SLOTLOCK_TEST_PORT . '/0');
var_dump($t['nodes'][0]['role'], $t['nodes'][0]['connected']);

$svc->acquire(1, 31, '2030-11-24 14:00', 'call-a');
var_dump($svc->topology()['nodes'][0]['connected']);
$svc->close();
var_dump($svc->topology()['nodes'][0]['connected']);

/* a database and a DSN */
$t = (new SlotLockService(['dsn' => slotlock_test_dsn('/3')] + slotlock_test_tls()))->topology();
var_dump($t['mode'], $t['nodes'][0]['addr'] === (SLOTLOCK_TEST_TLS ? 'tls://' : 'tcp://') . SLOTLOCK_TEST_HOST . ':' . SLOTLOCK_TEST_PORT . '/3');
/* the password is never shown */
$t = (new SlotLockService(['host' => '127.0.0.1', 'port' => 6390, 'password' => 's3cret', 'database' => 2]))->topology();
var_dump($t['nodes'][0]['addr'], str_contains(serialize($t), 's3cret'));
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
array(3) {
  [0]=>
  string(4) "mode"
  [1]=>
  string(8) "hash_tag"
  [2]=>
  string(5) "nodes"
}
string(6) "single"
bool(false)
int(1)
bool(true)
string(6) "master"
bool(false)
bool(true)
bool(false)
string(6) "single"
bool(true)
string(22) "tcp://127.0.0.1:6390/2"
bool(false)
