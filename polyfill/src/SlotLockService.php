<?php

/*
 * slotlock polyfill: SlotLockService in plain PHP over phpredis.
 *
 * It follows the C extension call for call: the same argument checks and messages, the same
 * keys (docs/WIRE.md), the same Lua scripts byte for byte, the same counters. This class is
 * the glue (slotlock_service.c); the work is done below it, in the files of src/internal/
 * that mirror src/: Keys (sl_key.c), Dsn (sl_dsn.c), Scripts (sl_scripts.c), Locks
 * (sl_lock.c), Connection (sl_conn.c), Stats (sl_stats.h), Status (sl_common.h), with
 * Options and Args for the options and the arguments. Keep them in step with any change there.
 */

use SlotLock\Polyfill\Args;
use SlotLock\Polyfill\Connection;
use SlotLock\Polyfill\Events;
use SlotLock\Polyfill\Keys;
use SlotLock\Polyfill\Locks;
use SlotLock\Polyfill\Options;
use SlotLock\Polyfill\Stats;
use SlotLock\Polyfill\Status;

/**
 * Takes, checks, extends and releases slot locks.
 */
final class SlotLockService
{
    private bool $initialized = false;
    private ?Args $args = null;
    private ?Connection $conn = null;
    private ?Events $events = null;
    private ?Locks $locks = null;
    private string $prefix = '';
    private int $ttl = 300;
    private int $bookedTtl = 600;

    public function __construct(#[\SensitiveParameter] array|string|null $options = null)
    {
        if ($this->initialized) {
            throw new Error('SlotLockService object is already constructed');
        }
        $o = Options::read($options);
        $this->args = new Args($o['prefix'], $o['ttl'], $o['bucket'], $o['tz']);
        $this->conn = new Connection($o['ep'], $o['persistent']);
        $this->events = new Events();
        $this->locks = new Locks($this->conn, $this->events, $o['prefix'], $o['fencing']);
        $this->prefix = $o['prefix'];
        $this->ttl = $o['ttl'];
        $this->bookedTtl = $o['booked_ttl'];
        $this->initialized = true;
    }

    /** The Redis key of one slot: "<prefix>:c<company>:s<service>:t<YmdHi>". */
    public function key($companyId, $serviceId, $start): string
    {
        $this->fetch();
        $cid = $this->args->id($companyId, '$companyId');
        return $this->args->key($serviceId, $start, $cid);
    }

    /** Locks one slot for $owner; null when another owner holds it. */
    public function acquire($companyId, $serviceId, $start, ?string $owner = null, ?int $ttl = null): ?SlotLock
    {
        $this->fetch();
        $cid = $this->args->id($companyId, '$companyId');
        $keys = [$this->args->key($serviceId, $start, $cid)];
        return $this->serviceAcquire($keys, [1], $owner, $ttl, false);
    }

    /**
     * Locks every segment of a compound service, or none.
     * $segments is a list of [serviceId, start] pairs.
     */
    public function acquireSegments($companyId, array $segments, ?string $owner = null, ?int $ttl = null): ?SlotLock
    {
        $this->fetch();
        $cid = $this->args->id($companyId, '$companyId');
        $keys = [];
        $n = $this->args->segments($segments, $cid, '$segments', $keys);
        return $this->serviceAcquire($keys, [$n], $owner, $ttl, false);
    }

    /**
     * Locks the first candidate whose keys are all free. A candidate is a
     * [serviceId, start] pair or a list of such pairs (a compound service).
     */
    public function acquireFirst($companyId, array $candidates, ?string $owner = null, ?int $ttl = null): ?SlotLock
    {
        $this->fetch();
        $cid = $this->args->id($companyId, '$companyId');
        $keys = [];
        $groups = $this->args->candidates($candidates, $cid, $keys);
        return $this->serviceAcquire($keys, $groups, $owner, $ttl, true);
    }

    /**
     * Locks a resource (staff member, room) over [$start, $end) widened by the
     * buffers (minutes): every bucket key the interval touches, all or none.
     */
    public function acquireResource($companyId, $resourceId, $start, $end, ?string $owner = null, ?int $ttl = null,
                                    int $bufferBefore = 0, int $bufferAfter = 0): ?SlotLock
    {
        $this->fetch();
        $keys = $this->args->resourceKeys($companyId, $resourceId, $start, $end, $bufferBefore, $bufferAfter);
        return $this->serviceAcquire($keys, [count($keys)], $owner, $ttl, false);
    }

    /** The bucket keys acquireResource() would take. */
    public function resourceKeys($companyId, $resourceId, $start, $end, int $bufferBefore = 0, int $bufferAfter = 0): array
    {
        $this->fetch();
        return $this->args->resourceKeys($companyId, $resourceId, $start, $end, $bufferBefore, $bufferAfter);
    }

    /**
     * Turns $owner's hold into a booked marker that lives $ttl seconds
     * (default: booked_ttl). False when another owner holds a key.
     */
    public function commit(SlotLock|string $lock, string $owner, ?string $bookingId = null, ?int $ttl = null): bool
    {
        $this->fetch();
        $ttl ??= $this->bookedTtl;
        Locks::ttlCheck($ttl);
        Locks::ownerCheck($owner);
        Locks::bookingIdCheck($bookingId);
        $keys = $this->args->handle($lock);
        return $this->locks->commit($keys, $owner, $bookingId, $ttl);
    }

    /** Calls $listener(array $event) after each lock operation; null removes it. */
    public function onEvent(?callable $listener): void
    {
        $this->fetch();
        $this->events->listener = $listener;
    }

    /** True when $owner holds every key of the lock. */
    public function validate(SlotLock|string $lock, string $owner): bool
    {
        $this->fetch();
        $keys = $this->args->handle($lock);
        Locks::ownerCheck($owner);
        return $this->locks->validate($keys, $owner);
    }

    /** Deletes the keys $owner holds; true when at least one was deleted. */
    public function release(SlotLock|string $lock, string $owner): bool
    {
        $this->fetch();
        $keys = $this->args->handle($lock);
        Locks::ownerCheck($owner);
        return $this->locks->release($keys, $owner) > 0;
    }

    /** Resets the TTL of a lock $owner holds in full; null when it does not. */
    public function extend(SlotLock|string $lock, string $owner, ?int $ttl = null): ?SlotLock
    {
        $this->fetch();
        $ttlMs = $this->args->ttlMs($ttl);
        $keys = $this->args->handle($lock);
        Locks::ownerCheck($owner);
        $fence = $this->locks->extend($keys, $owner, $ttlMs);
        if ($fence === null) {
            return null;
        }
        return $this->makeLock($keys, $owner, $fence, $ttlMs, $lock instanceof SlotLock ? $lock->candidate : null);
    }

    /** Whether the lock's keys are held (by anyone) and for how long: keys locked, ttl_ms, booked. */
    public function status(SlotLock|string $lock): array
    {
        $this->fetch();
        $keys = $this->args->handle($lock);
        $r = $this->locks->status($keys);
        $locked = $r[0] !== 0;
        return [
            'locked' => $locked,
            'ttl_ms' => ($locked && $r[1] >= 0) ? $r[1] : null,
            'booked' => $r[2] !== 0,
        ];
    }

    /** Number of slot keys held right now, counted without KEYS. */
    public function activeLocks(): int
    {
        $this->fetch();
        return $this->locks->count();
    }

    /** This process's counters. */
    public function stats(): array
    {
        $this->fetch();
        return Stats::$c;
    }

    /** Fleet-wide numbers of the last $minutes minutes (SlotLockPolyfillMetrics::report()). */
    public function metrics(int $minutes = 15): array
    {
        $this->fetch();
        if ($minutes < 1 || $minutes > 1440) {
            throw new ValueError('SlotLockService::metrics(): Argument #1 ($minutes) must be between 1 and 1440');
        }
        $now = time();
        $keys = SlotLockPolyfillMetrics::window($this->prefix, $now, $minutes);
        try {
            $hashes = $this->conn->raw(static function (Redis $redis) use ($keys) {
                $redis->pipeline();
                foreach ($keys as $k) {
                    $redis->hGetAll($k);
                }
                return $redis->exec();
            });
        } catch (RedisException $e) {
            throw $this->events->failed(null, Status::error(Status::IO, 'metrics: ' . $e->getMessage()));
        }
        return SlotLockPolyfillMetrics::report(is_array($hashes) ? $hashes : [], $minutes, $now);
    }

    /** Writes this process's unflushed metrics now, one batch; false when there was nothing to write. */
    public function flushMetrics(): bool
    {
        $this->fetch();
        $had = SlotLockPolyfillMetrics::sync(Stats::$c);
        $this->metricsFlush(true);
        return $had;
    }

    /** mode (always single here), hash_tag, and the node with whether it is connected. */
    public function topology(): array
    {
        $this->fetch();
        return [
            'mode' => 'single',
            'hash_tag' => false,
            'nodes' => [[
                'addr' => $this->conn->describe(),
                'role' => 'master',
                'connected' => $this->conn->connected(),
            ]],
        ];
    }

    /** Closes this object's connection (a persistent one is closed too). */
    public function close(): void
    {
        $this->fetch();
        $this->conn->close();
    }

    /** var_dump() shows where it points, never credentials or owners. */
    public function __debugInfo(): array
    {
        if (!$this->initialized) {
            return [];
        }
        return [
            'endpoint' => $this->conn->describe(),
            'prefix' => $this->prefix,
            'ttl' => $this->ttl,
            'mode' => 'single',
            'timeout' => $this->conn->ep['timeout'],
            'persistent' => $this->conn->persistent,
            'key_timezone' => $this->args->tzName,
            'connected' => $this->conn->connected(),
        ];
    }

    public function __set(string $name, mixed $value): void
    {
        throw new Error('Cannot create dynamic property SlotLockService::$' . $name);
    }

    public function __serialize(): array
    {
        throw new Exception("Serialization of 'SlotLockService' is not allowed");
    }

    public function __unserialize(array $data): void
    {
        throw new Exception("Unserialization of 'SlotLockService' is not allowed");
    }

    public function __clone()
    {
        throw new Error('Trying to clone an uncloneable object of class SlotLockService');
    }

    /* ---- helpers ------------------------------------------------------------ */

    private function fetch(): void
    {
        if (!$this->initialized) {
            throw new Error('SlotLockService object is not initialized');
        }
    }

    /** Locks::acquire(), counted in the metrics, whose batch it writes when it is due. */
    private function acquireKeys(array $keys, array $groups, string $owner, int $ttlMs): array
    {
        $before = Stats::$c;
        $res = $this->locks->acquire($keys, $groups, $owner, $ttlMs);
        /* the counters as they were before Locks::acquire() counted this one (a forked
         * child's first acquisition is not its parent's) */
        SlotLockPolyfillMetrics::acquired($res[0], $res[4], $this->locks->lastNs, $before);
        if (SlotLockPolyfillMetrics::due($this, static fn (self $svc) => $svc->metricsFlush(false))) {
            $this->metricsFlush(false);
        }
        return $res;
    }

    /** The metrics batch; a failure is kept for the next one (and thrown only when $throw). */
    private function metricsFlush(bool $throw): void
    {
        if (!SlotLockPolyfillMetrics::sync(Stats::$c)) {
            return;
        }
        try {
            $this->conn->raw(fn (Redis $redis) => SlotLockPolyfillMetrics::flush($redis, $this->prefix));
        } catch (RedisException | SlotLockException $e) {
            if ($e instanceof RedisException) {
                $e = Status::error(Status::IO, 'metrics: ' . $e->getMessage());
            }
            if ($throw) {
                throw $this->events->failed(null, $e);
            }
        }
    }

    /** The shared tail of acquire, acquireSegments, acquireFirst and acquireResource. */
    private function serviceAcquire(array $keys, array $groups, ?string $owner, ?int $ttl, bool $reportCandidate): ?SlotLock
    {
        $ttlMs = $this->args->ttlMs($ttl);
        $owner = Args::owner($owner);
        $res = $this->acquireKeys($keys, $groups, $owner, $ttlMs);
        if ($res[0] < 0) {
            return null;
        }
        return $this->makeLock(Locks::groupKeys($keys, $groups, $res[0]), $owner, $res[1], $res[2],
            $reportCandidate ? $res[0] : null);
    }

    /** A SlotLock; expiresAt is now + ttl, in key_timezone; fence 0 (fencing off) is a null fence. */
    private function makeLock(array $keys, string $owner, int $fence, int $ttlMs, ?int $candidate): SlotLock
    {
        static $make = null;
        $make ??= Closure::bind(static function (array $keys, string $owner, ?int $fence, DateTimeImmutable $at,
                                                 ?int $candidate): SlotLock {
            $l = new SlotLock();
            $l->key = implode(',', $keys);
            $l->keys = $keys;
            $l->owner = $owner;
            $l->fence = $fence;
            $l->expiresAt = $at;
            $l->candidate = $candidate;
            return $l;
        }, null, SlotLock::class);

        [$usec, $sec] = explode(' ', microtime());
        $ms = (int) $sec * 1000 + intdiv((int) round((float) $usec * 1e6), 1000) + $ttlMs;
        $at = DateTimeImmutable::createFromFormat('U.u', sprintf('%d.%06d', intdiv($ms, 1000), ($ms % 1000) * 1000))
            ->setTimezone($this->args->timezone());
        return $make($keys, $owner, $fence > 0 ? $fence : null, $at, $candidate);
    }

    /** @internal AvailabilityWithLock's way in (it binds a closure to this class). */
    private function availabilityApi(string $op, array $a): mixed
    {
        $this->fetch();
        switch ($op) {
            case 'slot_keys':
                return $this->args->slotKeys(...$a);
            case 'resource_keys':
                return $this->args->resourceKeys(...$a);
            case 'handle':
                return Keys::parseHandle($this->prefix, $a[0]);
            case 'acquire':     /* keys, owner, ttl (0: default) → acquire result + SlotLock or null */
                [$keys, $owner, $ttl] = $a;
                $ttlMs = ($ttl > 0 ? $ttl : $this->ttl) * 1000;
                $res = $this->acquireKeys($keys, [count($keys)], $owner, $ttlMs);
                $res[] = $res[0] >= 0 ? $this->makeLock($keys, $owner, $res[1], $res[2], null) : null;
                return $res;
            case 'commit':      /* keys, owner, booking id */
                return $this->locks->commit($a[0], $a[1], $a[2], $this->bookedTtl);
            case 'release':
                return $this->locks->release($a[0], $a[1]);
            case 'emit':
                $this->events->emit(...$a);
                return null;
            case 'count':
                Stats::$c[$a[0]]++;
                return null;
        }
        throw new Error("unknown operation $op");
    }
}
