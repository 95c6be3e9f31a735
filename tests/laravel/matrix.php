<?php

/*
 * tests/laravel/matrix.php: the switch. One implementation per process
 * (extension | polyfill | none) x FEATURE_SLOT_LOCKING (unset, auto, true,
 * false, a typo) x SLOT_LOCK_POLYFILL: whether slot locking is on, and, when
 * it is off or unavailable, that the app books as before slotlock with one
 * warning in the log and no exception (requests and artisan commands alike).
 *
 *   php -d extension=modules/slotlock.so tests/laravel/matrix.php extension
 *   php tests/laravel/matrix.php polyfill     slotlock/polyfill installed, no extension
 *   php tests/laravel/matrix.php none         neither: only slotlock/laravel installed
 */

declare(strict_types=1);

use App\Http\Controllers\RetellFunctionCallHandler;
use Illuminate\Support\Facades\DB;
use Slotlock\Laravel\SlotLocking;
use Tests\Laravel\TestApp;

require __DIR__ . '/support/TestApp.php';

$impl = $argv[1] ?? '';
if (!in_array($impl, ['extension', 'polyfill', 'none'], true)) {
    fwrite(STDERR, "usage: matrix.php extension|polyfill|none\n");
    exit(2);
}
if (($impl === 'extension') !== extension_loaded('slotlock')) {
    fwrite(STDERR, "matrix.php $impl: the slotlock extension must " . ($impl === 'extension' ? '' : 'not ') . "be loaded\n");
    exit(2);
}

$failed = 0;
$passed = 0;
function check(string $name, bool $ok, mixed $detail = null): void
{
    global $impl, $failed, $passed;
    $ok ? $passed++ : $failed++;
    echo ($ok ? 'PASS' : 'FAIL'), " laravel-switch[$impl]: $name",
        (!$ok && $detail !== null ? ' -- ' . substr(is_string($detail) ? $detail : json_encode($detail, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), 0, 2000) : ''), "\n";
}

TestApp::init(dirname(__DIR__, 2), null, $impl !== 'none');
register_shutdown_function(static fn () => getenv('SLOTLOCK_LARAVEL_KEEP') ? null : TestApp::cleanup());
$prefix = TestApp::$env['SLOT_LOCK_PREFIX'];

check('the polyfill package is ' . ($impl === 'none' ? 'not ' : '') . 'installed',
    is_file(TestApp::$base . '/vendor/slotlock/polyfill/slotlock.php') === ($impl !== 'none'));
check('SlotLockService ' . ($impl === 'none' ? 'does not exist' : 'exists'), class_exists(SlotLockService::class) === ($impl !== 'none'));

$app = TestApp::boot();
$kernel = TestApp::kernel($app);
foreach (glob(dirname(__DIR__, 2) . '/tests/laravel/database/migrations/*.php') as $file) {
    @mkdir(TestApp::$base . '/database/migrations', 0777, true);
    copy($file, TestApp::$base . '/database/migrations/' . basename($file));
}
check('artisan migrate', $kernel->call('migrate', ['--force' => true]) === 0, $kernel->output());

// [FEATURE_SLOT_LOCKING, SLOT_LOCK_POLYFILL] => on?
$cases = [
    [null, null], ['auto', null], ['auto', 'true'], ['true', null], ['false', null], ['false', 'true'], ['maybe', null],
];
foreach ($cases as $i => [$flag, $polyfill]) {
    $expect = match ($impl) {
        'extension' => in_array($flag, [null, 'auto', 'true'], true),
        'polyfill' => $flag === 'true' || (in_array($flag, [null, 'auto'], true) && $polyfill === 'true'),
        'none' => false,
    };
    $label = 'FEATURE_SLOT_LOCKING=' . ($flag ?? '(unset)') . ($polyfill ? " SLOT_LOCK_POLYFILL=$polyfill" : '');
    $slot = ['company_id' => 9, 'service_id' => 100 + $i, 'datetime' => '2031-05-01 10:00'];
    $logBefore = strlen(TestApp::log());
    try {
        $app = TestApp::boot(['FEATURE_SLOT_LOCKING' => $flag, 'SLOT_LOCK_POLYFILL' => $polyfill]);
        $locking = $app->make(SlotLocking::class);
        check("$label: locking is " . ($expect ? 'on' : 'off'), $locking->enabled() === $expect,
            [$locking->implementation(), $locking->reason()]);
        $handler = $app->make(RetellFunctionCallHandler::class);
        $a = $handler->checkAvailability($slot, "call_m{$i}_A");
        $b = $handler->checkAvailability($slot, "call_m{$i}_B");
        $bBooks = $handler->startBooking($slot + ['customer' => ['name' => 'B']], "call_m{$i}_B");
        $aBooks = $handler->startBooking($slot + ['lock_key' => $a['lock_key'] ?? null, 'customer' => ['name' => 'A']], "call_m{$i}_A");
        $rows = DB::table('bookings')->where('service_id', (string) $slot['service_id'])->count();
        if ($expect) {
            check("$label: A holds the slot, B is told slot_locked",
                isset($a['lock_key']) && ($b['available'] ?? null) === false && ($b['reason'] ?? null) === 'slot_locked', [$a, $b]);
            check("$label: B's start_booking without lock_key is refused, A books: one booking",
                ($bBooks['reason'] ?? null) === 'slot_locked' && ($aBooks['success'] ?? null) === true && $rows === 1, [$bBooks, $aBooks, $rows]);
        } else {
            check("$label: both callers are told the calendar's answer, no lock",
                ($a['available'] ?? null) === true && !isset($a['lock_key']) && ($b['available'] ?? null) === true && !isset($b['lock_key']), [$a, $b]);
            check("$label: the app books as before slotlock (both bookings written)",
                ($bBooks['success'] ?? null) === true && ($aBooks['success'] ?? null) === true && $rows === 2, [$bBooks, $aBooks, $rows]);
        }
        $kernel = TestApp::kernel($app);
        $rcStatus = $kernel->call('slotlock:status');
        $status = $kernel->output();
        $rcMetrics = $kernel->call('slotlock:metrics', ['--json' => true]);
        $metrics = json_decode(trim($kernel->output()), true);
        check("$label: slotlock:status and slotlock:metrics run",
            $rcStatus === 0 && $rcMetrics === 0 && str_contains($status, $expect ? 'slot locking enabled' : 'slot locking DISABLED')
            && ($metrics['enabled'] ?? null) === $expect, [$status, $metrics]);
        $log = substr(TestApp::log(), $logBefore);
        $warnings = substr_count($log, 'WARNING: ⚠️ SLOT_LOCK off:');
        check("$label: " . ($expect ? 'no warning' : 'one warning in the log (one request)'),
            $warnings === ($expect ? 0 : 1) && !str_contains($log, '.ERROR:'), $log);
    } catch (Throwable $e) {
        check("$label: no exception", false, get_class($e) . ': ' . $e->getMessage() . ' at ' . $e->getFile() . ':' . $e->getLine());
    }
}

try {
    TestApp::dropKeys(Illuminate\Support\Facades\Redis::connection('inspect')->client(), [$prefix]);
} catch (Throwable $e) {
    echo "# could not drop the test keys: ", $e->getMessage(), "\n";
}
echo "# laravel-switch[$impl]: $passed passed, $failed failed\n";
exit($failed > 0 ? 1 : 0);
