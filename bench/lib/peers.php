<?php
/*
 * The peers: one class per way of taking a slot lock on Redis.
 *
 * Every peer does the same job: lock slot(s) "company 1, service S, start T"
 * for a fresh owner with a 300 s TTL, then release them (owner-checked).
 * Peers other than slotlock turn (company, service, start) into a key the
 * way an application would: "<prefix>:c1:s<S>:t" . $start->format('YmdHi').
 *
 *   pair()          acquire one slot, release it
 *   segments($k)    a compound service of $k segments, all or nothing:
 *                   peers lock segment by segment and roll back on conflict
 *   anyOf($n)       $n candidate slots, the first $n-1 held by another
 *                   owner (see block()): take the first free one, release it
 *   request()       pair() on a new service / lock factory object, as one
 *                   PHP request would (connection reuse: persistent)
 *
 * pair(), segments() and anyOf() add the time from their start until the
 * lock is held to $acqNs: the acquire-only share of the operation.
 *
 * Any failure to lock a slot that should be free throws: a benchmark that
 * silently measures failures would lie.
 */

declare(strict_types=1);

const BENCH_TTL = 300;               // seconds, every peer
const BENCH_OTHER = 'bench-blocker'; // the owner holding the blocked candidates
const BENCH_SLOTS = 8;               // segments / candidates: 30 minutes apart
const BENCH_TIMEOUT = 10.0;          // connect and read timeout, every peer: 64 processes on 2 CPUs are slow, not dead

/** A phpredis client as the peers built on phpredis open it. */
function bench_phpredis(string $host, int $port, bool $persistent): Redis
{
    $r = new Redis();
    $persistent ? $r->pconnect($host, $port, BENCH_TIMEOUT) : $r->connect($host, $port, BENCH_TIMEOUT);
    $r->setOption(Redis::OPT_READ_TIMEOUT, BENCH_TIMEOUT);
    return $r;
}

abstract class Peer
{
    /** @var DateTimeImmutable[] */
    protected array $starts = [];
    /** Time spent in pair(), segments() and anyOf() until the lock was held (ns). */
    public int $acqNs = 0;

    public function __construct(
        protected string $host,
        protected int $port,
        protected string $prefix,
        protected int $service,
    ) {
        $t = new DateTimeImmutable('2030-01-01 12:00', new DateTimeZone('UTC'));
        for ($i = 0; $i < BENCH_SLOTS; $i++) {
            $this->starts[] = $t->modify('+' . (30 * $i) . ' minutes');
        }
    }

    /** Which scenarios the peer can run (others are reported n/a, with the reason). */
    public static function supports(string $scenario): ?string
    {
        return null; // null: supported; else why not
    }

    abstract public function pair(): void;
    abstract public function segments(int $k): void;
    abstract public function anyOf(int $n): void;
    abstract public function request(): void;
    /** Take candidates 0 .. $n-1 for BENCH_OTHER (setup of anyOf). */
    abstract public function block(int $n): void;
    abstract public function unblock(int $n): void;

    /** What an application would compute for a peer that has no key builder. */
    protected function key(int $i): string
    {
        return $this->prefix . ':c1:s' . $this->service . ':t' . $this->starts[$i]->format('YmdHi');
    }

    protected static function fail(string $what): never
    {
        throw new RuntimeException(static::class . ": $what");
    }
}

/* ------------------------------------------------------------ slotlock ---- */

/* The extension, or (peer "polyfill") polyfill/slotlock.php: the same classes
 * in PHP over phpredis, same wire format, run without the extension. */
final class SlotlockPeer extends Peer
{
    private SlotLockService $svc;
    /** @var array<int, array> */
    private array $segs = [];

    public function __construct(string $host, int $port, string $prefix, int $service)
    {
        parent::__construct($host, $port, $prefix, $service);
        $this->svc = $this->service();
        for ($k = 1; $k <= BENCH_SLOTS; $k++) {
            $this->segs[$k] = [];
            for ($i = 0; $i < $k; $i++) {
                $this->segs[$k][] = [$service, $this->starts[$i]];
            }
        }
    }

    private function service(): SlotLockService
    {
        return new SlotLockService([
            'host' => $this->host, 'port' => $this->port, 'prefix' => $this->prefix,
            'ttl' => BENCH_TTL, 'persistent' => true, 'timeout' => BENCH_TIMEOUT,
        ]);
    }

    public function pair(): void
    {
        $t = hrtime(true);
        $lock = $this->svc->acquire(1, $this->service, $this->starts[0]) ?? self::fail('pair: slot taken');
        $this->acqNs += hrtime(true) - $t;
        $this->svc->release($lock, $lock->owner) || self::fail('pair: release');
    }

    public function segments(int $k): void
    {
        $t = hrtime(true);
        $lock = $this->svc->acquireSegments(1, $this->segs[$k]) ?? self::fail('segments: taken');
        $this->acqNs += hrtime(true) - $t;
        $this->svc->release($lock, $lock->owner) || self::fail('segments: release');
    }

    public function anyOf(int $n): void
    {
        $t = hrtime(true);
        $lock = $this->svc->acquireFirst(1, $this->segs[$n]) ?? self::fail('anyOf: none free');
        $this->acqNs += hrtime(true) - $t;
        $lock->candidate === $n - 1 || self::fail('anyOf: wrong candidate');
        $this->svc->release($lock, $lock->owner) || self::fail('anyOf: release');
    }

    public function request(): void
    {
        $svc = $this->service();
        $lock = $svc->acquire(1, $this->service, $this->starts[0]) ?? self::fail('request: slot taken');
        $svc->release($lock, $lock->owner) || self::fail('request: release');
    }

    public function block(int $n): void
    {
        for ($i = 0; $i < $n; $i++) {
            $this->svc->acquire(1, $this->service, $this->starts[$i], BENCH_OTHER) ?? self::fail('block');
        }
    }

    public function unblock(int $n): void
    {
        for ($i = 0; $i < $n; $i++) {
            $this->svc->release($this->svc->key(1, $this->service, $this->starts[$i]), BENCH_OTHER);
        }
    }
}

/* ------------------------------------- phpredis + the extension's scripts -- */

/** The Lua scripts of src/sl_scripts.c: name => text (its C string literals joined). */
function bench_c_scripts(?string $file = null): array
{
    $src = (string) @file_get_contents($file ?? __DIR__ . '/../../src/sl_scripts.c');
    $lit = '"(?:[^"\\\\]|\\\\.)*"';
    $join = function (string $lits) use ($lit): string {
        preg_match_all("/$lit/s", $lits, $parts);
        return implode('', array_map(fn ($p) => stripcslashes(substr($p, 1, -1)), $parts[0]));
    };
    /* macros of string literals (the "who" parser every script starts with): the lines of a
     * "#define X_LUA \" up to the first line without a trailing backslash */
    $macros = [];
    $lines = explode("\n", $src);
    foreach ($lines as $k => $line) {
        if (preg_match('/^#define (\w+_LUA) \\\\$/', $line, $d)) {
            $body = '';
            for ($n = $k + 1; $n < count($lines); $n++) {
                $body .= $lines[$n] . "\n";
                if (!str_ends_with(rtrim($lines[$n]), '\\')) {
                    break;
                }
            }
            $macros[$d[1]] = $join($body);
        }
    }
    preg_match_all('/static const char (\w+)_lua\[\]\s*=\s*((?:(?:' . $lit . '|\w+_LUA)\s*)+);/s', $src, $m, PREG_SET_ORDER);
    $out = [];
    foreach ($m as [, $name, $body]) {
        preg_match_all('/' . $lit . '|\w+_LUA/s', $body, $tok);
        $text = '';
        foreach ($tok[0] as $t) {
            $text .= $t[0] === '"' ? stripcslashes(substr($t, 1, -1)) : ($macros[$t] ?? '');
        }
        $out[$name] = $text;
    }
    return $out;
}

/*
 * A diagnostic peer: phpredis sending exactly what the extension sends
 * (wire format 2: one slot is SET <key> h:0:<owner> NX PX <ttl> GET and the
 * release1 compare-and-delete script; compound and any-of are the acquire and
 * release scripts of src/sl_scripts.c, same KEYS and ARGV; a 32-hex owner
 * from random_bytes(16)). Against slotlock it isolates the extension's own
 * cost; against the hiredis floor, PHP's.
 */
final class WirePeer extends Peer
{
    private Redis $r;
    private string $acq;
    private string $rel;
    private string $rel1;

    public function __construct(string $host, int $port, string $prefix, int $service)
    {
        parent::__construct($host, $port, $prefix, $service);
        $this->r = bench_phpredis($host, $port, false);
        $c = bench_c_scripts();
        if (!isset($c['acquire'], $c['release'], $c['release1'])) {
            self::fail('no acquire/release/release1 script in src/sl_scripts.c');
        }
        $this->acq = (string) $this->r->script('load', $c['acquire']);
        $this->rel = (string) $this->r->script('load', $c['release']);
        $this->rel1 = (string) $this->r->script('load', $c['release1']);
    }

    /** Candidates of keys [from, from + n) cut in groups: the 1-based candidate taken, 0 if none. */
    private function take(array $keys, array $groups, string $owner): int
    {
        if (count($keys) === 1) {
            $old = $this->r->rawCommand('SET', $keys[0], "h:0:$owner", 'NX', 'PX', (string) (BENCH_TTL * 1000), 'GET');
            if ($old === false || $old === null) {
                return 1;
            }
        }
        /* KEYS[1]: the fence counter's place, a slot key when fencing is off */
        $args = [$keys[0], ...$keys, $owner, (string) (BENCH_TTL * 1000), '0'];
        foreach ($groups as $g) {
            $args[] = (string) $g;
        }
        $res = $this->r->evalSha($this->acq, $args, 1 + count($keys));
        is_array($res) || self::fail('acquire: ' . $this->r->getLastError());
        return $res[0];
    }

    private function drop(array $keys, string $owner): int
    {
        if (count($keys) === 1) {
            return (int) $this->r->evalSha($this->rel1, [$keys[0], "h:0:$owner"], 1);
        }
        return (int) $this->r->evalSha($this->rel, [...$keys, $owner], count($keys));
    }

    public function pair(): void
    {
        $t = hrtime(true);
        $owner = bin2hex(random_bytes(16));
        $key = $this->key(0);
        $this->take([$key], [1], $owner) === 1 || self::fail('pair: slot taken');
        $this->acqNs += hrtime(true) - $t;
        $this->drop([$key], $owner) === 1 || self::fail('pair: release');
    }

    public function segments(int $k): void
    {
        $t = hrtime(true);
        $owner = bin2hex(random_bytes(16));
        $keys = [];
        for ($i = 0; $i < $k; $i++) {
            $keys[] = $this->key($i);
        }
        $this->take($keys, [$k], $owner) === 1 || self::fail('segments: taken');
        $this->acqNs += hrtime(true) - $t;
        $this->drop($keys, $owner) === $k || self::fail('segments: release');
    }

    public function anyOf(int $n): void
    {
        $t = hrtime(true);
        $owner = bin2hex(random_bytes(16));
        $keys = [];
        for ($i = 0; $i < $n; $i++) {
            $keys[] = $this->key($i);
        }
        $c = $this->take($keys, array_fill(0, $n, 1), $owner);
        $this->acqNs += hrtime(true) - $t;
        $c === $n || self::fail('anyOf: wrong candidate');
        $this->drop([$keys[$n - 1]], $owner) === 1 || self::fail('anyOf: release');
    }

    public function request(): void
    {
        self::fail('request is not measured for this diagnostic peer');
    }

    public static function supports(string $scenario): ?string
    {
        return $scenario === 'request' ? 'diagnostic peer: not measured' : null;
    }

    public function block(int $n): void
    {
        for ($i = 0; $i < $n; $i++) {
            $this->take([$this->key($i)], [1], BENCH_OTHER) === 1 || self::fail('block');
        }
    }

    public function unblock(int $n): void
    {
        for ($i = 0; $i < $n; $i++) {
            $this->drop([$this->key($i)], BENCH_OTHER);
        }
    }
}

/* ------------------------------------------------------ phpredis by hand -- */

/* SET key owner NX PX ttl; release: owner-checked DEL in Lua via EVALSHA (EVAL on NOSCRIPT). */
final class PhpredisPeer extends Peer
{
    public const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

    private Redis $r;
    private string $sha;

    public function __construct(string $host, int $port, string $prefix, int $service)
    {
        parent::__construct($host, $port, $prefix, $service);
        [$this->r, $this->sha] = $this->client(false);
    }

    /** @return array{Redis, string} */
    private function client(bool $persistent): array
    {
        return [bench_phpredis($this->host, $this->port, $persistent), sha1(self::RELEASE)];
    }

    private static function take(Redis $r, string $key, string $owner): bool
    {
        return $r->set($key, $owner, ['nx', 'px' => BENCH_TTL * 1000]) === true;
    }

    private static function drop(Redis $r, string $sha, string $key, string $owner): bool
    {
        $n = $r->evalSha($sha, [$key, $owner], 1);
        if ($n === false && str_starts_with((string) $r->getLastError(), 'NOSCRIPT')) {
            $r->clearLastError();
            $n = $r->eval(self::RELEASE, [$key, $owner], 1);
        }
        return $n === 1;
    }

    public function pair(): void
    {
        $t = hrtime(true);
        $owner = bin2hex(random_bytes(16));
        $key = $this->key(0);
        self::take($this->r, $key, $owner) || self::fail('pair: slot taken');
        $this->acqNs += hrtime(true) - $t;
        self::drop($this->r, $this->sha, $key, $owner) || self::fail('pair: release');
    }

    public function segments(int $k): void
    {
        $t = hrtime(true);
        $owner = bin2hex(random_bytes(16));
        $held = [];
        for ($i = 0; $i < $k; $i++) {
            $key = $this->key($i);
            if (!self::take($this->r, $key, $owner)) {
                foreach ($held as $h) { // roll back
                    self::drop($this->r, $this->sha, $h, $owner);
                }
                self::fail('segments: taken');
            }
            $held[] = $key;
        }
        $this->acqNs += hrtime(true) - $t;
        foreach ($held as $h) {
            self::drop($this->r, $this->sha, $h, $owner) || self::fail('segments: release');
        }
    }

    public function anyOf(int $n): void
    {
        $t = hrtime(true);
        $owner = bin2hex(random_bytes(16));
        for ($i = 0; $i < $n; $i++) {
            $key = $this->key($i);
            if (self::take($this->r, $key, $owner)) {
                $this->acqNs += hrtime(true) - $t;
                $i === $n - 1 || self::fail('anyOf: wrong candidate');
                self::drop($this->r, $this->sha, $key, $owner) || self::fail('anyOf: release');
                return;
            }
        }
        self::fail('anyOf: none free');
    }

    public function request(): void
    {
        [$r, $sha] = $this->client(true);
        $owner = bin2hex(random_bytes(16));
        $key = $this->key(0);
        self::take($r, $key, $owner) || self::fail('request: slot taken');
        self::drop($r, $sha, $key, $owner) || self::fail('request: release');
    }

    public function block(int $n): void
    {
        for ($i = 0; $i < $n; $i++) {
            self::take($this->r, $this->key($i), BENCH_OTHER) || self::fail('block');
        }
    }

    public function unblock(int $n): void
    {
        for ($i = 0; $i < $n; $i++) {
            self::drop($this->r, $this->sha, $this->key($i), BENCH_OTHER);
        }
    }
}

/* ------------------------------------------------------ Laravel Cache::lock */

/*
 * Illuminate\Cache\RedisStore::lock() on an Illuminate\Redis\RedisManager,
 * the objects Cache::lock() reaches in an app, without the app: a bare
 * container, the 'phpredis' or 'predis' client, Laravel's default lock
 * owner (Str::random()). RedisLock: SET key owner EX ttl NX; release: EVAL
 * of LuaScripts::releaseLock() (the script text is sent every time).
 */
final class LaravelPeer extends Peer
{
    private Illuminate\Cache\RedisStore $store;

    public function __construct(string $host, int $port, string $prefix, int $service, private string $driver)
    {
        parent::__construct($host, $port, $prefix, $service);
        $this->store = $this->store(false);
    }

    private function store(bool $persistent): Illuminate\Cache\RedisStore
    {
        $config = [
            'client' => $this->driver,
            'options' => ['prefix' => ''],
            'default' => [
                'host' => $this->host, 'port' => $this->port, 'database' => 0,
                'timeout' => BENCH_TIMEOUT, 'read_timeout' => BENCH_TIMEOUT, 'read_write_timeout' => BENCH_TIMEOUT,
                'persistent' => $persistent,
            ],
        ];
        $redis = new Illuminate\Redis\RedisManager(new Illuminate\Container\Container(), $this->driver, $config);
        return new Illuminate\Cache\RedisStore($redis, $this->prefix . ':', 'default');
    }

    private function name(int $i): string
    {
        return 'c1:s' . $this->service . ':t' . $this->starts[$i]->format('YmdHi');
    }

    public function pair(): void
    {
        $t = hrtime(true);
        $lock = $this->store->lock($this->name(0), BENCH_TTL);
        $lock->get() || self::fail('pair: slot taken');
        $this->acqNs += hrtime(true) - $t;
        $lock->release() || self::fail('pair: release');
    }

    public function segments(int $k): void
    {
        $t = hrtime(true);
        $held = [];
        for ($i = 0; $i < $k; $i++) {
            $lock = $this->store->lock($this->name($i), BENCH_TTL);
            if (!$lock->get()) {
                foreach ($held as $h) {
                    $h->release();
                }
                self::fail('segments: taken');
            }
            $held[] = $lock;
        }
        $this->acqNs += hrtime(true) - $t;
        foreach ($held as $h) {
            $h->release() || self::fail('segments: release');
        }
    }

    public function anyOf(int $n): void
    {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $lock = $this->store->lock($this->name($i), BENCH_TTL);
            if ($lock->get()) {
                $this->acqNs += hrtime(true) - $t;
                $i === $n - 1 || self::fail('anyOf: wrong candidate');
                $lock->release() || self::fail('anyOf: release');
                return;
            }
        }
        self::fail('anyOf: none free');
    }

    public function request(): void
    {
        $store = $this->store(true);
        $lock = $store->lock($this->name(0), BENCH_TTL);
        $lock->get() || self::fail('request: slot taken');
        $lock->release() || self::fail('request: release');
    }

    public function block(int $n): void
    {
        for ($i = 0; $i < $n; $i++) {
            $this->store->lock($this->name($i), BENCH_TTL, BENCH_OTHER)->get() || self::fail('block');
        }
    }

    public function unblock(int $n): void
    {
        for ($i = 0; $i < $n; $i++) {
            $this->store->restoreLock($this->name($i), BENCH_OTHER)->release();
        }
    }
}

/* ---------------------------------------------------------- Symfony Lock -- */

/*
 * Symfony\Component\Lock\LockFactory over Store\RedisStore on phpredis.
 * RedisStore keeps a sorted set per resource (read/write locks) and EVALs
 * its save/delete scripts (full text each call); the token is
 * base64(random_bytes(32)) per Key.
 */
final class SymfonyPeer extends Peer
{
    private Symfony\Component\Lock\LockFactory $factory;

    public function __construct(string $host, int $port, string $prefix, int $service)
    {
        parent::__construct($host, $port, $prefix, $service);
        $this->factory = $this->factory(false);
    }

    private function factory(bool $persistent): Symfony\Component\Lock\LockFactory
    {
        $r = bench_phpredis($this->host, $this->port, $persistent);
        return new Symfony\Component\Lock\LockFactory(new Symfony\Component\Lock\Store\RedisStore($r, (float) BENCH_TTL));
    }

    public function pair(): void
    {
        $t = hrtime(true);
        $lock = $this->factory->createLock($this->key(0), (float) BENCH_TTL);
        $lock->acquire(false) || self::fail('pair: slot taken');
        $this->acqNs += hrtime(true) - $t;
        $lock->release();
    }

    public function segments(int $k): void
    {
        $t = hrtime(true);
        $held = [];
        for ($i = 0; $i < $k; $i++) {
            $lock = $this->factory->createLock($this->key($i), (float) BENCH_TTL);
            if (!$lock->acquire(false)) {
                foreach ($held as $h) {
                    $h->release();
                }
                self::fail('segments: taken');
            }
            $held[] = $lock;
        }
        $this->acqNs += hrtime(true) - $t;
        foreach ($held as $h) {
            $h->release();
        }
    }

    public function anyOf(int $n): void
    {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $lock = $this->factory->createLock($this->key($i), (float) BENCH_TTL);
            if ($lock->acquire(false)) {
                $this->acqNs += hrtime(true) - $t;
                $i === $n - 1 || self::fail('anyOf: wrong candidate');
                $lock->release();
                return;
            }
        }
        self::fail('anyOf: none free');
    }

    public function request(): void
    {
        $factory = $this->factory(true);
        $lock = $factory->createLock($this->key(0), (float) BENCH_TTL);
        $lock->acquire(false) || self::fail('request: slot taken');
        $lock->release();
    }

    /** @var Symfony\Component\Lock\LockInterface[] */
    private array $blockers = [];

    public function block(int $n): void
    {
        for ($i = 0; $i < $n; $i++) {
            $lock = $this->factory->createLock($this->key($i), (float) BENCH_TTL, false);
            $lock->acquire(false) || self::fail('block');
            $this->blockers[] = $lock;
        }
    }

    public function unblock(int $n): void
    {
        foreach ($this->blockers as $lock) {
            $lock->release();
        }
        $this->blockers = [];
    }
}

/* ----------------------------------------------------- php-lock (malkusch) */

/*
 * malkusch\lock\mutex\PHPRedisMutex (RedLock over a list of phpredis
 * clients; here one) through its public API, synchronized(). SET key token
 * NX EX (timeout + 1); release: EVAL of the owner-checked DEL script. It has
 * no non-blocking try-lock: a taken lock spins until the timeout (>= 1 s)
 * and throws, so it cannot run the any-of-N scenario.
 */
final class MalkuschPeer extends Peer
{
    private Redis $r;

    public static function supports(string $scenario): ?string
    {
        return $scenario === 'anyof' ? 'no try-lock: a taken candidate blocks >= 1 s' : null;
    }

    public function __construct(string $host, int $port, string $prefix, int $service)
    {
        parent::__construct($host, $port, $prefix, $service);
        $this->r = $this->client(false);
    }

    private function client(bool $persistent): Redis
    {
        return bench_phpredis($this->host, $this->port, $persistent);
    }

    private function mutex(Redis $r, int $i): malkusch\lock\mutex\PHPRedisMutex
    {
        return new malkusch\lock\mutex\PHPRedisMutex([$r], $this->key($i), 3);
    }

    public function pair(): void
    {
        $t = hrtime(true);
        $this->mutex($this->r, 0)->synchronized(function () use ($t) {
            $this->acqNs += hrtime(true) - $t;
        });
    }

    /* Nested synchronized(): segment i+1 is locked inside segment i's lock;
     * an exception (conflict) unwinds and releases the outer ones. */
    public function segments(int $k): void
    {
        $t = hrtime(true);
        $run = function (int $i) use (&$run, $k, $t) {
            if ($i === $k) {
                $this->acqNs += hrtime(true) - $t;
                return null;
            }
            return $this->mutex($this->r, $i)->synchronized(static fn () => $run($i + 1));
        };
        $run(0);
    }

    public function anyOf(int $n): void
    {
        self::fail('anyOf is not supported');
    }

    public function request(): void
    {
        $this->mutex($this->client(true), 0)->synchronized(static fn () => null);
    }

    public function block(int $n): void
    {
    }

    public function unblock(int $n): void
    {
    }
}

/** The peers by name, in table order; each with what it needs loaded. */
function bench_peer_names(): array
{
    return ['slotlock', 'polyfill', 'phpredis', 'laravel-phpredis', 'laravel-predis', 'symfony', 'php-lock', 'wire'];
}

/** Peers that must run without the extension loaded (they define its classes). */
function bench_peer_without_ext(string $name): bool
{
    return $name === 'polyfill';
}

function bench_peer_label(string $name): string
{
    return [
        'slotlock' => 'slotlock (ext)',
        'polyfill' => 'slotlock PHP polyfill',
        'phpredis' => 'phpredis by hand',
        'wire' => 'phpredis + slotlock scripts',
        'laravel-phpredis' => 'Laravel lock/phpredis',
        'laravel-predis' => 'Laravel lock/predis',
        'symfony' => 'Symfony Lock/Redis',
        'php-lock' => 'php-lock PHPRedisMutex',
        'hiredis-floor' => 'hiredis C floor',
        'hiredis-raw' => 'hiredis C, hand RESP',
    ][$name] ?? $name;
}

function bench_peer_class(string $name): string
{
    return match ($name) {
        'slotlock', 'polyfill' => SlotlockPeer::class,
        'phpredis' => PhpredisPeer::class,
        'wire' => WirePeer::class,
        'laravel-phpredis', 'laravel-predis' => LaravelPeer::class,
        'symfony' => SymfonyPeer::class,
        'php-lock' => MalkuschPeer::class,
        default => throw new InvalidArgumentException("unknown peer $name"),
    };
}

/** Loads the peer's library (Debian's autoloaders) and builds it. */
function bench_peer_new(string $name, string $host, int $port, string $prefix, int $service): Peer
{
    switch ($name) {
        case 'slotlock':
            if (!extension_loaded('slotlock')) {
                throw new RuntimeException('the slotlock extension is not loaded');
            }
            return new SlotlockPeer($host, $port, $prefix, $service);
        case 'polyfill':
            if (extension_loaded('slotlock')) {
                throw new RuntimeException('the polyfill peer must run without the extension');
            }
            $file = __DIR__ . '/../../polyfill/slotlock.php';
            if (!is_file($file)) {
                throw new RuntimeException('polyfill/slotlock.php not found');
            }
            require_once $file;
            return new SlotlockPeer($host, $port, $prefix, $service);
        case 'phpredis':
            return new PhpredisPeer($host, $port, $prefix, $service);
        case 'wire':
            return new WirePeer($host, $port, $prefix, $service);
        case 'laravel-phpredis':
        case 'laravel-predis':
            if ($name === 'laravel-predis') {
                require_once 'Predis/autoload.php';
            }
            require_once 'Illuminate/Container/autoload.php';
            require_once 'Illuminate/Redis/autoload.php';
            require_once 'Illuminate/Cache/autoload.php';
            return new LaravelPeer($host, $port, $prefix, $service, substr($name, 8));
        case 'symfony':
            require_once 'Symfony/Component/Lock/autoload.php';
            return new SymfonyPeer($host, $port, $prefix, $service);
        case 'php-lock':
            require_once 'Malkusch/Lock/autoload.php';
            return new MalkuschPeer($host, $port, $prefix, $service);
    }
    throw new InvalidArgumentException("unknown peer $name");
}
