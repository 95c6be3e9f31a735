<?php
/*
 * scripts/package-xml.php: keeps package.xml's <contents> equal to the files
 * we ship.
 *
 *   php scripts/package-xml.php          rewrite <contents> in package.xml
 *   php scripts/package-xml.php --list   print "role path" of every shipped file
 *   php scripts/package-xml.php --check  exit 1 (listing them) when a shipped file
 *                                        is missing from package.xml, or
 *                                        package.xml names a file that does not exist
 *
 * Shipped files: the files git knows (tracked, plus untracked ones that are
 * not ignored) among config.m4 config.w32 *.c *.h slotlock.stub.php src/
 * tests/ (phpt, inc, unit tests, suites, fuzz targets) README.md LICENSE docs/ bench/hiredis_floor.c
 * polyfill/ integrations/ examples/.
 * Everything outside <contents> in package.xml is left as it is.
 */

declare(strict_types=1);

const ROOT = __DIR__ . '/..';
const PACKAGE_XML = ROOT . '/package.xml';

/** @return array<string, string> path => role, sorted by path */
function shipped_files(): array
{
    $cmd = 'git -C ' . escapeshellarg(ROOT)
        . ' ls-files -z --cached --others --exclude-standard 2>/dev/null';
    $out = shell_exec($cmd);
    if (!is_string($out)) {
        fwrite(STDERR, "package-xml: git ls-files failed\n");
        exit(2);
    }
    $files = [];
    foreach (array_unique(array_filter(explode("\0", $out))) as $path) {
        if (!is_file(ROOT . '/' . $path)) {
            continue;                 /* deleted in the work tree, not yet in git */
        }
        $role = role_of($path);
        if ($role !== null) {
            $files[$path] = $role;
        }
    }
    ksort($files, SORT_STRING);
    return $files;
}

/** The role of a shipped file, or null when the file is not shipped. */
function role_of(string $path): ?string
{
    if ($path === 'config.m4' || $path === 'config.w32' || $path === 'slotlock.stub.php') {
        return 'src';
    }
    if (preg_match('~^[^/]+\.[ch]$~', $path)) {
        return 'src';
    }
    if (preg_match('~^src/.+\.[ch]$~', $path)) {
        return 'src';
    }
    if ($path === 'README.md' || $path === 'LICENSE' || str_starts_with($path, 'docs/')) {
        return 'doc';
    }
    if (preg_match('~^tests/[^/]+\.(phpt|inc)$~', $path)) {
        return 'test';
    }
    if (preg_match('~^tests/unit/(.+\.[ch]|Makefile|.+\.mk|.+\.supp)$~', $path)) {
        return 'test';
    }
    if (preg_match('~^tests/suites/[^/]+$~', $path)) {
        return 'test';
    }
    /* the fuzz targets (not their corpora) and the C floor of the benchmarks: every C file
     * the repository holds ships, so the tarball builds and checks what git has */
    if (preg_match('~^tests/fuzz/([^/]+\.[ch]|Makefile|run\.sh|dict/[^/]+)$~', $path)) {
        return 'test';
    }
    if ($path === 'bench/hiredis_floor.c') {
        return 'doc';
    }
    /* the composer packages (the PHP polyfill, the Laravel integration) and the example
     * that uses them: documentation of a PECL install, installed with composer */
    if (preg_match('~^(polyfill|integrations|examples)/~', $path) && !str_ends_with($path, '.gitignore')) {
        return 'doc';
    }
    return null;
}

/** @param array<string, string> $files */
function contents_xml(array $files): string
{
    /* a tree: dir name => subtree, '' => [file => role] */
    $tree = [];
    foreach ($files as $path => $role) {
        $parts = explode('/', $path);
        $name = array_pop($parts);
        $node = &$tree;
        foreach ($parts as $dir) {
            $node[$dir] ??= [];
            $node = &$node[$dir];
        }
        $node[''][$name] = $role;
        unset($node);
    }
    $xml = " <contents>\n  <dir name=\"/\">\n" . dir_xml($tree, 3) . "  </dir>\n </contents>";
    return $xml;
}

function dir_xml(array $node, int $depth): string
{
    $pad = str_repeat(' ', $depth);
    $xml = '';
    $files = $node[''] ?? [];
    unset($node['']);
    ksort($files, SORT_STRING);
    ksort($node, SORT_STRING);
    foreach ($files as $name => $role) {
        $xml .= sprintf("%s<file name=\"%s\" role=\"%s\"/>\n", $pad, htmlspecialchars((string)$name, ENT_XML1), $role);
    }
    foreach ($node as $dir => $sub) {
        $xml .= sprintf("%s<dir name=\"%s\">\n", $pad, htmlspecialchars((string)$dir, ENT_XML1));
        $xml .= dir_xml($sub, $depth + 1);
        $xml .= "$pad</dir>\n";
    }
    return $xml;
}

/** @return array<string, string> path => role, as package.xml lists them */
function listed_files(): array
{
    libxml_use_internal_errors(true);
    $doc = new DOMDocument();
    if (!$doc->load(PACKAGE_XML)) {
        fwrite(STDERR, "package-xml: package.xml is not well-formed XML\n");
        foreach (libxml_get_errors() as $e) {
            fwrite(STDERR, sprintf("  line %d: %s\n", $e->line, trim($e->message)));
        }
        exit(1);
    }
    $listed = [];
    $contents = $doc->getElementsByTagName('contents')->item(0);
    if ($contents !== null) {
        walk($contents, '', $listed);
    }
    return $listed;
}

function walk(DOMNode $node, string $prefix, array &$listed): void
{
    foreach ($node->childNodes as $child) {
        if (!$child instanceof DOMElement) {
            continue;
        }
        $name = trim($child->getAttribute('name'), '/');
        $path = $prefix === '' ? $name : ($name === '' ? $prefix : "$prefix/$name");
        if ($child->localName === 'dir') {
            walk($child, $path, $listed);
        } elseif ($child->localName === 'file') {
            $listed[$path] = $child->getAttribute('role');
        }
    }
}

function main(array $argv): int
{
    $mode = $argv[1] ?? '--write';
    if (!in_array($mode, ['--write', '--list', '--check'], true)) {
        fwrite(STDERR, "usage: php scripts/package-xml.php [--list|--check]\n");
        return 2;
    }
    $files = shipped_files();

    if ($mode === '--list') {
        foreach ($files as $path => $role) {
            echo "$role $path\n";
        }
        return 0;
    }

    if (!is_file(PACKAGE_XML)) {
        fwrite(STDERR, "package-xml: package.xml not found\n");
        return 1;
    }

    if ($mode === '--check') {
        $listed = listed_files();
        $bad = 0;
        foreach ($files as $path => $role) {
            if (!isset($listed[$path])) {
                fwrite(STDERR, "not in package.xml: $path (run ./dev package-xml)\n");
                $bad++;
            } elseif ($listed[$path] !== $role) {
                fwrite(STDERR, "package.xml gives $path role \"{$listed[$path]}\", expected \"$role\"\n");
                $bad++;
            }
        }
        foreach ($listed as $path => $role) {
            if (!is_file(ROOT . '/' . $path)) {
                fwrite(STDERR, "package.xml names a missing file: $path\n");
                $bad++;
            }
        }
        if ($bad > 0) {
            fwrite(STDERR, "package-xml: $bad problem(s)\n");
            return 1;
        }
        echo "package.xml lists all " . count($files) . " shipped files\n";
        return 0;
    }

    $xml = file_get_contents(PACKAGE_XML);
    $contents = contents_xml($files);
    $new = preg_replace_callback('~[ \t]*<contents>.*?</contents>~s', fn() => $contents, $xml, 1, $count);
    if ($count !== 1 || $new === null) {
        fwrite(STDERR, "package-xml: no <contents> element in package.xml\n");
        return 1;
    }
    if ($new !== $xml) {
        file_put_contents(PACKAGE_XML, $new);
        echo "package.xml: <contents> rewritten, " . count($files) . " files\n";
    } else {
        echo "package.xml: <contents> already up to date, " . count($files) . " files\n";
    }
    return 0;
}

exit(main($argv));
