<?php

/*
 * slotlock polyfill: the options of SlotLockService::__construct() (an array, a DSN string
 * or null) over the slotlock.* INI values and the defaults, checked as the extension checks
 * them, with the same messages.
 */

namespace SlotLock\Polyfill;

use TypeError;
use ValueError;

/** @internal */
final class Options
{
    /**
     * The options of one service: ep (Dsn endpoint, password included), prefix, ttl,
     * booked_ttl, bucket, persistent, tz, fencing.
     */
    public static function read(#[\SensitiveParameter] array|string|null $options): array
    {
        $o = self::optionsFromIni();
        if (is_string($options)) {
            Dsn::parseDsn($options, $o['ep']);
        } elseif (is_array($options)) {
            self::optionsFromArray($o, $options);
        }
        $cafile = self::ini('slotlock.tls_cafile');
        if ($o['ep']['tls'] !== null && $cafile !== null && $cafile !== ''
            && !isset($o['ep']['tls']['cafile']) && !isset($o['ep']['tls']['capath'])) {
            $o['ep']['tls']['cafile'] = $cafile;
        }
        $msg = Dsn::endpointCheck($o['ep']);
        if ($msg !== null) {
            throw new ValueError('SlotLockService::__construct(): ' . $msg);
        }
        return $o;
    }

    /** The base every constructor form starts from: the slotlock.* INI values, else the defaults. */
    private static function optionsFromIni(): array
    {
        $ttl = self::iniInt('slotlock.ttl', 300, Locks::TTL_MIN, Locks::TTL_MAX);
        $bookedTtl = self::iniInt('slotlock.booked_ttl', 600, Locks::TTL_MIN, Locks::TTL_MAX);
        $bucket = self::iniInt('slotlock.bucket', 15, 1, 1440);
        $timeout = 1.0;
        $t = self::ini('slotlock.timeout');
        if ($t !== null && is_numeric(trim($t)) && (float) $t > 0.0 && (float) $t <= Dsn::MAX_TIMEOUT) {
            $timeout = (float) $t;
        }
        $p = self::ini('slotlock.persistent');
        $tz = self::ini('slotlock.key_timezone');
        $o = [
            'ep' => Dsn::endpointInit(),
            'prefix' => Keys::DEFAULT_PREFIX,
            'ttl' => $ttl,
            'booked_ttl' => $bookedTtl,
            'bucket' => $bucket,
            'persistent' => $p === null ? true : self::iniBool($p),
            'tz' => ($tz !== null && $tz !== '') ? $tz : 'UTC',
            'fencing' => false,
        ];
        $o['ep']['timeout'] = $timeout;
        $o['ep']['host'] = Dsn::DEFAULT_HOST;
        $dsn = self::ini('slotlock.dsn') ?? 'redis://127.0.0.1:6379';
        if ($dsn !== '') {
            try {
                Dsn::parseDsn($dsn, $o['ep']);
            } catch (ValueError $e) {
                throw new ValueError('slotlock.dsn: ' . $e->getMessage());
            }
        }
        $prefix = self::ini('slotlock.prefix');
        if ($prefix !== null) {
            Keys::prefixCheck($prefix);
            $o['prefix'] = $prefix;
        }
        return $o;
    }

    /** An INI value: the extension's (when it registered them) or one given with -d / php.ini. */
    private static function ini(string $name): ?string
    {
        return \SlotLockPolyfillIni::get($name);
    }

    private static function iniInt(string $name, int $default, int $min, int $max): int
    {
        $v = self::ini($name);
        if ($v === null) {
            return $default;
        }
        $n = (int) $v;
        return ($n < $min || $n > $max) ? $default : $n;
    }

    private static function iniBool(string $v): bool
    {
        $l = strtolower(trim($v));
        if ($l === 'true' || $l === 'yes' || $l === 'on') {
            return true;
        }
        return (int) $v !== 0;
    }

    private static function optionTypeError(string $name, string $expected, mixed $value): TypeError
    {
        return new TypeError(sprintf('SlotLockService::__construct(): Option "%s" must be of type %s, %s given',
            $name, $expected, get_debug_type($value)));
    }

    private static function optionString(string $name, #[\SensitiveParameter] mixed $value, bool $nullable): ?string
    {
        if ($value === null && $nullable) {
            return null;
        }
        if (!is_string($value)) {
            throw self::optionTypeError($name, $nullable ? '?string' : 'string', $value);
        }
        if (str_contains($value, "\0")) {
            throw new ValueError("$name must not contain NUL bytes");
        }
        return $value;
    }

    private static function optionInt(string $name, mixed $value, int $min, int $max): int
    {
        if (!is_int($value)) {
            throw self::optionTypeError($name, 'int', $value);
        }
        if ($value < $min || $value > $max) {
            throw new ValueError(sprintf('SlotLockService::__construct(): Option "%s" must be between %d and %d',
                $name, $min, $max));
        }
        return $value;
    }

    private static function optionsFromArray(array &$o, #[\SensitiveParameter] array $options): void
    {
        /* A "dsn" entry is applied first, so the other entries refine it. */
        if (array_key_exists('dsn', $options)) {
            if (!is_string($options['dsn'])) {
                throw self::optionTypeError('dsn', 'string', $options['dsn']);
            }
            Dsn::parseDsn($options['dsn'], $o['ep']);
        }
        foreach ($options as $name => $value) {
            if (!is_string($name)) {
                throw new ValueError('SlotLockService::__construct(): Options must be keyed by name');
            }
            switch ($name) {
                case 'dsn':
                    break;
                case 'tls':
                    $o['ep']['tls'] = self::tlsOptions($value, $o['ep']['tls']);
                    break;
                case 'host':
                    $o['ep']['host'] = self::optionString($name, $value, false);
                    $o['ep']['socket'] = null;
                    break;
                case 'port':
                    $o['ep']['port'] = self::optionInt($name, $value, 1, 65535);
                    break;
                case 'socket':
                    $o['ep']['socket'] = self::optionString($name, $value, true);
                    if ($o['ep']['socket'] !== null && !str_starts_with($o['ep']['socket'], '/')) {
                        throw new ValueError('SlotLockService::__construct(): Option "socket" must be an absolute path');
                    }
                    break;
                case 'database':
                    $o['ep']['database'] = self::optionInt($name, $value, 0, 2147483647);
                    break;
                case 'username':
                    $o['ep']['username'] = self::optionString($name, $value, true);
                    break;
                case 'password':
                    $o['ep']['password'] = self::optionString($name, $value, true);
                    break;
                case 'timeout':
                    if (!is_int($value) && !is_float($value)) {
                        throw self::optionTypeError($name, 'float', $value);
                    }
                    $t = (float) $value;
                    if (!($t > 0.0) || $t > Dsn::MAX_TIMEOUT) {
                        throw new ValueError('SlotLockService::__construct(): Option "timeout" must be > 0 and <= '
                            . Status::g(Dsn::MAX_TIMEOUT) . ' seconds');
                    }
                    $o['ep']['timeout'] = $t;
                    break;
                case 'prefix':
                    if (!is_string($value)) {
                        throw self::optionTypeError($name, 'string', $value);
                    }
                    Keys::prefixCheck($value);
                    $o['prefix'] = $value;
                    break;
                case 'ttl':
                    $o['ttl'] = self::optionInt($name, $value, Locks::TTL_MIN, Locks::TTL_MAX);
                    break;
                case 'booked_ttl':
                    $o['booked_ttl'] = self::optionInt($name, $value, Locks::TTL_MIN, Locks::TTL_MAX);
                    break;
                case 'bucket':
                    $o['bucket'] = self::optionInt($name, $value, 1, 1440);
                    break;
                case 'persistent':
                case 'fencing':
                    if (!is_bool($value)) {
                        throw self::optionTypeError($name, 'bool', $value);
                    }
                    $o[$name] = $value;
                    break;
                case 'key_timezone':
                    if (!is_string($value)) {
                        throw self::optionTypeError($name, 'string', $value);
                    }
                    $o['tz'] = $value;
                    break;
                case 'cluster':
                case 'sentinel':
                case 'nodes':
                case 'master':
                case 'wait_replicas':
                case 'wait_timeout':
                case 'sentinel_check':
                case 'drift_factor':
                case 'hash_tag':
                    /* Cluster, Sentinel and quorum live in the extension's C core only. */
                    throw new \SlotLockException(sprintf(
                        'SlotLockService::__construct(): Option "%s" needs the slotlock extension; the PHP polyfill speaks to one Redis node',
                        $name));
                default:
                    throw new ValueError(sprintf('SlotLockService::__construct(): Unknown option "%s"',
                        strlen($name) > 64 ? '(too long)' : $name));
            }
        }
    }

    /**
     * Option "tls" (src/sl_options.c): true/false, or PHP ssl-context names. Returns the TLS
     * options (null: plain), starting from $tls.
     */
    private static function tlsOptions(#[\SensitiveParameter] mixed $value, ?array $tls): ?array
    {
        $ctx = 'SlotLockService::__construct(): Option "tls": ';
        if (is_bool($value)) {
            return $value ? ($tls ?? []) : null;
        }
        if (!is_array($value)) {
            throw self::optionTypeError('tls', 'array|bool', $value);
        }
        $tls ??= [];
        foreach ($value as $k => $v) {
            if (!is_string($k)) {
                throw new ValueError('SlotLockService::__construct(): Option "tls" must be keyed by name');
            }
            switch ($k) {
                case 'cafile': case 'capath': case 'local_cert': case 'local_pk': case 'passphrase':
                case 'peer_name': case 'ciphers':
                    if (!is_string($v) || $v === '' || str_contains($v, "\0")) {
                        throw new ValueError($ctx . "\"$k\" must be a non-empty string");
                    }
                    $tls[$k] = $v;
                    break;
                case 'verify_peer': case 'verify_peer_name':
                    if (!is_bool($v)) {
                        throw new ValueError($ctx . "\"$k\" must be a bool");
                    }
                    $tls[$k] = $v;
                    break;
                case 'security_level':
                    if (!is_int($v) || $v < 0 || $v > 5) {
                        throw new ValueError($ctx . '"security_level" must be an int from 0 to 5');
                    }
                    $tls[$k] = $v;
                    break;
                case 'min_proto_version':
                    $tls[$k] = match (true) {
                        $v === STREAM_CRYPTO_PROTO_TLSv1_2, is_string($v) && strcasecmp($v, 'tlsv1.2') === 0
                            => STREAM_CRYPTO_PROTO_TLSv1_2,
                        $v === STREAM_CRYPTO_PROTO_TLSv1_3, is_string($v) && strcasecmp($v, 'tlsv1.3') === 0
                            => STREAM_CRYPTO_PROTO_TLSv1_3,
                        default => throw new ValueError($ctx . '"min_proto_version" must be "tlsv1.2", "tlsv1.3", '
                            . 'STREAM_CRYPTO_PROTO_TLSv1_2 or STREAM_CRYPTO_PROTO_TLSv1_3'),
                    };
                    break;
                default:
                    throw new ValueError($ctx . sprintf('unknown key "%s" (allowed: cafile, capath, local_cert, '
                        . 'local_pk, passphrase, verify_peer, verify_peer_name, peer_name, ciphers, security_level, '
                        . 'min_proto_version)', strlen($k) > 64 || str_contains($k, "\0") ? '(too long)' : $k));
            }
        }
        return $tls;
    }
}
