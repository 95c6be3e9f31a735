<?php

/*
 * test only: one caller of run.php's concurrent race. Boots its own Laravel
 * app on the parent's base path and env, prints READY, waits for a line on
 * stdin, then sends check_availability through the controller and prints the
 * JSON answer.
 *
 *   php race_child.php CALL_ID '{"company_id":1,"service_id":31,"datetime":"..."}'
 */

use App\Http\Controllers\RetellFunctionCallHandler;
use Illuminate\Http\Request;
use Tests\Laravel\TestApp;

require __DIR__ . '/support/TestApp.php';

[, $callId, $args] = $argv;
TestApp::init(dirname(__DIR__, 2), getenv('SLOTLOCK_LARAVEL_BASE') ?: null);
$app = TestApp::boot();
$handler = $app->make(RetellFunctionCallHandler::class);
$body = json_encode(['name' => 'check_availability', 'args' => json_decode($args, true), 'call' => ['call_id' => $callId]]);
$request = Request::create('/api/retell/function-call', 'POST', [], [], [], ['CONTENT_TYPE' => 'application/json'], $body);

echo "READY\n";
fgets(STDIN);
echo json_encode($handler->handle($request)->getData(true)), "\n";
