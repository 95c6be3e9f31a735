<?php

/*
 * tests/laravel/tls.php: slotlock/laravel over TLS. How a Laravel redis connection that
 * speaks TLS (rediss:// URL, scheme tls, tls:// host; phpredis' context.stream, predis' ssl)
 * maps to SlotLockService's options, and the booking flow through the example handler
 * against a TLS-only redis-server (scripts/tls.sh): SLOTLOCK_TLS_PORT, its CA in
 * SLOTLOCK_TLS_CA. Prints one PASS/FAIL line per check and exits 1 when any failed.
 *
 *   php -d extension=modules/slotlock.so tests/laravel/tls.php   the extension
 *   php tests/laravel/tls.php                                    the polyfill package
 *
 * tests/suites/laravel.sh runs both.
 */

declare(strict_types=1);

use App\Http\Controllers\RetellFunctionCallHandler;
use Illuminate\Support\Facades\DB;
use Slotlock\Laravel\SlotLockServiceProvider;
use Slotlock\Laravel\SlotLocking;
use Tests\Laravel\TestApp;

require __DIR__ . '/support/TestApp.php';

$MODE = extension_loaded('slotlock') ? 'extension' : 'polyfill';
$failed = 0;
$passed = 0;

function check(string $name, bool $ok, mixed $detail = null): void
{
    global $MODE, $failed, $passed;
    $ok ? $passed++ : $failed++;
    echo ($ok ? 'PASS' : 'FAIL'), " laravel-tls[$MODE]: $name",
        (!$ok && $detail !== null ? ' -- ' . (is_string($detail) ? $detail : json_encode($detail, JSON_UNESCAPED_SLASHES)) : ''), "\n";
}

$port = (int) getenv('SLOTLOCK_TLS_PORT');
$ca = (string) getenv('SLOTLOCK_TLS_CA');
if ($port < 1 || !is_file($ca)) {
    fwrite(STDERR, "tls.php: SLOTLOCK_TLS_PORT and SLOTLOCK_TLS_CA (a TLS redis-server, tests/suites/laravel.sh) must be set\n");
    exit(2);
}

TestApp::init(dirname(__DIR__, 2));
register_shutdown_function(static fn () => getenv('SLOTLOCK_LARAVEL_KEEP') ? null : TestApp::cleanup());
$app = TestApp::boot();

/** serviceOptions() for one database.redis.default connection (and database.redis.options). */
function options_for(array $connection, array $shared = []): array
{
    global $app;
    $app['config']->set('database.redis.default', $connection);
    $app['config']->set('database.redis.options', $shared);

    return SlotLockServiceProvider::serviceOptions($app);
}

function tls_part(array $o): array
{
    $o = array_intersect_key($o, array_flip(['host', 'port', 'socket', 'database', 'username', 'password', 'tls']));
    ksort($o);

    return $o;
}

// ---------------------------------------------------------------- mapping --
$o = options_for(['url' => "rediss://:pw@127.0.0.1:$port/2", 'context' => ['stream' => ['cafile' => $ca]]]);
check('rediss:// URL + context.stream: host, port, database, password, tls cafile',
    tls_part($o) === ['database' => 2, 'host' => '127.0.0.1', 'password' => 'pw', 'port' => $port, 'tls' => ['cafile' => $ca]], $o);

$o = options_for(['scheme' => 'tls', 'host' => 'redis.internal', 'port' => 6380, 'database' => 0]);
check('scheme tls without ssl options: tls => true', tls_part($o) === ['database' => 0, 'host' => 'redis.internal', 'port' => 6380, 'tls' => true], $o);

$o = options_for(['host' => 'tls://redis.internal', 'port' => 6380]);
check('a tls:// host (phpredis style): prefix stripped, tls on', ($o['host'] ?? null) === 'redis.internal' && ($o['tls'] ?? null) === true, $o);

$o = options_for(['host' => 'redis.internal', 'port' => 6379]);
check('a plain connection has no tls option', !array_key_exists('tls', $o), $o);

$o = options_for(['scheme' => 'tls', 'host' => 'redis.internal', 'port' => 6380],
    ['context' => ['stream' => ['cafile' => '/shared/ca.pem', 'verify_peer_name' => false]]]);
check('database.redis.options.context.stream is the fallback',
    ($o['tls'] ?? null) === ['cafile' => '/shared/ca.pem', 'verify_peer_name' => false], $o);

$o = options_for(['scheme' => 'tls', 'host' => 'redis.internal', 'port' => 6380,
    'ssl' => ['cafile' => '/predis/ca.pem', 'local_cert' => '/c.pem', 'local_pk' => '/k.pem', 'passphrase' => 'secret']]);
check('predis ssl options', ($o['tls'] ?? null) === ['cafile' => '/predis/ca.pem', 'local_cert' => '/c.pem', 'local_pk' => '/k.pem',
    'passphrase' => 'secret'], $o);

$logBefore = strlen(TestApp::log());
$o = options_for(['url' => "rediss://127.0.0.1:$port", 'context' => ['stream' => ['cafile' => $ca, 'SNI_enabled' => true,
    'verify_depth' => 5, 'allow_self_signed' => true, 'peer_fingerprint' => 'ab', 'min_proto_version' => STREAM_CRYPTO_PROTO_TLSv1_2]]]);
$log = substr(TestApp::log(), $logBefore);
check('keys slotlock does not take are dropped, STREAM_CRYPTO_PROTO_* kept',
    ($o['tls'] ?? null) === ['cafile' => $ca, 'min_proto_version' => STREAM_CRYPTO_PROTO_TLSv1_2], $o);
check('one warning names the dropped keys that matter (not SNI_enabled, verify_depth)',
    substr_count($log, 'WARNING: ⚠️ SLOT_LOCK redis connection "default": ssl options slotlock does not take') === 1
    && str_contains($log, '"allow_self_signed","peer_fingerprint"') && !str_contains($log, 'SNI_enabled') && !str_contains($log, 'verify_depth'), $log);
$ok = true;
try {
    new SlotLockService($o);
} catch (Throwable $e) {
    $ok = false;
    $o = get_class($e) . ': ' . $e->getMessage();
}
check('SlotLockService takes the mapped options', $ok, $o);

$o = options_for(['scheme' => 'tls', 'path' => '/run/redis.sock']);
try {
    new SlotLockService($o);
    check('TLS with a unix socket is a ValueError from slotlock', false, $o);
} catch (ValueError $e) {
    check('TLS with a unix socket is a ValueError from slotlock', str_contains($e->getMessage(), 'TLS needs a host and port'), $e->getMessage());
}

// ---------------------------------------------------------- booking flow --
$prefix = TestApp::$env['SLOT_LOCK_PREFIX'] . 'tls';
$app = TestApp::boot(['REDIS_URL' => "rediss://127.0.0.1:$port/3", 'SLOT_LOCK_PREFIX' => $prefix]);
$app['config']->set('database.redis.default.context', ['stream' => ['cafile' => $ca]]);
foreach (glob(dirname(__DIR__, 2) . '/tests/laravel/database/migrations/*.php') as $file) {
    @mkdir(TestApp::$base . '/database/migrations', 0777, true);
    copy($file, TestApp::$base . '/database/migrations/' . basename($file));
}
check('artisan migrate', TestApp::kernel($app)->call('migrate', ['--force' => true]) === 0);
try {
    $locking = $app->make(SlotLocking::class);
    $handler = $app->make(RetellFunctionCallHandler::class);
    $slot = ['company_id' => 7, 'service_id' => 41, 'datetime' => '2031-06-02 09:00'];
    $a = $handler->checkAvailability($slot, 'call_tls_A');
    check('locking is on over TLS', $locking->enabled(), $locking->reason());
    $b = $handler->checkAvailability($slot, 'call_tls_B');
    check('A holds the slot, B is told slot_locked',
        isset($a['lock_key']) && ($b['available'] ?? null) === false && ($b['reason'] ?? null) === 'slot_locked', [$a, $b]);
    $bBooks = $handler->startBooking($slot + ['customer' => ['name' => 'B']], 'call_tls_B');
    $aBooks = $handler->startBooking($slot + ['lock_key' => $a['lock_key'] ?? null, 'customer' => ['name' => 'A']], 'call_tls_A');
    $rows = DB::table('bookings')->where('service_id', '41')->count();
    check('B without lock_key is refused, A books: one booking',
        ($bBooks['reason'] ?? null) === 'slot_locked' && ($aBooks['success'] ?? null) === true && $rows === 1, [$bBooks, $aBooks, $rows]);
    $svc = $app->make(SlotLockService::class);
    $st = $svc->status($a['lock_key']);
    $dump = print_r($svc, true);
    check('the lock lives on the TLS server, database 3, booked',
        ($st['locked'] ?? null) === true && ($st['booked'] ?? null) === true && str_contains($dump, "tls://127.0.0.1:$port/3"),
        [$st, $dump]);
    $svc->release($a['lock_key'], 'call_tls_A');
    check('a plain connection to the TLS port fails (the test server speaks TLS only)',
        (static function () use ($port): bool {
            try {
                (new SlotLockService(['host' => '127.0.0.1', 'port' => $port, 'timeout' => 0.5, 'persistent' => false]))->activeLocks();
            } catch (SlotLockException $e) {
                return true;
            }
            return false;
        })());
} catch (Throwable $e) {
    check('booking flow over TLS: no exception', false, get_class($e) . ': ' . $e->getMessage() . ' at ' . $e->getFile() . ':' . $e->getLine());
}

echo "# laravel-tls[$MODE]: $passed passed, $failed failed\n";
exit($failed > 0 ? 1 : 0);
