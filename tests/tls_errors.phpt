--TEST--
TLS failures are SlotLockConnectionExceptions with OpenSSL's reason and no secret: unknown CA, name mismatch, expired certificate, client certificate required, TLS to a plain port and plain to a TLS port, unreadable files
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php
if (!shell_exec('command -v redis-server')) die('skip redis-server not installed');
ob_start(); phpinfo(INFO_MODULES); if (!str_contains(ob_get_clean(), 'TLS support (rediss://) => enabled')) die('skip built without OpenSSL');
?>
--FILE--
<?php
require __DIR__ . '/tls.inc';

$d = slotlock_tls_dir();
$good = slotlock_tls_start_redis('server', 'optional', ['--requirepass', 'Very-Secret-Pw']);
$other = slotlock_tls_start_redis('other');
$wrong = slotlock_tls_start_redis('wrong-name');
$expired = slotlock_tls_start_redis('expired');
$yes = slotlock_tls_start_redis('server', 'yes');
$tls12 = slotlock_tls_start_redis('server', 'optional', ['--tls-protocols', 'TLSv1.2']);

function attempt(string $label, array $options): void
{
    $options += ['prefix' => slotlock_test_prefix(), 'persistent' => false, 'timeout' => 1.0];
    try {
        (new SlotLockService($options))->acquire(1, 31, '2030-11-24 14:00', 'me');
        echo "$label: no exception\n";
    } catch (SlotLockException $e) {
        $m = $e->getMessage();
        $leak = str_contains($m, 'Very-Secret-Pw') || str_contains($m, 'client-pass') ? ' LEAKED A SECRET' : '';
        echo "$label: ", $e instanceof SlotLockConnectionException ? get_class($e) : 'WRONG ' . get_class($e), ": $m$leak\n";
    }
}

$pw = ['password' => 'Very-Secret-Pw'];
attempt('unknown CA', ['dsn' => "rediss://127.0.0.1:{$other[3]}", 'tls' => slotlock_tls_opts()]);
attempt('system CAs only', ['dsn' => "rediss://127.0.0.1:{$good[3]}", 'tls' => true] + $pw);
attempt('name mismatch', ['dsn' => "rediss://127.0.0.1:{$wrong[3]}", 'tls' => slotlock_tls_opts()]);
attempt('peer_name mismatch', ['dsn' => "rediss://127.0.0.1:{$good[3]}", 'tls' => slotlock_tls_opts(['peer_name' => 'db.example'])] + $pw);
attempt('expired', ['dsn' => "rediss://127.0.0.1:{$expired[3]}", 'tls' => slotlock_tls_opts()]);
attempt('client certificate required', ['dsn' => "rediss://127.0.0.1:{$yes[3]}", 'tls' => slotlock_tls_opts()]);
/* AUTH and SELECT written back to back into a session the server drops: an error, no SIGPIPE */
attempt('client certificate required, AUTH + SELECT', ['dsn' => "rediss://:Very-Secret-Pw@127.0.0.1:{$yes[3]}/3", 'tls' => slotlock_tls_opts()]);
attempt('wrong key passphrase', ['dsn' => "rediss://127.0.0.1:{$yes[3]}", 'tls' => slotlock_tls_opts(
    ['local_cert' => "$d/client.crt", 'local_pk' => "$d/client-enc.key", 'passphrase' => 'client-pass-wrong'])]);
attempt('TLS 1.3 required, server speaks 1.2', ['dsn' => "rediss://127.0.0.1:{$tls12[3]}", 'tls' => slotlock_tls_opts(['min_proto_version' => 'tlsv1.3'])]);
attempt('TLS 1.2 allowed', ['dsn' => "rediss://127.0.0.1:{$tls12[3]}", 'tls' => slotlock_tls_opts(['min_proto_version' => STREAM_CRYPTO_PROTO_TLSv1_2])]);
attempt('no usable cipher', ['dsn' => "rediss://127.0.0.1:{$tls12[3]}", 'tls' => slotlock_tls_opts(['ciphers' => 'NO-SUCH-CIPHER'])]);
attempt('missing CA file', ['dsn' => "rediss://127.0.0.1:{$good[3]}", 'tls' => ['cafile' => "$d/none.crt"]] + $pw);
attempt('TLS to a plain port', ['dsn' => "rediss://127.0.0.1:{$good[1]}", 'tls' => slotlock_tls_opts()] + $pw);
attempt('plain to a TLS port', ['dsn' => "redis://127.0.0.1:{$good[3]}"] + $pw);
attempt('wrong password over TLS', ['dsn' => "rediss://127.0.0.1:{$good[3]}", 'tls' => slotlock_tls_opts(), 'password' => 'Very-Secret-Pw-not']);

foreach ([$good, $other, $wrong, $expired, $yes, $tls12] as $s) {
    slotlock_test_stop_redis($s);
}
?>
--CLEAN--
<?php
require __DIR__ . '/helpers.inc';
slotlock_test_stop_all_redis();
?>
--EXPECTF--
unknown CA: SlotLockConnectionException: cannot connect to Redis at tls://127.0.0.1:%d/0: TLS handshake failed: certificate verify failed: unable to get local issuer certificate
system CAs only: SlotLockConnectionException: cannot connect to Redis at tls://127.0.0.1:%d/0: TLS handshake failed: certificate verify failed: %s
name mismatch: SlotLockConnectionException: cannot connect to Redis at tls://127.0.0.1:%d/0: TLS handshake failed: certificate verify failed: %s mismatch
peer_name mismatch: SlotLockConnectionException: cannot connect to Redis at tls://127.0.0.1:%d/0: TLS handshake failed: certificate verify failed: hostname mismatch
expired: SlotLockConnectionException: cannot connect to Redis at tls://127.0.0.1:%d/0: TLS handshake failed: certificate verify failed: certificate has expired
client certificate required: SlotLockConnectionException: %s tls://127.0.0.1:%d/0 %Scertificate required%S
client certificate required, AUTH + SELECT: SlotLockConnectionException: %s tls://127.0.0.1:%d/3 %s
wrong key passphrase: SlotLockConnectionException: cannot connect to Redis at tls://127.0.0.1:%d/0: TLS setup failed: cannot load the client key (%s)
TLS 1.3 required, server speaks 1.2: SlotLockConnectionException: cannot connect to Redis at tls://127.0.0.1:%d/0: TLS handshake failed: %s
TLS 1.2 allowed: no exception
no usable cipher: SlotLockConnectionException: cannot connect to Redis at tls://127.0.0.1:%d/0: TLS setup failed: no usable cipher in "ciphers"
missing CA file: SlotLockConnectionException: cannot connect to Redis at tls://127.0.0.1:%d/0: TLS setup failed: cannot load the CA file (%s)
TLS to a plain port: SlotLock%SException: %s tls://127.0.0.1:%d/0%s
plain to a TLS port: SlotLockConnectionException: %s (a TLS port? use rediss:// or the "tls" option)
wrong password over TLS: SlotLockConnectionException: Redis at tls://127.0.0.1:%d/0 refused the credentials: WRONGPASS %s
