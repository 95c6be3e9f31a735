<?php
/*
 * Per-operation cost by function: the difference of two callgrind profiles
 * (N operations and 0 operations, same warm-up), divided by N.
 *
 *   php bench/lib/cgdiff.php callgrind.N.out callgrind.0.out N [--inclusive] [--top 40]
 *
 * Uses callgrind_annotate; functions are matched by "file:function" name.
 */

declare(strict_types=1);

$args = array_values(array_filter(array_slice($argv, 1), fn ($a) => !str_starts_with($a, '--')));
$inclusive = in_array('--inclusive', $argv, true);
$top = 40;
foreach ($argv as $i => $a) {
    if ($a === '--top' && isset($argv[$i + 1])) {
        $top = (int) $argv[$i + 1];
    }
}
if (count($args) < 3) {
    fwrite(STDERR, "usage: cgdiff.php N.out 0.out N [--inclusive] [--top 40]\n");
    exit(2);
}
[$fileN, $file0, $n] = [$args[0], $args[1], (int) $args[2]];

function costs(string $file, bool $inclusive): array
{
    $cmd = 'callgrind_annotate --threshold=100 ' . ($inclusive ? '--inclusive=yes ' : '') . escapeshellarg($file) . ' 2>/dev/null';
    $out = [];
    foreach (explode("\n", (string) shell_exec($cmd)) as $line) {
        if (preg_match('/^\s*([\d,]+)\s+\([^)]*\)\s+(\S.*?)(?:\s+\[[^\]]*\])?\s*$/', $line, $m)) {
            $name = preg_replace('#^.*/#', '', $m[2]);   // basename:function
            if ($name === 'PROGRAM TOTALS') {
                continue;
            }
            $out[$name] = ($out[$name] ?? 0) + (int) str_replace(',', '', $m[1]);
        }
    }
    return $out;
}

$a = costs($fileN, $inclusive);
$b = costs($file0, $inclusive);
$d = [];
foreach ($a + $b as $k => $_) {
    $d[$k] = (($a[$k] ?? 0) - ($b[$k] ?? 0)) / $n;
}
arsort($d);
$total = 0;
foreach ([$fileN => 1, $file0 => -1] as $f => $sign) {
    if (preg_match('/^(?:summary|totals):\s*(\d+)/m', (string) file_get_contents($f), $m)) {
        $total += $sign * (int) $m[1];
    }
}
printf("%s instructions per operation (%d operations)%s\n", number_format($total / $n, 0), $n,
    $inclusive ? ', inclusive costs' : ', self costs');
foreach (array_slice($d, 0, $top, true) as $k => $v) {
    if (abs($v) < 1) {
        continue;
    }
    printf("%10s  %5.1f%%  %s\n", number_format($v, 0), 100 * $v / ($total / $n), $k);
}
