<?php
/*
 * scripts/composer-check.php: the php-ext section of composer.json (what PIE,
 * the PHP Foundation's extension installer, reads) against PIE's rules and
 * against config.m4.
 *
 *   php scripts/composer-check.php   exit 1, naming each problem, when
 *       - composer.json is not "type": "php-ext" or has no php-ext object;
 *       - a php-ext key is unknown to PIE or has the wrong type;
 *       - extension-name is not the name config.m4 builds (PHP_NEW_EXTENSION);
 *       - configure-options names an option config.m4 does not have, or
 *         config.m4 has a PHP_ARG_ENABLE/PHP_ARG_WITH composer.json leaves out
 *         (so an option added to one is added to the other);
 *       - needs-value disagrees with the option's kind (--with-X=DIR takes a
 *         value, --enable-X does not).
 *
 * scripts/package-check.sh runs it after `composer validate --strict`, which
 * checks the rest of the file. (Composer learnt the php-ext key in 2.7; Debian
 * 12's 2.5 rejects it as unknown, and this script is what checks it there.)
 */

declare(strict_types=1);

const ROOT = __DIR__ . '/..';

function main(): int
{
    $problems = [];
    $json = json_decode((string) @file_get_contents(ROOT . '/composer.json'), true);
    if (!is_array($json)) {
        fwrite(STDERR, "composer-check: composer.json is missing or not valid JSON\n");
        return 1;
    }
    if (($json['type'] ?? null) !== 'php-ext') {
        $problems[] = 'type must be "php-ext"';
    }
    $ext = $json['php-ext'] ?? null;
    if (!is_array($ext)) {
        $problems[] = 'no php-ext object';
        $ext = [];
    }

    /* PIE's php-ext keys and their types */
    $known = [
        'extension-name' => 'string', 'priority' => 'integer', 'support-zts' => 'boolean',
        'support-nts' => 'boolean', 'build-path' => 'string', 'download-url-method' => 'string',
        'os-families' => 'array', 'os-families-exclude' => 'array', 'configure-options' => 'array',
    ];
    foreach ($ext as $key => $value) {
        if (!isset($known[$key])) {
            $problems[] = "php-ext.$key is not a key PIE knows";
        } elseif (gettype($value) !== $known[$key]) {
            $problems[] = "php-ext.$key must be of type {$known[$key]}, not " . gettype($value);
        }
    }

    $m4 = (string) @file_get_contents(ROOT . '/config.m4');
    if (!preg_match('~PHP_NEW_EXTENSION\(\[?([A-Za-z0-9_]+)~', $m4, $m)) {
        $problems[] = 'config.m4 has no PHP_NEW_EXTENSION';
    } elseif (($ext['extension-name'] ?? null) !== $m[1]) {
        $problems[] = "php-ext.extension-name must be \"{$m[1]}\" (config.m4's PHP_NEW_EXTENSION)";
    }

    /* config.m4's options: PHP_ARG_ENABLE([x]) is --enable-x, PHP_ARG_WITH([x]) is --with-x */
    $m4opts = [];
    preg_match_all('~PHP_ARG_(ENABLE|WITH)\(\s*\[?([A-Za-z0-9_-]+)~', $m4, $mm, PREG_SET_ORDER);
    foreach ($mm as [, $kind, $name]) {
        $m4opts[($kind === 'ENABLE' ? 'enable-' : 'with-') . str_replace('_', '-', $name)] = $kind;
    }

    $declared = [];
    foreach ($ext['configure-options'] ?? [] as $i => $opt) {
        if (!is_array($opt) || !is_string($opt['name'] ?? null)) {
            $problems[] = "php-ext.configure-options[$i] has no name";
            continue;
        }
        $name = $opt['name'];
        foreach (array_keys($opt) as $k) {
            if (!in_array($k, ['name', 'needs-value', 'description'], true)) {
                $problems[] = "configure option $name: unknown key $k";
            }
        }
        if (!preg_match('~^[a-zA-Z0-9][a-zA-Z0-9_-]*$~', $name)) {
            $problems[] = "configure option \"$name\": not a valid option name (no leading --)";
        }
        if (isset($opt['needs-value']) && !is_bool($opt['needs-value'])) {
            $problems[] = "configure option $name: needs-value must be a boolean";
        }
        if (isset($opt['description']) && !is_string($opt['description'])) {
            $problems[] = "configure option $name: description must be a string";
        }
        $declared[$name] = true;
        if (!isset($m4opts[$name])) {
            $problems[] = "configure option --$name is not in config.m4";
        } elseif (($opt['needs-value'] ?? false) !== ($m4opts[$name] === 'WITH')) {
            $problems[] = "configure option --$name: needs-value must be "
                . ($m4opts[$name] === 'WITH' ? 'true (--with-... takes a value)' : 'false');
        }
    }
    foreach (array_keys($m4opts) as $name) {
        if (!isset($declared[$name])) {
            $problems[] = "config.m4 has --$name but composer.json's php-ext.configure-options does not";
        }
    }

    foreach ($problems as $p) {
        fwrite(STDERR, "composer-check: $p\n");
    }
    if ($problems) {
        return 1;
    }
    echo 'composer-check: php-ext ok (' . ($ext['extension-name'] ?? '') . ', configure options: '
        . implode(' ', array_map(fn ($n) => "--$n", array_keys($declared))) . ")\n";
    return 0;
}

exit(main());
