<?php
/*
 * Compares the Lua scripts the polyfill carries (SlotLock\Polyfill\Scripts::SCRIPTS) with
 * src/sl_scripts.c, byte for byte: the same text gives the same SHA1, so EVALSHA finds a
 * script the other side loaded.
 *
 *   php tests/polyfill/check_scripts.php           compare; exit 1 on any difference
 *   php tests/polyfill/check_scripts.php --write   rewrite the SCRIPTS block of
 *                                                  polyfill/src/internal/Scripts.php from the C
 */
$root = dirname(__DIR__, 2);
$src = file_get_contents("$root/src/sl_scripts.c");
preg_match_all('/static const char (\w+)_lua\[\] =\n((?:[ \t]+".*"\n?)+);/', $src, $m, PREG_SET_ORDER);
$c = [];
$literal = '';
foreach ($m as $s) {
    preg_match_all('/^[ \t]+"(.*)"[ \t]*;?$/m', $s[2], $lines);
    $c[$s[1]] = implode('', array_map('stripcslashes', $lines[1]));
    /* the C literal lines are valid PHP double-quoted strings as long as they hold no $ or \ but \n */
    $literal .= "        '{$s[1]}' =>\n";
    foreach ($lines[1] as $i => $l) {
        if (preg_match('/[$]|\\\\(?!n)/', $l)) {
            fwrite(STDERR, "check_scripts: cannot carry this line into PHP as is: $l\n");
            exit(1);
        }
        $literal .= '            "' . $l . '"' . ($i === count($lines[1]) - 1 ? ",\n" : " .\n");
    }
}
if ($c === []) {
    fwrite(STDERR, "check_scripts: no scripts found in src/sl_scripts.c\n");
    exit(1);
}

$file = "$root/polyfill/src/internal/Scripts.php";
if (($argv[1] ?? '') === '--write') {
    $php = file_get_contents($file);
    $new = preg_replace_callback('/(    public const SCRIPTS = \[\n)(.*?)(\n    \];\n)/s',
        fn ($x) => $x[1] . rtrim($literal, "\n") . $x[3], $php, 1, $n);
    if ($n !== 1) {
        fwrite(STDERR, "check_scripts: no SCRIPTS block in $file\n");
        exit(1);
    }
    file_put_contents($file, $new);
    echo "check_scripts: wrote ", count($c), " scripts into $file\n";
    exit(0);
}

require "$root/polyfill/slotlock.php";
if (extension_loaded('slotlock')) {
    fwrite(STDERR, "check_scripts: run me without the extension\n");
    exit(1);
}
$php = (new ReflectionClassConstant(SlotLock\Polyfill\Scripts::class, 'SCRIPTS'))->getValue();
$bad = 0;
foreach ($c as $name => $body) {
    if (!isset($php[$name])) {
        fwrite(STDERR, "check_scripts: the polyfill has no '$name' script\n");
        $bad++;
    } elseif ($php[$name] !== $body) {
        fwrite(STDERR, "check_scripts: '$name' differs (C " . sha1($body) . ", polyfill " . sha1($php[$name]) . ")\n");
        $bad++;
    }
}
foreach (array_diff_key($php, $c) as $name => $_) {
    fwrite(STDERR, "check_scripts: '$name' is not in src/sl_scripts.c\n");
    $bad++;
}
if ($bad) {
    fwrite(STDERR, "check_scripts: php tests/polyfill/check_scripts.php --write brings them in step\n");
    exit(1);
}
printf("check_scripts: %d scripts identical (%s)\n", count($c), implode(', ', array_keys($c)));
