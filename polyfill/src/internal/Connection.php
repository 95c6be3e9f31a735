<?php

/*
 * slotlock polyfill, twin of src/sl_conn.c: one service's connection to its Redis node over
 * phpredis. Opening (timeouts, RESET/AUTH/SELECT), sharing among the persistent services of a
 * process, fork safety, turning phpredis' failures into the extension's exceptions, and one
 * transparent reconnect when a connection that had worked before turns out to be dead.
 */

namespace SlotLock\Polyfill;

use Closure;
use Redis;
use RedisException;
use Throwable;
use WeakMap;

/** @internal */
final class Connection
{
    /** @var array<string,object> shared connections of persistent services: pool id => link */
    private static array $pool = [];
    /** @var ?WeakMap<Connection,string> passwords, kept out of the objects so no dump shows them */
    private static ?WeakMap $secrets = null;
    /** @var ?WeakMap<Connection,string> TLS key passphrases, kept out of the objects likewise */
    private static ?WeakMap $tlsSecrets = null;
    /** The process that loaded the polyfill: only it uses phpredis' persistent connections. */
    private static ?int $loadPid = null;

    /**
     * host, port, socket, database, username, password (always null: see $secrets), timeout,
     * tls (null: plain; else ssl-context options, a passphrase blanked: see $tlsSecrets)
     */
    public readonly array $ep;
    private string $poolId;
    /** @var ?object the connection of a non-persistent service */
    private ?object $own = null;
    /** @var ?object the link this object used last (for pool_hits) */
    private ?object $last = null;

    public function __construct(#[\SensitiveParameter] array $ep, public readonly bool $persistent)
    {
        $this->poolId = Dsn::poolId($ep);
        if ($ep['password'] !== null) {
            self::$secrets ??= new WeakMap();
            self::$secrets[$this] = $ep['password'];
        }
        $ep['password'] = null;
        if (isset($ep['tls']['passphrase'])) {
            self::$tlsSecrets ??= new WeakMap();
            self::$tlsSecrets[$this] = $ep['tls']['passphrase'];
            $ep['tls']['passphrase'] = '';
        }
        $this->ep = $ep;
        self::loaded();
    }

    /** Remembers the process that loaded the polyfill (see open()). */
    public static function loaded(): void
    {
        self::$loadPid ??= getmypid();
    }

    /** "tcp://host:port/db" or "unix:///path/db". */
    public function describe(): string
    {
        return Dsn::describe($this->ep);
    }

    /** Whether this object has a connection open in this process. */
    public function connected(): bool
    {
        $link = $this->current();
        return $link !== null && $link->pid === getmypid();
    }

    /** Closes this object's connection (a shared one for every object that shared it). */
    public function close(): void
    {
        $link = $this->current();
        if ($link !== null) {
            $this->drop($link);
        }
    }

    /**
     * Runs $fn(Redis, link) on this object's connection, opened when there is none; $fn returns
     * phpredis' answer, false for an error reply (phpredis' false for a nil reply must become
     * something else, null say). $fn may keep what it learns about the server in $link->caps,
     * which lives as long as the connection. Error replies become a SlotLockException,
     * I/O failures a SlotLockConnectionException or SlotLockTimeoutException after which the
     * connection is closed; once, a reused connection found dead is reopened and $fn rerun
     * (never after a timeout: the server may be alive but slow, and the caller's time is spent).
     */
    public function command(Closure $fn): mixed
    {
        for ($attempt = 0; ; $attempt++) {
            $link = $this->link();
            $reused = $link->uses > 0;
            try {
                return $this->once($link, $fn);
            } catch (\SlotLockException $e) {
                if ($e->getCode() === Status::IO && $reused && $attempt === 0) {
                    Stats::$c['reconnects']++;
                    continue;
                }
                throw $e;
            }
        }
    }

    /**
     * Runs $fn(Redis) on this object's connection as it is, for a caller that maps phpredis'
     * failures itself (the metrics): a RedisException closes the connection and goes on up.
     */
    public function raw(Closure $fn): mixed
    {
        $link = $this->link();
        try {
            return $fn($link->redis);
        } catch (RedisException $e) {
            $this->drop($link);
            throw $e;
        }
    }

    private function once(object $link, Closure $fn): mixed
    {
        $redis = $link->redis;
        $t0 = microtime(true);
        try {
            $redis->clearLastError();
            $r = $fn($redis, $link);
            $err = $r === false ? $redis->getLastError() : null;
        } catch (RedisException $e) {
            /* phpredis throws for some error replies too (OOM, BUSY, NOAUTH...): those leave the last error set */
            $err = $redis->getLastError();
            if ($err === null) {
                $this->drop($link);
                throw $this->ioError($e->getMessage(), $t0);
            }
            $r = false;
        }
        if ($r === false && $err === null) {
            /* phpredis gave up reading without saying why: the connection is not to be trusted */
            $this->drop($link);
            throw $this->ioError('read error', $t0);
        }
        $link->uses++;
        if ($r === false) {
            throw $this->replyError($err);
        }
        return $r;
    }

    /**
     * An error reply as the extension says it: Redis' text first, the node last. Refused
     * credentials or permissions (inside a script too) are the connection's fault, not the command's.
     */
    private function replyError(string $err): \SlotLockException
    {
        $err = $this->scrub(trim($err));
        $auth = str_starts_with($err, 'NOAUTH') || str_starts_with($err, 'WRONGPASS') || str_starts_with($err, 'NOPERM')
            || str_contains($err, 'NOPERM ') || str_contains($err, "can't run this command");
        return Status::error($auth ? Status::AUTH : Status::REPLY,
            sprintf('Redis error: %.140s (from %s)', $err, $this->describe()));
    }

    private function current(): ?object
    {
        return $this->persistent ? (self::$pool[$this->poolId] ?? null) : $this->own;
    }

    /** Closes a connection for good. In a forked child this only closes the inherited descriptor. */
    private function drop(object $link): void
    {
        if ($link->redis !== null) {
            try {
                $link->redis->close();
            } catch (Throwable $e) {
            }
            $link->redis = null;
        }
        if ($this->persistent) {
            if ((self::$pool[$this->poolId] ?? null) === $link) {
                unset(self::$pool[$this->poolId]);
            }
        } elseif ($this->own === $link) {
            $this->own = null;
        }
    }

    /** This object's connection, opened when there is none (or it belongs to another process). */
    private function link(): object
    {
        $pid = getmypid();
        $link = $this->current();
        if ($link !== null && ($link->pid !== $pid || $link->redis === null)) {
            /* inherited across fork (never read from it) or dropped after an error */
            $this->drop($link);
            $link = null;
        }
        if ($link === null) {
            $link = $this->open();
            if ($this->persistent) {
                self::$pool[$this->poolId] = $link;
            } else {
                $this->own = $link;
            }
        } elseif ($this->persistent && $this->last !== $link) {
            Stats::$c['pool_hits']++;
        }
        $this->last = $link;
        return $link;
    }

    private function open(): object
    {
        $ep = $this->ep;
        $where = $this->describe();
        $t = $ep['timeout'];
        /* phpredis' persistent connections only in the process that loaded the polyfill: after a
         * fork the child must never share (or take from phpredis' pool) the parent's sockets. */
        $pconnect = $this->persistent && getmypid() === self::$loadPid;
        $redis = new Redis();
        $host = $ep['socket'] ?? $ep['host'];
        $port = $ep['socket'] !== null ? 0 : $ep['port'];
        $context = null;
        if ($ep['tls'] !== null) {
            /* phpredis takes the options as an ssl stream context, under the same names */
            $host = 'tls://' . $host;
            $ssl = $ep['tls'];
            unset($ssl['passphrase']);
            if (isset(self::$tlsSecrets[$this])) {
                $ssl['passphrase'] = self::$tlsSecrets[$this];
            }
            $context = ['stream' => $ssl];
        }
        $sslWhy = null;
        if ($context !== null) {
            /* the TLS failure's reason (OpenSSL's) is in a stream warning before phpredis' own */
            set_error_handler(static function (int $no, string $msg) use (&$sslWhy): bool {
                if ($sslWhy === null && !str_contains($msg, 'Failed to enable crypto')) {
                    $sslWhy = preg_match('/OpenSSL Error messages:\s*(.*)$/s', $msg, $m) ? trim($m[1])
                        : preg_replace('/^\S+\(\): /', '', $msg);
                }
                return true;
            });
        }
        try {
            /* phpredis refuses a null context: pass one only for TLS */
            $args = $context !== null ? [$context] : [];
            $ok = $pconnect
                ? @$redis->pconnect($host, $port, $t, 'slotlock:' . getmypid() . ':' . $this->poolId, 0, $t, ...$args)
                : @$redis->connect($host, $port, $t, null, 0, $t, ...$args);
            $why = $ok ? null : ($sslWhy ?? 'connection failed');
        } catch (RedisException $e) {
            $ok = false;
            $why = $sslWhy ?? $e->getMessage();
        } finally {
            if ($context !== null) {
                restore_error_handler();
            }
        }
        if (!$ok) {
            $why = $this->scrub((string) $why);
            if (stripos($why, 'timed out') !== false) {
                throw Status::error(Status::TIMEOUT,
                    sprintf('connecting to Redis at %s timed out after %.3f s', $where, $t));
            }
            throw Status::error(Status::CONNECT, sprintf('cannot connect to Redis at %s: %s', $where, $why));
        }
        Stats::$c['connects']++;
        $link = (object) ['redis' => $redis, 'pid' => getmypid(), 'uses' => 0, 'caps' => []];
        try {
            $redis->setOption(Redis::OPT_READ_TIMEOUT, $t);
            /* no silent reconnect inside phpredis: a dropped connection is this class's to redo */
            if (defined('Redis::OPT_MAX_RETRIES')) {
                $redis->setOption(Redis::OPT_MAX_RETRIES, 0);
            }
            if ($pconnect) {
                /* a pooled connection may come with another login or database: start clean (Redis 6.2+) */
                $this->handshakeStep($link, 'RESET', static fn () => $redis->rawCommand('RESET'), true);
            }
            $password = self::$secrets[$this] ?? null;
            if ($password !== null) {
                $cred = $ep['username'] !== null ? [$ep['username'], $password] : $password;
                $this->handshakeStep($link, 'credentials', static fn () => $redis->auth($cred), false);
            }
            if ($ep['database'] !== 0 || $pconnect) {
                $this->handshakeStep($link, 'database', static fn () => $redis->select($ep['database']), false);
            }
        } catch (\SlotLockException $e) {
            try {
                $redis->close();
            } catch (Throwable $e2) {
            }
            throw $e;
        }
        return $link;
    }

    private function handshakeStep(object $link, string $what, Closure $fn, bool $optional): void
    {
        $redis = $link->redis;
        $t0 = microtime(true);
        Stats::$c['commands']++;
        $redis->clearLastError();
        try {
            $ok = $fn();
            $err = $redis->getLastError();
        } catch (RedisException $e) {
            /* phpredis throws for some error replies too (AUTH, NOAUTH...): those leave the last error set */
            $err = $redis->getLastError();
            if ($err === null) {
                throw $this->ioError($e->getMessage(), $t0);
            }
            $ok = false;
        }
        if ($ok === false && $err === null) {
            throw $this->ioError('no reply', $t0);
        }
        if ($ok === false && !$optional) {
            if ($what === 'database' && $this->ep['database'] === 0 && str_starts_with(trim($err), 'NOAUTH')) {
                /* the SELECT 0 only the polyfill sends: say it as the extension says the NOAUTH of its command */
                throw $this->replyError($err);
            }
            $err = $this->scrub(trim($err));
            throw Status::error(Status::AUTH, sprintf('Redis at %s refused the %s: %.120s', $this->describe(),
                $what, $err));
        }
        $link->uses++;
    }

    /** A phpredis I/O failure as a timeout (the time ran out) or a lost connection. */
    private function ioError(string $msg, float $t0): \SlotLockException
    {
        $where = $this->describe();
        $t = $this->ep['timeout'];
        if (stripos($msg, 'timed out') !== false || microtime(true) - $t0 >= $t * 0.9) {
            return Status::error(Status::TIMEOUT, sprintf('Redis at %s did not answer within %.3f s', $where, $t));
        }
        if (stripos($msg, 'lost') !== false || stripos($msg, 'closed') !== false || stripos($msg, 'read error') !== false) {
            return Status::error(Status::IO, sprintf('Redis at %s closed the connection', $where));
        }
        return Status::error(Status::IO, sprintf('connection to Redis at %s failed: %s', $where, $this->scrub($msg)));
    }

    /** Never a password in a message. */
    private function scrub(string $msg): string
    {
        $password = self::$secrets[$this] ?? null;
        if ($password !== null && $password !== '') {
            $msg = str_replace($password, '***', $msg);
        }
        return $msg;
    }
}

Connection::loaded();
