<?php
/*
 * tests/reliability/bad_input.php: every public method and every option, fed hostile values.
 *
 * For each method of SlotLockService, AvailabilityWithLock and SlotLock and each of its
 * parameters, the call is made with the good value of every other parameter and, in turn,
 * each hostile value of a matrix: wrong types (arrays, nested arrays, objects, Stringable and
 * throwing-__toString objects, enums, closures, floats NAN/INF, bools, null, open and closed
 * resources), null bytes, invalid UTF-8, 1 MB strings, numbers at the edges, odd dates and
 * zones (DST gaps and overlaps in Europe/Berlin and America/New_York, years 0001/9999/10000,
 * "0000-00-00 00:00", "now", "@-1", leap seconds, unicode digits, DateTime subclasses that
 * lie), ids / owners / keys with unicode, ':', '{', '}' and ',', malformed lock keys, and
 * malformed DSNs and options (with nested junk and recursion). Also: too few / too many /
 * unknown named arguments, objects whose constructor failed or never ran (Reflection),
 * clone / serialize / readonly writes, and listeners that re-enter the service.
 *
 * Each call must end in a value or in TypeError / ValueError / Error / a SlotLock* exception
 * with a non-empty message that never shows a password or owner token passed in; never a
 * crash (the matrix runs in child processes: a crash is reported with its case and the run
 * resumes after it), never a warning or notice (an error handler records them; PHP's own
 * coercion deprecations of a non-strict caller are counted apart), never a hang (a case
 * silent for 10 s is killed and reported). Calls that pass validation run against a real
 * Redis. The calls are made from this file without strict_types, like most applications.
 *
 *   php -d extension=modules/slotlock.so tests/reliability/bad_input.php [--only=substring] [--verbose]
 */
require __DIR__ . '/lib.php';
rl_suite('bad_input');

$opt = rl_args(['only' => '', 'verbose' => false]);
/* a service built from the INI defaults (a null or bad DSN) must not reach a Redis that
 * happens to run on the default port */
ini_set('slotlock.dsn', 'redis://127.0.0.1:1');
ini_set('slotlock.timeout', '0.3');
const MARK_OWNER = 'TOK3N';
const MARK_PW = 'S3CR3T';
const GOOD_START = '2030-11-24 14:00';

/* ---------------------------------------------------------------- fixtures --------------- */
enum Suit: string
{
    case Hearts = 'H';
}

class Str
{
    public function __construct(private string $s)
    {
    }

    public function __toString(): string
    {
        return $this->s;
    }
}

class ThrowingStr
{
    public function __toString(): string
    {
        throw new RuntimeException('__toString threw');
    }
}

/** A DateTimeImmutable whose PHP-level methods lie or throw. */
class LyingDate extends DateTimeImmutable
{
    public function format(string $format): string
    {
        return "\0lie";
    }

    public function getTimestamp(): int
    {
        throw new RuntimeException('getTimestamp threw');
    }

    public function getTimezone(): DateTimeZone|false
    {
        return false;
    }
}

final class O
{
    public static SlotLockService $svc;
    public static SlotLockService $dead;      /* a service on a closed port */
    public static AvailabilityWithLock $flow;
    public static SlotLock $lock;
    public static array $opts;
    public static array $errors = [];
    public static mixed $closedRes = null;
    public static ?object $noCtorFlow = null;
    public static ?object $noCtorLock = null;
    public static ?object $noCtorSvc = null;
    public static ?SlotLockService $reconstructed = null;
}

/** Built once, in the parent, before the cases are generated. */
function fixtures(array $redis): void
{
    O::$opts = ['host' => $redis[0], 'port' => $redis[1], 'prefix' => rl_prefix('bad'), 'timeout' => 1.0];
    O::$svc = new SlotLockService(O::$opts);
    O::$dead = new SlotLockService(['host' => '127.0.0.1', 'port' => 1, 'timeout' => 0.3, 'password' => MARK_PW . '-pw']);
    O::$flow = new AvailabilityWithLock(O::$svc);
    O::$lock = O::$svc->acquire(1, 31, GOOD_START, MARK_OWNER . '-good', 600);
    $r = fopen('php://memory', 'r');
    fclose($r);
    O::$closedRes = $r;
    foreach (['noCtorFlow' => AvailabilityWithLock::class, 'noCtorLock' => SlotLock::class, 'noCtorSvc' => SlotLockService::class] as $p => $c) {
        try {
            O::${$p} = (new ReflectionClass($c))->newInstanceWithoutConstructor();
        } catch (ReflectionException $e) {
            O::${$p} = null;                      /* refused: the class is internal and final */
        }
    }
    O::$reconstructed = new SlotLockService(O::$opts);
    try {
        O::$reconstructed->__construct(['port' => -5]);
    } catch (Throwable $e) {
    }
}

/* ---------------------------------------------------------------- values ---------------- */
$MB = str_repeat('a', 1 << 20);
$cyclic = ['a' => 1];
$cyclic['self'] = &$cyclic;

/** Values of the wrong type (or edge values of the right one), for every parameter. */
function universal_values(): array
{
    global $MB, $cyclic;
    return [
        'array empty' => [],
        'array list' => [1, 2],
        'array nested' => ['a' => ['b' => ['c' => [new stdClass()]]]],
        'array cyclic' => $cyclic,
        'stdClass' => new stdClass(),
        'ArrayObject' => new ArrayObject([1]),
        'Stringable "31"' => new Str('31'),
        'Stringable NUL' => new Str("a\0b"),
        'throwing __toString' => new ThrowingStr(),
        'enum' => Suit::Hearts,
        'closure' => fn () => 1,
        'generator' => (function () {
            yield 1;
        })(),
        'float 1.5' => 1.5,
        'float 31.0' => 31.0,
        'float NAN' => NAN,
        'float INF' => INF,
        'float -INF' => -INF,
        'float -0.0' => -0.0,
        'float 1e300' => 1e300,
        'true' => true,
        'false' => false,
        'null' => null,
        'resource STDIN' => STDIN,
        'resource closed' => O::$closedRes,
        'int 0' => 0,
        'int -1' => -1,
        'int PHP_INT_MAX' => PHP_INT_MAX,
        'int PHP_INT_MIN' => PHP_INT_MIN,
        'string empty' => '',
        'string space' => ' ',
        'string NUL' => "\0",
        'string a NUL b' => "a\0b",
        'string invalid UTF-8' => "\xff\xfe\xc3",
        'string 1 MB' => $MB,
        'string newline' => "a\r\nb",
        'string RESP injection' => "x\r\n*1\r\n\$8\r\nFLUSHALL\r\n",
        'DateTime' => new DateTime(GOOD_START),
        'SlotLock' => O::$lock,
        'SlotLockService' => O::$svc,
    ];
}

function id_values(): array
{
    return [
        'id "1"' => '1', 'id "01"' => '01', 'id " 1"' => ' 1', 'id "1 "' => '1 ', 'id "1e3"' => '1e3',
        'id "0x1A"' => '0x1A', 'id "-1"' => '-1', 'id "abc"' => 'abc', 'id "a-b_c"' => 'a-b_c',
        'id 64 chars' => str_repeat('i', 64), 'id 65 chars' => str_repeat('i', 65),
        'id ":"' => ':', 'id "a:b"' => 'a:b', 'id "{c1}"' => '{c1}', 'id "{"' => '{', 'id "}"' => '}',
        'id ","' => ',', 'id "a,b"' => 'a,b', 'id "*"' => '*', 'id "?"' => '?', 'id "["' => '[',
        'id "ü"' => 'ü', 'id emoji' => "\u{1F600}", 'id arabic digits' => '١٢٣', 'id fullwidth digits' => '１２３',
        'id 9223372036854775808' => '9223372036854775808', 'id int 2^53+1' => 9007199254740993,
        'id "slot_lock:c1"' => 'slot_lock:c1',
    ];
}

function date_values(): array
{
    $berlin = new DateTimeZone('Europe/Berlin');
    $ny = new DateTimeZone('America/New_York');
    $v = [
        'date 0000-00-00 00:00' => '0000-00-00 00:00', 'date now' => 'now', 'date @-1' => '@-1', 'date @0' => '@0',
        'date @1e11' => '@99999999999', 'date @-1e11' => '@-99999999999', 'date 0001-01-01' => '0001-01-01 00:00',
        'date 9999-12-31 23:59' => '9999-12-31 23:59', 'date 10000-01-01' => '10000-01-01 00:00',
        'date -0001-01-01' => '-0001-01-01 00:00', 'date leap second' => '2016-12-31 23:59:60',
        'date seconds' => '2030-11-24 14:00:30', 'date microseconds' => '2030-11-24 14:00:00.5',
        'date 2030-02-30' => '2030-02-30 10:00', 'date 25:00' => '2030-11-24 25:00', 'date tomorrow' => 'tomorrow',
        'date relative' => 'last day of february next year', 'date fullwidth' => '２０３０-11-24 14:00',
        'date arabic digits' => '٢٠٣٠-11-24 14:00', 'date +14:00' => '2030-11-24T14:00:00+14:00',
        'date -12:00' => '2030-11-24T14:00:00-12:00', 'date +05:45' => '2030-11-24 14:00 +05:45',
        'date Z' => '2030-11-24T14:00:00Z', 'date Berlin gap' => '2030-03-31 02:30 Europe/Berlin',
        'date Berlin overlap' => '2030-10-27 02:30 Europe/Berlin', 'date NY gap' => '2030-03-10 02:30 America/New_York',
        'date NY overlap' => '2030-11-03 01:30 America/New_York', 'date Mars zone' => '2030-11-24 14:00 Mars/Olympus',
        'date garbage' => 'not a date', 'date 12 digits' => '203011241400', 'date key' => 't203011241400',
        'date with NUL' => "2030-11-24 14:00\0", 'date 1 MB' => str_repeat('2', 1 << 20),
        'obj Berlin gap' => new DateTimeImmutable('2030-03-31 02:30', $berlin),
        'obj Berlin overlap 1st' => new DateTimeImmutable('2030-10-27 02:30 +02:00'),
        'obj Berlin overlap 2nd' => (new DateTimeImmutable('2030-10-27 02:30 +01:00'))->setTimezone($berlin),
        'obj NY overlap' => new DateTimeImmutable('2030-11-03 01:30', $ny),
        'obj +13:45 Chatham' => new DateTimeImmutable('2030-11-24 14:00', new DateTimeZone('Pacific/Chatham')),
        'obj year 10000' => (new DateTimeImmutable(GOOD_START))->setDate(10000, 1, 1),
        'obj year -1' => (new DateTimeImmutable(GOOD_START))->setDate(-1, 1, 1),
        'obj year 0' => (new DateTimeImmutable(GOOD_START))->setDate(0, 1, 1),
        'obj PHP_INT_MAX ts' => (new DateTimeImmutable(GOOD_START))->setTimestamp(PHP_INT_MAX),
        'obj seconds' => new DateTime('2030-11-24 14:00:59'),
        'obj lying subclass' => new LyingDate(GOOD_START),
        'obj uninitialized' => (new ReflectionClass(DateTimeImmutable::class))->newInstanceWithoutConstructor(),
    ];
    return $v;
}

function owner_values(): array
{
    global $MB;
    return [
        'owner 1 byte' => 'x', 'owner 128 bytes' => MARK_OWNER . str_repeat('o', 123),
        'owner 129 bytes' => MARK_OWNER . str_repeat('o', 124), 'owner 1 MB' => MARK_OWNER . $MB,
        'owner NUL' => MARK_OWNER . "\0x", 'owner unicode' => MARK_OWNER . '-ü-☃', 'owner invalid UTF-8' => MARK_OWNER . "\xff",
        'owner spaces' => '   ', 'owner case' => strtoupper(MARK_OWNER . '-good'), 'owner trailing space' => MARK_OWNER . '-good ',
        'owner ":{},"' => MARK_OWNER . ':{},', 'owner CRLF' => MARK_OWNER . "\r\n", 'owner Lua pattern' => MARK_OWNER . '%s%d..*',
    ];
}

function ttl_values(): array
{
    return ['ttl 1' => 1, 'ttl 86400' => 86400, 'ttl 86401' => 86401, 'ttl "30"' => '30', 'ttl "30abc"' => '30abc',
            'ttl 2^31' => 2147483648, 'ttl 2^53' => 9007199254740992, 'ttl float 30.0' => 30.0];
}

function lock_values(): array
{
    $p = O::$opts['prefix'];
    return [
        'key good string' => O::$lock->key, 'key other prefix' => 'slot_lock:c1:s31:t203011241400',
        'key no t' => "$p:c1:s31", 'key short t' => "$p:c1:s31:t2030", 'key ,' => ',', 'key trailing ,' => O::$lock->key . ',',
        'key ,,' => O::$lock->key . ',,' . O::$lock->key, 'key duplicated' => O::$lock->key . ',' . O::$lock->key,
        'key 1000 keys' => implode(',', array_fill(0, 1000, O::$lock->key)), 'key prefix only' => "$p:",
        'key fence' => "$p:fence", 'key active' => "$p:active", 'key #fence' => "$p#fence", 'key {c1}' => "$p:{c1}:s31:t203011241400",
        'key resource' => "$p:c1:rstaff:b203011241400", 'key resource bad' => "$p:c1:r:b203011241400",
        'key unicode' => "$p:cü:s31:t203011241400", 'key NUL' => O::$lock->key . "\0", 'key spaces' => ' ' . O::$lock->key,
        'key glob' => "$p:*", 'key 13 digits' => "$p:c1:s31:t2030112414000", 'key month 13' => "$p:c1:s31:t203013241400",
        'key uninit SlotLock' => O::$noCtorLock ?? 'x',
    ];
}

function segment_values(): array
{
    return [
        'segs empty' => [], 'segs flat pair' => [31, GOOD_START], 'segs one' => [[31, GOOD_START]],
        'segs 3-tuple' => [[31, GOOD_START, 'x']], 'segs 1-tuple' => [[31]], 'segs keyed' => [['s' => 31, 't' => GOOD_START]],
        'segs int offset' => [[31, GOOD_START], [32, 30]], 'segs negative offset' => [[31, GOOD_START], [32, -30]],
        'segs huge offset' => [[31, GOOD_START], [32, PHP_INT_MAX]], 'segs nested deeper' => [[[31, GOOD_START]]],
        'segs 1000' => array_map(fn ($i) => [$i + 1, GOOD_START], range(0, 999)),
        'segs duplicate' => [[31, GOOD_START], [31, GOOD_START]], 'segs null inside' => [null, [31, GOOD_START]],
        'segs object inside' => [new stdClass()], 'segs bad date inside' => [[31, 'nope']], 'segs bad id inside' => [[':', GOOD_START]],
        'segs sparse keys' => [5 => [31, GOOD_START], 9 => [32, GOOD_START]],
    ];
}

function candidate_values(): array
{
    return segment_values() + [
        'cands mixed' => [[31, GOOD_START], [[32, GOOD_START], [33, GOOD_START]]],
        'cands empty compound' => [[]], 'cands compound with empty' => [[[31, GOOD_START], []]],
        'cands 1000 compound' => [array_map(fn ($i) => [$i + 1, GOOD_START], range(0, 999))],
    ];
}

function availability_values(): array
{
    return [
        'avail missing' => [], 'avail "yes"' => ['available' => 'yes'], 'avail 1' => ['available' => 1],
        'avail null' => ['available' => null], 'avail [true]' => ['available' => [true]],
        'avail object' => ['available' => new stdClass()], 'avail false' => ['available' => false],
        'avail lock_key preset' => ['available' => true, 'lock_key' => 'x', 'fence' => -1],
        'avail 100k entries' => ['available' => true] + array_fill(0, 100000, 1),
        'avail ref' => (function () {
            $a = ['available' => true];
            $a['me'] = &$a['available'];
            return $a;
        })(),
    ];
}

function booking_id_values(): array
{
    global $MB;
    return ['bid 1 MB' => $MB, 'bid NUL' => "b\0", 'bid unicode' => 'bü', 'bid 255' => str_repeat('b', 255),
            'bid 256' => str_repeat('b', 256), 'bid 1024' => str_repeat('b', 1024), 'bid 1025' => str_repeat('b', 1025)];
}

/* ---------------------------------------------------------------- the cases -------------- */
$cases = [];       /* [label, fn, kind] */
function add(string $label, callable $fn, string $kind = 'call'): void
{
    global $cases, $opt;
    if ($opt['only'] === '' || str_contains($label, $opt['only'])) {
        $cases[] = [$label, $fn, $kind];
    }
}

/*
 * Each method: [callable(array $args) => result, [param name => [good value, value families]]].
 * The object is looked up at call time (O::), so it is the child's.
 */
function methods(): array
{
    $d = GOOD_START;
    $o = MARK_OWNER . '-good';
    return [
        'SlotLockService::key' => [fn ($a) => O::$svc->key(...$a), ['companyId' => [1, 'id'], 'serviceId' => [31, 'id'], 'start' => [$d, 'date']]],
        'SlotLockService::acquire' => [fn ($a) => O::$svc->acquire(...$a),
            ['companyId' => [1, 'id'], 'serviceId' => [32, 'id'], 'start' => [$d, 'date'], 'owner' => [$o, 'owner'], 'ttl' => [5, 'ttl']]],
        'SlotLockService::acquireSegments' => [fn ($a) => O::$svc->acquireSegments(...$a),
            ['companyId' => [1, 'id'], 'segments' => [[[33, $d], [34, $d]], 'segs'], 'owner' => [$o, 'owner'], 'ttl' => [5, 'ttl']]],
        'SlotLockService::acquireFirst' => [fn ($a) => O::$svc->acquireFirst(...$a),
            ['companyId' => [1, 'id'], 'candidates' => [[[35, $d], [[36, $d], [37, $d]]], 'cands'], 'owner' => [$o, 'owner'], 'ttl' => [5, 'ttl']]],
        'SlotLockService::acquireResource' => [fn ($a) => O::$svc->acquireResource(...$a),
            ['companyId' => [1, 'id'], 'resourceId' => ['staff7', 'id'], 'start' => [$d, 'date'], 'end' => [60, 'end'],
             'owner' => [$o, 'owner'], 'ttl' => [5, 'ttl'], 'bufferBefore' => [0, 'buffer'], 'bufferAfter' => [0, 'buffer']]],
        'SlotLockService::resourceKeys' => [fn ($a) => O::$svc->resourceKeys(...$a),
            ['companyId' => [1, 'id'], 'resourceId' => ['staff7', 'id'], 'start' => [$d, 'date'], 'end' => ['2030-11-24 15:00', 'end'],
             'bufferBefore' => [15, 'buffer'], 'bufferAfter' => [15, 'buffer']]],
        'SlotLockService::commit' => [fn ($a) => O::$svc->commit(...$a),
            ['lock' => [O::$svc->key(1, 38, $d), 'lock'], 'owner' => [$o, 'owner'], 'bookingId' => ['bk', 'bid'], 'ttl' => [5, 'ttl']]],
        'SlotLockService::validate' => [fn ($a) => O::$svc->validate(...$a), ['lock' => [O::$lock, 'lock'], 'owner' => [$o, 'owner']]],
        'SlotLockService::release' => [fn ($a) => O::$svc->release(...$a), ['lock' => [O::$svc->key(1, 39, $d), 'lock'], 'owner' => [$o, 'owner']]],
        'SlotLockService::extend' => [fn ($a) => O::$svc->extend(...$a), ['lock' => [O::$lock, 'lock'], 'owner' => [$o, 'owner'], 'ttl' => [600, 'ttl']]],
        'SlotLockService::status' => [fn ($a) => O::$svc->status(...$a), ['lock' => [O::$lock, 'lock']]],
        'SlotLockService::onEvent' => [fn ($a) => O::$svc->onEvent(...$a), ['listener' => [null, 'listener']]],
        'SlotLockService::activeLocks' => [fn ($a) => O::$svc->activeLocks(...$a), []],
        'SlotLockService::stats' => [fn ($a) => O::$svc->stats(...$a), []],
        'SlotLockService::topology' => [fn ($a) => O::$svc->topology(...$a), []],
        'SlotLockService::close' => [fn ($a) => O::$svc->close(...$a), []],
        'AvailabilityWithLock::__construct' => [fn ($a) => new AvailabilityWithLock(...$a), ['locks' => [O::$svc, 'none']]],
        'AvailabilityWithLock::check' => [fn ($a) => O::$flow->check(...$a),
            ['availability' => [['available' => true], 'avail'], 'companyId' => [2, 'id'], 'service' => [31, 'service'],
             'start' => [$d, 'date'], 'owner' => [$o, 'owner'], 'ttl' => [5, 'ttl']]],
        'AvailabilityWithLock::checkResource' => [fn ($a) => O::$flow->checkResource(...$a),
            ['availability' => [['available' => true], 'avail'], 'companyId' => [2, 'id'], 'resourceId' => ['room1', 'id'],
             'start' => [$d, 'date'], 'end' => [45, 'end'], 'owner' => [$o, 'owner'], 'ttl' => [5, 'ttl'],
             'bufferBefore' => [0, 'buffer'], 'bufferAfter' => [0, 'buffer']]],
        'AvailabilityWithLock::beginBooking' => [fn ($a) => O::$flow->beginBooking(...$a),
            ['lockKey' => [O::$svc->key(2, 40, $d), 'lockstr'], 'owner' => [$o, 'owner']]],
        'AvailabilityWithLock::finishBooking' => [fn ($a) => O::$flow->finishBooking(...$a),
            ['lockKey' => [O::$svc->key(2, 40, $d), 'lockstr'], 'owner' => [$o, 'owner'], 'booked' => [false, 'bool'], 'bookingId' => ['bk', 'bid']]],
        'SlotLock::toArray' => [fn ($a) => O::$lock->toArray(...$a), []],
    ];
}

function family(string $kind): array
{
    return match ($kind) {
        'id' => id_values(),
        'date' => date_values(),
        'end' => date_values() + ['end int 0' => 0, 'end int -15' => -15, 'end int 1440*366' => 1440 * 366, 'end before start' => '2030-11-24 13:00'],
        'owner' => owner_values(),
        'ttl' => ttl_values(),
        'lock', 'lockstr' => lock_values(),
        'segs' => segment_values(),
        'cands' => candidate_values(),
        'service' => id_values() + segment_values(),
        'avail' => availability_values(),
        'bid' => booking_id_values(),
        'buffer' => ['buffer 1440' => 1440, 'buffer 1441' => 1441, 'buffer -1' => -1, 'buffer 10^9' => 1000000000],
        'listener' => ['listener "strlen"' => 'strlen', 'listener "nope"' => 'nope', 'listener [obj, "nope"]' => [new stdClass(), 'nope'],
                       'listener "SlotLockService::stats"' => 'SlotLockService::stats'],
        default => [],
    };
}

/** Generates the argument matrix for every method. */
function method_cases(): void
{
    $universal = universal_values();
    foreach (methods() as $m => [$call, $params]) {
        $names = array_keys($params);
        $good = array_map(fn ($p) => $p[0], $params);
        foreach ($params as $name => [$goodValue, $kind]) {
            foreach ($universal + family($kind) as $vlabel => $value) {
                $args = $good;
                $args[$name] = $value;
                add("$m \$$name = $vlabel", fn () => $call(array_values($args)));
            }
        }
        /* arity and named arguments */
        add("$m no arguments", fn () => $call([]));
        add("$m 3 extra arguments", fn () => $call(array_merge(array_values($good), [1, 2, 3])));
        add("$m unknown named argument", fn () => $call($good + ['bogus' => 1]));
        if ($names) {
            add("$m named arguments reversed", fn () => $call(array_reverse($good, true)));
        }
    }
}

/* ---------------------------------------------------------------- options -------------- */
function option_values(): array
{
    global $MB, $cyclic;
    return [
        'host' => ['', "\0", "127.0.0.1\0evil", $MB, 'unix:///x', '[::1', '::1', '[::1]', 'localhost:6379', '256.1.1.1', 'ü.example', ' 127.0.0.1'],
        'port' => [0, -1, 65536, 99999, '6379', '6379x', 'abc', 1.5, PHP_INT_MAX],
        'socket' => ['', '/nonexistent/x.sock', "/tmp/a\0b", '/' . str_repeat('s', 200), $MB, 'relative.sock'],
        'database' => [-1, 16, 99999, PHP_INT_MAX, 'a', '1'],
        'username' => ['', "\0", $MB, 'ü', "u\r\nAUTH x"],
        'password' => ['', MARK_PW . "\0", MARK_PW . $MB, MARK_PW . 'ü', MARK_PW . "\r\nFLUSHALL"],
        'timeout' => [0, -1, NAN, INF, -INF, 1e-9, 1e9, '1', 'abc', PHP_INT_MAX],
        'prefix' => ['', ':', '{a}', 'a,b', 'ü', str_repeat('p', 65), "\0", 'a b', '*'],
        'ttl' => [0, -1, 86401, PHP_INT_MAX, '300', 1.5],
        'booked_ttl' => [0, -1, 86401, PHP_INT_MAX, 'x'],
        'bucket' => [0, -1, 1441, 7, 1440, PHP_INT_MAX],
        'persistent' => ['yes', 2, 0, 'false', 1.5],
        'key_timezone' => ['', 'Mars/Olympus', '+14:00', '-12:00', 'Europe/Berlin', 'America/New_York', "UTC\0", 'utc', 'Z', 'GMT+5'],
        'dsn' => ['redis://', 'redis://:@', 'redis://h:0', 'redis://h:99999', 'unix://', 'redis://[::1', 'redis://[::1]:1',
                  'redis://us%00er:' . MARK_PW . '%41@127.0.0.1:1/0', 'redis://%zz@127.0.0.1:1', 'redis://:' . MARK_PW . '%@127.0.0.1:1',
                  'rediss://127.0.0.1:1', 'http://127.0.0.1:1', '', ' ', 'redis://127.0.0.1:1/0?timeout=abc',
                  'redis://127.0.0.1:1/0?timeout=-1', 'redis://127.0.0.1:1/0?timeout=NAN', 'redis://127.0.0.1:1/99999',
                  'redis://127.0.0.1:1/-1', 'redis://127.0.0.1:1/0?database=3', 'redis://u:' . MARK_PW . '@127.0.0.1:1?x=y',
                  'unix:///tmp/x.sock?database=abc', 'unix://relative.sock', 'redis://127.0.0.1:1#frag', 'redis://' . $MB,
                  "redis://127.0.0.1\0:1", 'redis://ü.example:1', 'redis://127.0.0.1:1/0?timeout=0.1&timeout=2',
                  'redis://' . str_repeat('u', 300) . ':' . MARK_PW . '@127.0.0.1:1', 'REDIS://127.0.0.1:1', 'redis:127.0.0.1:1',
                  'redis://user@:' . MARK_PW . '@127.0.0.1:1', 'redis://127.0.0.1:1:2', 'redis://:' . MARK_PW . '@/tmp/x.sock'],
        'cluster' => [[], ['nohost'], ['127.0.0.1:0'], [['nested']], 'notalist', [str_repeat('h', 1000) . ':1'], ['127.0.0.1:1', "127.0.0.1\0:1"]],
        'sentinel' => [[], ['127.0.0.1:1'], 'x', [[]]],
        'master' => ['', "\0", ['x'], str_repeat('m', 1000)],
        'nodes' => [[], ['redis://'], ['redis://127.0.0.1:1'], array_fill(0, 100, 'redis://127.0.0.1:1'), 'x', [['host' => 'x']]],
        'wait_replicas' => [-1, 0, 100, PHP_INT_MAX, 'x'],
        'wait_timeout' => [-1, NAN, INF, 'x'],
        'hash_tag' => ['yes', 2, []],
        'drift_factor' => [-1, NAN, INF, 1.0, 2, 'x'],
        'bogus' => [1],
        '0' => ['x'],
        'HOST' => ['127.0.0.1'],
        'cyclic' => [$cyclic],
    ];
}

function option_cases(): void
{
    $universal = universal_values();
    foreach (option_values() as $name => $values) {
        foreach (array_merge(array_values($universal), $values) as $i => $v) {
            $label = $i < count($universal) ? array_keys($universal)[$i] : 'v' . ($i - count($universal)) . ' ' . summarize($v);
            /* with a short timeout and a closed port: a service that accepts the option fails fast */
            $base = ['host' => '127.0.0.1', 'port' => 1, 'timeout' => 0.3];
            $opts = [$name => $v] + ($name === 'dsn' ? [] : $base);
            $use = function (SlotLockService $s) {
                $s->key(1, 2, GOOD_START);
                $s->stats();
                $s->topology();
                return $s->activeLocks();
            };
            add("option $name = $label", fn () => $use(new SlotLockService($opts)));
            if ($name === 'dsn' && is_string($v)) {
                add("DSN string $label", fn () => $use(new SlotLockService($v)));
            }
        }
    }
    /* the constructor argument itself */
    foreach (universal_values() as $label => $v) {
        add("SlotLockService::__construct \$options = $label", fn () => (new SlotLockService($v))->key(1, 2, GOOD_START));
    }
    add('SlotLockService::__construct nested options', fn () => new SlotLockService(['options' => ['host' => 'x'], 'dsn' => ['redis://x']]));
    add('SlotLockService::__construct dsn + host', fn () => (new SlotLockService(['dsn' => 'redis://127.0.0.1:1', 'host' => 'x', 'port' => 2, 'timeout' => 0.3]))->activeLocks());
    add('SlotLockService::__construct 10k options', fn () => new SlotLockService(array_fill_keys(array_map(fn ($i) => "o$i", range(1, 10000)), 1)));
    /* INI values */
    foreach (['slotlock.fail_mode' => ['', 'maybe', 'OPEN', "open\0"], 'slotlock.ttl' => ['0', '-1', 'abc', '86401'],
              'slotlock.timeout' => ['-1', 'NAN', 'abc'], 'slotlock.prefix' => ['', ':', 'ü'], 'slotlock.dsn' => ['redis://', 'x'],
              'slotlock.key_timezone' => ['Mars/Olympus', ''], 'slotlock.bucket' => ['0', '1441'], 'slotlock.enabled' => ['2', 'x']] as $ini => $vals) {
        foreach ($vals as $v) {
            add("ini $ini = " . summarize($v), function () use ($ini, $v) {
                $old = ini_get($ini);
                $set = @ini_set($ini, $v);       /* ini_set's own "invalid value" warning is PHP's contract */
                try {
                    $s = new SlotLockService(null);
                    $s->key(1, 2, GOOD_START);
                    (new AvailabilityWithLock(new SlotLockService(['port' => 1, 'timeout' => 0.3])))->check(['available' => true], 1, 2, GOOD_START, 'o');
                    return $set;
                } finally {
                    ini_set($ini, $old);
                }
            });
        }
    }
}

/* ---------------------------------------------------------------- objects -------------- */
function object_cases(): void
{
    /* never constructed (Reflection), or constructor failed */
    $svcCalls = [
        'key' => fn ($s) => $s->key(1, 2, GOOD_START), 'acquire' => fn ($s) => $s->acquire(1, 2, GOOD_START, 'o'),
        'acquireSegments' => fn ($s) => $s->acquireSegments(1, [[2, GOOD_START]], 'o'),
        'acquireFirst' => fn ($s) => $s->acquireFirst(1, [[2, GOOD_START]], 'o'),
        'acquireResource' => fn ($s) => $s->acquireResource(1, 2, GOOD_START, 30, 'o'),
        'resourceKeys' => fn ($s) => $s->resourceKeys(1, 2, GOOD_START, 30), 'commit' => fn ($s) => $s->commit('x', 'o'),
        'validate' => fn ($s) => $s->validate('x', 'o'), 'release' => fn ($s) => $s->release('x', 'o'),
        'extend' => fn ($s) => $s->extend('x', 'o'), 'status' => fn ($s) => $s->status('x'),
        'activeLocks' => fn ($s) => $s->activeLocks(), 'stats' => fn ($s) => $s->stats(), 'topology' => fn ($s) => $s->topology(),
        'onEvent' => fn ($s) => $s->onEvent(fn () => 1), 'close' => fn ($s) => $s->close(),
        'new AvailabilityWithLock' => fn ($s) => (new AvailabilityWithLock($s))->check(['available' => true], 1, 2, GOOD_START, 'o'),
    ];
    foreach ($svcCalls as $m => $fn) {
        add("no-constructor SlotLockService->$m", fn () => O::$noCtorSvc === null ? throw new Error('refused by Reflection') : $fn(O::$noCtorSvc));
        add("re-constructed (failed) SlotLockService->$m", fn () => $fn(O::$reconstructed));
    }
    foreach ([
        'check' => fn ($f) => $f->check(['available' => true], 1, 2, GOOD_START, 'o'),
        'checkResource' => fn ($f) => $f->checkResource(['available' => true], 1, 2, GOOD_START, 30, 'o'),
        'beginBooking' => fn ($f) => $f->beginBooking('x', 'o'), 'finishBooking' => fn ($f) => $f->finishBooking('x', 'o', true),
        're-__construct with a dead service' => fn ($f) => $f->__construct(O::$dead),
    ] as $m => $fn) {
        add("no-constructor AvailabilityWithLock->$m", fn () => O::$noCtorFlow === null ? throw new Error('refused by Reflection') : $fn(O::$noCtorFlow));
    }
    add('no-constructor SlotLock->toArray', fn () => O::$noCtorLock === null ? throw new Error('refused') : O::$noCtorLock->toArray());
    add('no-constructor SlotLock props', fn () => O::$noCtorLock === null ? throw new Error('refused') : [O::$noCtorLock->key]);
    add('SlotLock private constructor via Reflection', function () {
        $l = (new ReflectionClass(SlotLock::class))->newInstanceWithoutConstructor();
        $c = new ReflectionMethod(SlotLock::class, '__construct');
        $c->invoke($l);
        return O::$svc->validate($l, 'o');
    });
    add('new SlotLock', fn () => new SlotLock());
    add('SlotLock write readonly', fn () => O::$lock->key = 'x');
    add('SlotLock write fence', fn () => O::$lock->fence = 1);
    add('SlotLock unset', function () {
        unset(O::$lock->owner);
    });
    add('SlotLock dynamic property', fn () => O::$lock->bogus = 1);
    add('SlotLock clone', fn () => clone O::$lock);
    add('SlotLock serialize', fn () => serialize(O::$lock));
    add('SlotLock unserialize forged', fn () => unserialize('O:8:"SlotLock":1:{s:3:"key";s:1:"x";}'));
    add('SlotLock json_encode', fn () => json_encode(O::$lock));
    add('SlotLock var_export', fn () => var_export(O::$lock, true));
    add('SlotLock __set_state', fn () => SlotLock::__set_state(['key' => 'x']));
    add('SlotLockService clone', fn () => clone O::$svc);
    add('SlotLockService serialize', fn () => serialize(O::$svc));
    add('SlotLockService unserialize forged', fn () => unserialize('O:15:"SlotLockService":0:{}'));
    add('SlotLockService dynamic property', fn () => O::$svc->bogus = 1);
    add('SlotLockService __set_state', fn () => SlotLockService::__set_state([]));
    add('SlotLockService static call', fn () => SlotLockService::stats());
    add('AvailabilityWithLock clone', fn () => clone O::$flow);
    add('AvailabilityWithLock serialize', fn () => serialize(O::$flow));
    add('AvailabilityWithLock unserialize forged', fn () => unserialize('O:20:"AvailabilityWithLock":0:{}'));
    add('SlotLockException forged', fn () => throw new SlotLockTimeoutException(''));

    /* listeners that re-enter the service */
    $reentrant = [
        'listener removes itself' => fn ($s) => fn ($ev) => $s->onEvent(null),
        'listener replaces itself' => fn ($s) => function ($ev) use ($s) {
            $s->onEvent(fn ($e) => 1);
        },
        'listener closes the service' => fn ($s) => fn ($ev) => $s->close(),
        'listener acquires' => fn ($s) => function ($ev) use ($s) {
            static $depth = 0;
            if ($depth++ < 3) {
                $s->acquire(1, 90 + $depth, GOOD_START, 'reenter');
            }
        },
        'listener releases the lock being returned' => fn ($s) => fn ($ev) => $ev['key'] ? $s->release($ev['key'], 'reenter') : null,
        'listener re-constructs the service' => fn ($s) => fn ($ev) => $s->__construct(['port' => 1]),
        'listener throws' => fn ($s) => fn ($ev) => throw new LogicException('listener threw'),
        'listener unsets the object' => fn ($s) => function ($ev) {
            O::$svc = new SlotLockService(O::$opts);      /* drops the last outside reference */
        },
    ];
    foreach ($reentrant as $label => $make) {
        add($label, function () use ($make, $label) {
            $s = new SlotLockService(O::$opts + ['persistent' => false]);
            $s->onEvent($make($s));
            $l = $s->acquire(1, 80, GOOD_START, 'reenter', 5);
            $r = [$l?->key, $s->stats(), $s->release($s->key(1, 80, GOOD_START), 'reenter')];
            return $r;
        }, in_array($label, ['listener throws', 'listener re-constructs the service'], true) ? 'warns' : 'call');
    }
}

function summarize(mixed $v): string
{
    if (is_string($v)) {
        $s = strlen($v) > 40 ? substr($v, 0, 30) . '...(' . strlen($v) . ' bytes)' : $v;
        return json_encode($s, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    }
    if (is_array($v)) {
        return 'array(' . count($v) . ')';
    }
    if (is_object($v)) {
        return get_class($v);
    }
    return var_export($v, true);
}

/* the fixtures are the parent's (connected before the children fork: they use them through
 * the fork-safe path, and a case that breaks one does not change what the others may do) */
$redis = rl_shared_redis();
fixtures($redis);
method_cases();
option_cases();
object_cases();

/* ---------------------------------------------------------------- running -------------- */
/** Classifies what a case did; [class, problem or null]. */
function run_case(array $case): array
{
    [$label, $fn, $kind] = $case;
    O::$errors = [];
    $e = null;
    try {
        $fn();
    } catch (Throwable $x) {
        $e = $x;
    }
    $errs = O::$errors;
    O::$errors = [];
    $coercion = array_filter($errs, fn ($er) => $er[0] === E_DEPRECATED
        && preg_match('/(Implicit conversion from float|Passing null to parameter)/', $er[1]));
    $other = array_values(array_diff_key($errs, $coercion));
    if ($kind === 'warns') {
        $other = array_values(array_filter($other, fn ($er) => !str_contains($er[1], 'event listener threw')));
    }
    $class = $e ? get_class($e) : 'returned';
    if ($e instanceof ArgumentCountError) {
        $class = 'ArgumentCountError';
    }
    if ($other) {
        return [$class, 'raised ' . implode(' | ', array_map(fn ($er) => "E$er[0]: $er[1]", array_slice($other, 0, 2)))];
    }
    if ($coercion) {
        $class .= ' (+coercion deprecation)';
    }
    if ($e) {
        $msg = $e->getMessage();
        $allowed = $e instanceof TypeError || $e instanceof ValueError || $e instanceof SlotLockException
            || (get_class($e) === Error::class)
            || ($e instanceof Exception && str_starts_with($msg, 'Serialization of') )
            || ($e instanceof Exception && str_starts_with($msg, 'Unserialization of'))
            || ($e instanceof RuntimeException && $msg === '__toString threw')
            || ($e instanceof ReflectionException)
            || ($e instanceof LogicException && $msg === 'listener threw');
        if ($label === 'SlotLockException forged') {
            return [$class, null];
        }
        if (!$allowed) {
            return [$class, 'not an allowed class: ' . $msg];
        }
        if (trim($msg) === '') {
            return [$class, 'empty message'];
        }
        if (str_contains($msg, MARK_OWNER) || str_contains($msg, MARK_PW)) {
            return [$class, 'message shows a secret: ' . substr($msg, 0, 120)];
        }
    }
    return [$class, null];
}

/**
 * Runs cases [$from, end) in a forked child that appends "index\tclass\tproblem" per case to
 * $out. Returns how the child ended.
 */
function run_chunk(int $from, string $out, array $redis): array
{
    global $cases;
    $pid = pcntl_fork();
    if ($pid === 0) {
        set_error_handler(function (int $no, string $str) {
            if (error_reporting() & $no) {              /* not silenced with @ */
                O::$errors[] = [$no, $str];
            }
            return true;
        });
        $fp = fopen($out, 'a');
        for ($i = $from; $i < count($cases); $i++) {
            pcntl_alarm(30);                                  /* a hard stop, beyond the watchdog */
            [$class, $problem] = run_case($cases[$i]);
            fwrite($fp, $i . "\t" . $class . "\t" . str_replace(["\t", "\n"], ' ', (string) $problem) . "\n");
        }
        fclose($fp);
        restore_error_handler();
        exit(0);
    }
    $lastSize = -1;
    $lastChange = microtime(true);
    while (true) {
        $w = pcntl_waitpid($pid, $status, WNOHANG);
        if ($w === $pid) {
            if (pcntl_wifexited($status)) {
                return ['exit', pcntl_wexitstatus($status)];
            }
            return ['signal', pcntl_wtermsig($status)];
        }
        clearstatcache();
        $size = @filesize($out);
        if ($size !== $lastSize) {
            $lastSize = $size;
            $lastChange = microtime(true);
        } elseif (microtime(true) - $lastChange > 10) {
            posix_kill($pid, SIGKILL);
            pcntl_waitpid($pid, $status);
            return ['hang', 0];
        }
        usleep(2000);
    }
}

$out = tempnam(sys_get_temp_dir(), 'slrel_bad_');
$n = count($cases);
$results = [];
$next = 0;
$t0 = hrtime(true);
$children = 0;
while ($next < $n) {
    $children++;
    [$how, $code] = run_chunk($next, $out, $redis);
    foreach (file($out, FILE_IGNORE_NEW_LINES) ?: [] as $line) {
        [$i, $class, $problem] = explode("\t", $line, 3) + [null, null, ''];
        $results[(int) $i] = [$class, $problem === '' ? null : $problem];
    }
    $done = $results ? max(array_keys($results)) + 1 : 0;
    if ($how === 'exit' && $code === 0 && $done >= $n) {
        break;
    }
    /* the case after the last one written crashed or hung */
    $bad = max($done, $next);
    $results[$bad] = [$how === 'hang' ? 'HANG' : ($how === 'signal' ? 'CRASH signal ' . $code : "EXIT $code"),
                      $how === 'hang' ? 'no answer within 10 s' : 'the process died'];
    $next = $bad + 1;
    file_put_contents($out, '');
}
@unlink($out);
$ms = rl_ms($t0);

$byClass = [];
$problems = [];
$crashes = [];
foreach ($results as $i => [$class, $problem]) {
    $byClass[$class] = ($byClass[$class] ?? 0) + 1;
    if ($problem !== null) {
        $problems[] = $cases[$i][0] . ' -> ' . $class . ': ' . $problem;
        if (str_starts_with($class, 'CRASH') || $class === 'HANG' || str_starts_with($class, 'EXIT')) {
            $crashes[] = $cases[$i][0] . ' -> ' . $class;
        }
    }
    if ($opt['verbose']) {
        echo "  $i {$cases[$i][0]} -> $class", $problem ? " ($problem)" : '', "\n";
    }
}
arsort($byClass);
printf("bad_input: %d cases in %.1f s (%d child processes)\n", $n, $ms / 1000, $children);
foreach ($byClass as $class => $cnt) {
    printf("  %6d  %s\n", $cnt, $class);
}
rl_check(count($results) === $n, 'every case ran', count($results) . " of $n");
rl_check($crashes === [], 'no case crashed or hung the process', count($crashes) . ($crashes ? ': ' . implode('; ', array_slice($crashes, 0, 10)) : ''));
$warn = array_values(array_filter($problems, fn ($p) => str_contains($p, ': raised ')));
rl_check($warn === [], 'no case raised a warning or notice', count($warn) . ($warn ? ': ' . implode('; ', array_slice($warn, 0, 8)) : ''));
$cls = array_values(array_filter($problems, fn ($p) => str_contains($p, 'not an allowed class')));
rl_check($cls === [], 'every failure is a TypeError / ValueError / Error / SlotLock* exception', count($cls) . ($cls ? ': ' . implode('; ', array_slice($cls, 0, 8)) : ''));
$empty = array_values(array_filter($problems, fn ($p) => str_contains($p, 'empty message')));
rl_check($empty === [], 'every exception has a message', count($empty) . ($empty ? ': ' . implode('; ', array_slice($empty, 0, 8)) : ''));
$secret = array_values(array_filter($problems, fn ($p) => str_contains($p, 'shows a secret')));
rl_check($secret === [], 'no exception message shows an owner token or password passed in', count($secret) . ($secret ? ': ' . implode('; ', array_slice($secret, 0, 8)) : ''));
if ($problems && !$opt['verbose']) {
    echo "  problems (first 40):\n";
    foreach (array_slice($problems, 0, 40) as $p) {
        echo "    $p\n";
    }
}
/* what the matrix left in Redis: only locks of this run's prefixes, cleaned here */
$r = rl_raw($redis[0], $redis[1]);
foreach (rl_scan($r, 'slrel_bad_*') as $k) {
    $r->del($k);
}
rl_done();
