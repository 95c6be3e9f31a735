<?php
/*
 * tests/reliability/lib.php: shared helpers of the reliability suites.
 *
 * Every suite prints one line per check, "PASS name: detail" or "FAIL name: detail", a summary
 * "<suite>: N passed, N failed" and exits 1 when anything failed (2 on a setup error).
 * Servers: rl_start_redis() starts a private redis-server on a free loopback port in a fresh
 * temp dir (stopped at exit, also when the suite dies of an exception); suites that only need
 * "a Redis" use the one of ./dev test (SLOTLOCK_TEST_HOST/PORT) through rl_shared_redis(),
 * under a prefix of their own, or start one when it is not set.
 */
declare(strict_types=1);

error_reporting(E_ALL);
ini_set('display_errors', 'stderr');

if (!extension_loaded('slotlock')) {
    fwrite(STDERR, "slotlock is not loaded: run with php -d extension=\$SLOTLOCK_EXT_SO\n");
    exit(2);
}
foreach (['redis', 'pcntl', 'posix'] as $ext) {
    if (!extension_loaded($ext)) {
        fwrite(STDERR, "the $ext extension is needed\n");
        exit(2);
    }
}

final class RL
{
    public static int $passed = 0;
    public static int $failed = 0;
    public static string $suite = 'reliability';
    /** @var RedisProc[] */
    public static array $servers = [];
    public static int $mainPid = 0;
}
RL::$mainPid = getmypid();

function rl_suite(string $name): void
{
    RL::$suite = $name;
    register_shutdown_function(function () {
        if (getmypid() !== RL::$mainPid) {
            return;                       /* a forked child: its parent owns the servers */
        }
        foreach (RL::$servers as $srv) {
            $srv->stop();
        }
    });
}

function rl_check(bool $ok, string $name, string $detail = ''): bool
{
    if ($ok) {
        RL::$passed++;
    } else {
        RL::$failed++;
    }
    printf("%s %s%s\n", $ok ? 'PASS' : 'FAIL', $name, $detail === '' ? '' : ": $detail");
    return $ok;
}

function rl_info(string $line): void
{
    echo "  .. $line\n";
}

/** Prints the summary and exits (1 on any failure). */
function rl_done(): never
{
    printf("%s: %d passed, %d failed\n", RL::$suite, RL::$passed, RL::$failed);
    exit(RL::$failed > 0 ? 1 : 0);
}

/** Parses --name=value / --flag arguments. */
function rl_args(array $defaults): array
{
    global $argv;
    $out = $defaults;
    foreach (array_slice($argv ?? [], 1) as $a) {
        if (!preg_match('/^--([a-z0-9_-]+)(?:=(.*))?$/', $a, $m)) {
            fwrite(STDERR, "unknown argument $a\n");
            exit(2);
        }
        $k = str_replace('-', '_', $m[1]);
        if (!array_key_exists($k, $defaults)) {
            fwrite(STDERR, "unknown option --{$m[1]}\n");
            exit(2);
        }
        $v = $m[2] ?? true;
        if (is_int($defaults[$k])) {
            $v = (int) $v;
        } elseif (is_float($defaults[$k])) {
            $v = (float) $v;
        }
        $out[$k] = $v;
    }
    return $out;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
function rl_free_port(): int
{
    $s = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    if (!$s) {
        throw new RuntimeException("no free port: $errstr");
    }
    $name = stream_socket_get_name($s, false);
    fclose($s);
    return (int) substr($name, strrpos($name, ':') + 1);
}

function rl_prefix(string $what): string
{
    return 'slrel_' . $what . '_' . bin2hex(random_bytes(3));
}

/** A private redis-server (plain process, not daemonized, so we own its pid). */
final class RedisProc
{
    public int $pid = 0;
    public int $port;
    public string $dir;
    public ?string $password = null;
    /** @var resource|null */
    private $proc = null;

    public function __construct(public array $args = [], ?int $port = null)
    {
        $this->port = $port ?? rl_free_port();
        $this->dir = sys_get_temp_dir() . '/slrel_redis_' . getmypid() . '_' . bin2hex(random_bytes(3));
        mkdir($this->dir, 0700, true);
        RL::$servers[] = $this;
    }

    public function start(float $wait = 5.0): void
    {
        $cmd = array_merge(
            ['redis-server', '--port', (string) $this->port, '--bind', '127.0.0.1',
             '--save', '', '--appendonly', 'no', '--dir', $this->dir, '--daemonize', 'no',
             '--unixsocket', $this->dir . '/redis.sock', '--unixsocketperm', '700',
             '--enable-debug-command', 'local'],
            array_map('strval', $this->args)
        );
        $log = $this->dir . '/redis.log';
        $this->proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes);
        if (!is_resource($this->proc)) {
            throw new RuntimeException('cannot start redis-server');
        }
        $this->pid = proc_get_status($this->proc)['pid'];
        $deadline = microtime(true) + $wait;
        while (microtime(true) < $deadline) {
            if (!proc_get_status($this->proc)['running']) {
                break;
            }
            $fp = @stream_socket_client("tcp://127.0.0.1:{$this->port}", $errno, $errstr, 0.5);
            if ($fp) {
                stream_set_timeout($fp, 1);
                fwrite($fp, "PING\r\n");
                $line = (string) fgets($fp);
                fclose($fp);
                if ($line !== '' && ($line[0] === '+' || str_contains($line, 'NOAUTH'))) {
                    return;
                }
            }
            usleep(20000);
        }
        $this->stop();
        throw new RuntimeException("redis-server on port {$this->port} did not come up: "
            . @file_get_contents($log));
    }

    public function signal(int $sig): void
    {
        if ($this->pid > 0) {
            posix_kill($this->pid, $sig);
        }
    }

    /** SIGKILL and reap: the port is free again when this returns. */
    public function kill(): void
    {
        if ($this->proc) {
            posix_kill($this->pid, SIGCONT);
            posix_kill($this->pid, SIGKILL);
            proc_close($this->proc);
            $this->proc = null;
        }
        $this->pid = 0;
    }

    public function running(): bool
    {
        return $this->proc !== null && proc_get_status($this->proc)['running'];
    }

    public function stop(): void
    {
        $this->kill();
        if (is_dir($this->dir)) {
            foreach (glob($this->dir . '/*') ?: [] as $f) {
                @unlink($f);
            }
            @rmdir($this->dir);
        }
    }

    public function socket(): string
    {
        return $this->dir . '/redis.sock';
    }

    /** A raw php-redis client (AUTHed with $auth: a password or [user, password]). */
    public function client(mixed $auth = null, float $timeout = 2.0): Redis
    {
        $r = new Redis();
        $r->connect('127.0.0.1', $this->port, $timeout);
        $auth ??= $this->password;
        if ($auth !== null) {
            $r->auth($auth);
        }
        return $r;
    }
}

function rl_start_redis(array $args = [], ?int $port = null): RedisProc
{
    $srv = new RedisProc($args, $port);
    $srv->start();
    return $srv;
}

/** [host, port] of the Redis of ./dev test, or of a private one started here. */
function rl_shared_redis(): array
{
    static $hp = null;
    if ($hp === null) {
        if (getenv('SLOTLOCK_TEST_PORT')) {
            $hp = [getenv('SLOTLOCK_TEST_HOST') ?: '127.0.0.1', (int) getenv('SLOTLOCK_TEST_PORT')];
        } else {
            $srv = rl_start_redis();
            $hp = ['127.0.0.1', $srv->port];
        }
    }
    return $hp;
}

function rl_raw(string $host, int $port, float $timeout = 2.0): Redis
{
    $r = new Redis();
    $r->connect($host, $port, $timeout);
    return $r;
}

/** Every key matching $pattern, with SCAN (the suites may; the extension never does). */
function rl_scan(Redis $r, string $pattern): array
{
    $r->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
    $out = [];
    $it = null;
    while (($keys = $r->scan($it, $pattern, 1000)) !== false) {
        foreach ($keys as $k) {
            $out[] = $k;
        }
    }
    sort($out);
    return array_values(array_unique($out));
}

function rl_delete_prefix(Redis $r, string $prefix): void
{
    foreach (array_chunk(rl_scan($r, $prefix . ':*'), 500) as $chunk) {
        $r->del($chunk);
    }
}

/**
 * Lock keys under $prefix that are not booked markers (the fence counter and the index
 * excepted): a non-empty answer after all holds expired or were released is a lock left
 * behind. Returns [key => description].
 */
function rl_held_keys(Redis $r, string $prefix): array
{
    $out = [];
    foreach (rl_scan($r, $prefix . ':*') as $k) {
        if ($k === "$prefix:fence" || $k === "$prefix:active") {
            continue;
        }
        $type = $r->type($k);
        if ($type !== Redis::REDIS_STRING) {
            $out[$k] = "type $type";
            continue;
        }
        $v = $r->get($k);
        if (is_string($v) && str_starts_with($v, 'h:')) {
            $out[$k] = 'hold, pttl ' . $r->pttl($k);
        } elseif (!is_string($v) || !str_starts_with($v, 'b:')) {
            $out[$k] = $v === false ? 'gone' : 'not format 2';
        }
    }
    return array_filter($out, fn ($d) => $d !== 'gone');
}

/**
 * One field of a slot value of wire format 2 ("h:<fence>:<owner>" or
 * "b:<fence>:<idlen>:<id>:<owner>"): owner, booked (the booking id), fence; false when absent.
 */
function rl_field(Redis $r, string $key, string $field): string|false
{
    return rl_parse($r->get($key))[$field] ?? false;
}

/** A slot value (GET's answer) as ['owner' =>, 'booked' =>, 'fence' =>], each false when absent. */
function rl_parse(mixed $v): array
{
    $out = ['owner' => false, 'booked' => false, 'fence' => false];
    if (!is_string($v) || !preg_match('/^([hb]):([0-9]+):/', $v, $m)) {
        return $out;
    }
    $rest = substr($v, strlen($m[0]));
    $out['fence'] = $m[2];
    if ($m[1] === 'h') {
        $out['owner'] = $rest;
    } elseif (preg_match('/^([0-9]+):/', $rest, $n)) {
        $out['booked'] = substr($rest, strlen($n[0]), (int) $n[1]);
        $out['owner'] = substr($rest, strlen($n[0]) + (int) $n[1] + 1);
    }
    return $out;
}

/** The fence at a slot key as SlotLock->fence says it: null when none (fencing off). */
function rl_fence(Redis $r, string $key): ?int
{
    $f = rl_field($r, $key, 'fence');
    return $f === false || $f === '0' ? null : (int) $f;
}

/** Milliseconds since $t0 (hrtime ns). */
function rl_ms(int $t0): float
{
    return (hrtime(true) - $t0) / 1e6;
}

/**
 * Runs $fn in a forked child with a watchdog; returns ['status' => 'exit'|'signal'|'timeout',
 * 'code' => int, 'output' => string (what the child wrote to its STDOUT), 'ms' => float].
 */
function rl_in_child(callable $fn, float $timeout): array
{
    $tmp = tempnam(sys_get_temp_dir(), 'slrel_child_');
    $t0 = hrtime(true);
    $pid = pcntl_fork();
    if ($pid < 0) {
        throw new RuntimeException('fork failed');
    }
    if ($pid === 0) {
        $fp = fopen($tmp, 'w');
        ob_start(function ($buf) use ($fp) {
            fwrite($fp, $buf);
            return '';
        }, 1);
        $code = 0;
        try {
            $code = (int) $fn();
        } catch (Throwable $e) {
            echo 'uncaught ', get_class($e), ': ', $e->getMessage(), "\n";
            $code = 3;
        }
        ob_end_flush();
        fclose($fp);
        exit($code);      /* the shutdown function leaves the parent's servers alone */
    }
    $deadline = microtime(true) + $timeout;
    $status = 0;
    $res = ['status' => 'timeout', 'code' => -1];
    while (true) {
        $w = pcntl_waitpid($pid, $status, WNOHANG);
        if ($w === $pid) {
            if (pcntl_wifexited($status)) {
                $res = ['status' => 'exit', 'code' => pcntl_wexitstatus($status)];
            } else {
                $res = ['status' => 'signal', 'code' => pcntl_wtermsig($status)];
            }
            break;
        }
        if (microtime(true) > $deadline) {
            posix_kill($pid, SIGKILL);
            pcntl_waitpid($pid, $status);
            break;
        }
        usleep(5000);
    }
    $res['output'] = (string) @file_get_contents($tmp);
    $res['ms'] = rl_ms($t0);
    @unlink($tmp);
    return $res;
}

/**
 * A TCP proxy in a forked process, in front of 127.0.0.1:$upstream. While the file
 * $proxy->dropFlag exists, the next reply coming from Redis is thrown away and the client's
 * connection closed instead (the flag is removed): "the command ran, its answer was lost
 * with the connection". Deterministic, unlike CLIENT KILL.
 */
final class DropProxy
{
    public int $port;
    public int $pid;
    public string $dropFlag;

    public function __construct(public int $upstream)
    {
        $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        if (!$server) {
            throw new RuntimeException("proxy: $errstr");
        }
        $name = stream_socket_get_name($server, false);
        $this->port = (int) substr($name, strrpos($name, ':') + 1);
        $this->dropFlag = sys_get_temp_dir() . '/slrel_drop_' . getmypid() . '_' . $this->port;
        @unlink($this->dropFlag);
        $pid = pcntl_fork();
        if ($pid === 0) {
            $this->serve($server);
            exit(0);
        }
        fclose($server);
        $this->pid = $pid;
        RL::$servers[] = $this;       /* stopped at exit */
    }

    private function serve($server): void
    {
        pcntl_alarm(900);
        $pairs = [];       /* id => [client, upstream] */
        while (true) {
            $read = [$server];
            foreach ($pairs as [$c, $u]) {
                $read[] = $c;
                $read[] = $u;
            }
            $w = $e = null;
            if (@stream_select($read, $w, $e, 1) === false) {
                continue;
            }
            foreach ($read as $s) {
                if ($s === $server) {
                    $c = @stream_socket_accept($server, 0);
                    $u = $c ? @stream_socket_client("tcp://127.0.0.1:{$this->upstream}", $errno, $errstr, 2) : false;
                    if ($c && $u) {
                        $pairs[(int) $c] = [$c, $u];
                    } elseif ($c) {
                        fclose($c);
                    }
                    continue;
                }
                foreach ($pairs as $id => [$c, $u]) {
                    if ($s !== $c && $s !== $u) {
                        continue;
                    }
                    $data = fread($s, 65536);
                    if ($data === '' || $data === false) {
                        fclose($c);
                        fclose($u);
                        unset($pairs[$id]);
                        break;
                    }
                    if ($s === $u && file_exists($this->dropFlag)) {
                        unlink($this->dropFlag);
                        fclose($c);
                        fclose($u);
                        unset($pairs[$id]);
                        break;
                    }
                    fwrite($s === $c ? $u : $c, $data);
                    break;
                }
            }
        }
    }

    /** The next reply from Redis is lost with the connection. */
    public function dropNextReply(): void
    {
        touch($this->dropFlag);
    }

    public function armed(): bool
    {
        return file_exists($this->dropFlag);
    }

    public function stop(): void
    {
        if ($this->pid > 0) {
            posix_kill($this->pid, SIGKILL);
            pcntl_waitpid($this->pid, $st);
            $this->pid = 0;
        }
        @unlink($this->dropFlag);
    }
}
