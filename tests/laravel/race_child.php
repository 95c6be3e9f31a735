<?php

/*
 * test only: one caller of run.php's races. Boots its own Laravel app on the
 * parent's base path and env, prints READY, waits for a line on stdin, then
 * drives the example handler and prints one JSON answer per slot.
 *
 *   php race_child.php CALL_ID '<slot args JSON>'               check_availability once
 *   php race_child.php CALL_ID '<list of slot args JSON>' flow   per slot: check_availability, then
 *                                                               start_booking with its lock_key
 *   php race_child.php CALL_ID '<list of slot args JSON>' direct per slot: start_booking without lock_key
 */

use App\Http\Controllers\RetellFunctionCallHandler;
use Illuminate\Http\Request;
use Tests\Laravel\TestApp;

require __DIR__ . '/support/TestApp.php';

[, $callId, $args] = $argv;
$mode = $argv[3] ?? 'check';
TestApp::init(dirname(__DIR__, 2), getenv('SLOTLOCK_LARAVEL_BASE') ?: null);
$app = TestApp::boot();
$handler = $app->make(RetellFunctionCallHandler::class);
$call = static function (string $name, array $args) use ($handler, $callId): array {
    $body = json_encode(['name' => $name, 'args' => $args, 'call' => ['call_id' => $callId]]);
    $request = Request::create('/api/retell/function-call', 'POST', [], [], [], ['CONTENT_TYPE' => 'application/json'], $body);

    return $handler->handle($request)->getData(true);
};

echo "READY\n";
fgets(STDIN);
if ($mode === 'check') {
    echo json_encode($call('check_availability', json_decode($args, true))), "\n";
    exit(0);
}
foreach (json_decode($args, true) as $slot) {
    $slot['customer'] = ['name' => $callId];
    if ($mode === 'flow') {
        $offer = $call('check_availability', $slot);
        if (empty($offer['available'])) {
            echo json_encode(['check' => $offer['reason'] ?? 'unavailable']), "\n";
            continue;
        }
        $slot['lock_key'] = $offer['lock_key'] ?? null;
    }
    echo json_encode($call('start_booking', $slot)), "\n";
}
