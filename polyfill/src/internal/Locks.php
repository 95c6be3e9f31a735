<?php

/*
 * slotlock polyfill, twin of src/sl_lock.c: the lock operations of wire format 2
 * (docs/WIRE.md) on checked keys: acquire over candidates (one native SET NX PX GET for one
 * key without fencing, else the acquire script), commit, release (DELIFEQ / DELEX / the
 * smallest compare-and-delete script for one key without fencing), extend, validate, status,
 * and the SCAN count of live locks; their replies checked, counted and told to the listener.
 */

namespace SlotLock\Polyfill;

use ValueError;

/** @internal */
final class Locks
{
    public const OWNER_MAX = 128;
    public const BOOKING_ID_MAX = 128;
    public const TTL_MIN = 1;
    public const TTL_MAX = 86400;

    /* why an acquire was refused */
    public const BLOCKED_LOCKED = 1;
    public const BLOCKED_BOOKED = 2;
    public const BLOCKED_BOOKED_SELF = 3;

    /** Keys one SCAN asks for. */
    private const SCAN_COUNT = 1000;

    /** How long the last acquire took, reply decoded (ns): the metrics' latency. */
    public int $lastNs = 0;
    private string $fenceKey;
    private string $pattern;

    public function __construct(private Connection $conn, private Events $events, string $prefix,
                                private bool $fencing)
    {
        $this->fenceKey = $prefix . '#fence';
        $this->pattern = $prefix . ':c*:[sr]*';
    }

    /**
     * KEYS[1] of the acquire and commit scripts: the fence counter with fencing; without it the
     * first slot key stands in (docs/WIRE.md), so an ACL user limited to `~<prefix>:*` needs no
     * access to the counter.
     */
    private function counterKey(array $keys): string
    {
        return $this->fencing ? $this->fenceKey : $keys[0];
    }

    public static function ownerCheck(string $owner): void
    {
        $len = strlen($owner);
        if ($len === 0 || $len > self::OWNER_MAX) {
            throw new ValueError('$owner must be 1 to ' . self::OWNER_MAX . ' bytes');
        }
        if (str_contains($owner, "\0")) {
            throw new ValueError('$owner must not contain NUL bytes');
        }
    }

    public static function ttlCheck(int $ttl): void
    {
        if ($ttl < self::TTL_MIN || $ttl > self::TTL_MAX) {
            throw new ValueError('$ttl must be between ' . self::TTL_MIN . ' and ' . self::TTL_MAX . ' seconds');
        }
    }

    public static function bookingIdCheck(?string $bookingId): void
    {
        if ($bookingId !== null && (strlen($bookingId) > self::BOOKING_ID_MAX || str_contains($bookingId, "\0"))) {
            throw new ValueError('$bookingId must be at most ' . self::BOOKING_ID_MAX . ' bytes without NUL bytes');
        }
    }

    /** A fresh owner token: 32 hex characters from the CSPRNG. */
    public static function ownerGenerate(): string
    {
        return bin2hex(random_bytes(16));
    }

    /** The keys of candidate $candidate (0-based) of a flat key list cut into groups. */
    public static function groupKeys(array $keys, array $groups, int $candidate): array
    {
        return array_slice($keys, (int) array_sum(array_slice($groups, 0, $candidate)), $groups[$candidate]);
    }

    /**
     * Locks the first candidate (group sizes) whose keys are all free for $owner.
     * Returns [candidate (0-based, -1 none), fence, ttl_ms, fresh, blocked, booking_id].
     */
    public function acquire(array $keys, array $groups, string $owner, int $ttlMs): array
    {
        $t0 = hrtime(true);
        try {
            $r = (!$this->fencing && count($keys) === 1) ? $this->setNx($keys[0], $owner, $ttlMs) : null;
            if ($r === null) {
                $args = [$owner, (string) $ttlMs, $this->fencing ? '1' : '0'];
                foreach ($groups as $n) {
                    $args[] = (string) $n;
                }
                $r = Scripts::run($this->conn, 'acquire', array_merge([$this->counterKey($keys)], $keys), $args);
            }
            if (!is_array($r) || count($r) !== 6 || !self::intList(array_slice($r, 0, 5), 5)
                || !is_string($r[5]) || strlen($r[5]) > self::BOOKING_ID_MAX) {
                throw Status::error(Status::PROTOCOL, 'unexpected reply to acquire');
            }
            [$cand, $fence, $ttl, $fresh, $why, $booking] = $r;
            if ($cand < 0 || $cand > count($groups) || $fence < 0 || $why < 0
                || $why > self::BLOCKED_BOOKED_SELF || ($cand > 0 && $why !== 0)) {
                throw Status::error(Status::PROTOCOL, 'unexpected reply to acquire');
            }
        } catch (\SlotLockException $e) {
            throw $this->events->failed($keys, $e);
        }
        $res = [$cand - 1, $fence, $ttl, $fresh !== 0, $why, $booking];
        $this->lastNs = hrtime(true) - $t0;
        if ($res[0] < 0) {
            Stats::$c['conflicts']++;
            $this->events->emit('conflict', $keys, -1, $ttl, $why === self::BLOCKED_LOCKED ? 'slot_locked' : 'slot_booked');
            return $res;
        }
        Stats::$c[$res[3] ? 'acquired' : 'reacquired']++;
        $this->events->emit($res[3] ? 'acquired' : 'reacquired', self::groupKeys($keys, $groups, $res[0]), $fence, $ttl,
            null);
        return $res;
    }

    /**
     * The hot path: SET key h:0:owner NX PX ttl GET. The acquire reply when it set the key;
     * null when the acquire script must decide (the key is taken, by the caller itself maybe,
     * or booked, or not a format-2 value: WRONGTYPE; or the server cannot combine NX and GET).
     */
    private function setNx(string $key, string $owner, int $ttlMs): ?array
    {
        $got = $this->conn->command(static function (\Redis $redis, object $link) use ($key, $owner, $ttlMs) {
            if (isset($link->caps['no_set_get'])) {
                return 'script';
            }
            Stats::$c['commands']++;
            if ($redis->rawCommand('SET', $key, 'h:0:' . $owner, 'NX', 'PX', $ttlMs, 'GET') !== false) {
                return 'taken';
            }
            $err = $redis->getLastError();
            if ($err === null) {
                return 'set';                       /* nil: the key was free and is ours */
            }
            if (str_starts_with($err, 'WRONGTYPE')) {
                return 'taken';
            }
            if (str_starts_with($err, 'ERR syntax error')) {
                /* Redis < 7.0: remember it for this connection */
                $link->caps['no_set_get'] = true;
                return 'script';
            }
            return false;
        });
        return $got === 'set' ? [1, 0, $ttlMs, 1, 0, ''] : null;
    }

    /** Turns $owner's hold of every key into a booked marker living $ttl seconds; false when another owner holds one. */
    public function commit(array $keys, string $owner, ?string $bookingId, int $ttl): bool
    {
        $ttlMs = $ttl * 1000;
        try {
            $r = Scripts::run($this->conn, 'commit', array_merge([$this->counterKey($keys)], $keys),
                [$owner, (string) $ttlMs, $bookingId ?? '', $this->fencing ? '1' : '0']);
            if (!self::intList($r, 2) || ($r[0] !== 1 && $r[0] !== -1) || $r[1] < 0) {
                throw Status::error(Status::PROTOCOL, 'unexpected reply to commit');
            }
        } catch (\SlotLockException $e) {
            throw $this->events->failed($keys, $e);
        }
        $ok = $r[0] === 1;
        Stats::$c[$ok ? 'committed' : 'conflicts']++;
        $this->events->emit($ok ? 'committed' : 'conflict', $keys, $ok ? $r[1] : -1, $ok ? $ttlMs : -1,
            $ok ? null : 'slot_locked');
        return $ok;
    }

    /** Deletes the keys $owner holds (not booked ones); returns how many. */
    public function release(array $keys, string $owner): int
    {
        try {
            $n = (!$this->fencing && count($keys) === 1)
                ? $this->delIfEq($keys[0], 'h:0:' . $owner)
                : Scripts::run($this->conn, 'release', $keys, [$owner]);
            if (!is_int($n) || $n < 0 || $n > count($keys)) {
                throw Status::error(Status::PROTOCOL, 'unexpected reply to script');
            }
        } catch (\SlotLockException $e) {
            throw $this->events->failed($keys, $e);
        }
        Stats::$c['released'] += $n;
        if ($n > 0) {
            $this->events->emit('released', $keys, -1, -1, null);
        }
        return $n;
    }

    /**
     * Deletes $key when its value is $hold: DELIFEQ, DELEX IFEQ or the release1 script, the
     * first the server has (asked once per connection). 1 deleted, 0 not (WRONGTYPE included).
     */
    private function delIfEq(string $key, string $hold): mixed
    {
        return $this->conn->command(static function (\Redis $redis, object $link) use ($key, $hold) {
            $how = $link->caps['del'] ??= self::delCommand($redis);
            if ($how === 'script') {
                $n = Scripts::evalOn($redis, 'release1', [$key, $hold], 1);
            } else {
                Stats::$c['commands']++;
                $n = $how === 'DELIFEQ' ? $redis->rawCommand('DELIFEQ', $key, $hold)
                    : $redis->rawCommand('DELEX', $key, 'IFEQ', $hold);
            }
            if ($n === false && str_contains((string) $redis->getLastError(), 'WRONGTYPE')) {
                return 0;                           /* a format-1 hash: not ours */
            }
            return $n;
        });
    }

    /** DELIFEQ, DELEX or 'script': what COMMAND INFO says the server has (script when it will not say). */
    private static function delCommand(\Redis $redis): string
    {
        Stats::$c['commands']++;
        try {
            $c = $redis->rawCommand('COMMAND', 'INFO', 'DELIFEQ', 'DELEX');
        } catch (\RedisException $e) {
            if ($redis->getLastError() === null) {
                throw $e;                           /* I/O: the caller's to handle */
            }
            $c = false;                             /* phpredis throws for NOPERM */
        }
        if (!is_array($c) || count($c) !== 2) {
            $redis->clearLastError();               /* COMMAND unknown or refused by ACL */
            return 'script';
        }
        return is_array($c[0]) ? 'DELIFEQ' : (is_array($c[1]) ? 'DELEX' : 'script');
    }

    /** True when $owner holds every key (not booked). */
    public function validate(array $keys, string $owner): bool
    {
        try {
            $v = Scripts::run($this->conn, 'validate', $keys, [$owner]);
            if (!is_int($v)) {
                throw Status::error(Status::PROTOCOL, 'unexpected reply to script');
            }
        } catch (\SlotLockException $e) {
            throw $this->events->failed($keys, $e);
        }
        if ($v !== 1) {
            Stats::$c['lost']++;
        }
        return $v === 1;
    }

    /** Resets the TTL of a lock $owner holds in full: its fence, or null when it does not hold it. */
    public function extend(array $keys, string $owner, int $ttlMs): ?int
    {
        try {
            $r = Scripts::run($this->conn, 'extend', $keys, [$owner, (string) $ttlMs]);
            if (!self::intList($r, 3) || $r[0] < -1 || $r[0] > 1 || $r[1] < 0) {
                throw Status::error(Status::PROTOCOL, 'unexpected reply to extend');
            }
        } catch (\SlotLockException $e) {
            throw $this->events->failed($keys, $e);
        }
        [$code, $fence] = $r;
        Stats::$c[$code === 1 ? 'extended' : 'lost']++;
        $this->events->emit($code === 1 ? 'extended' : 'lost', $keys, $code === 1 ? $fence : -1,
            $code === 1 ? $ttlMs : -1, $code === -1 ? 'slot_locked' : ($code === 0 ? 'expired' : null));
        return $code === 1 ? $fence : null;
    }

    /** [locked, ttl_ms (-1: none), booked] of the keys, held by anyone. */
    public function status(array $keys): array
    {
        try {
            $r = Scripts::run($this->conn, 'status', $keys, []);
            if (!self::intList($r, 3)) {
                throw Status::error(Status::PROTOCOL, 'unexpected reply to status');
            }
        } catch (\SlotLockException $e) {
            throw $this->events->failed($keys, $e);
        }
        return $r;
    }

    /**
     * Number of slot and bucket keys held right now: SCAN over the slot pattern, nothing kept
     * on the hot path. Exact on a quiet keyspace; SCAN may return a key twice while Redis
     * resizes its table, so it can over-count by a few under heavy churn.
     */
    public function count(): int
    {
        $pattern = $this->pattern;
        try {
            $n = 0;
            $cursor = '0';
            do {
                $r = $this->conn->command(static function (\Redis $redis) use ($cursor, $pattern) {
                    Stats::$c['commands']++;
                    return $redis->rawCommand('SCAN', $cursor, 'MATCH', $pattern, 'COUNT', self::SCAN_COUNT);
                });
                if (!is_array($r) || count($r) !== 2 || !is_string($r[0]) || !ctype_digit($r[0]) || !is_array($r[1])) {
                    throw Status::error(Status::PROTOCOL, 'unexpected reply to SCAN');
                }
                $n += count($r[1]);
                $cursor = $r[0];
            } while ($cursor !== '0');
        } catch (\SlotLockException $e) {
            throw $this->events->failed(null, $e);
        }
        return $n;
    }

    private static function intList(mixed $r, int $n): bool
    {
        if (!is_array($r) || count($r) !== $n) {
            return false;
        }
        for ($i = 0; $i < $n; $i++) {
            if (!array_key_exists($i, $r) || !is_int($r[$i])) {
                return false;
            }
        }
        return true;
    }
}
