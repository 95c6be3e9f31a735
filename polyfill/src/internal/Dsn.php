<?php

/*
 * slotlock polyfill, twin of src/sl_dsn.c: an endpoint (host, port, socket, database,
 * credentials, timeout) from a DSN, its checks, how messages name it, and the identity of a
 * shared connection.
 */

namespace SlotLock\Polyfill;

use ValueError;

/** @internal */
final class Dsn
{
    public const DEFAULT_HOST = '127.0.0.1';
    public const DEFAULT_PORT = 6379;
    public const MAX_TIMEOUT = 3600.0;

    /** A fresh endpoint: no host, the default port, database 0, no credentials, 1 s, no TLS. */
    public static function endpointInit(): array
    {
        return ['host' => null, 'port' => self::DEFAULT_PORT, 'socket' => null, 'database' => 0,
                'username' => null, 'password' => null, 'timeout' => 1.0, 'tls' => null];
    }

    /** Percent-decodes; null on a bad escape or %00. */
    private static function pctDecode(#[\SensitiveParameter] string $s): ?string
    {
        $out = '';
        $len = strlen($s);
        for ($i = 0; $i < $len; $i++) {
            if ($s[$i] === '%') {
                if ($i + 2 >= $len) {
                    return null;
                }
                $hex = substr($s, $i + 1, 2);
                if (!ctype_xdigit($hex) || $hex === '00') {
                    return null;
                }
                $out .= chr(hexdec($hex));
                $i += 2;
            } else {
                $out .= $s[$i];
            }
        }
        return $out;
    }

    /** An integer in [min, max] of 1 to 10 digits, or null. */
    private static function parseInt(string $s, int $min, int $max): ?int
    {
        if ($s === '' || strlen($s) > 10 || !ctype_digit($s)) {
            return null;
        }
        $v = (int) $s;
        return ($v < $min || $v > $max) ? null : $v;
    }

    private static function parseQuery(string $q, array &$ep): void
    {
        if ($q === '') {
            return;
        }
        foreach (explode('&', $q) as $pair) {
            if ($pair === '') {
                continue;
            }
            $eq = strpos($pair, '=');
            if ($eq === false) {
                throw new ValueError('DSN option without a value');
            }
            $k = substr($pair, 0, $eq);
            $v = substr($pair, $eq + 1);
            if ($k === 'database') {
                $db = self::parseInt($v, 0, 2147483647);
                if ($db === null) {
                    throw new ValueError('DSN database must be a non-negative integer');
                }
                $ep['database'] = $db;
            } elseif ($k === 'timeout') {
                if ($v === '' || strlen($v) >= 32) {
                    throw new ValueError('DSN timeout must be a number of seconds');
                }
                $t = is_numeric($v) && trim($v) === $v ? (float) $v : NAN;
                if (!($t > 0.0) || $t > self::MAX_TIMEOUT) {
                    throw new ValueError('DSN timeout must be > 0 and <= ' . Status::g(self::MAX_TIMEOUT) . ' seconds');
                }
                $ep['timeout'] = $t;
            } else {
                /* never echo it: a '?' in an unescaped password lands here */
                throw new ValueError('unknown DSN option (allowed: database, timeout)');
            }
        }
    }

    /**
     * "redis://[[user]:password@]host[:port][/db][?opts]" or
     * "unix://[[user]:password@]/path/to.sock[?opts]" into $ep; fields not named keep their values.
     */
    public static function parseDsn(#[\SensitiveParameter] string $dsn, array &$ep): void
    {
        if (str_contains($dsn, "\0")) {
            throw new ValueError('DSN must not contain NUL bytes');
        }
        if (str_starts_with($dsn, 'redis://')) {
            $unix = false;
            $rest = substr($dsn, 8);
        } elseif (str_starts_with($dsn, 'unix://')) {
            $unix = true;
            $rest = substr($dsn, 7);
        } elseif (str_starts_with($dsn, 'rediss://')) {
            /* TLS through phpredis (a stream context); redis:// keeps what the options say */
            $unix = false;
            $rest = substr($dsn, 9);
            $ep['tls'] ??= [];
        } else {
            throw new ValueError('DSN must start with redis:// or unix://');
        }
        $qpos = strpos($rest, '?');
        $query = $qpos === false ? null : substr($rest, $qpos + 1);
        $path = $qpos === false ? $rest : substr($rest, 0, $qpos);

        /* Userinfo ends at the last '@' before the path (unix) or the query (tcp). */
        $at = null;
        $plen = strlen($path);
        for ($i = 0; $i < $plen && !($unix && $path[$i] === '/'); $i++) {
            if ($path[$i] === '@') {
                $at = $i;
            }
        }
        if ($at !== null) {
            self::parseUserinfo(substr($path, 0, $at), $ep);
            $path = substr($path, $at + 1);
        }

        if ($unix) {
            if ($path === '' || $path[0] !== '/') {
                throw new ValueError('unix DSN needs an absolute socket path (unix:///path/to.sock)');
            }
            $ep['socket'] = $path;
            $ep['host'] = null;
        } else {
            $slash = strpos($path, '/');
            $hostPart = $slash === false ? $path : substr($path, 0, $slash);
            if ($hostPart !== '' && $hostPart[0] === '[') {
                $rb = strpos($hostPart, ']');
                if ($rb === false) {
                    throw new ValueError("DSN IPv6 host is missing ']'");
                }
                $ep['host'] = substr($hostPart, 1, $rb - 1);
                $after = substr($hostPart, $rb + 1);
            } else {
                $colon = strpos($hostPart, ':');
                $ep['host'] = $colon === false ? $hostPart : substr($hostPart, 0, $colon);
                $after = $colon === false ? '' : substr($hostPart, $colon);
            }
            if ($ep['host'] === '') {
                throw new ValueError('DSN has no host');
            }
            if ($after !== '' && $after[0] === ':') {
                $port = self::parseInt(substr($after, 1), 1, 65535);
                if ($port === null) {
                    throw new ValueError('DSN port must be an integer in 1..65535');
                }
                $ep['port'] = $port;
            } elseif ($after !== '') {
                throw new ValueError('DSN host is malformed');
            }
            if ($slash !== false && $slash + 1 < strlen($path)) {
                $db = self::parseInt(substr($path, $slash + 1), 0, 2147483647);
                if ($db === null) {
                    throw new ValueError('DSN database must be a non-negative integer');
                }
                $ep['database'] = $db;
            }
            $ep['socket'] = null;
        }
        if ($query !== null) {
            self::parseQuery($query, $ep);
        }
    }

    /** user[:password], without the '@'. A lone userinfo is the password, as in redis-cli. */
    private static function parseUserinfo(#[\SensitiveParameter] string $s, array &$ep): void
    {
        $colon = strpos($s, ':');
        $u = $colon === false ? $s : substr($s, 0, $colon);
        $user = null;
        $pass = null;
        if ($u !== '') {
            $user = self::pctDecode($u);
            if ($user === null) {
                throw new ValueError('DSN credentials hold an invalid percent escape');
            }
        }
        if ($colon !== false) {
            $pass = self::pctDecode(substr($s, $colon + 1));
            if ($pass === null) {
                throw new ValueError('DSN credentials hold an invalid percent escape');
            }
            if ($pass === '') {
                $pass = null;
            }
        } elseif ($user !== null) {
            $pass = $user;
            $user = null;
        }
        $ep['username'] = $user;
        $ep['password'] = $pass;
    }

    public static function endpointCheck(array $ep): ?string
    {
        if ($ep['socket'] === null && ($ep['port'] < 1 || $ep['port'] > 65535)) {
            return 'port must be in 1..65535';
        }
        if ($ep['socket'] === null && ($ep['host'] === null || $ep['host'] === '')) {
            return 'host must not be empty';
        }
        if ($ep['socket'] !== null && $ep['tls'] !== null) {
            return 'TLS needs a host and port, not a unix socket';
        }
        if ($ep['database'] < 0) {
            return 'database must be >= 0';
        }
        if (!($ep['timeout'] > 0.0) || $ep['timeout'] > self::MAX_TIMEOUT || is_nan($ep['timeout'])) {
            return 'timeout must be > 0 and <= ' . Status::g(self::MAX_TIMEOUT) . ' seconds';
        }
        return null;
    }

    /** "tcp://host:port/db", "tls://host:port/db" or "unix:///path/db", never credentials. */
    public static function describe(array $ep): string
    {
        if ($ep['socket'] !== null) {
            return sprintf('unix://%s/%d', $ep['socket'], $ep['database']);
        }
        return sprintf('%s://%s:%d/%d', $ep['tls'] !== null ? 'tls' : 'tcp', $ep['host'] ?? '', $ep['port'],
            $ep['database']);
    }

    /**
     * The identity of a shared connection: endpoint, credentials and TLS options, the password
     * and the TLS options only hashed.
     */
    public static function poolId(array $ep): string
    {
        $parts = [
            $ep['socket'] !== null ? 'u' : 't',
            (string) $ep['port'],
            (string) $ep['database'],
            $ep['socket'] ?? $ep['host'] ?? '',
            $ep['username'] ?? '',
            $ep['password'] === null ? '-' : 'p' . hash('sha256', $ep['password']),
            sprintf('%.6F', $ep['timeout']),
            $ep['tls'] === null ? '-' : hash('sha256', serialize($ep['tls'])),
        ];
        $id = '';
        foreach ($parts as $p) {
            $id .= strlen($p) . ':' . $p . '|';
        }
        return hash('sha256', $id);
    }
}
