<?php
/*
 * tests/tls/polyfill.php: the polyfill speaks TLS through phpredis with the extension's option
 * names (run by tests/suites/tls.sh without slotlock.so). Environment: SLOTLOCK_TLS_DIR,
 * SLOTLOCK_TLS_PORT (server certificate of the test CA), SLOTLOCK_TLS_OTHER_PORT (a CA nobody
 * trusts). Prints PASS/FAIL lines, exits non-zero on a failure.
 */
declare(strict_types=1);
require dirname(__DIR__, 2) . '/polyfill/slotlock.php';

$dir = getenv('SLOTLOCK_TLS_DIR');
$port = (int) getenv('SLOTLOCK_TLS_PORT');
$other = (int) getenv('SLOTLOCK_TLS_OTHER_PORT');
$failed = 0;
function check(bool $ok, string $what): void
{
    global $failed;
    echo $ok ? 'PASS ' : 'FAIL ', $what, "\n";
    $failed += $ok ? 0 : 1;
}
function outcome(array|string $options): string
{
    try {
        $svc = new SlotLockService($options);
        $lock = $svc->acquire(1, 31, '2030-11-24 14:00', 'me');
        return $lock && $svc->release($lock, 'me') ? 'ok ' . $svc->topology()['nodes'][0]['addr'] : 'WRONG';
    } catch (Throwable $e) {
        return get_class($e) . ': ' . $e->getMessage();
    }
}
check(!extension_loaded('slotlock'), 'the polyfill, not the extension');
$p = 'tlspoly' . bin2hex(random_bytes(3));
foreach ([true, false] as $persistent) {
    $r = outcome(['dsn' => "rediss://127.0.0.1:$port", 'tls' => ['cafile' => "$dir/ca.crt"], 'prefix' => $p,
                  'persistent' => $persistent]);
    check(str_starts_with($r, 'ok tls://127.0.0.1:'), "rediss:// + cafile, persistent " . var_export($persistent, true) . ": $r");
}
$r = outcome(['host' => 'localhost', 'port' => $port, 'prefix' => $p, 'tls' => ['cafile' => "$dir/ca.crt",
              'local_cert' => "$dir/client.crt", 'local_pk' => "$dir/client-enc.key", 'passphrase' => 'client-pass',
              'min_proto_version' => 'tlsv1.2']]);
check(str_starts_with($r, 'ok tls://localhost:'), "client certificate with a passphrase: $r");
slotlock_polyfill_ini_set('slotlock.tls_cafile', "$dir/ca.crt");
$r = outcome("rediss://127.0.0.1:$port");
check(str_starts_with($r, 'ok tls://'), "slotlock.tls_cafile: $r");
slotlock_polyfill_ini_set('slotlock.tls_cafile', '');
$r = outcome(['dsn' => "rediss://127.0.0.1:$other", 'tls' => ['cafile' => "$dir/ca.crt"], 'persistent' => false]);
check(str_starts_with($r, 'SlotLockConnectionException: cannot connect to Redis at tls://127.0.0.1:'), "unknown CA: $r");
$r = outcome(['dsn' => "rediss://127.0.0.1:$port", 'tls' => ['cafile' => "$dir/ca.crt", 'peer_name' => 'db.example'],
              'persistent' => false]);
check(str_starts_with($r, 'SlotLockConnectionException: '), "name mismatch: $r");
$r = outcome(['dsn' => "rediss://127.0.0.1:$other", 'tls' => ['verify_peer' => false, 'verify_peer_name' => false]]);
check(str_starts_with($r, 'ok tls://'), "verify_peer false: $r");
$r = outcome(['dsn' => "rediss://127.0.0.1:$port", 'tls' => ['cafle' => 'x']]);
check(str_starts_with($r, 'ValueError: SlotLockService::__construct(): Option "tls": unknown key "cafle"'), "bad key: $r");
$r = outcome(['tls' => ['verify_peer' => 'yes']]);
check($r === 'ValueError: SlotLockService::__construct(): Option "tls": "verify_peer" must be a bool', "bad value: $r");
$r = outcome(['tls' => 'yes']);
check(str_starts_with($r, 'TypeError: SlotLockService::__construct(): Option "tls" must be of type array|bool'), "bad type: $r");
$svc = new SlotLockService(['dsn' => "rediss://127.0.0.1:$port", 'tls' => ['cafile' => "$dir/ca.crt", 'passphrase' => 'Hidden-Pass']]);
check(!str_contains(print_r($svc, true) . var_export((array) $svc, true), 'Hidden-Pass'), 'no dump shows the passphrase');
echo $failed ? "tls polyfill: $failed failed\n" : "tls polyfill: all passed\n";
exit($failed ? 1 : 0);
