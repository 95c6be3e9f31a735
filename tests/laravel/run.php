<?php

/*
 * tests/laravel/run.php: slotlock/laravel and slotlock/polyfill installed by
 * composer into a real Laravel application (Debian's php-laravel-framework),
 * driven through the example handler (examples/laravel), against the Redis of
 * SLOTLOCK_TEST_HOST / SLOTLOCK_TEST_PORT and a sqlite database. Prints one
 * PASS/FAIL line per check and exits 1 when any failed.
 *
 *   php -d extension=modules/slotlock.so tests/laravel/run.php   the extension
 *   php tests/laravel/run.php                                    the polyfill package
 *
 * tests/suites/laravel.sh runs both.
 */

declare(strict_types=1);

use App\Http\Controllers\RetellFunctionCallHandler;
use Slotlock\Laravel\SlotLockServiceProvider;
use Slotlock\Laravel\SlotLocking;
use Illuminate\Foundation\Application;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Redis;
use Illuminate\Support\Facades\Schema;
use Tests\Laravel\TestApp;

require __DIR__ . '/support/TestApp.php';

$REPO = dirname(__DIR__, 2);
$MODE = extension_loaded('slotlock') ? 'extension' : 'polyfill';
$failed = 0;
$passed = 0;

function check(string $name, bool $ok, mixed $detail = null): bool
{
    global $MODE, $failed, $passed;
    $ok ? $passed++ : $failed++;
    $line = ($ok ? 'PASS' : 'FAIL') . " laravel[$MODE]: $name";
    if (!$ok && $detail !== null) {
        $line .= ' -- ' . (is_string($detail) ? $detail : json_encode($detail, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
    }
    echo $line, "\n";

    return $ok;
}

/** Runs one scenario; an exception in it is a failure of its own. */
function scenario(string $name, callable $body): void
{
    try {
        $body();
    } catch (Throwable $e) {
        check("$name: no exception", false, get_class($e) . ': ' . $e->getMessage() . ' at ' . $e->getFile() . ':' . $e->getLine());
    }
}

/** The request Retell sends for a function call, through the controller. */
function retell(RetellFunctionCallHandler $handler, string $function, array $args, string $callId): array
{
    $body = json_encode(['name' => $function, 'args' => $args, 'call' => ['call_id' => $callId]]);
    $request = Request::create('/api/retell/function-call', 'POST', [], [], [], ['CONTENT_TYPE' => 'application/json'], $body);

    return $handler->handle($request)->getData(true);
}

/** check_availability in a child process (race_child.php) with extra php arguments. */
function child_check(array $phpArgs, string $callId, array $slot): ?array
{
    $env = getenv();
    $env['SLOTLOCK_LARAVEL_BASE'] = TestApp::$base;
    $cmd = array_merge(TestApp::phpCommand(), $phpArgs, [__DIR__ . '/race_child.php', $callId, json_encode($slot)]);
    $p = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
    fwrite($pipes[0], "GO\n");
    fclose($pipes[0]);
    $out = explode("\n", trim((string) stream_get_contents($pipes[1])));
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    proc_close($p);
    $answer = json_decode((string) end($out), true);
    if (!is_array($answer)) {
        echo "# child said: ", implode("\n", $out), "\n# stderr: $err\n";
    }

    return is_array($answer) ? $answer : null;
}

function bookings(array $slot): int
{
    return DB::table('bookings')->where('company_id', (string) $slot['company_id'])
        ->where('service_id', (string) $slot['service_id'])->count();
}

TestApp::init($REPO);
$prefixes = [TestApp::$env['SLOT_LOCK_PREFIX']];
register_shutdown_function(static function (): void {
    if (!getenv('SLOTLOCK_LARAVEL_KEEP')) {
        TestApp::cleanup();
    }
});
echo "# laravel[$MODE]: Laravel ", Application::VERSION, ', base path ', TestApp::$base, "\n";

// Call ids are the owner tokens: they must never reach a log or the metrics table.
$A = 'call_0a7f3c9e51d24b8e_A';
$B = 'call_9b1e6d2f40c37a5d_B';
$C = 'call_4c2d8e1f3a5b7d9e_C';
$D = 'call_7e9f1a3b5c7d9e1f_D';
$E = 'call_2b4d6f8a0c1e3a5b_E';
$ownerTokens = [$A, $B, $C, $D, $E];

$slot1 = ['company_id' => 1, 'service_id' => 31, 'datetime' => '2031-03-10 14:00'];
$slot2 = ['company_id' => 1, 'service_id' => 31, 'datetime' => '2031-03-10 15:00'];
$slot3 = ['company_id' => 1, 'service_id' => 31, 'datetime' => '2031-03-10 16:00'];
$slot4 = ['company_id' => 1, 'service_id' => 35, 'datetime' => '2031-03-10 17:00'];
$prefix = TestApp::$env['SLOT_LOCK_PREFIX'];
$key1 = "$prefix:c1:s31:t203103101400";   // the wall clock in app.timezone (Europe/Berlin)

// ------------------------------------------------------------------ boot --
$app = TestApp::boot();
$kernel = TestApp::kernel($app);

scenario('package install', function () use ($app, $kernel) {
    $base = TestApp::$base;
    check('composer installed slotlock/laravel and slotlock/polyfill from path repositories',
        str_contains(TestApp::$composerOutput, 'Installing slotlock/laravel') && str_contains(TestApp::$composerOutput, 'Installing slotlock/polyfill')
        && is_file("$base/vendor/slotlock/laravel/src/SlotLocking.php") && is_file("$base/vendor/slotlock/polyfill/slotlock.php"),
        TestApp::$composerOutput);
    check('the provider is registered by package discovery (extra.laravel), not by config/app.php',
        $app->getProviders(SlotLockServiceProvider::class) !== []
        && !str_contains((string) file_get_contents("$base/config/app.php"), 'SlotLockServiceProvider'));
    check('the polyfill package defines the classes only without the extension',
        extension_loaded('slotlock') ? (new ReflectionClass(SlotLockService::class))->isInternal()
            : (new ReflectionClass(SlotLockService::class))->getFileName() === realpath("$base/vendor/slotlock/polyfill/src/SlotLockService.php"));
    $rc = $kernel->call('vendor:publish', ['--tag' => 'slotlock-config']);
    check('vendor:publish --tag=slotlock-config writes config/slotlock.php',
        $rc === 0 && is_file("$base/config/slotlock.php")
        && file_get_contents("$base/config/slotlock.php") === file_get_contents("$base/vendor/slotlock/laravel/config/slotlock.php"),
        $kernel->output());
    $rc = $kernel->call('vendor:publish', ['--tag' => 'slotlock-migrations']);
    check('vendor:publish --tag=slotlock-migrations copies the migration',
        $rc === 0 && glob("$base/database/migrations/*_create_slot_lock_events_table.php") !== [], $kernel->output());
});

scenario('boot', function () use ($app, $kernel, $REPO, $prefix) {
    // the app's own migrations (its bookings table) next to the published one
    foreach (glob("$REPO/tests/laravel/database/migrations/*.php") as $file) {
        copy($file, TestApp::$base . '/database/migrations/' . basename($file));
    }
    $rc = $kernel->call('migrate', ['--force' => true]);
    check('artisan migrate runs the slot_lock_events migration', $rc === 0 && Schema::hasTable('slot_lock_events'), $kernel->output());
    check('SlotLockService is one instance per container',
        $app->make(SlotLockService::class) instanceof SlotLockService
        && $app->make(SlotLockService::class) === $app->make(SlotLockService::class));
    check('AvailabilityWithLock is bound', $app->make(AvailabilityWithLock::class) instanceof AvailabilityWithLock);
    $o = SlotLockServiceProvider::serviceOptions($app);
    check('options come from config/database.php redis and config/slotlock.php',
        $o['host'] === getenv('SLOTLOCK_TEST_HOST') && $o['port'] === (int) getenv('SLOTLOCK_TEST_PORT')
        && $o['database'] === 0 && $o['ttl'] === 120 && $o['prefix'] === $prefix
        && $o['key_timezone'] === 'Europe/Berlin' && !array_key_exists('password', $o), $o);
    check('slotlock:status and slotlock:metrics are registered with artisan',
        array_key_exists('slotlock:status', $kernel->all()) && array_key_exists('slotlock:metrics', $kernel->all()));
    check('SlotLocking is on', $app->make(SlotLocking::class)->enabled(), $app->make(SlotLocking::class)->reason());
    if (extension_loaded('slotlock')) {
        check('feature flag on leaves slotlock.enabled on', ini_get('slotlock.enabled') === '1', ini_get('slotlock.enabled'));
    }
});

$handler = $app->make(RetellFunctionCallHandler::class);
$svc = $app->make(SlotLockService::class);
$lock1 = null;

// ------------------------------------------------------------------ race --
scenario('two calls race for one slot', function () use ($handler, $slot1, $key1, $A, $B, &$lock1) {
    $a = $handler->checkAvailability($slot1, $A);
    check('first caller: available, with the lock key of the slot',
        ($a['available'] ?? null) === true && ($a['lock_key'] ?? null) === $key1, $a);
    check('first caller: lock_ttl within SLOT_LOCK_TTL',
        is_int($a['lock_ttl'] ?? null) && $a['lock_ttl'] >= 1 && $a['lock_ttl'] <= 120, $a);
    $lock1 = $a['lock_key'] ?? null;

    $b = retell($handler, 'check_availability', $slot1, $B);
    check('second caller (HTTP): slot_locked, not available',
        ($b['available'] ?? null) === false && ($b['reason'] ?? null) === 'slot_locked' && !isset($b['lock_key']), $b);
    check('second caller: retry_after in seconds', is_int($b['retry_after'] ?? null) && $b['retry_after'] >= 1, $b);

    $again = $handler->checkAvailability($slot1, $A);
    check('first caller asking again keeps the slot', ($again['available'] ?? null) === true && ($again['lock_key'] ?? null) === $key1, $again);
});

/**
 * Starts one race_child.php per argument list, waits until all booted their
 * Laravel app, releases them at once and collects their answers (one JSON
 * line each). Returns [how many were ready, answers, stderr].
 */
function race_children(array $argLists): array
{
    $env = getenv();
    $env['SLOTLOCK_LARAVEL_BASE'] = TestApp::$base;
    $children = [];
    foreach ($argLists as $args) {
        $cmd = array_merge(TestApp::phpCommand(), [__DIR__ . '/race_child.php'], $args);
        $p = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
        $children[] = [$p, $pipes];
    }
    $ready = 0;
    foreach ($children as [$p, $pipes]) {
        $ready += trim((string) fgets($pipes[1])) === 'READY' ? 1 : 0;
    }
    foreach ($children as [$p, $pipes]) {
        fwrite($pipes[0], "GO\n");       // all at once
        fclose($pipes[0]);
    }
    $answers = [];
    $errors = '';
    foreach ($children as [$p, $pipes]) {
        foreach (explode("\n", trim((string) stream_get_contents($pipes[1]))) as $line) {
            $answers[] = json_decode($line, true);
        }
        $errors .= stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        proc_close($p);
    }

    return [$ready, $answers, $errors];
}

scenario('concurrent callers (processes)', function () use ($prefix) {
    $slot = ['company_id' => 1, 'service_id' => 32, 'datetime' => '2031-03-11 09:30'];
    $n = 4;
    [$ready, $answers, $errors] = race_children(array_map(fn ($i) => ["call_race_$i", json_encode($slot)], range(0, $n - 1)));
    check("$n caller processes booted their own Laravel app", $ready === $n, $ready);
    $won = array_filter($answers, fn ($a) => ($a['available'] ?? null) === true && isset($a['lock_key']));
    $lost = array_filter($answers, fn ($a) => ($a['available'] ?? null) === false && ($a['reason'] ?? null) === 'slot_locked');
    check('exactly one concurrent caller gets the slot, the others slot_locked',
        count($won) === 1 && count($lost) === $n - 1, ['answers' => $answers, 'stderr' => $errors]);
    check('the winner holds the slot', count($won) === 1 && reset($won)['lock_key'] === "$prefix:c1:s32:t203103110930", $won);
});

// --------------------------------------------------------------- booking --
scenario('the winner books', function () use ($handler, $svc, $slot1, $key1, $A, $B, &$lock1) {
    $r = $handler->startBooking($slot1 + ['lock_key' => $lock1, 'customer' => ['name' => 'Anna']], $A);
    check('start_booking with the lock writes the booking',
        ($r['success'] ?? null) === true && preg_match('/^BK-\d+$/', (string) ($r['booking_id'] ?? '')) === 1, $r);
    $bookingId = $r['booking_id'] ?? '?';

    /* wire format 2: a booked marker is the string "b:<fence>:<idlen>:<booking id>:<owner>" */
    $raw = (string) Redis::connection('inspect')->get($key1);
    $hash = preg_match('/^b:[0-9]+:([0-9]+):/', $raw, $m) ? ['booked' => substr($raw, strlen($m[0]), (int) $m[1])] : ['value' => $raw];
    check('finishBooking(true) leaves a booked marker with the booking id', ($hash['booked'] ?? null) === $bookingId, $hash);
    $status = $svc->status($key1);
    check('status() says booked', ($status['booked'] ?? null) === true, $status);

    $retry = retell($handler, 'start_booking', $slot1 + ['lock_key' => $lock1, 'customer' => ['name' => 'Anna']], $A);
    check('a retried start_booking returns the original booking (already_booked)',
        ($retry['success'] ?? null) === true && ($retry['already_booked'] ?? null) === true
        && ($retry['booking_id'] ?? null) === $bookingId, $retry);
    check('the retry wrote no second booking', bookings($slot1) === 1, bookings($slot1));

    $other = $handler->startBooking($slot1 + ['lock_key' => $lock1, 'customer' => ['name' => 'Bob']], $B);
    check('another caller with that lock key gets slot_booked',
        ($other['success'] ?? null) === false && ($other['reason'] ?? null) === 'slot_booked', $other);
    check('and writes nothing', bookings($slot1) === 1, bookings($slot1));

    $b = $handler->checkAvailability($slot1, $B);
    check('the booked slot is no longer offered', ($b['available'] ?? null) === false, $b);
});

scenario('a failed booking frees the slot', function () use ($handler, $svc, $slot2, $prefix, $C, $D) {
    $c = $handler->checkAvailability($slot2, $C);
    check('caller C holds slot 2', ($c['available'] ?? null) === true && isset($c['lock_key']), $c);
    $r = $handler->startBooking($slot2 + ['lock_key' => $c['lock_key'] ?? null, 'customer' => ['name' => 'FAIL']], $C);
    check('a booking that throws answers booking_failed', ($r['success'] ?? null) === false && ($r['reason'] ?? null) === 'booking_failed', $r);
    $status = $svc->status("$prefix:c1:s31:t203103101500");
    check('finishBooking(false) released the hold', ($status['locked'] ?? null) === false && ($status['booked'] ?? null) === false, $status);
    $d = $handler->checkAvailability($slot2, $D);
    check('the next caller gets the slot', ($d['available'] ?? null) === true && isset($d['lock_key']), $d);
    $r = $handler->startBooking($slot2 + ['lock_key' => $d['lock_key'] ?? null, 'customer' => ['name' => 'Dora']], $D);
    check('and books it', ($r['success'] ?? null) === true && isset($r['booking_id']), $r);
});

scenario('lock keys and older prompts', function () use ($handler, $slot2, $slot3, $slot4, $prefix, $D, $E) {
    $r = $handler->startBooking($slot3 + ['lock_key' => "$prefix:c1:s31:t203103101500", 'customer' => ['name' => 'Dora']], $D);
    check('a lock key of another slot is refused (lock_key_mismatch)',
        ($r['success'] ?? null) === false && ($r['reason'] ?? null) === 'lock_key_mismatch' && bookings($slot3) === 2, $r);
    $r = $handler->startBooking($slot4 + ['customer' => ['name' => 'Emil']], $E);
    check('start_booking without lock_key (an older prompt) books a free slot, locked first',
        ($r['success'] ?? null) === true && isset($r['booking_id']) && bookings($slot4) === 1, $r);
    $retry = retell($handler, 'start_booking', $slot4 + ['customer' => ['name' => 'Emil']], $E);
    check('its retry without lock_key gets already_booked and the booking id',
        ($retry['already_booked'] ?? null) === true && ($retry['booking_id'] ?? null) === ($r['booking_id'] ?? '?') && bookings($slot4) === 1, $retry);
    $slot5 = ['company_id' => 1, 'service_id' => 36, 'datetime' => '2031-03-10 18:00'];
    $held = $handler->checkAvailability($slot5, $D);
    $r = $handler->startBooking($slot5 + ['customer' => ['name' => 'Emil']], $E);
    check('start_booking without lock_key while another call holds the slot is refused (slot_locked)',
        ($held['available'] ?? null) === true && ($r['success'] ?? null) === false && ($r['reason'] ?? null) === 'slot_locked'
        && is_int($r['retry_after'] ?? null) && bookings($slot5) === 0, $r);
    $r = retell($handler, 'start_booking', $slot4 + ['lock_key' => 'not a key', 'customer' => ['name' => 'Emil']], $E);
    check('a malformed lock key is refused', ($r['success'] ?? null) === false, $r);
});

// ------------------------------------------- the race without lock_key --
/**
 * $n caller processes race for the same $rounds slots; half check_availability
 * and book with the lock_key, half call start_booking without one (an older
 * prompt). Returns [bookings per slot, the children's answers, stderr].
 */
function booking_race(int $n, array $slots): array
{
    [, $answers, $errors] = race_children(array_map(
        fn ($i) => ["call_nolock_$i", json_encode($slots), $i % 2 ? 'direct' : 'flow'],
        range(0, $n - 1)
    ));
    $perSlot = [];
    foreach ($slots as $slot) {
        $perSlot[] = bookings($slot);
    }

    return [$perSlot, $answers, $errors];
}

scenario('race: half the callers without lock_key', function () {
    $n = 8;
    $slots = [];
    for ($i = 0; $i < 6; $i++) {
        $slots[] = ['company_id' => 5, 'service_id' => 50 + $i, 'datetime' => '2031-04-01 09:00'];
    }
    [$perSlot, $answers, $errors] = booking_race($n, $slots);
    $booked = array_filter($answers, fn ($a) => ($a['success'] ?? null) === true && empty($a['already_booked']));
    // refused by the lock (slot_locked, slot_booked) or by the calendar once booked (calendar_booked)
    $refused = array_filter($answers, fn ($a) => in_array($a['reason'] ?? $a['check'] ?? null, ['slot_locked', 'slot_booked', 'calendar_booked'], true));
    echo "# race[$n callers x " . count($slots) . " slots, half without lock_key]: bookings per slot " . json_encode($perSlot)
        . ', ' . count($booked) . ' booked, ' . count($refused) . " refused\n";
    check("$n callers, half without lock_key: 0 double bookings (one booking per slot)",
        $perSlot === array_fill(0, count($slots), 1) && count($booked) === count($slots),
        ['bookings' => $perSlot, 'answers' => $answers, 'stderr' => $errors]);
    check('every other answer is a refusal (slot_locked / slot_booked / calendar_booked), none an error',
        count($answers) === $n * count($slots) && count($booked) + count($refused) === count($answers), $answers);

    // the same race with locking off, for comparison (not asserted: a race may or may not hit)
    $control = [];
    foreach ($slots as $slot) {
        $control[] = ['service_id' => $slot['service_id'] + 100] + $slot;
    }
    TestApp::setEnv('FEATURE_SLOT_LOCKING', 'false');
    [$perSlot] = booking_race($n, $control);
    TestApp::setEnv('FEATURE_SLOT_LOCKING', TestApp::$env['FEATURE_SLOT_LOCKING']);
    echo '# the same race with FEATURE_SLOT_LOCKING=false: bookings per slot ' . json_encode($perSlot)
        . ', ' . (array_sum($perSlot) - count($perSlot)) . " double bookings\n";
});

// ------------------------------------------------------- logs and metrics --
scenario('events in the log', function () use ($key1, $ownerTokens) {
    $log = TestApp::log();
    $lines = explode("\n", $log);
    $has = fn (string $needle) => (bool) array_filter($lines, fn ($l) => str_contains($l, $needle));
    check('🔒 acquired logged at info with the key',
        (bool) array_filter($lines, fn ($l) => str_contains($l, '.INFO: 🔒 SLOT_LOCK acquired') && str_contains($l, $key1)), $log);
    check('conflict logged as a warning', $has('.WARNING: 🔒 SLOT_LOCK conflict'), $log);
    check('🔓 committed logged at info', $has('.INFO: 🔓 SLOT_LOCK committed'), $log);
    check('🔓 released logged at info', $has('.INFO: 🔓 SLOT_LOCK released'), $log);
    $leaked = array_filter($ownerTokens, fn ($t) => str_contains($log, $t));
    check('no owner token (call id) in the log', !$leaked, array_values($leaked));
});

scenario('events in the database', function () use ($ownerTokens) {
    $rows = DB::table('slot_lock_events')->get()->map(fn ($r) => (array) $r)->all();
    $events = array_count_values(array_column($rows, 'event'));
    foreach (['acquired', 'conflict', 'committed', 'released'] as $event) {
        check("slot_lock_events has $event rows", ($events[$event] ?? 0) > 0, $events);
    }
    $first = array_values(array_filter($rows, fn ($r) => $r['event'] === 'acquired' && $r['slot'] === '203103101400'));
    check('a row says company, service, slot, fence (null without the fencing option)',
        $first && $first[0]['company_id'] === '1' && $first[0]['service_id'] === '31'
        && ($first[0]['fence'] === null || (int) $first[0]['fence'] > 0)
        && $first[0]['created_at'] !== null, $first);
    $leaked = array_filter($rows, fn ($r) => array_filter($r, fn ($v) => is_string($v) && array_filter($ownerTokens, fn ($t) => str_contains($v, $t))));
    check('no owner token (call id) in slot_lock_events', !$leaked, array_values($leaked));
});

scenario('SLOT_LOCK_DB_LOG=false', function () {
    $app = TestApp::boot(['SLOT_LOCK_DB_LOG' => 'false']);
    $before = DB::table('slot_lock_events')->count();
    $logBefore = substr_count(TestApp::log(), 'SLOT_LOCK acquired');
    $r = $app->make(RetellFunctionCallHandler::class)
        ->checkAvailability(['company_id' => 2, 'service_id' => 7, 'datetime' => '2031-03-12 10:00'], 'call_dblog_off');
    check('locks as before', ($r['available'] ?? null) === true && isset($r['lock_key']), $r);
    check('logs the event', substr_count(TestApp::log(), 'SLOT_LOCK acquired') === $logBefore + 1);
    check('writes no slot_lock_events row', DB::table('slot_lock_events')->count() === $before);
});

scenario('a wrong Redis password', function () {
    $password = 'pw-' . bin2hex(random_bytes(6)) . '-secret';
    $slot = ['company_id' => 2, 'service_id' => 8, 'datetime' => '2031-03-12 11:00'];
    // the test server has no password: AUTH fails
    $app = TestApp::boot(['REDIS_PASSWORD' => $password]);
    check('the password is passed on', (SlotLockServiceProvider::serviceOptions($app)['password'] ?? null) === $password);
    $r = $app->make(RetellFunctionCallHandler::class)->checkAvailability($slot, 'call_pw_open');
    check('fail_mode open: the booking flow goes on without a lock',
        ($r['available'] ?? null) === true && !isset($r['lock_key']), $r);
    check('the error is logged', str_contains(TestApp::log(), 'SLOT_LOCK error'));

    $app = TestApp::boot(['REDIS_PASSWORD' => $password, 'SLOT_LOCK_FAIL_MODE' => 'closed']);
    try {
        $app->make(RetellFunctionCallHandler::class)->checkAvailability($slot, 'call_pw_closed');
        check('SLOT_LOCK_FAIL_MODE=closed throws SlotLockConnectionException', false, 'no exception');
    } catch (SlotLockConnectionException $e) {
        check('SLOT_LOCK_FAIL_MODE=closed throws SlotLockConnectionException', true);
        check('its message has no password', !str_contains($e->getMessage(), $password), $e->getMessage());
    }
    SlotLockServiceProvider::setIni('slotlock.fail_mode', 'open');
    check('the password is in no log line', !str_contains(TestApp::log(), $password));
});

// ---------------------------------------------------------------- status --
scenario('slotlock:status', function () use (&$prefixes) {
    $prefix = 'lvstatus' . getmypid() . bin2hex(random_bytes(3));
    $prefixes[] = $prefix;
    $app = TestApp::boot(['SLOT_LOCK_PREFIX' => $prefix]);
    $handler = $app->make(RetellFunctionCallHandler::class);
    foreach (['10:00', '10:30'] as $i => $time) {
        $handler->checkAvailability(['company_id' => 3, 'service_id' => 1, 'datetime' => "2031-03-13 $time"], "call_status_$i");
    }
    $kernel = TestApp::kernel($app);
    $rc = $kernel->call('slotlock:status', ['--times' => 1]);
    $out = $kernel->output();
    check('slotlock:status --times=1 prints the active lock count', $rc === 0 && str_contains($out, 'Active slot locks: 2'), $out);
    check('and the counters of this process', str_contains($out, 'Counters of this process') && str_contains($out, 'acquired'), $out);
    check('and which implementation runs', str_contains($out, extension_loaded('slotlock') ? '(extension ' : '(polyfill'), $out);
    $rc = $kernel->call('slotlock:status', ['--watch' => true, '--times' => 2, '--interval' => '0.05']);
    $out = $kernel->output();
    check('--watch --times=2 reports twice and stops', $rc === 0 && substr_count($out, 'Active slot locks: 2') === 2, $out);
});

// --------------------------------------------------------------- metrics --
scenario('slotlock:metrics', function () {
    // every process of this run (the children too) wrote its counts at exit or by flushMetrics()
    $app = TestApp::boot();
    $svc = $app->make(SlotLockService::class);
    $svc->flushMetrics();
    $m = $app->make(SlotLocking::class)->metrics(10);
    check('metrics() adds up the counts of every process (the race children too)',
        $m['enabled'] === true && $m['acquired'] >= 8 && $m['slot_locked'] >= 6 && $m['already_booked'] >= 2
        && $m['committed'] >= 8 && $m['attempts'] === $m['acquired'] + $m['reacquired'] + $m['conflicts'], $m);
    check('with the race-condition rate, conflicts per minute and p50 <= p99 acquire time',
        $m['race_rate'] > 0 && $m['race_rate'] < 1 && $m['conflicts_per_minute'] > 0
        && $m['acquire_p50_ms'] > 0 && $m['acquire_p50_ms'] <= $m['acquire_p99_ms'] && is_int($m['live_locks']), $m);
    $kernel = TestApp::kernel($app);
    $rc = $kernel->call('slotlock:metrics', ['--minutes' => 10]);
    $out = $kernel->output();
    check('slotlock:metrics prints them', $rc === 0 && str_contains($out, 'race-condition rate') && str_contains($out, 'conflicts per minute')
        && str_contains($out, 'acquire p99') && str_contains($out, 'live locks')
        && preg_match('/slot_locked answers\s*\|\s*' . $m['slot_locked'] . '\s*\|/', $out) === 1, $out);
    $rc = $kernel->call('slotlock:metrics', ['--watch' => true, '--times' => 2, '--interval' => '0.05', '--json' => true]);
    $lines = array_values(array_filter(explode("\n", trim($kernel->output()))));
    check('--watch --times=2 --json: two JSON reports',
        $rc === 0 && count($lines) === 2 && (json_decode($lines[1], true)['acquired'] ?? 0) >= $m['acquired'], $lines);
    check('--minutes is checked', $kernel->call('slotlock:metrics', ['--minutes' => 0]) === 2);
});

// ----------------------------------------------------- feature flag off --
scenario('FEATURE_SLOT_LOCKING=false', function () use ($prefix) {
    $slot = ['company_id' => 4, 'service_id' => 9, 'datetime' => '2031-03-14 12:00'];
    $key = "$prefix:c4:s9:t203103141200";
    $logBefore = TestApp::log();
    $app = TestApp::boot(['FEATURE_SLOT_LOCKING' => 'false']);
    if (extension_loaded('slotlock')) {
        check('the provider turned slotlock.enabled off', ini_get('slotlock.enabled') === '0', ini_get('slotlock.enabled'));
    }
    // the rollback through php.ini, which the polyfill reads too
    $slot8 = ['company_id' => 4, 'service_id' => 9, 'datetime' => '2031-03-14 13:00'];
    $x = child_check(['-d', 'slotlock.enabled=0'], 'call_ini_off_X', $slot8);
    $y = child_check(['-d', 'slotlock.enabled=0'], 'call_ini_off_Y', $slot8);
    check('slotlock.enabled=0 in php.ini: both callers get the slot, no lock',
        ($x['available'] ?? null) === true && !isset($x['lock_key']) && ($y['available'] ?? null) === true && !isset($y['lock_key']),
        [$x, $y]);
    $logBefore = TestApp::log();      // (each child above logged its own warning)
    $handler = $app->make(RetellFunctionCallHandler::class);
    $f = $handler->checkAvailability($slot, 'call_flag_off_F');
    $g = $handler->checkAvailability($slot, 'call_flag_off_G');
    check('check_availability passes the calendar answer through, no lock',
        ($f['available'] ?? null) === true && !isset($f['lock_key']) && ($g['available'] ?? null) === true && !isset($g['lock_key']),
        [$f, $g]);
    $gate = $app->make(AvailabilityWithLock::class)->beginBooking($key, 'call_flag_off_G');
    check('beginBooking lets everything through', ($gate['ok'] ?? null) === true, $gate);
    $r = $handler->startBooking($slot + ['customer' => ['name' => 'Fritz']], 'call_flag_off_F');
    check('start_booking books', ($r['success'] ?? null) === true, $r);
    $status = $app->make(SlotLockService::class)->status($key);
    check('nothing was locked or marked in Redis', ($status['locked'] ?? null) === false && ($status['booked'] ?? null) === false, $status);
    $newLog = substr(TestApp::log(), strlen($logBefore));
    check('no lock events were logged', preg_match('/SLOT_LOCK (acquired|conflict|committed|released|relocked)/', $newLog) === 0, $newLog);
    check('one warning says slot locking is off', substr_count($newLog, 'WARNING: ⚠️ SLOT_LOCK off: FEATURE_SLOT_LOCKING=false') === 1, $newLog);
    $kernel = TestApp::kernel($app);
    $kernel->call('slotlock:status', ['--times' => 1]);
    check('slotlock:status says it is disabled', str_contains($kernel->output(), 'DISABLED'), $kernel->output());
    SlotLockServiceProvider::setIni('slotlock.enabled', '1');
});

// ------------------------------------------------------------------ done --
try {
    TestApp::dropKeys(Redis::connection('inspect')->client(), $prefixes);
} catch (Throwable $e) {
    echo "# could not drop the test keys: ", $e->getMessage(), "\n";
}
echo "# laravel[$MODE]: $passed passed, $failed failed\n";
exit($failed > 0 ? 1 : 0);
