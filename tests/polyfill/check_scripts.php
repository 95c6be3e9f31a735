<?php
/*
 * The polyfill's Lua scripts (SlotLock\Polyfill\Scripts::SCRIPTS) are the wire format's, byte for
 * byte, so their SHA1 digests are the same and EVALSHA finds a script the other side loaded.
 * Compared with two sources:
 *   - docs/WIRE.md: each ```lua block of "Commands" assembled as the document says (the line
 *     `local function who(v) ... end` replaced by the `who` block of "Slot values"), and the
 *     SHA-1 / byte table there;
 *   - src/sl_scripts.c: each `static const char <name>_lua[]`, its string literals joined, with
 *     string macros (#define NAME "..." ...) expanded.
 *
 *   php tests/polyfill/check_scripts.php [path/to/sl_scripts.c]      exit 1 on any difference
 */
$root = dirname(__DIR__, 2);
$bad = 0;
$fail = function (string $msg) use (&$bad): void {
    fwrite(STDERR, "check_scripts: $msg\n");
    $bad++;
};

/* ---- docs/WIRE.md ---- */
$wire = (string) file_get_contents("$root/docs/WIRE.md");
preg_match_all('/^```lua\n(.*?)^```$/ms', $wire, $blocks);
$who = null;
$doc = [];
foreach ($blocks[1] as $text) {
    if (str_starts_with($text, 'local function who(v)') && $who === null) {
        $who = $text;
        continue;
    }
    /* the heading above the block names the script: "### release" ... "**release1** script" */
    $at = strpos($wire, "```lua\n$text");
    $before = substr($wire, 0, $at);
    $name = preg_match_all('/\*\*(\w+)\*\* script|^### (\w+)/m', $before, $h, PREG_SET_ORDER)
        ? (end($h)[1] !== '' ? end($h)[1] : end($h)[2]) : null;
    $doc[$name] = preg_replace('/^local function who\(v\) \.\.\. end.*\n/m', $who ?? '', $text);
}
preg_match_all('/^\| (\w+) \| `([0-9a-f]{40})` \| (\d+) \|$/m', $wire, $rows, PREG_SET_ORDER);
$table = [];
foreach ($rows as [, $name, $sha, $len]) {
    $table[$name] = [$sha, (int) $len];
}

/* ---- src/sl_scripts.c ---- */
$cfile = $argv[1] ?? "$root/src/sl_scripts.c";
$src = (string) file_get_contents($cfile);
$lits = fn (string $s) => preg_match_all('/"((?:[^"\\\\]|\\\\.)*)"/', $s, $m) ? implode('', array_map('stripcslashes', $m[1])) : '';
$macros = [];
preg_match_all('/^#define (\w+)((?:[ \t]*\\\\?\n?[ \t]*"(?:[^"\\\\]|\\\\.)*")+)[ \t]*$/m', $src, $defs, PREG_SET_ORDER);
foreach ($defs as [, $name, $body]) {
    $macros[$name] = $lits($body);
}
preg_match_all('/static const char (\w+)_lua\[\]\s*=\s*(.*?);/s', $src, $arrays, PREG_SET_ORDER);
$c = [];
foreach ($arrays as [, $name, $expr]) {
    $text = '';
    foreach (preg_split('/("(?:[^"\\\\]|\\\\.)*")/', $expr, -1, PREG_SPLIT_DELIM_CAPTURE | PREG_SPLIT_NO_EMPTY) as $tok) {
        if ($tok[0] === '"') {
            $text .= $lits($tok);
        } elseif (trim($tok) !== '') {
            $text .= $macros[trim($tok)] ?? "<unknown token " . trim($tok) . ">";
        }
    }
    $c[$name] = $text;
}

/* ---- the polyfill ---- */
require "$root/polyfill/slotlock.php";
if (extension_loaded('slotlock')) {
    fwrite(STDERR, "check_scripts: run me without the extension\n");
    exit(1);
}
$php = SlotLock\Polyfill\Scripts::SCRIPTS;

foreach (['docs/WIRE.md' => $doc, $cfile => $c] as $where => $other) {
    if ($other === []) {
        $fail("no scripts found in $where");
        continue;
    }
    foreach ($php as $name => $body) {
        if (!isset($other[$name])) {
            $fail("$where has no '$name' script");
        } elseif ($other[$name] !== $body) {
            $fail("'$name' differs from $where (" . sha1($other[$name]) . ', polyfill ' . sha1($body) . ')');
        }
    }
    foreach (array_diff_key($other, $php) as $name => $_) {
        $fail("'$name' of $where is not in the polyfill");
    }
}
foreach ($php as $name => $body) {
    if (($table[$name] ?? null) !== [sha1($body), strlen($body)]) {
        $fail("'$name': docs/WIRE.md's table says " . json_encode($table[$name] ?? null)
            . ', the polyfill has ' . json_encode([sha1($body), strlen($body)]));
    }
}
if ($bad) {
    exit(1);
}
printf("check_scripts: %d scripts identical in the polyfill, docs/WIRE.md and %s (%s)\n", count($php),
    basename($cfile), implode(', ', array_keys($php)));
