--TEST--
The booked marker closes the race a plain release leaves open: caller B's availability was computed just before A wrote its booking; after a release B locks the slot and books it twice, after finishBooking(true) B is told slot_booked
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();
$flow = new AvailabilityWithLock($svc);

/* the application's booking store: slot => list of booking ids */
$ledger = [];
$availability = function (string $slot) use (&$ledger): array {
    return ['available' => empty($ledger[$slot])];
};

foreach (['plain release' => '2030-11-24 14:00', 'finishBooking(true)' => '2030-11-24 15:00'] as $how => $slot) {
    echo "-- A $how\n";
    /* A: check_availability, then start_booking */
    $a = $flow->check($availability($slot), 1, 31, $slot, 'call-a');
    $begin = $flow->beginBooking($a['lock_key'], 'call-a');
    echo "A begin: ", $begin['reason'], "\n";

    /* B: its availability is computed now, while A's booking is not yet written */
    $availB = $availability($slot);
    echo "B availability computed: ", json_encode($availB), "\n";

    /* A writes the booking and ends its hold */
    $ledger[$slot][] = 'A';
    if ($how === 'plain release') {
        var_dump($svc->release($a['lock_key'], 'call-a'));
    } else {
        var_dump($flow->finishBooking($a['lock_key'], 'call-a', true, 'A'));
    }

    /* B locks with its stale answer and, when it gets the lock, books */
    $b = $flow->check($availB, 1, 31, $slot, 'call-b');
    echo "B check: available=", var_export($b['available'], true), ' ', $b['reason'] ?? $b['lock_status'], "\n";
    if ($b['available']) {
        $bb = $flow->beginBooking($b['lock_key'], 'call-b');
        if ($bb['ok']) {
            $ledger[$slot][] = 'B';
            $flow->finishBooking($b['lock_key'], 'call-b', true, 'B');
        }
    }
    /* what a caller asking now is told by the store alone */
    echo "availability now: ", json_encode($availability($slot)), "\n";
    echo "bookings for $slot: ", implode(', ', $ledger[$slot]), count($ledger[$slot]) > 1 ? " (double booking)" : '', "\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
-- A plain release
A begin: locked
B availability computed: {"available":true}
bool(true)
B check: available=true acquired
availability now: {"available":false}
bookings for 2030-11-24 14:00: A, B (double booking)
-- A finishBooking(true)
A begin: locked
B availability computed: {"available":true}
bool(true)
B check: available=false slot_booked
availability now: {"available":false}
bookings for 2030-11-24 15:00: A
