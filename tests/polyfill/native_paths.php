<?php
/*
 * The polyfill's one-key paths against servers the test Redis cannot stand for: a tiny fake
 * Redis (RESP over a local socket, started by this script) that answers as Valkey 9 (DELIFEQ),
 * Redis 8.4 (DELEX ... IFEQ), Redis 6.2 (SET ... NX ... GET is a syntax error, no COMMAND INFO)
 * or an ACL that refuses COMMAND, and logs every command it gets. Checks what the polyfill
 * sends (docs/WIRE.md, "acquire, one slot" and "release"), byte for byte, and that the probe
 * runs once per connection.
 *
 *   php tests/polyfill/native_paths.php          (run without the extension)
 * Exits 1 on any difference.
 */

if (($argv[1] ?? '') === 'serve') {
    serve($argv[2], $argv[3]);
    exit(0);
}
require dirname(__DIR__, 2) . '/polyfill/slotlock.php';
if (extension_loaded('slotlock')) {
    fwrite(STDERR, "native_paths: run me without the extension\n");
    exit(1);
}

$failures = 0;
$owner = 'o1';
$key = 'pfx:c1:s2:t203001011000';
$probe = ['COMMAND', 'INFO', 'DELIFEQ', 'DELEX'];
$set = ['SET', $key, "h:0:$owner", 'NX', 'PX', '60000', 'GET'];
$expect = [
    'valkey9' => [$set, $probe, ['DELIFEQ', $key, "h:0:$owner"], $set, ['DELIFEQ', $key, "h:0:$owner"]],
    'redis84' => [$set, $probe, ['DELEX', $key, 'IFEQ', "h:0:$owner"], $set, ['DELEX', $key, 'IFEQ', "h:0:$owner"]],
    'redis62' => [$set, ['EVALSHA', 'acquire', '2', $key, $key, $owner, '60000', '0', '1'], $probe,
                  ['EVALSHA', 'release1', '1', $key, "h:0:$owner"],
                  ['EVALSHA', 'acquire', '2', $key, $key, $owner, '60000', '0', '1'],
                  ['EVALSHA', 'release1', '1', $key, "h:0:$owner"]],
    'noperm' => [$set, $probe, ['EVALSHA', 'release1', '1', $key, "h:0:$owner"], $set,
                 ['EVALSHA', 'release1', '1', $key, "h:0:$owner"]],
];
$shas = array_flip(array_map('sha1', SlotLock\Polyfill\Scripts::SCRIPTS));
foreach ($expect as $mode => $want) {
    $sock = sys_get_temp_dir() . '/slotlock-fake-' . getmypid() . "-$mode.sock";
    $log = "$sock.log";
    @unlink($sock);
    $srv = proc_open([PHP_BINARY, __FILE__, 'serve', $sock, $mode], [1 => ['file', $log, 'w'], 2 => STDERR], $pipes);
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
            $cmd[1] = array_search($cmd[1], array_flip($shas), true) ?: $cmd[1];
        }
        $sent[] = $cmd;
    }
    @unlink($sock);
    @unlink($log);
    $ok = $got === [[$key, null, true], [$key, null, true]] && $sent === $want;
    if (!$ok) {
        $failures++;
        echo "FAIL $mode:\n  results " . json_encode($got) . "\n  sent    " . json_encode($sent)
            . "\n  wanted  " . json_encode($want) . "\n";
    }
}
printf("native_paths: %d server kinds, %d failures\n", count($expect), $failures);
exit($failures === 0 ? 0 : 1);

/* ---- the fake server ------------------------------------------------------------------------ */

function serve(string $path, string $mode): void
{
    $srv = stream_socket_server("unix://$path", $errno, $errstr);
    $c = stream_socket_accept($srv, 10);
    $nil = "$-1\r\n";
    while (($cmd = read_command($c)) !== null) {
        echo json_encode($cmd), "\n";
        $name = strtoupper($cmd[0]);
        $reply = match (true) {
            $name === 'COMMAND' => match ($mode) {
                'valkey9' => "*2\r\n*1\r\n\$7\r\ndelifeq\r\n$nil",
                'redis84' => "*2\r\n$nil*1\r\n\$5\r\ndelex\r\n",
                'redis62' => "-ERR unknown subcommand 'INFO'\r\n",
                default => "-NOPERM this user has no permissions to run the 'command|info' command\r\n",
            },
            $name === 'SET' => $mode === 'redis62' ? "-ERR syntax error\r\n" : $nil,
            $name === 'DELIFEQ', $name === 'DELEX' => ":1\r\n",
            $name === 'EVALSHA' && $cmd[2] === '2' => "*6\r\n:1\r\n:0\r\n:60000\r\n:1\r\n:0\r\n\$0\r\n\r\n",
            $name === 'EVALSHA' => ":1\r\n",
            default => "+OK\r\n",
        };
        fwrite($c, $reply);
    }
}

/** One RESP array of bulk strings, or null at the end of the connection. */
function read_command($c): ?array
{
    $head = fgets($c);
    if ($head === false || $head[0] !== '*') {
        return null;
    }
    $out = [];
    for ($n = (int) substr($head, 1); $n > 0; $n--) {
        $len = (int) substr(fgets($c), 1);
        $out[] = $len > 0 ? stream_get_contents($c, $len) : '';
        fgets($c);
    }
    return $out;
}
