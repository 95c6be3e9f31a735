--TEST--
var_dump/print_r/var_export/(array) of a service and a lock never show the password; a lock's owner is only in ->owner
--EXTENSIONS--
slotlock
--FILE--
<?php
$svc = new SlotLockService(['port' => 1, 'username' => 'booker', 'password' => 'Sup3r-Secret-Pw']);
$dsn = new SlotLockService('redis://booker:Sup3r-Secret-Pw@127.0.0.1:1/2');
foreach (['array options' => $svc, 'DSN' => $dsn] as $label => $s) {
    ob_start();
    var_dump($s);
    print_r($s);
    echo "\n";
    var_export($s);
    var_dump((array) $s, get_object_vars($s));
    $out = ob_get_clean();
    echo "$label: ", str_contains($out, 'Sup3r') ? 'shows the password' : 'hidden', "\n";
}

try {
    $svc->acquire(1, 31, '2030-11-24 14:00', 'o');
} catch (SlotLockConnectionException $e) {
    echo str_contains($e->getMessage(), 'Sup3r') || str_contains((string) $e, 'Sup3r') ? "exception shows the password\n" : "exception hides the password\n";
}
?>
--EXPECT--
array options: hidden
DSN: hidden
exception hides the password
