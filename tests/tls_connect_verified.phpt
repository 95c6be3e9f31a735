--TEST--
TLS: rediss:// and the "tls" option connect with the peer verified (CA file, INI CA, peer_name, client certificate with passphrase, verify off), AUTH and SELECT over TLS
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php
if (!shell_exec('command -v redis-server')) die('skip redis-server not installed');
ob_start(); phpinfo(INFO_MODULES); if (!str_contains(ob_get_clean(), 'TLS support (rediss://) => enabled')) die('skip built without OpenSSL');
?>
--INI--
slotlock.tls_cafile=
--FILE--
<?php
require __DIR__ . '/tls.inc';

$srv = slotlock_tls_start_redis('server', 'optional', ['--requirepass', 'Tls-Pw']);
$yes = slotlock_tls_start_redis('server', 'yes');
$ca = slotlock_tls_dir() . '/ca.crt';
$d = slotlock_tls_dir();

function round_trip(string $label, $options): void
{
    try {
        $svc = new SlotLockService($options);
        $lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'me');
        $ok = $lock instanceof SlotLock && $svc->validate($lock, 'me') && $svc->release($lock, 'me');
        echo $label, ': ', $ok ? 'ok' : 'WRONG', ' ', $svc->topology()['nodes'][0]['addr'], "\n";
    } catch (Throwable $e) {
        echo $label, ': ', get_class($e), ': ', $e->getMessage(), "\n";
    }
}

$p = slotlock_test_prefix();
round_trip('rediss DSN + cafile', ['dsn' => "rediss://:Tls-Pw@127.0.0.1:{$srv[3]}/2", 'tls' => ['cafile' => $ca], 'prefix' => $p]);
round_trip('host name localhost', ['dsn' => "rediss://:Tls-Pw@localhost:{$srv[3]}", 'tls' => ['cafile' => $ca], 'prefix' => $p]);
round_trip('peer_name', ['host' => '127.0.0.1', 'port' => $srv[3], 'password' => 'Tls-Pw', 'prefix' => $p,
                         'tls' => ['cafile' => $ca, 'peer_name' => 'localhost', 'min_proto_version' => 'tlsv1.3']]);
round_trip('capath-less system store, verify off', ['dsn' => "rediss://:Tls-Pw@127.0.0.1:{$srv[3]}", 'prefix' => $p,
                         'tls' => ['verify_peer' => false, 'verify_peer_name' => false]]);
ini_set('slotlock.tls_cafile', $ca);
round_trip('tls => true + INI CA', ['host' => '127.0.0.1', 'port' => $srv[3], 'password' => 'Tls-Pw', 'tls' => true, 'prefix' => $p]);
round_trip('INI CA with a rediss:// string', "rediss://:Tls-Pw@127.0.0.1:{$srv[3]}");
round_trip('client certificate', ['dsn' => "rediss://127.0.0.1:{$yes[3]}", 'prefix' => $p,
                         'tls' => ['local_cert' => "$d/client.crt", 'local_pk' => "$d/client-enc.key", 'passphrase' => 'client-pass']]);
round_trip('tls => false is plain', ['host' => '127.0.0.1', 'port' => $srv[1], 'password' => 'Tls-Pw', 'tls' => false, 'prefix' => $p]);

/* The keys landed where the plain port sees them: database 2 for the first. */
$raw = slotlock_test_redis_on($srv, 'Tls-Pw');
$raw->select(2);
$raw->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
$slotKeys = function () use ($raw, $p): int {
    $it = null;
    $n = 0;
    while (($keys = $raw->scan($it, "$p:*", 1000)) !== false) {
        $n += count($keys);
    }
    return $n;
};
var_dump($slotKeys() === 0);  /* released */
$svc = new SlotLockService(['dsn' => "rediss://:Tls-Pw@127.0.0.1:{$srv[3]}/2", 'prefix' => $p]);
$lock = $svc->acquire(1, 31, '2030-11-24 15:00', 'me');
var_dump($slotKeys() === 1 && $raw->exists($lock->key));

/* verify_peer off accepts a CA nobody trusts */
$other = slotlock_tls_start_redis('other');
round_trip('untrusted CA, verify_peer false', ['dsn' => "rediss://127.0.0.1:{$other[3]}", 'prefix' => $p, 'tls' => ['verify_peer' => false]]);

slotlock_test_stop_redis($srv);
slotlock_test_stop_redis($yes);
slotlock_test_stop_redis($other);
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECTF--
rediss DSN + cafile: ok tls://127.0.0.1:%d/2
host name localhost: ok tls://localhost:%d/0
peer_name: ok tls://127.0.0.1:%d/0
capath-less system store, verify off: ok tls://127.0.0.1:%d/0
tls => true + INI CA: ok tls://127.0.0.1:%d/0
INI CA with a rediss:// string: ok tls://127.0.0.1:%d/0
client certificate: ok tls://127.0.0.1:%d/0
tls => false is plain: ok tcp://127.0.0.1:%d/0
bool(true)
bool(true)
untrusted CA, verify_peer false: ok tls://127.0.0.1:%d/0
