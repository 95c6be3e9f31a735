--TEST--
A malformed DSN string is a ValueError; valid DSNs are accepted without connecting
--EXTENSIONS--
slotlock
--FILE--
<?php
$bad = [
    '',
    'localhost',
    'http://127.0.0.1:6379',
    'redis://',
    'redis://127.0.0.1:0',
    'redis://127.0.0.1:65536',
    'redis://127.0.0.1:abc',
    'redis://127.0.0.1:6379/abc',
    'redis://127.0.0.1:6379/-1',
    'unix://',
    'unix://relative.sock',
];
foreach ($bad as $dsn) {
    try {
        new SlotLockService($dsn);
        echo "'$dsn': accepted\n";
    } catch (ValueError $e) {
        echo "'$dsn': ValueError\n";
    }
}

$good = [
    'redis://127.0.0.1',
    'redis://127.0.0.1:6380',
    'redis://127.0.0.1:6380/2',
    'redis://localhost/3',
    'redis://user:pass@127.0.0.1:6380/1',
    'unix:///tmp/redis.sock',
    'unix:///tmp/redis.sock?database=4',
];
foreach ($good as $dsn) {
    try {
        $svc = new SlotLockService($dsn);
        echo "'$dsn': ", $svc->key(1, 2, '2030-11-24 14:00'), "\n";
    } catch (Throwable $e) {
        echo "'$dsn': ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
'': ValueError
'localhost': ValueError
'http://127.0.0.1:6379': ValueError
'redis://': ValueError
'redis://127.0.0.1:0': ValueError
'redis://127.0.0.1:65536': ValueError
'redis://127.0.0.1:abc': ValueError
'redis://127.0.0.1:6379/abc': ValueError
'redis://127.0.0.1:6379/-1': ValueError
'unix://': ValueError
'unix://relative.sock': ValueError
'redis://127.0.0.1': slot_lock:c1:s2:t203011241400
'redis://127.0.0.1:6380': slot_lock:c1:s2:t203011241400
'redis://127.0.0.1:6380/2': slot_lock:c1:s2:t203011241400
'redis://localhost/3': slot_lock:c1:s2:t203011241400
'redis://user:pass@127.0.0.1:6380/1': slot_lock:c1:s2:t203011241400
'unix:///tmp/redis.sock': slot_lock:c1:s2:t203011241400
'unix:///tmp/redis.sock?database=4': slot_lock:c1:s2:t203011241400
