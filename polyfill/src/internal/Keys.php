<?php

/*
 * slotlock polyfill, twin of src/sl_key.c: slot keys, resource bucket keys and lock handles,
 * building and checking them. Everything here works on checked plain values (ids as text,
 * wall clocks, Unix seconds); PHP arguments become those in Args.
 */

namespace SlotLock\Polyfill;

use ValueError;

/** @internal */
final class Keys
{
    public const ID_MAX = 64;
    public const PREFIX_MAX = 64;
    public const DEFAULT_PREFIX = 'slot_lock';
    /** Keys one lock may hold, and keys one acquire may look at. */
    public const MAX_LOCK_KEYS = 64;
    public const MAX_ACQUIRE_KEYS = 1024;
    /** Unix seconds of 1000-01-01 and 10000-01-01 UTC: the years keys can name. */
    public const UNIX_MIN = -30610224000;
    public const UNIX_MAX = 253402300800;

    private const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';

    /** [A-Za-z0-9_.-]{1,64} */
    public static function prefixCheck(string $prefix): void
    {
        $len = strlen($prefix);
        if ($len < 1 || $len > self::PREFIX_MAX) {
            throw new ValueError('prefix must be 1 to ' . self::PREFIX_MAX . ' characters');
        }
        if (strspn($prefix, self::ID_CHARS . '.') !== $len) {
            throw new ValueError("prefix may only contain A-Z, a-z, 0-9, '_', '-' and '.'");
        }
    }

    /** [A-Za-z0-9_-]{1,64}; $name is the argument for messages. */
    public static function idCheck(string $id, string $name): void
    {
        $len = strlen($id);
        if ($len < 1 || $len > self::ID_MAX || strspn($id, self::ID_CHARS) !== $len) {
            throw new ValueError("$name must be a positive integer or 1 to " . self::ID_MAX
                . ' characters of [A-Za-z0-9_-]');
        }
    }

    private static function daysInMonth(int $y, int $m): int
    {
        static $days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        if ($m === 2 && (($y % 4 === 0 && $y % 100 !== 0) || $y % 400 === 0)) {
            return 29;
        }
        return $days[$m - 1];
    }

    /** Years 1000..9999 and calendar-valid fields of [year, month, day, hour, minute]. */
    public static function slotTimeCheck(array $t, string $name): void
    {
        [$y, $m, $d, $h, $i] = $t;
        if ($y < 1000 || $y > 9999) {
            throw new ValueError("$name must be in the years 1000 to 9999");
        }
        if ($m < 1 || $m > 12 || $d < 1 || $d > self::daysInMonth($y, $m) || $h < 0 || $h > 23
            || $i < 0 || $i > 59) {
            throw new ValueError("$name is not a valid date and time");
        }
    }

    /** The slot key "<prefix>:c<company>:s<service>:t<YmdHi>". */
    public static function build(string $prefix, string $company, string $service, array $t): string
    {
        return sprintf('%s:c%s:s%s:t%04d%02d%02d%02d%02d', $prefix, $company, $service, ...$t);
    }

    /**
     * The bucket keys "<prefix>:c<company>:r<resource>:b<YmdHi UTC>" covering the half-open
     * interval [from, to) (Unix seconds), buckets of $bucketS seconds aligned to the Unix epoch.
     */
    public static function resourceKeys(string $prefix, string $company, string $resource, int $from, int $to,
                                        int $bucketS): array
    {
        if ($from < self::UNIX_MIN || $to > self::UNIX_MAX) {
            throw new ValueError('the interval is out of range (years 1000 to 9999)');
        }
        if ($to <= $from) {
            throw new ValueError('$end must be after $start');
        }
        $b = intdiv($from, $bucketS) * $bucketS;
        if ($b > $from) {
            $b -= $bucketS;
        }
        if (intdiv($to - $b + $bucketS - 1, $bucketS) > self::MAX_LOCK_KEYS) {
            throw new ValueError('$start to $end (with the buffers) spans more than ' . self::MAX_LOCK_KEYS . ' buckets');
        }
        $keys = [];
        for (; $b < $to; $b += $bucketS) {
            $t = array_map('intval', explode(' ', gmdate('Y n j G i', $b)));
            if ($t[0] < 1000 || $t[0] > 9999) {
                throw new ValueError('the interval is out of range (years 1000 to 9999)');
            }
            $keys[] = sprintf('%s:c%s:r%s:b%04d%02d%02d%02d%02d', $prefix, $company, $resource, ...$t);
        }
        return $keys;
    }

    /** True for "<prefix>:c<id>:s<id>:t<12 digits>" or "<prefix>:c<id>:r<id>:b<12 digits>". */
    public static function valid(string $prefix, string $key): bool
    {
        $plen = strlen($prefix);
        if (strlen($key) <= $plen + 1 || strncmp($key, $prefix . ':', $plen + 1) !== 0) {
            return false;
        }
        return preg_match('/\Ac[A-Za-z0-9_-]{1,64}:(?:s[A-Za-z0-9_-]{1,64}:t|r[A-Za-z0-9_-]{1,64}:b)[0-9]{12}\z/',
            substr($key, $plen + 1)) === 1;
    }

    /** Splits a handle ("key" or "key,key,...") into keys of $prefix; no duplicates, at most MAX_LOCK_KEYS. */
    public static function parseHandle(string $prefix, string $handle): array
    {
        if ($handle === '') {
            throw new ValueError('$lock must not be empty');
        }
        $keys = [];
        foreach (explode(',', $handle) as $k) {
            if (!self::valid($prefix, $k)) {
                throw new ValueError(sprintf('$lock is not a lock key of prefix "%s"', $prefix));
            }
            if (in_array($k, $keys, true)) {
                throw new ValueError('$lock names a key twice');
            }
            if (count($keys) >= self::MAX_LOCK_KEYS) {
                throw new ValueError('$lock holds more than ' . self::MAX_LOCK_KEYS . ' keys');
            }
            $keys[] = $k;
        }
        return $keys;
    }
}
