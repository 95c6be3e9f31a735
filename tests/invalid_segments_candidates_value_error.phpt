--TEST--
acquireSegments()/acquireFirst(): an empty segment or candidate list is a ValueError; malformed entries are refused
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service();

try {
    $svc->acquireSegments(1, [], 'o');
    echo "segments []: accepted\n";
} catch (ValueError $e) {
    echo 'segments []: ValueError', str_contains($e->getMessage(), 'segments') ? ' naming $segments' : ': ' . $e->getMessage(), "\n";
}
try {
    $svc->acquireFirst(1, [], 'o');
    echo "candidates []: accepted\n";
} catch (ValueError $e) {
    echo 'candidates []: ValueError', str_contains($e->getMessage(), 'candidates') ? ' naming $candidates' : ': ' . $e->getMessage(), "\n";
}
try {
    $svc->acquireFirst(1, [[31, '2030-11-24 14:00'], []], 'o');
    echo "candidates with an empty compound: accepted\n";
} catch (ValueError $e) {
    echo "candidates with an empty compound: ValueError\n";
}

/* malformed entries: a ValueError or a TypeError, never accepted */
$malformed = [
    'pair of one' => [[31]],
    'pair of three' => [[31, '2030-11-24 14:00', 'x']],
    'not an array' => ['2030-11-24 14:00'],
    'nested too deep' => [[[31, '2030-11-24 14:00']]],
];
foreach ($malformed as $label => $segments) {
    try {
        $svc->acquireSegments(1, $segments, 'o');
        echo "segments $label: accepted\n";
    } catch (ValueError|TypeError $e) {
        echo "segments $label: refused\n";
    }
}
$malformedCandidates = [
    'pair of one' => [[31]],
    'not an array' => [31],
    'compound with a bad pair' => [[[31, '2030-11-24 14:00'], [32]]],
    'too deep' => [[[[31, '2030-11-24 14:00']]]],
];
foreach ($malformedCandidates as $label => $candidates) {
    try {
        $svc->acquireFirst(1, $candidates, 'o');
        echo "candidates $label: accepted\n";
    } catch (ValueError|TypeError $e) {
        echo "candidates $label: refused\n";
    }
}
var_dump($svc->activeLocks());
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
segments []: ValueError naming $segments
candidates []: ValueError naming $candidates
candidates with an empty compound: ValueError
segments pair of one: refused
segments pair of three: refused
segments not an array: refused
segments nested too deep: refused
candidates pair of one: refused
candidates not an array: refused
candidates compound with a bad pair: refused
candidates too deep: refused
int(0)
