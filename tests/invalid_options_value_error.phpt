--TEST--
Constructor options: unknown keys and out-of-range values are a ValueError naming the option
--EXTENSIONS--
slotlock
--FILE--
<?php
$bad = [
    'bogus' => ['bogus' => 1],
    'Host' => ['Host' => '127.0.0.1'],
    'port' => ['port' => 0],
    'port' => ['port' => 65536],
    'port ' => ['port' => -1],
    'timeout' => ['timeout' => -1.0],
    'timeout ' => ['timeout' => -0.001],
    'prefix' => ['prefix' => ''],
    'prefix ' => ['prefix' => 'has space'],
    'prefix  ' => ['prefix' => 'has:colon'],
    'prefix   ' => ['prefix' => str_repeat('p', 65)],
    'prefix    ' => ['prefix' => "nul\0byte"],
    'ttl' => ['ttl' => 0],
    'ttl ' => ['ttl' => 86401],
    'database' => ['database' => -1],
    'key_timezone' => ['key_timezone' => 'Mars/Olympus_Mons'],
    'key_timezone ' => ['key_timezone' => ''],
    'host' => ['host' => ''],
];
foreach ($bad as $name => $options) {
    $name = trim($name);
    $label = var_export($options, true);
    $label = preg_replace('/\s+/', ' ', $label);
    try {
        new SlotLockService($options);
        echo "$label: accepted\n";
    } catch (ValueError $e) {
        if ($name !== 'Host' && !str_contains($e->getMessage(), $name)) {
            echo "$label: message does not name $name: ", $e->getMessage(), "\n";
        }
    }
}
echo "done\n";

/* every documented option is accepted (no connection is made) */
$svc = new SlotLockService([
    'host' => '127.0.0.1', 'port' => 1, 'database' => 15, 'username' => 'u', 'password' => 'p',
    'timeout' => 0.5, 'prefix' => 'A-z_0.9', 'ttl' => 86400, 'persistent' => false,
    'key_timezone' => 'Europe/Berlin',
]);
var_dump($svc instanceof SlotLockService);
var_dump((new SlotLockService(['socket' => '/tmp/none.sock']))->key(1, 2, '2030-11-24 14:00'));
var_dump((new SlotLockService(['prefix' => str_repeat('p', 64)]))->key(1, 2, '2030-11-24 14:00') === str_repeat('p', 64) . ':c1:s2:t203011241400');
var_dump((new SlotLockService([]))->key(1, 2, '2030-11-24 14:00'));
var_dump((new SlotLockService(['timeout' => 0.05]))->key(1, 2, '2030-11-24 14:00'));
?>
--EXPECT--
done
bool(true)
string(29) "slot_lock:c1:s2:t203011241400"
bool(true)
string(29) "slot_lock:c1:s2:t203011241400"
string(29) "slot_lock:c1:s2:t203011241400"
