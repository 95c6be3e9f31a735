--TEST--
One slot without fencing, against fake servers: SET NX PX GET, then DELIFEQ (Valkey 9) or DELEX IFEQ (Redis 8.4) found by one COMMAND INFO per connection; the acquire and release1 scripts on Redis 6.2 (SET NX GET refused once per connection) or when COMMAND is refused
--EXTENSIONS--
slotlock
--FILE--
<?php
$owner = 'o1';
$key = 'pfx:c1:s2:t203001011000';
$probe = ['COMMAND', 'INFO', 'DELIFEQ', 'DELEX'];
$set = ['SET', $key, "h:0:$owner", 'NX', 'PX', '60000', 'GET'];
$acq = ['EVALSHA', 'acquire', '2', $key, $key, $owner, '60000', '0', '1'];
$rel1 = ['EVALSHA', 'release1', '1', $key, "h:0:$owner"];
$expect = [
    'valkey9' => [$set, $probe, ['DELIFEQ', $key, "h:0:$owner"], $set, ['DELIFEQ', $key, "h:0:$owner"]],
    'redis84' => [$set, $probe, ['DELEX', $key, 'IFEQ', "h:0:$owner"], $set, ['DELEX', $key, 'IFEQ', "h:0:$owner"]],
    'redis62' => [$set, $acq, $probe, $rel1, $acq, $rel1],
    'noperm' => [$set, $probe, $rel1, $set, $rel1],
];
/* the digests of docs/WIRE.md's table */
$shas = ['b5b1babb58a025a57f9093f15041c304f1a35548' => 'acquire', 'e5a212447e6ae33c5b92e0c862054e8ac229b69b' => 'release1'];
foreach ($expect as $mode => $want) {
    $sock = sys_get_temp_dir() . '/slotlock-fake-' . getmypid() . "-$mode.sock";
    $log = "$sock.log";
    @unlink($sock);
    $srv = proc_open([PHP_BINARY, '-n', __DIR__ . '/fake_redis.inc', $sock, $mode], [1 => ['file', $log, 'w']], $pipes);
    for ($i = 0; $i < 100 && !file_exists($sock); $i++) {
        usleep(20000);
    }
    $s = new SlotLockService(['socket' => $sock, 'prefix' => 'pfx', 'persistent' => false, 'ttl' => 60]);
    $got = [];
    try {
        for ($round = 0; $round < 2; $round++) {
            $l = $s->acquire(1, 2, '2030-01-01 10:00', $owner);
            $got[] = [$l?->key, $l?->fence, $s->release($l, $owner)];
        }
    } catch (Throwable $e) {
        $got[] = get_class($e) . ': ' . $e->getMessage();
    }
    $s->close();
    proc_terminate($srv);
    proc_close($srv);
    $sent = [];
    foreach (file($log, FILE_IGNORE_NEW_LINES) as $line) {
        $cmd = json_decode($line, true);
        if (strtoupper($cmd[0]) === 'EVALSHA') {
            $cmd[1] = $shas[$cmd[1]] ?? $cmd[1];
        }
        $sent[] = $cmd;
    }
    @unlink($sock);
    @unlink($log);
    echo $mode, ': ', $got === [[$key, null, true], [$key, null, true]] ? 'locks ok' : json_encode($got), ', ',
        $sent === $want ? 'commands as docs/WIRE.md says' : 'sent ' . json_encode($sent), "\n";
}
?>
--EXPECT--
valkey9: locks ok, commands as docs/WIRE.md says
redis84: locks ok, commands as docs/WIRE.md says
redis62: locks ok, commands as docs/WIRE.md says
noperm: locks ok, commands as docs/WIRE.md says
