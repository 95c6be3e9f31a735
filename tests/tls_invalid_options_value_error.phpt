--TEST--
TLS options: a bad "tls" key or value is a ValueError naming it, a wrong type of "tls" a TypeError; php --ri shows TLS and the OpenSSL version; the INI CA file is listed
--EXTENSIONS--
slotlock
--SKIPIF--
<?php
ob_start(); phpinfo(INFO_MODULES); if (!str_contains(ob_get_clean(), 'TLS support (rediss://) => enabled')) die('skip built without OpenSSL');
?>
--INI--
slotlock.tls_cafile=/etc/ssl/certs/ca-certificates.crt
--FILE--
<?php
foreach ([
    'unknown key' => ['tls' => ['cafle' => '/x']],
    'list, not names' => ['tls' => ['/x']],
    'empty cafile' => ['tls' => ['cafile' => '']],
    'cafile NUL' => ['tls' => ['cafile' => "/x\0y"]],
    'cafile int' => ['tls' => ['cafile' => 1]],
    'verify_peer string' => ['tls' => ['verify_peer' => 'yes']],
    'verify_peer_name int' => ['tls' => ['verify_peer_name' => 1]],
    'security_level 6' => ['tls' => ['security_level' => 6]],
    'security_level string' => ['tls' => ['security_level' => '2']],
    'min_proto_version' => ['tls' => ['min_proto_version' => 'sslv3']],
    'tls string' => ['tls' => 'yes'],
    'tls over a socket' => ['tls' => true, 'socket' => '/tmp/redis.sock'],
    'passphrase never echoed' => ['tls' => ['passphrase' => 'Top-Secret', 'pasphrase' => 'Top-Secret-2']],
] as $label => $options) {
    try {
        new SlotLockService($options);
        echo "$label: no exception\n";
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
/* accepted */
foreach ([['tls' => true], ['tls' => false], ['dsn' => 'rediss://db.example:6380/1'],
          ['tls' => ['min_proto_version' => STREAM_CRYPTO_PROTO_TLSv1_3, 'security_level' => 2, 'ciphers' => 'HIGH',
                     'verify_peer' => true, 'verify_peer_name' => false, 'peer_name' => 'db.example', 'capath' => '/etc/ssl/certs']]] as $o) {
    echo (new SlotLockService($o))->topology()['nodes'][0]['addr'], "\n";
}
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
var_dump((bool) preg_match('/TLS support \(rediss:\/\/\) => enabled/', $info),
         (bool) preg_match('/OpenSSL library version => OpenSSL \d/', $info),
         str_contains($info, 'slotlock.tls_cafile => /etc/ssl/certs/ca-certificates.crt'));
?>
--EXPECT--
unknown key: ValueError: SlotLockService::__construct(): Option "tls": unknown key "cafle" (allowed: cafile, capath, local_cert, local_pk, passphrase, verify_peer, verify_peer_name, peer_name, ciphers, security_level, min_proto_version)
list, not names: ValueError: SlotLockService::__construct(): Option "tls" must be keyed by name
empty cafile: ValueError: SlotLockService::__construct(): Option "tls": "cafile" must be a non-empty string
cafile NUL: ValueError: SlotLockService::__construct(): Option "tls": "cafile" must be a non-empty string
cafile int: ValueError: SlotLockService::__construct(): Option "tls": "cafile" must be a non-empty string
verify_peer string: ValueError: SlotLockService::__construct(): Option "tls": "verify_peer" must be a bool
verify_peer_name int: ValueError: SlotLockService::__construct(): Option "tls": "verify_peer_name" must be a bool
security_level 6: ValueError: SlotLockService::__construct(): Option "tls": "security_level" must be an int from 0 to 5
security_level string: ValueError: SlotLockService::__construct(): Option "tls": "security_level" must be an int from 0 to 5
min_proto_version: ValueError: SlotLockService::__construct(): Option "tls": "min_proto_version" must be "tlsv1.2", "tlsv1.3", STREAM_CRYPTO_PROTO_TLSv1_2 or STREAM_CRYPTO_PROTO_TLSv1_3
tls string: TypeError: SlotLockService::__construct(): Option "tls" must be of type array|bool, string given
tls over a socket: ValueError: SlotLockService::__construct(): TLS needs a host and port, not a unix socket
passphrase never echoed: ValueError: SlotLockService::__construct(): Option "tls": unknown key "pasphrase" (allowed: cafile, capath, local_cert, local_pk, passphrase, verify_peer, verify_peer_name, peer_name, ciphers, security_level, min_proto_version)
tls://127.0.0.1:6379/0
tcp://127.0.0.1:6379/0
tls://db.example:6380/1
tls://127.0.0.1:6379/0
bool(true)
bool(true)
bool(true)
