<?php

/*
 * slotlock polyfill: SlotLockService in plain PHP over phpredis.
 *
 * It follows the C extension (slotlock_service.c, src/) call for call: the same
 * argument checks and messages, the same keys (docs/WIRE.md), the same Lua scripts
 * byte for byte (so their SHA1 digests match and EVALSHA finds what the other side
 * loaded), the same counters. Keep it in step with any change there.
 */

/**
 * Takes, checks, extends and releases slot locks.
 */
final class SlotLockService
{
    private const ID_MAX = 64;
    private const PREFIX_MAX = 64;
    private const OWNER_MAX = 128;
    private const BOOKING_ID_MAX = 128;
    private const TTL_MIN = 1;
    private const TTL_MAX = 86400;
    private const MAX_LOCK_KEYS = 64;
    /** Unix seconds of 1000-01-01 and 10000-01-01 UTC: the years keys can name. */
    private const UNIX_MIN = -30610224000;
    private const UNIX_MAX = 253402300800;
    private const MAX_ACQUIRE_KEYS = 1024;
    private const MAX_TIMEOUT = 3600.0;
    private const DEFAULT_HOST = '127.0.0.1';
    private const DEFAULT_PORT = 6379;
    private const DEFAULT_PREFIX = 'slot_lock';

    /* sl_status codes (negated: the exception code) */
    private const E_ARG = 1;
    private const E_CONNECT = 2;
    private const E_TIMEOUT = 3;
    private const E_IO = 4;
    private const E_AUTH = 5;
    private const E_REPLY = 6;
    private const E_PROTOCOL = 7;

    private const BLOCKED_LOCKED = 1;
    private const BLOCKED_BOOKED = 2;
    private const BLOCKED_BOOKED_SELF = 3;

    /** The Lua scripts, the exact text of src/sl_scripts.c (tests/polyfill/check_scripts.php compares them). */
    private const SCRIPTS = [
        'acquire' =>
            "local owner, ttl = ARGV[1], tonumber(ARGV[2])\n" .
            "local t = redis.call('TIME')\n" .
            "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n" .
            "local first, wait, why, booking, blockers = 3, -1, 0, '', {}\n" .
            "if redis.acl_check_cmd and not redis.acl_check_cmd('pexpire', KEYS[3], '1') then\n" .
            "  return redis.error_reply('NOPERM this user may not run pexpire on slotlock keys')\n" .
            "end\n" .
            "for g = 3, #ARGV do\n" .
            "  local last = first + tonumber(ARGV[g]) - 1\n" .
            "  local free, mine, fence = true, true, false\n" .
            "  for i = first, last do\n" .
            "    local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence', 'booked')\n" .
            "    if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n" .
            "    if v.err or (v[1] and v[1] ~= owner) or v[3] then\n" .
            "      free = false\n" .
            "      blockers[#blockers + 1] = KEYS[i]\n" .
            "      if why == 0 then\n" .
            "        if v.err or not v[3] then why = 1\n" .
            "        elseif v[1] == owner then why, booking = 3, v[3]\n" .
            "        else why = 2 end\n" .
            "      end\n" .
            "      break\n" .
            "    end\n" .
            "    if not v[1] or (fence and fence ~= v[2]) then mine = false end\n" .
            "    fence = v[2]\n" .
            "  end\n" .
            "  if free then\n" .
            "    if mine and fence then\n" .
            "      fence = tonumber(fence)\n" .
            "    else\n" .
            "      fence = redis.call('INCR', KEYS[1])\n" .
            "    end\n" .
            "    for i = first, last do\n" .
            "      redis.call('HSET', KEYS[i], 'owner', owner, 'fence', fence)\n" .
            "      redis.call('PEXPIRE', KEYS[i], ttl)\n" .
            "      redis.call('ZADD', KEYS[2], now + ttl, KEYS[i])\n" .
            "    end\n" .
            "    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)\n" .
            "    return {g - 2, fence, ttl, (mine and 0) or 1, 0, ''}\n" .
            "  end\n" .
            "  first = last + 1\n" .
            "end\n" .
            "for _, k in ipairs(blockers) do\n" .
            "  local p = redis.call('PTTL', k)\n" .
            "  if p >= 0 and (wait < 0 or p < wait) then wait = p end\n" .
            "end\n" .
            "return {0, 0, wait, 0, why, booking}\n",
        'commit' =>
            "local owner, ttl = ARGV[1], tonumber(ARGV[2])\n" .
            "local t = redis.call('TIME')\n" .
            "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n" .
            "local fence = false\n" .
            "if redis.acl_check_cmd and not (redis.acl_check_cmd('hsetnx', KEYS[3], 'booked', '') and\n" .
            "                                redis.acl_check_cmd('pexpire', KEYS[3], '1')) then\n" .
            "  return redis.error_reply('NOPERM this user may not run hsetnx or pexpire on slotlock keys')\n" .
            "end\n" .
            "for i = 3, #KEYS do\n" .
            "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence')\n" .
            "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n" .
            "  if v.err or (v[1] and v[1] ~= owner) then return {-1, 0} end\n" .
            "  fence = fence or v[2]\n" .
            "end\n" .
            "fence = tonumber(fence) or redis.call('INCR', KEYS[1])\n" .
            "for i = 3, #KEYS do\n" .
            "  redis.call('HSET', KEYS[i], 'owner', owner, 'fence', fence)\n" .
            "  redis.call('HSETNX', KEYS[i], 'booked', ARGV[3])\n" .
            "  redis.call('PEXPIRE', KEYS[i], ttl)\n" .
            "  redis.call('ZADD', KEYS[2], now + ttl, KEYS[i])\n" .
            "end\n" .
            "return {1, fence}\n",
        'release' =>
            "local n = 0\n" .
            "for i = 2, #KEYS do\n" .
            "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'booked')\n" .
            "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n" .
            "  if not v.err and v[1] == ARGV[1] and not v[2] then\n" .
            "    redis.call('DEL', KEYS[i])\n" .
            "    redis.call('ZREM', KEYS[1], KEYS[i])\n" .
            "    n = n + 1\n" .
            "  end\n" .
            "end\n" .
            "return n\n",
        'extend' =>
            "local t = redis.call('TIME')\n" .
            "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n" .
            "local ttl, fence = tonumber(ARGV[2]), false\n" .
            "if redis.acl_check_cmd and not redis.acl_check_cmd('pexpire', KEYS[2], '1') then\n" .
            "  return redis.error_reply('NOPERM this user may not run pexpire on slotlock keys')\n" .
            "end\n" .
            "for i = 2, #KEYS do\n" .
            "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence', 'booked')\n" .
            "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n" .
            "  if v.err then return {-1, 0, 0} end\n" .
            "  if not v[1] then return {0, 0, 0} end\n" .
            "  if v[1] ~= ARGV[1] or v[3] then return {-1, 0, 0} end\n" .
            "  fence = fence or v[2]\n" .
            "end\n" .
            "for i = 2, #KEYS do\n" .
            "  redis.call('PEXPIRE', KEYS[i], ttl)\n" .
            "  redis.call('ZADD', KEYS[1], now + ttl, KEYS[i])\n" .
            "end\n" .
            "return {1, tonumber(fence), ttl}\n",
        'validate' =>
            "for i = 1, #KEYS do\n" .
            "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'booked')\n" .
            "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n" .
            "  if v.err or v[1] ~= ARGV[1] or v[2] then return 0 end\n" .
            "end\n" .
            "return 1\n",
        'status' =>
            "local locked, ttl, booked = 0, -1, 0\n" .
            "for i = 1, #KEYS do\n" .
            "  local p = redis.call('PTTL', KEYS[i])\n" .
            "  if p ~= -2 then\n" .
            "    locked = 1\n" .
            "    if p > ttl then ttl = p end\n" .
            "    local b = redis.pcall('HEXISTS', KEYS[i], 'booked')\n" .
            "    if type(b) == 'table' and b.err and not string.find(b.err, 'WRONGTYPE', 1, true) then\n" .
            "      return redis.error_reply(b.err)\n" .
            "    end\n" .
            "    if b == 1 then booked = 1 end\n" .
            "  end\n" .
            "end\n" .
            "return {locked, ttl, booked}\n",
        'count' =>
            "local t = redis.call('TIME')\n" .
            "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t[1] * 1000 + math.floor(t[2] / 1000))\n" .
            "return redis.call('ZCARD', KEYS[1])\n",
    ];

    /** @var array<string,int> this process's counters */
    private static array $stats = [
        'acquired' => 0, 'reacquired' => 0, 'conflicts' => 0, 'released' => 0, 'extended' => 0, 'committed' => 0,
        'relocked' => 0, 'expired_before_booking' => 0, 'lost' => 0, 'errors' => 0, 'connects' => 0,
        'reconnects' => 0, 'pool_hits' => 0, 'script_loads' => 0, 'commands' => 0,
    ];
    /** @var array<string,string> script name => SHA1 */
    private static array $sha = [];
    /** @var array<string,object> shared connections of persistent services: pool id => link */
    private static array $pool = [];
    /** @var ?WeakMap<SlotLockService,string> passwords, kept out of the objects so no dump shows them */
    private static ?WeakMap $secrets = null;
    /** @var ?WeakMap<SlotLockService,string> TLS key passphrases, kept out of the objects likewise */
    private static ?WeakMap $tlsSecrets = null;
    /** The process that loaded the polyfill: only it uses phpredis' persistent connections. */
    private static ?int $loadPid = null;

    private bool $initialized = false;
    /** host, port, socket, database, username, password (always null: see $secrets), timeout */
    private array $ep = [];
    private string $prefix = '';
    private string $fenceKey = '';
    private string $activeKey = '';
    private int $ttl = 300;
    private int $bookedTtl = 600;
    private int $bucket = 15;
    private bool $persistent = true;
    private string $tzName = 'UTC';
    private bool $tzUtc = true;
    private ?DateTimeZone $tz = null;
    private string $poolId = '';
    /** @var ?object the connection of a non-persistent service */
    private ?object $own = null;
    /** @var ?object the link this object used last (for pool_hits) */
    private ?object $last = null;
    /** @var ?callable */
    private $listener = null;

    public function __construct(#[\SensitiveParameter] array|string|null $options = null)
    {
        if ($this->initialized) {
            throw new Error('SlotLockService object is already constructed');
        }
        $o = self::optionsFromIni();
        if (is_string($options)) {
            self::parseDsn($options, $o['ep']);
        } elseif (is_array($options)) {
            self::optionsFromArray($o, $options);
        }
        $cafile = self::ini('slotlock.tls_cafile');
        if ($o['ep']['tls'] !== null && $cafile !== null && $cafile !== ''
            && !isset($o['ep']['tls']['cafile']) && !isset($o['ep']['tls']['capath'])) {
            $o['ep']['tls']['cafile'] = $cafile;
        }
        $msg = self::endpointCheck($o['ep']);
        if ($msg !== null) {
            throw new ValueError('SlotLockService::__construct(): ' . $msg);
        }
        $this->tzName = $o['tz'];
        $this->tzUtc = strcasecmp($o['tz'], 'UTC') === 0;
        if (!$this->tzUtc) {
            $this->loadTimezone();
        }
        $this->poolId = self::poolId($o['ep']);
        if ($o['ep']['password'] !== null) {
            self::$secrets ??= new WeakMap();
            self::$secrets[$this] = $o['ep']['password'];
        }
        $o['ep']['password'] = null;
        if (isset($o['ep']['tls']['passphrase'])) {
            self::$tlsSecrets ??= new WeakMap();
            self::$tlsSecrets[$this] = $o['ep']['tls']['passphrase'];
            $o['ep']['tls']['passphrase'] = '';
        }
        $this->ep = $o['ep'];
        $this->prefix = $o['prefix'];
        $this->fenceKey = $o['prefix'] . ':fence';
        $this->activeKey = $o['prefix'] . ':active';
        $this->ttl = $o['ttl'];
        $this->bookedTtl = $o['booked_ttl'];
        $this->bucket = $o['bucket'];
        $this->persistent = $o['persistent'];
        self::$loadPid ??= getmypid();
        $this->initialized = true;
    }

    /** The Redis key of one slot: "<prefix>:c<company>:s<service>:t<YmdHi>". */
    public function key($companyId, $serviceId, $start): string
    {
        $this->fetch();
        $cid = $this->argId($companyId, '$companyId');
        return $this->argKey($serviceId, $start, $cid);
    }

    /** Locks one slot for $owner; null when another owner holds it. */
    public function acquire($companyId, $serviceId, $start, ?string $owner = null, ?int $ttl = null): ?SlotLock
    {
        $this->fetch();
        $cid = $this->argId($companyId, '$companyId');
        $keys = [$this->argKey($serviceId, $start, $cid)];
        return $this->serviceAcquire($keys, [1], $owner, $ttl, false);
    }

    /**
     * Locks every segment of a compound service, or none.
     * $segments is a list of [serviceId, start] pairs.
     */
    public function acquireSegments($companyId, array $segments, ?string $owner = null, ?int $ttl = null): ?SlotLock
    {
        $this->fetch();
        $cid = $this->argId($companyId, '$companyId');
        $keys = [];
        $n = $this->argSegments($segments, $cid, '$segments', $keys);
        return $this->serviceAcquire($keys, [$n], $owner, $ttl, false);
    }

    /**
     * Locks the first candidate whose keys are all free. A candidate is a
     * [serviceId, start] pair or a list of such pairs (a compound service).
     */
    public function acquireFirst($companyId, array $candidates, ?string $owner = null, ?int $ttl = null): ?SlotLock
    {
        $this->fetch();
        $cid = $this->argId($companyId, '$companyId');
        if (count($candidates) === 0) {
            throw new ValueError('$candidates must not be empty');
        }
        if (count($candidates) > self::MAX_LOCK_KEYS) {
            throw new ValueError('$candidates must not hold more than ' . self::MAX_LOCK_KEYS . ' candidates');
        }
        $keys = [];
        $groups = [];
        foreach ($candidates as $cand) {
            if (!is_array($cand)) {
                throw new TypeError('$candidates must hold [serviceId, start] pairs or lists of them, '
                    . get_debug_type($cand) . ' given');
            }
            if (array_key_exists(0, $cand) && is_array($cand[0])) {
                $groups[] = $this->argSegments($cand, $cid, '$candidates', $keys);
            } else {
                $this->argPair($cand, $cid, '$candidates', $keys, count($keys));
                $groups[] = 1;
            }
        }
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
        $keys = $this->resourceKeyList($companyId, $resourceId, $start, $end, $bufferBefore, $bufferAfter);
        return $this->serviceAcquire($keys, [count($keys)], $owner, $ttl, false);
    }

    /** The bucket keys acquireResource() would take. */
    public function resourceKeys($companyId, $resourceId, $start, $end, int $bufferBefore = 0, int $bufferAfter = 0): array
    {
        $this->fetch();
        return $this->resourceKeyList($companyId, $resourceId, $start, $end, $bufferBefore, $bufferAfter);
    }

    /**
     * Turns $owner's hold into a booked marker that lives $ttl seconds
     * (default: booked_ttl). False when another owner holds a key.
     */
    public function commit(SlotLock|string $lock, string $owner, ?string $bookingId = null, ?int $ttl = null): bool
    {
        $this->fetch();
        $ttl ??= $this->bookedTtl;
        self::ttlCheck($ttl);
        self::ownerCheck($owner);
        self::bookingIdCheck($bookingId);
        $keys = $this->argHandle($lock);
        return $this->internalCommit($keys, $owner, $bookingId, $ttl);
    }

    /** Calls $listener(array $event) after each lock operation; null removes it. */
    public function onEvent(?callable $listener): void
    {
        $this->fetch();
        $this->listener = $listener;
    }

    /** True when $owner holds every key of the lock. */
    public function validate(SlotLock|string $lock, string $owner): bool
    {
        $this->fetch();
        $keys = $this->argHandle($lock);
        self::ownerCheck($owner);
        try {
            $v = $this->runScript('validate', $keys, [$owner]);
            if (!is_int($v)) {
                throw self::error(self::E_PROTOCOL, 'unexpected reply to script');
            }
        } catch (SlotLockException $e) {
            throw $this->failed($keys, $e);
        }
        if ($v !== 1) {
            self::$stats['lost']++;
        }
        return $v === 1;
    }

    /** Deletes the keys $owner holds; true when at least one was deleted. */
    public function release(SlotLock|string $lock, string $owner): bool
    {
        $this->fetch();
        $keys = $this->argHandle($lock);
        self::ownerCheck($owner);
        return $this->internalRelease($keys, $owner) > 0;
    }

    /** Resets the TTL of a lock $owner holds in full; null when it does not. */
    public function extend(SlotLock|string $lock, string $owner, ?int $ttl = null): ?SlotLock
    {
        $this->fetch();
        $ttlMs = $this->argTtl($ttl);
        $keys = $this->argHandle($lock);
        self::ownerCheck($owner);
        try {
            $r = $this->runScript('extend', array_merge([$this->activeKey], $keys), [$owner, (string) $ttlMs]);
            if (!self::intList($r, 3) || $r[0] < -1 || $r[0] > 1) {
                throw self::error(self::E_PROTOCOL, 'unexpected reply to extend');
            }
        } catch (SlotLockException $e) {
            throw $this->failed($keys, $e);
        }
        [$code, $fence] = $r;
        self::$stats[$code === 1 ? 'extended' : 'lost']++;
        $this->emit($code === 1 ? 'extended' : 'lost', $keys, $code === 1 ? $fence : -1, $code === 1 ? $ttlMs : -1,
            $code === -1 ? 'slot_locked' : ($code === 0 ? 'expired' : null));
        if ($code !== 1) {
            return null;
        }
        $candidate = null;
        if ($lock instanceof SlotLock) {
            $candidate = $lock->candidate;
        }
        return $this->makeLock($keys, $owner, $fence, $ttlMs, $candidate);
    }

    /** Whether the lock's keys are held (by anyone) and for how long: keys locked, ttl_ms, booked. */
    public function status(SlotLock|string $lock): array
    {
        $this->fetch();
        $keys = $this->argHandle($lock);
        try {
            $r = $this->runScript('status', $keys, []);
            if (!self::intList($r, 3)) {
                throw self::error(self::E_PROTOCOL, 'unexpected reply to status');
            }
        } catch (SlotLockException $e) {
            throw $this->failed($keys, $e);
        }
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
        try {
            $n = $this->runScript('count', [$this->activeKey], []);
            if (!is_int($n)) {
                throw self::error(self::E_PROTOCOL, 'unexpected reply to script');
            }
        } catch (SlotLockException $e) {
            throw $this->failed(null, $e);
        }
        return $n;
    }

    /** This process's counters. */
    public function stats(): array
    {
        $this->fetch();
        return self::$stats;
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
        $link = $this->link();
        try {
            $link->redis->pipeline();
            foreach ($keys as $k) {
                $link->redis->hGetAll($k);
            }
            $hashes = $link->redis->exec();
        } catch (RedisException $e) {
            $this->drop($link);
            throw $this->failed(null, self::error(self::E_IO, 'metrics: ' . $e->getMessage()));
        }
        return SlotLockPolyfillMetrics::report(is_array($hashes) ? $hashes : [], $minutes, $now);
    }

    /** Writes this process's unflushed metrics now, one batch; false when there was nothing to write. */
    public function flushMetrics(): bool
    {
        $this->fetch();
        $had = SlotLockPolyfillMetrics::sync(self::$stats);
        $this->metricsFlush(true);
        return $had;
    }

    /** The metrics batch; a failure is kept for the next one (and thrown only when $throw). */
    private function metricsFlush(bool $throw): void
    {
        if (!SlotLockPolyfillMetrics::sync(self::$stats)) {
            return;
        }
        $link = null;
        try {
            $link = $this->link();
            SlotLockPolyfillMetrics::flush($link->redis, $this->prefix);
        } catch (RedisException | SlotLockException $e) {
            if ($link !== null && $e instanceof RedisException) {
                $this->drop($link);
                $e = self::error(self::E_IO, 'metrics: ' . $e->getMessage());
            }
            if ($throw) {
                throw $this->failed(null, $e);
            }
        }
    }

    /** mode (always single here), hash_tag, and the node with whether it is connected. */
    public function topology(): array
    {
        $this->fetch();
        $link = $this->persistent ? (self::$pool[$this->poolId] ?? null) : $this->own;
        return [
            'mode' => 'single',
            'hash_tag' => false,
            'nodes' => [[
                'addr' => self::describe($this->ep),
                'role' => 'master',
                'connected' => $link !== null && $link->pid === getmypid(),
            ]],
        ];
    }

    /** Closes this object's connection (a persistent one is closed too). */
    public function close(): void
    {
        $this->fetch();
        $link = $this->persistent ? (self::$pool[$this->poolId] ?? null) : $this->own;
        if ($link !== null) {
            $this->drop($link);
        }
    }

    /** var_dump() shows where it points, never credentials or owners. */
    public function __debugInfo(): array
    {
        if (!$this->initialized) {
            return [];
        }
        $link = $this->persistent ? (self::$pool[$this->poolId] ?? null) : $this->own;
        return [
            'endpoint' => self::describe($this->ep),
            'prefix' => $this->prefix,
            'ttl' => $this->ttl,
            'mode' => 'single',
            'timeout' => $this->ep['timeout'],
            'persistent' => $this->persistent,
            'key_timezone' => $this->tzName,
            'connected' => $link !== null && $link->pid === getmypid(),
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

    /* ---- Options ------------------------------------------------------ */

    /** The base every constructor form starts from: the slotlock.* INI values, else the defaults. */
    private static function optionsFromIni(): array
    {
        $ttl = self::iniInt('slotlock.ttl', 300, self::TTL_MIN, self::TTL_MAX);
        $bookedTtl = self::iniInt('slotlock.booked_ttl', 600, self::TTL_MIN, self::TTL_MAX);
        $bucket = self::iniInt('slotlock.bucket', 15, 1, 1440);
        $timeout = 1.0;
        $t = self::ini('slotlock.timeout');
        if ($t !== null && is_numeric(trim($t)) && (float) $t > 0.0 && (float) $t <= self::MAX_TIMEOUT) {
            $timeout = (float) $t;
        }
        $p = self::ini('slotlock.persistent');
        $tz = self::ini('slotlock.key_timezone');
        $o = [
            'ep' => self::endpointInit(),
            'prefix' => self::DEFAULT_PREFIX,
            'ttl' => $ttl,
            'booked_ttl' => $bookedTtl,
            'bucket' => $bucket,
            'persistent' => $p === null ? true : self::iniBool($p),
            'tz' => ($tz !== null && $tz !== '') ? $tz : 'UTC',
        ];
        $o['ep']['timeout'] = $timeout;
        $o['ep']['host'] = self::DEFAULT_HOST;
        $dsn = self::ini('slotlock.dsn') ?? 'redis://127.0.0.1:6379';
        if ($dsn !== '') {
            try {
                self::parseDsn($dsn, $o['ep']);
            } catch (ValueError $e) {
                throw new ValueError('slotlock.dsn: ' . $e->getMessage());
            }
        }
        $prefix = self::ini('slotlock.prefix');
        if ($prefix !== null) {
            self::prefixCheck($prefix);
            $o['prefix'] = $prefix;
        }
        return $o;
    }

    /** An INI value: the extension's (when it registered them) or one given with -d / php.ini. */
    private static function ini(string $name): ?string
    {
        return SlotLockPolyfillIni::get($name);
    }

    private static function iniInt(string $name, int $default, int $min, int $max): int
    {
        $v = self::ini($name);
        if ($v === null) {
            return $default;
        }
        $n = (int) $v;
        return ($n < $min || $n > $max) ? $default : $n;
    }

    private static function iniBool(string $v): bool
    {
        $l = strtolower(trim($v));
        if ($l === 'true' || $l === 'yes' || $l === 'on') {
            return true;
        }
        return (int) $v !== 0;
    }

    private static function optionTypeError(string $name, string $expected, mixed $value): TypeError
    {
        return new TypeError(sprintf('SlotLockService::__construct(): Option "%s" must be of type %s, %s given',
            $name, $expected, get_debug_type($value)));
    }

    private static function optionString(string $name, #[\SensitiveParameter] mixed $value, bool $nullable): ?string
    {
        if ($value === null && $nullable) {
            return null;
        }
        if (!is_string($value)) {
            throw self::optionTypeError($name, $nullable ? '?string' : 'string', $value);
        }
        if (str_contains($value, "\0")) {
            throw new ValueError("$name must not contain NUL bytes");
        }
        return $value;
    }

    private static function optionInt(string $name, mixed $value, int $min, int $max): int
    {
        if (!is_int($value)) {
            throw self::optionTypeError($name, 'int', $value);
        }
        if ($value < $min || $value > $max) {
            throw new ValueError(sprintf('SlotLockService::__construct(): Option "%s" must be between %d and %d',
                $name, $min, $max));
        }
        return $value;
    }

    private static function optionsFromArray(array &$o, #[\SensitiveParameter] array $options): void
    {
        /* A "dsn" entry is applied first, so the other entries refine it. */
        if (array_key_exists('dsn', $options)) {
            if (!is_string($options['dsn'])) {
                throw self::optionTypeError('dsn', 'string', $options['dsn']);
            }
            self::parseDsn($options['dsn'], $o['ep']);
        }
        foreach ($options as $name => $value) {
            if (!is_string($name)) {
                throw new ValueError('SlotLockService::__construct(): Options must be keyed by name');
            }
            switch ($name) {
                case 'dsn':
                    break;
                case 'tls':
                    $o['ep']['tls'] = self::tlsOptions($value, $o['ep']['tls']);
                    break;
                case 'host':
                    $o['ep']['host'] = self::optionString($name, $value, false);
                    $o['ep']['socket'] = null;
                    break;
                case 'port':
                    $o['ep']['port'] = self::optionInt($name, $value, 1, 65535);
                    break;
                case 'socket':
                    $o['ep']['socket'] = self::optionString($name, $value, true);
                    if ($o['ep']['socket'] !== null && !str_starts_with($o['ep']['socket'], '/')) {
                        throw new ValueError('SlotLockService::__construct(): Option "socket" must be an absolute path');
                    }
                    break;
                case 'database':
                    $o['ep']['database'] = self::optionInt($name, $value, 0, 2147483647);
                    break;
                case 'username':
                    $o['ep']['username'] = self::optionString($name, $value, true);
                    break;
                case 'password':
                    $o['ep']['password'] = self::optionString($name, $value, true);
                    break;
                case 'timeout':
                    if (!is_int($value) && !is_float($value)) {
                        throw self::optionTypeError($name, 'float', $value);
                    }
                    $t = (float) $value;
                    if (!($t > 0.0) || $t > self::MAX_TIMEOUT) {
                        throw new ValueError('SlotLockService::__construct(): Option "timeout" must be > 0 and <= '
                            . self::g(self::MAX_TIMEOUT) . ' seconds');
                    }
                    $o['ep']['timeout'] = $t;
                    break;
                case 'prefix':
                    if (!is_string($value)) {
                        throw self::optionTypeError($name, 'string', $value);
                    }
                    self::prefixCheck($value);
                    $o['prefix'] = $value;
                    break;
                case 'ttl':
                    $o['ttl'] = self::optionInt($name, $value, self::TTL_MIN, self::TTL_MAX);
                    break;
                case 'booked_ttl':
                    $o['booked_ttl'] = self::optionInt($name, $value, self::TTL_MIN, self::TTL_MAX);
                    break;
                case 'bucket':
                    $o['bucket'] = self::optionInt($name, $value, 1, 1440);
                    break;
                case 'persistent':
                    if (!is_bool($value)) {
                        throw self::optionTypeError($name, 'bool', $value);
                    }
                    $o['persistent'] = $value;
                    break;
                case 'key_timezone':
                    if (!is_string($value)) {
                        throw self::optionTypeError($name, 'string', $value);
                    }
                    $o['tz'] = $value;
                    break;
                case 'cluster':
                case 'sentinel':
                case 'nodes':
                case 'master':
                case 'wait_replicas':
                case 'wait_timeout':
                case 'sentinel_check':
                case 'drift_factor':
                case 'hash_tag':
                    /* Cluster, Sentinel and quorum live in the extension's C core only. */
                    throw new SlotLockException(sprintf(
                        'SlotLockService::__construct(): Option "%s" needs the slotlock extension; the PHP polyfill speaks to one Redis node',
                        $name));
                default:
                    throw new ValueError(sprintf('SlotLockService::__construct(): Unknown option "%s"',
                        strlen($name) > 64 ? '(too long)' : $name));
            }
        }
    }

    /** %g of C's printf, for the few numbers in messages. */
    private static function g(float $v): string
    {
        return rtrim(rtrim(sprintf('%.6F', $v), '0'), '.');
    }

    private function loadTimezone(): DateTimeZone
    {
        if ($this->tz !== null) {
            return $this->tz;
        }
        try {
            $this->tz = new DateTimeZone($this->tzName);
        } catch (Throwable $e) {
            throw new ValueError('SlotLockService::__construct(): Option "key_timezone" is not a known time zone');
        }
        return $this->tz;
    }

    private static function prefixCheck(string $prefix): void
    {
        $len = strlen($prefix);
        if ($len < 1 || $len > self::PREFIX_MAX) {
            throw new ValueError('prefix must be 1 to ' . self::PREFIX_MAX . ' characters');
        }
        if (strspn($prefix, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.') !== $len) {
            throw new ValueError("prefix may only contain A-Z, a-z, 0-9, '_', '-' and '.'");
        }
    }

    /* ---- DSN and endpoint (src/sl_dsn.c) ------------------------------- */

    private static function endpointInit(): array
    {
        return ['host' => null, 'port' => self::DEFAULT_PORT, 'socket' => null, 'database' => 0,
                'username' => null, 'password' => null, 'timeout' => 1.0, 'tls' => null];
    }

    /**
     * Option "tls" (src/sl_tls.c): true/false, or PHP ssl-context names. Returns the TLS
     * options (null: plain), starting from $tls.
     */
    private static function tlsOptions(#[\SensitiveParameter] mixed $value, ?array $tls): ?array
    {
        $ctx = 'SlotLockService::__construct(): Option "tls": ';
        if (is_bool($value)) {
            return $value ? ($tls ?? []) : null;
        }
        if (!is_array($value)) {
            throw self::optionTypeError('tls', 'array|bool', $value);
        }
        $tls ??= [];
        foreach ($value as $k => $v) {
            if (!is_string($k)) {
                throw new ValueError('SlotLockService::__construct(): Option "tls" must be keyed by name');
            }
            switch ($k) {
                case 'cafile': case 'capath': case 'local_cert': case 'local_pk': case 'passphrase':
                case 'peer_name': case 'ciphers':
                    if (!is_string($v) || $v === '' || str_contains($v, "\0")) {
                        throw new ValueError($ctx . "\"$k\" must be a non-empty string");
                    }
                    $tls[$k] = $v;
                    break;
                case 'verify_peer': case 'verify_peer_name':
                    if (!is_bool($v)) {
                        throw new ValueError($ctx . "\"$k\" must be a bool");
                    }
                    $tls[$k] = $v;
                    break;
                case 'security_level':
                    if (!is_int($v) || $v < 0 || $v > 5) {
                        throw new ValueError($ctx . '"security_level" must be an int from 0 to 5');
                    }
                    $tls[$k] = $v;
                    break;
                case 'min_proto_version':
                    $tls[$k] = match (true) {
                        $v === STREAM_CRYPTO_PROTO_TLSv1_2, is_string($v) && strcasecmp($v, 'tlsv1.2') === 0
                            => STREAM_CRYPTO_PROTO_TLSv1_2,
                        $v === STREAM_CRYPTO_PROTO_TLSv1_3, is_string($v) && strcasecmp($v, 'tlsv1.3') === 0
                            => STREAM_CRYPTO_PROTO_TLSv1_3,
                        default => throw new ValueError($ctx . '"min_proto_version" must be "tlsv1.2", "tlsv1.3", '
                            . 'STREAM_CRYPTO_PROTO_TLSv1_2 or STREAM_CRYPTO_PROTO_TLSv1_3'),
                    };
                    break;
                default:
                    throw new ValueError($ctx . sprintf('unknown key "%s" (allowed: cafile, capath, local_cert, '
                        . 'local_pk, passphrase, verify_peer, verify_peer_name, peer_name, ciphers, security_level, '
                        . 'min_proto_version)', strlen($k) > 64 || str_contains($k, "\0") ? '(too long)' : $k));
            }
        }
        return $tls;
    }

    /** Percent-decodes; null on a bad escape or %00. */
    private static function pctDecode(#[\SensitiveParameter] string $s): ?string
    {
        $out = '';
        $len = strlen($s);
        for ($i = 0; $i < $len; $i++) {
            if ($s[$i] === '%') {
                if ($i + 2 >= $len) {
                    return null;
                }
                $hex = substr($s, $i + 1, 2);
                if (!ctype_xdigit($hex) || $hex === '00') {
                    return null;
                }
                $out .= chr(hexdec($hex));
                $i += 2;
            } else {
                $out .= $s[$i];
            }
        }
        return $out;
    }

    /** An integer in [min, max] of 1 to 10 digits, or null. */
    private static function parseInt(string $s, int $min, int $max): ?int
    {
        if ($s === '' || strlen($s) > 10 || !ctype_digit($s)) {
            return null;
        }
        $v = (int) $s;
        return ($v < $min || $v > $max) ? null : $v;
    }

    private static function parseQuery(string $q, array &$ep): void
    {
        if ($q === '') {
            return;
        }
        foreach (explode('&', $q) as $pair) {
            if ($pair === '') {
                continue;
            }
            $eq = strpos($pair, '=');
            if ($eq === false) {
                throw new ValueError('DSN option without a value');
            }
            $k = substr($pair, 0, $eq);
            $v = substr($pair, $eq + 1);
            if ($k === 'database') {
                $db = self::parseInt($v, 0, 2147483647);
                if ($db === null) {
                    throw new ValueError('DSN database must be a non-negative integer');
                }
                $ep['database'] = $db;
            } elseif ($k === 'timeout') {
                if ($v === '' || strlen($v) >= 32) {
                    throw new ValueError('DSN timeout must be a number of seconds');
                }
                $t = is_numeric($v) && trim($v) === $v ? (float) $v : NAN;
                if (!($t > 0.0) || $t > self::MAX_TIMEOUT) {
                    throw new ValueError('DSN timeout must be > 0 and <= ' . self::g(self::MAX_TIMEOUT) . ' seconds');
                }
                $ep['timeout'] = $t;
            } else {
                /* never echo it: a '?' in an unescaped password lands here */
                throw new ValueError('unknown DSN option (allowed: database, timeout)');
            }
        }
    }

    /**
     * "redis://[[user]:password@]host[:port][/db][?opts]" or
     * "unix://[[user]:password@]/path/to.sock[?opts]" into $ep; fields not named keep their values.
     */
    private static function parseDsn(#[\SensitiveParameter] string $dsn, array &$ep): void
    {
        if (str_contains($dsn, "\0")) {
            throw new ValueError('DSN must not contain NUL bytes');
        }
        if (str_starts_with($dsn, 'redis://')) {
            $unix = false;
            $rest = substr($dsn, 8);
        } elseif (str_starts_with($dsn, 'unix://')) {
            $unix = true;
            $rest = substr($dsn, 7);
        } elseif (str_starts_with($dsn, 'rediss://')) {
            /* TLS through phpredis (a stream context); redis:// keeps what the options say */
            $unix = false;
            $rest = substr($dsn, 9);
            $ep['tls'] ??= [];
        } else {
            throw new ValueError('DSN must start with redis:// or unix://');
        }
        $qpos = strpos($rest, '?');
        $query = $qpos === false ? null : substr($rest, $qpos + 1);
        $path = $qpos === false ? $rest : substr($rest, 0, $qpos);

        /* Userinfo ends at the last '@' before the path (unix) or the query (tcp). */
        $at = null;
        $plen = strlen($path);
        for ($i = 0; $i < $plen && !($unix && $path[$i] === '/'); $i++) {
            if ($path[$i] === '@') {
                $at = $i;
            }
        }
        if ($at !== null) {
            self::parseUserinfo(substr($path, 0, $at), $ep);
            $path = substr($path, $at + 1);
        }

        if ($unix) {
            if ($path === '' || $path[0] !== '/') {
                throw new ValueError('unix DSN needs an absolute socket path (unix:///path/to.sock)');
            }
            $ep['socket'] = $path;
            $ep['host'] = null;
        } else {
            $slash = strpos($path, '/');
            $hostPart = $slash === false ? $path : substr($path, 0, $slash);
            if ($hostPart !== '' && $hostPart[0] === '[') {
                $rb = strpos($hostPart, ']');
                if ($rb === false) {
                    throw new ValueError("DSN IPv6 host is missing ']'");
                }
                $ep['host'] = substr($hostPart, 1, $rb - 1);
                $after = substr($hostPart, $rb + 1);
            } else {
                $colon = strpos($hostPart, ':');
                $ep['host'] = $colon === false ? $hostPart : substr($hostPart, 0, $colon);
                $after = $colon === false ? '' : substr($hostPart, $colon);
            }
            if ($ep['host'] === '') {
                throw new ValueError('DSN has no host');
            }
            if ($after !== '' && $after[0] === ':') {
                $port = self::parseInt(substr($after, 1), 1, 65535);
                if ($port === null) {
                    throw new ValueError('DSN port must be an integer in 1..65535');
                }
                $ep['port'] = $port;
            } elseif ($after !== '') {
                throw new ValueError('DSN host is malformed');
            }
            if ($slash !== false && $slash + 1 < strlen($path)) {
                $db = self::parseInt(substr($path, $slash + 1), 0, 2147483647);
                if ($db === null) {
                    throw new ValueError('DSN database must be a non-negative integer');
                }
                $ep['database'] = $db;
            }
            $ep['socket'] = null;
        }
        if ($query !== null) {
            self::parseQuery($query, $ep);
        }
    }

    /** user[:password], without the '@'. A lone userinfo is the password, as in redis-cli. */
    private static function parseUserinfo(#[\SensitiveParameter] string $s, array &$ep): void
    {
        $colon = strpos($s, ':');
        $u = $colon === false ? $s : substr($s, 0, $colon);
        $user = null;
        $pass = null;
        if ($u !== '') {
            $user = self::pctDecode($u);
            if ($user === null) {
                throw new ValueError('DSN credentials hold an invalid percent escape');
            }
        }
        if ($colon !== false) {
            $pass = self::pctDecode(substr($s, $colon + 1));
            if ($pass === null) {
                throw new ValueError('DSN credentials hold an invalid percent escape');
            }
            if ($pass === '') {
                $pass = null;
            }
        } elseif ($user !== null) {
            $pass = $user;
            $user = null;
        }
        $ep['username'] = $user;
        $ep['password'] = $pass;
    }

    private static function endpointCheck(array $ep): ?string
    {
        if ($ep['socket'] === null && ($ep['port'] < 1 || $ep['port'] > 65535)) {
            return 'port must be in 1..65535';
        }
        if ($ep['socket'] === null && ($ep['host'] === null || $ep['host'] === '')) {
            return 'host must not be empty';
        }
        if ($ep['socket'] !== null && $ep['tls'] !== null) {
            return 'TLS needs a host and port, not a unix socket';
        }
        if ($ep['database'] < 0) {
            return 'database must be >= 0';
        }
        if (!($ep['timeout'] > 0.0) || $ep['timeout'] > self::MAX_TIMEOUT || is_nan($ep['timeout'])) {
            return 'timeout must be > 0 and <= ' . self::g(self::MAX_TIMEOUT) . ' seconds';
        }
        return null;
    }

    /** "tcp://host:port/db" or "unix:///path/db", never credentials. */
    private static function describe(array $ep): string
    {
        if ($ep['socket'] !== null) {
            return sprintf('unix://%s/%d', $ep['socket'], $ep['database']);
        }
        return sprintf('%s://%s:%d/%d', $ep['tls'] !== null ? 'tls' : 'tcp', $ep['host'] ?? '', $ep['port'],
            $ep['database']);
    }

    /** The identity of a shared connection: endpoint and credentials, the password only hashed. */
    private static function poolId(array $ep): string
    {
        $parts = [
            $ep['socket'] !== null ? 'u' : 't',
            (string) $ep['port'],
            (string) $ep['database'],
            $ep['socket'] ?? $ep['host'] ?? '',
            $ep['username'] ?? '',
            $ep['password'] === null ? '-' : 'p' . hash('sha256', $ep['password']),
            sprintf('%.6F', $ep['timeout']),
            $ep['tls'] === null ? '-' : hash('sha256', serialize($ep['tls'])),
        ];
        $id = '';
        foreach ($parts as $p) {
            $id .= strlen($p) . ':' . $p . '|';
        }
        return hash('sha256', $id);
    }

    /* ---- Arguments ------------------------------------------------------ */

    private function fetch(): void
    {
        if (!$this->initialized) {
            throw new Error('SlotLockService object is not initialized');
        }
    }

    /** An id as text: positive int, or [A-Za-z0-9_-]{1,64}. */
    private function argId(mixed $id, string $name): string
    {
        if (is_int($id)) {
            if ($id < 1) {
                throw new ValueError("$name must be a positive integer or 1 to " . self::ID_MAX
                    . ' characters of [A-Za-z0-9_-]');
            }
            return (string) $id;
        }
        if (!is_string($id)) {
            throw new TypeError("$name must be of type int|string, " . get_debug_type($id) . ' given');
        }
        $len = strlen($id);
        if ($len < 1 || $len > self::ID_MAX
            || strspn($id, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-') !== $len) {
            throw new ValueError("$name must be a positive integer or 1 to " . self::ID_MAX
                . ' characters of [A-Za-z0-9_-]');
        }
        return $id;
    }

    /** The instant a start argument names, in Unix seconds, on a whole minute. */
    private function argInstant(mixed $start, string $name): int
    {
        if (is_string($start)) {
            if ($start === '' || strlen($start) > 128 || str_contains($start, "\0")) {
                throw new ValueError("$name is not a valid date and time");
            }
            $tz = $this->loadTimezone();
            try {
                $start = new DateTimeImmutable($start, $tz);
            } catch (Exception $e) {
                throw new ValueError("$name is not a valid date and time");
            }
        } elseif (!$start instanceof DateTimeInterface) {
            throw new TypeError("$name must be of type DateTimeInterface|string, " . get_debug_type($start) . ' given');
        }
        try {
            $sse = $start->getTimestamp();
            $us = (int) $start->format('u');
        } catch (Error $e) {
            throw new ValueError("$name is an uninitialized DateTime object");
        }
        if ($sse < self::UNIX_MIN || $sse >= self::UNIX_MAX) {
            throw new ValueError("$name must be in the years 1000 to 9999");
        }
        if ($us !== 0 || (($sse % 60) + 60) % 60 !== 0) {
            throw new ValueError("$name must be on a whole minute (seconds must be 0)");
        }
        return $sse;
    }

    /** The wall clock of an instant in key_timezone: [year, month, day, hour, minute]. */
    private function wallClock(int $sse, string $name): array
    {
        $d = new DateTimeImmutable('@' . $sse);
        if (!$this->tzUtc) {
            $d = $d->setTimezone($this->loadTimezone());
        }
        $t = array_map('intval', explode(' ', $d->format('Y n j G i')));
        self::slotTimeCheck($t, $name);
        return $t;
    }

    private static function slotTimeCheck(array $t, string $name): void
    {
        [$y, $m, $d, $h, $i] = $t;
        if ($y < 1000 || $y > 9999) {
            throw new ValueError("$name must be in the years 1000 to 9999");
        }
        if ($m < 1 || $m > 12 || $d < 1 || $d > self::daysInMonth($y, $m) || $h < 0 || $h > 23
            || $i < 0 || $i > 59) {
            throw new ValueError("$name is not a valid date and time");
        }
    }

    private function buildKey(string $company, string $service, array $t): string
    {
        return sprintf('%s:c%s:s%s:t%04d%02d%02d%02d%02d', $this->prefix, $company, $service, ...$t);
    }

    private function argKey(mixed $service, mixed $start, string $company): string
    {
        $svc = $this->argId($service, '$serviceId');
        $t = $this->wallClock($this->argInstant($start, '$start'), '$start');
        return $this->buildKey($company, $svc, $t);
    }

    /** One [serviceId, start] pair (or ['service' => ..., 'start' => ...]) appended to $keys. */
    private function argPair(mixed $pair, string $company, string $what, array &$keys, int $groupStart): void
    {
        if (!is_array($pair)) {
            throw new TypeError("$what must hold [serviceId, start] pairs, " . get_debug_type($pair) . ' given');
        }
        $svc = $pair[0] ?? null;
        $start = $pair[1] ?? null;
        if (!array_key_exists(0, $pair) || !array_key_exists(1, $pair)) {
            $svc = array_key_exists('service', $pair) ? $pair['service'] : null;
            $start = array_key_exists('start', $pair) ? $pair['start'] : null;
            $has = array_key_exists('service', $pair) && array_key_exists('start', $pair);
        } else {
            $has = true;
        }
        if (!$has || count($pair) !== 2) {
            throw new ValueError("$what must hold [serviceId, start] pairs");
        }
        $key = $this->argKey($svc, $start, $company);
        for ($i = $groupStart, $n = count($keys); $i < $n; $i++) {
            if ($keys[$i] === $key) {
                throw new ValueError("$what names the same slot twice");
            }
        }
        if (count($keys) >= self::MAX_ACQUIRE_KEYS) {
            throw new ValueError("$what holds more than " . self::MAX_ACQUIRE_KEYS . ' slots');
        }
        $keys[] = $key;
    }

    /** A segment list: a non-empty list of pairs. Appends its keys; returns how many. */
    private function argSegments(array $segments, string $company, string $what, array &$keys): int
    {
        $start = count($keys);
        if (count($segments) === 0) {
            throw new ValueError("$what must not be empty");
        }
        if (count($segments) > self::MAX_LOCK_KEYS) {
            throw new ValueError("$what must not hold more than " . self::MAX_LOCK_KEYS . ' segments');
        }
        foreach ($segments as $pair) {
            $this->argPair($pair, $company, $what, $keys, $start);
        }
        return count($keys) - $start;
    }

    private static function ownerCheck(string $owner): void
    {
        $len = strlen($owner);
        if ($len === 0 || $len > self::OWNER_MAX) {
            throw new ValueError('$owner must be 1 to ' . self::OWNER_MAX . ' bytes');
        }
        if (str_contains($owner, "\0")) {
            throw new ValueError('$owner must not contain NUL bytes');
        }
    }

    private static function ttlCheck(int $ttl): void
    {
        if ($ttl < self::TTL_MIN || $ttl > self::TTL_MAX) {
            throw new ValueError('$ttl must be between ' . self::TTL_MIN . ' and ' . self::TTL_MAX . ' seconds');
        }
    }

    private static function bookingIdCheck(?string $bookingId): void
    {
        if ($bookingId !== null && (strlen($bookingId) > self::BOOKING_ID_MAX || str_contains($bookingId, "\0"))) {
            throw new ValueError('$bookingId must be at most ' . self::BOOKING_ID_MAX . ' bytes without NUL bytes');
        }
    }

    /** The TTL in ms (the service's default for null). */
    private function argTtl(?int $ttl): int
    {
        $ttl ??= $this->ttl;
        self::ttlCheck($ttl);
        return $ttl * 1000;
    }

    private static function argOwner(?string $owner): string
    {
        if ($owner !== null) {
            self::ownerCheck($owner);
            return $owner;
        }
        return bin2hex(random_bytes(16));
    }

    /** A SlotLock or a handle string → its keys. */
    private function argHandle(SlotLock|string $lock): array
    {
        if ($lock instanceof SlotLock) {
            if (!isset($lock->key)) {
                throw new ValueError('$lock is an uninitialized SlotLock');
            }
            $lock = $lock->key;
        }
        return $this->parseHandle($lock);
    }

    /** Splits a handle ("key" or "key,key,...") into keys of this prefix (src/sl_key.c). */
    private function parseHandle(string $handle): array
    {
        if ($handle === '') {
            throw new ValueError('$lock must not be empty');
        }
        $keys = [];
        foreach (explode(',', $handle) as $k) {
            if (!$this->keyValid($k)) {
                throw new ValueError(sprintf('$lock is not a lock key of prefix "%s"', $this->prefix));
            }
            if (in_array($k, $keys, true)) {
                throw new ValueError('$lock names a key twice');
            }
            if (count($keys) >= self::MAX_LOCK_KEYS) {
                throw new ValueError('$lock holds more than ' . self::MAX_LOCK_KEYS . ' keys');
            }
            $keys[] = $k;
        }
        return $keys;
    }

    /** "<prefix>:c<id>:s<id>:t<12 digits>" or "<prefix>:c<id>:r<id>:b<12 digits>". */
    private function keyValid(string $key): bool
    {
        $plen = strlen($this->prefix);
        if (strlen($key) <= $plen + 1 || strncmp($key, $this->prefix . ':', $plen + 1) !== 0) {
            return false;
        }
        return preg_match('/\Ac[A-Za-z0-9_-]{1,64}:(?:s[A-Za-z0-9_-]{1,64}:t|r[A-Za-z0-9_-]{1,64}:b)[0-9]{12}\z/',
            substr($key, $plen + 1)) === 1;
    }

    /** The bucket keys of a resource interval (src/sl_key.c sl_resource_keys). */
    private function resourceKeyList(mixed $company, mixed $resource, mixed $start, mixed $end, int $before,
                                     int $after): array
    {
        $cid = $this->argId($company, '$companyId');
        $rid = $this->argId($resource, '$resourceId');
        $from = $this->argInstant($start, '$start');
        if (is_int($end)) {
            if ($end < 1 || $end > 24 * 60) {
                throw new ValueError('$end as a duration must be 1 to 1440 minutes');
            }
            $to = $from + $end * 60;
        } else {
            $to = $this->argInstant($end, '$end');
        }
        if ($before < 0 || $before > 1440 || $after < 0 || $after > 1440) {
            throw new ValueError((($before < 0 || $before > 1440) ? '$bufferBefore' : '$bufferAfter')
                . ' must be 0 to 1440 minutes');
        }
        $from -= $before * 60;
        $to += $after * 60;
        $bs = $this->bucket * 60;
        if ($from < self::UNIX_MIN || $to > self::UNIX_MAX) {
            throw new ValueError('the interval is out of range (years 1000 to 9999)');
        }
        if ($to <= $from) {
            throw new ValueError('$end must be after $start');
        }
        $b = intdiv($from, $bs) * $bs;
        if ($b > $from) {
            $b -= $bs;
        }
        if (intdiv($to - $b + $bs - 1, $bs) > self::MAX_LOCK_KEYS) {
            throw new ValueError('$start to $end (with the buffers) spans more than ' . self::MAX_LOCK_KEYS . ' buckets');
        }
        $keys = [];
        for (; $b < $to; $b += $bs) {
            $t = array_map('intval', explode(' ', gmdate('Y n j G i', $b)));
            if ($t[0] < 1000 || $t[0] > 9999) {
                throw new ValueError('the interval is out of range (years 1000 to 9999)');
            }
            $keys[] = sprintf('%s:c%s:r%s:b%04d%02d%02d%02d%02d', $this->prefix, $cid, $rid, ...$t);
        }
        return $keys;
    }

    /* ---- Events ----------------------------------------------------------- */

    private function emit(string $event, ?array $keys, int $fence, int $ttlMs, ?string $reason): void
    {
        if ($this->listener === null) {
            return;
        }
        $ev = ['event' => $event, 'key' => ($keys !== null && $keys !== []) ? implode(',', $keys) : null];
        if ($fence >= 0) {
            $ev['fence'] = $fence;
        }
        if ($ttlMs >= 0) {
            $ev['ttl_ms'] = $ttlMs;
        }
        if ($reason !== null) {
            $ev['reason'] = $reason;
        }
        try {
            ($this->listener)($ev);
        } catch (Throwable $e) {
            /* The lock operation already happened: a throwing listener must not
             * make the caller lose the lock it was handed. */
            /* named after the method the application called, as PHP names an internal function */
            $fn = 'SlotLockService::' . __FUNCTION__;
            foreach (debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS) as $frame) {
                $class = $frame['class'] ?? '';
                if ($class !== self::class && $class !== AvailabilityWithLock::class) {
                    break;
                }
                if ($frame['function'] !== '{closure}') {
                    $fn = $class . '::' . $frame['function'];
                }
            }
            trigger_error(sprintf('%s(): SlotLockService event listener threw %s: %s', $fn, get_class($e),
                $e->getMessage()), E_USER_WARNING);
        }
    }

    /** Counts an operation that failed, tells the listener, and hands the exception back. */
    private function failed(?array $keys, SlotLockException $e): SlotLockException
    {
        static $reasons = ['ok', 'argument', 'connect', 'timeout', 'io', 'auth', 'reply', 'protocol', 'memory', 'fork'];
        self::$stats['errors']++;
        $this->emit('error', $keys, -1, -1, $reasons[$e->getCode()] ?? 'error');
        return $e;
    }

    /* ---- Lock operations -------------------------------------------------- */

    /**
     * Runs the acquire script over candidates (group sizes), counts it and tells the listener.
     * Returns [candidate (0-based, -1 none), fence, ttl_ms, fresh, blocked, booking_id].
     */
    private function acquireGroups(array $keys, array $groups, string $owner, int $ttlMs): array
    {
        $args = [$owner, (string) $ttlMs];
        foreach ($groups as $n) {
            $args[] = (string) $n;
        }
        $t0 = hrtime(true);
        try {
            $r = $this->runScript('acquire', array_merge([$this->fenceKey, $this->activeKey], $keys), $args);
            if (!is_array($r) || count($r) !== 6 || !self::intList(array_slice($r, 0, 5), 5)
                || !is_string($r[5]) || strlen($r[5]) > self::BOOKING_ID_MAX) {
                throw self::error(self::E_PROTOCOL, 'unexpected reply to acquire');
            }
            [$cand, $fence, $ttl, $fresh, $why, $booking] = $r;
            if ($cand < 0 || $cand > count($groups) || ($cand > 0 && $fence < 1) || $why < 0
                || $why > self::BLOCKED_BOOKED_SELF || ($cand > 0 && $why !== 0)) {
                throw self::error(self::E_PROTOCOL, 'unexpected reply to acquire');
            }
        } catch (SlotLockException $e) {
            throw $this->failed($keys, $e);
        }
        $res = [$cand - 1, $fence, $ttl, $fresh !== 0, $why, $booking];
        SlotLockPolyfillMetrics::acquired($res[0], $why, hrtime(true) - $t0, self::$stats);
        if (SlotLockPolyfillMetrics::due($this, static fn (self $svc) => $svc->metricsFlush(false))) {
            $this->metricsFlush(false);
        }
        if ($res[0] < 0) {
            self::$stats['conflicts']++;
            $this->emit('conflict', $keys, -1, $ttl, $why === self::BLOCKED_LOCKED ? 'slot_locked' : 'slot_booked');
            return $res;
        }
        self::$stats[$res[3] ? 'acquired' : 'reacquired']++;
        $this->emit($res[3] ? 'acquired' : 'reacquired', self::groupKeys($keys, $groups, $res[0]), $fence, $ttl, null);
        return $res;
    }

    private static function groupKeys(array $keys, array $groups, int $candidate): array
    {
        return array_slice($keys, (int) array_sum(array_slice($groups, 0, $candidate)), $groups[$candidate]);
    }

    /** The shared tail of acquire, acquireSegments, acquireFirst and acquireResource. */
    private function serviceAcquire(array $keys, array $groups, ?string $owner, ?int $ttl, bool $reportCandidate): ?SlotLock
    {
        $ttlMs = $this->argTtl($ttl);
        $owner = self::argOwner($owner);
        $res = $this->acquireGroups($keys, $groups, $owner, $ttlMs);
        if ($res[0] < 0) {
            return null;
        }
        return $this->makeLock(self::groupKeys($keys, $groups, $res[0]), $owner, $res[1], $res[2],
            $reportCandidate ? $res[0] : null);
    }

    private function internalCommit(array $keys, string $owner, ?string $bookingId, int $ttl): bool
    {
        $ttlMs = $ttl * 1000;
        try {
            $r = $this->runScript('commit', array_merge([$this->fenceKey, $this->activeKey], $keys),
                [$owner, (string) $ttlMs, $bookingId ?? '']);
            if (!self::intList($r, 2) || ($r[0] !== 1 && $r[0] !== -1)) {
                throw self::error(self::E_PROTOCOL, 'unexpected reply to commit');
            }
        } catch (SlotLockException $e) {
            throw $this->failed($keys, $e);
        }
        $ok = $r[0] === 1;
        self::$stats[$ok ? 'committed' : 'conflicts']++;
        $this->emit($ok ? 'committed' : 'conflict', $keys, $ok ? $r[1] : -1, $ok ? $ttlMs : -1, $ok ? null : 'slot_locked');
        return $ok;
    }

    private function internalRelease(array $keys, string $owner): int
    {
        try {
            $n = $this->runScript('release', array_merge([$this->activeKey], $keys), [$owner]);
            if (!is_int($n)) {
                throw self::error(self::E_PROTOCOL, 'unexpected reply to script');
            }
        } catch (SlotLockException $e) {
            throw $this->failed($keys, $e);
        }
        self::$stats['released'] += $n;
        if ($n > 0) {
            $this->emit('released', $keys, -1, -1, null);
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

    /** A SlotLock; expiresAt is now + ttl, in key_timezone. */
    private function makeLock(array $keys, string $owner, int $fence, int $ttlMs, ?int $candidate): SlotLock
    {
        static $make = null;
        $make ??= Closure::bind(static function (array $keys, string $owner, int $fence, DateTimeImmutable $at,
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
            ->setTimezone($this->loadTimezone());
        return $make($keys, $owner, $fence, $at, $candidate);
    }

    /* ---- Internal API for AvailabilityWithLock ---------------------------- */

    /** @internal */
    private function availabilityApi(string $op, array $a): mixed
    {
        $this->fetch();
        switch ($op) {
            case 'slot_keys':
                return $this->slotKeys(...$a);
            case 'resource_keys':
                return $this->resourceKeyList(...$a);
            case 'handle':
                return $this->parseHandle($a[0]);
            case 'acquire':     /* keys, owner, ttl (0: default) → acquire result + SlotLock or null */
                [$keys, $owner, $ttl] = $a;
                $ttlMs = ($ttl > 0 ? $ttl : $this->ttl) * 1000;
                $res = $this->acquireGroups($keys, [count($keys)], $owner, $ttlMs);
                $res[] = $res[0] >= 0 ? $this->makeLock($keys, $owner, $res[1], $res[2], null) : null;
                return $res;
            case 'commit':      /* keys, owner, booking id */
                return $this->internalCommit($a[0], $a[1], $a[2], $this->bookedTtl);
            case 'release':
                return $this->internalRelease($a[0], $a[1]);
            case 'emit':
                $this->emit(...$a);
                return null;
            case 'count':
                self::$stats[$a[0]]++;
                return null;
        }
        throw new Error("unknown operation $op");
    }

    /** $service as an id (one slot at $start) or a list of [serviceId, start] segments (int start: minutes after $start). */
    private function slotKeys(mixed $company, mixed $service, mixed $start): array
    {
        $cid = $this->argId($company, '$companyId');
        if (!is_array($service)) {
            return [$this->argKey($service, $start, $cid)];
        }
        if (count($service) === 0 || count($service) > self::MAX_LOCK_KEYS) {
            throw new ValueError('$service must hold 1 to ' . self::MAX_LOCK_KEYS . ' segments');
        }
        $keys = [];
        $base = null;
        foreach ($service as $seg) {
            if (!is_array($seg) || !array_key_exists(0, $seg) || !array_key_exists(1, $seg) || count($seg) !== 2) {
                throw new ValueError('$service must be an id or a list of [serviceId, start] segments');
            }
            $at = $seg[1];
            if (is_int($at)) {
                $base ??= $this->argInstant($start, '$start');
                if ($at < 0 || $at > 7 * 24 * 60) {
                    throw new ValueError('$service segment offsets must be 0 to 10080 minutes');
                }
                $sse = $base + $at * 60;
            } else {
                $sse = $this->argInstant($at, '$service segment start');
            }
            $svc = $this->argId($seg[0], '$serviceId');
            $key = $this->buildKey($cid, $svc, $this->wallClock($sse, '$start'));
            if (in_array($key, $keys, true)) {
                throw new ValueError('$service names the same slot twice');
            }
            $keys[] = $key;
        }
        return $keys;
    }

    /* ---- Connections -------------------------------------------------------- */

    private static function error(int $code, string $msg): SlotLockException
    {
        return match ($code) {
            self::E_TIMEOUT => new SlotLockTimeoutException($msg, $code),
            self::E_CONNECT, self::E_IO, self::E_AUTH => new SlotLockConnectionException($msg, $code),
            default => new SlotLockException($msg, $code),
        };
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
        $link = $this->persistent ? (self::$pool[$this->poolId] ?? null) : $this->own;
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
            self::$stats['pool_hits']++;
        }
        $this->last = $link;
        return $link;
    }

    private function open(): object
    {
        $ep = $this->ep;
        $where = self::describe($ep);
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
                throw self::error(self::E_TIMEOUT,
                    sprintf('connecting to Redis at %s timed out after %.3f s', $where, $t));
            }
            throw self::error(self::E_CONNECT, sprintf('cannot connect to Redis at %s: %s', $where, $why));
        }
        self::$stats['connects']++;
        $link = (object) ['redis' => $redis, 'pid' => getmypid(), 'uses' => 0];
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
        } catch (SlotLockException $e) {
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
        self::$stats['commands']++;
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
            $err = $this->scrub(trim($err));
            if ($what === 'database' && $this->ep['database'] === 0 && str_starts_with($err, 'NOAUTH')) {
                /* the SELECT 0 only the polyfill sends: say it as the extension says the NOAUTH of its command */
                throw self::error(self::E_AUTH, sprintf('Redis error: %.200s', $err));
            }
            throw self::error(self::E_AUTH, sprintf('Redis at %s refused the %s: %.120s', self::describe($this->ep),
                $what, $err));
        }
        $link->uses++;
    }

    /** A phpredis I/O failure as a timeout (the time ran out) or a lost connection. */
    private function ioError(string $msg, float $t0): SlotLockException
    {
        $where = self::describe($this->ep);
        $t = $this->ep['timeout'];
        if (stripos($msg, 'timed out') !== false || microtime(true) - $t0 >= $t * 0.9) {
            return self::error(self::E_TIMEOUT, sprintf('Redis at %s did not answer within %.3f s', $where, $t));
        }
        if (stripos($msg, 'lost') !== false || stripos($msg, 'closed') !== false || stripos($msg, 'read error') !== false) {
            return self::error(self::E_IO, sprintf('Redis at %s closed the connection', $where));
        }
        return self::error(self::E_IO, sprintf('connection to Redis at %s failed: %s', $where, $this->scrub($msg)));
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

    /**
     * Runs a script by digest, sending its body on NOSCRIPT, with one transparent retry on a
     * fresh connection when a connection that had worked before turned out to be dead.
     */
    private function runScript(string $name, array $keys, array $args): mixed
    {
        if (self::$sha === []) {
            foreach (self::SCRIPTS as $n => $body) {
                self::$sha[$n] = sha1($body);
            }
        }
        $argv = array_merge($keys, $args);
        for ($attempt = 0; ; $attempt++) {
            $link = $this->link();
            $reused = $link->uses > 0;
            try {
                return $this->evalOnce($link, $name, $argv, count($keys));
            } catch (SlotLockException $e) {
                if ($e->getCode() === self::E_IO && $reused && $attempt === 0) {
                    /* Never after a timeout: the server may be alive but slow, and the caller's
                     * time budget is spent. */
                    self::$stats['reconnects']++;
                    continue;
                }
                throw $e;
            }
        }
    }

    private function evalOnce(object $link, string $name, array $argv, int $nkeys): mixed
    {
        $redis = $link->redis;
        $t0 = microtime(true);
        try {
            $redis->clearLastError();
            self::$stats['commands']++;
            $r = $redis->evalSha(self::$sha[$name], $argv, $nkeys);
            $err = $r === false ? $redis->getLastError() : null;
            if ($err !== null && str_starts_with($err, 'NOSCRIPT')) {
                /* After SCRIPT FLUSH, a restart or a failover: EVAL loads it again. */
                self::$stats['script_loads']++;
                self::$stats['commands']++;
                $redis->clearLastError();
                $r = $redis->eval(self::SCRIPTS[$name], $argv, $nkeys);
                $err = $r === false ? $redis->getLastError() : null;
            }
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
            $err = $this->scrub(trim($err));
            /* Refused credentials or permissions are the connection's fault, not the command's. */
            if (str_starts_with($err, 'NOAUTH') || str_starts_with($err, 'WRONGPASS') || str_starts_with($err, 'NOPERM')) {
                throw self::error(self::E_AUTH, sprintf('Redis error: %.200s', $err));
            }
            throw self::error(self::E_REPLY, sprintf('Redis error: %.200s', $err));
        }
        return $r;
    }

    private static function daysInMonth(int $y, int $m): int
    {
        static $days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        if ($m === 2 && (($y % 4 === 0 && $y % 100 !== 0) || $y % 400 === 0)) {
            return 29;
        }
        return $days[$m - 1];
    }

    /** @internal remembers the process that loaded the polyfill (see open()). */
    private static function loaded(): void
    {
        self::$loadPid ??= getmypid();
    }
}

(static function (): void {
    Closure::bind(static fn () => self::loaded(), null, SlotLockService::class)();
})();
