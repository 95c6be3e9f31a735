<?php
/*
 * Compares the Lua scripts the polyfill carries with src/sl_scripts.c, byte for byte:
 * the same text gives the same SHA1, so EVALSHA finds a script the other side loaded.
 */
require __DIR__ . '/../../polyfill/slotlock.php';

$src = file_get_contents(__DIR__ . '/../../src/sl_scripts.c');
preg_match_all('/static const char (\w+)_lua\[\] =\n((?:[ \t]+".*"\n?)+);/', $src, $m, PREG_SET_ORDER);
$c = [];
foreach ($m as $s) {
    preg_match_all('/^[ \t]+"(.*)"[ \t]*;?$/m', $s[2], $lines);
    $c[$s[1]] = implode('', array_map('stripcslashes', $lines[1]));
}
$php = (new ReflectionClassConstant(SlotLockService::class, 'SCRIPTS'))->getValue();
$bad = 0;
if ($c === []) {
    fwrite(STDERR, "check_scripts: no scripts found in src/sl_scripts.c\n");
    exit(1);
}
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
if ($bad === 0) {
    printf("check_scripts: %d scripts identical (%s)\n", count($c), implode(', ', array_keys($c)));
}
exit($bad ? 1 : 0);
