<?php
/*
 * A test agent: a long-lived PHP process that runs SlotLockService / AvailabilityWithLock calls
 * sent as JSON lines on stdin and answers one JSON line each (a SlotLock as an array; an
 * exception as throws + message). Started by tests/polyfill/agents.inc with the extension, the
 * polyfill or the format-1 polyfill loaded.
 *
 *   php [-d extension=... | -d auto_prepend_file=...] agent.php SIDE PREFIX
 *
 * Ops: any SlotLockService method; "f:<method>" runs it on a service with fencing => true
 * (not on the format-1 side, which has no such option); beginBooking / finishBooking /
 * check; "race" [barrier, op, args] waits on a BLPOP barrier first; "events" hands back and
 * clears what onEvent() saw; "hello"; "shas" (polyfill: its scripts' digests).
 */

[, $side, $prefix] = $argv;
$host = getenv('SLOTLOCK_TEST_HOST') ?: '127.0.0.1';
$port = (int) (getenv('SLOTLOCK_TEST_PORT') ?: 6379);
$opts = ['host' => $host, 'port' => $port, 'prefix' => $prefix, 'timeout' => 5.0];
$svc = new SlotLockService($opts);
$fenced = $side === 'format1' ? null : new SlotLockService($opts + ['fencing' => true]);
$flow = new AvailabilityWithLock($svc);
$events = [];
$svc->onEvent(function (array $e) use (&$events) { $events[] = $e; });
$barrier = new Redis();
$barrier->connect($host, $port, 5.0);

$export = function ($v) {
    if ($v instanceof SlotLock) {
        return ['key' => $v->key, 'keys' => $v->keys, 'owner' => $v->owner, 'fence' => $v->fence,
                'expires' => $v->expiresAt->getTimestamp(), 'candidate' => $v->candidate];
    }
    return $v;
};
$run = function (string $op, array $args) use ($svc, $fenced, $flow, $side, &$events) {
    switch ($op) {
        case 'hello':
            $svc->status($svc->key(1, 1, '2030-01-01 00:00'));     /* connected before any race */
            return ['extension' => extension_loaded('slotlock'), 'side' => $side];
        case 'shas':
            return array_map('sha1', (new ReflectionClassConstant(SlotLock\Polyfill\Scripts::class, 'SCRIPTS'))->getValue());
        case 'events':
            $e = $events;
            $events = [];
            return $e;
        case 'check':
        case 'beginBooking':
        case 'finishBooking':
            return $flow->$op(...$args);
    }
    if (str_starts_with($op, 'f:')) {
        if ($fenced === null) {
            throw new LogicException("the $side agent has no fenced service");
        }
        return $fenced->{substr($op, 2)}(...$args);
    }
    return $svc->$op(...$args);
};
while (($line = fgets(STDIN)) !== false) {
    $cmd = json_decode($line, true);
    $op = $cmd['op'];
    $args = $cmd['args'];
    try {
        if ($op === 'race') {
            [$key, $op, $args] = $args;
            $barrier->blPop([$key], 30);
        }
        $out = ['result' => $export($run($op, $args))];
    } catch (Throwable $e) {
        $out = ['throws' => get_class($e), 'message' => $e->getMessage()];
    }
    echo json_encode($out), "\n";
}
