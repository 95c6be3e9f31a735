<?php

/*
 * slotlock polyfill: PHP arguments into the plain values Keys and Locks work on (the part of
 * the extension's glue that converts zvals): ids, instants and wall clocks in key_timezone,
 * segment and candidate lists, lock handles, TTLs and owners. The messages name the argument.
 */

namespace SlotLock\Polyfill;

use DateTimeImmutable;
use DateTimeInterface;
use DateTimeZone;
use Error;
use Exception;
use Throwable;
use TypeError;
use ValueError;

/** @internal */
final class Args
{
    private ?DateTimeZone $tz = null;
    private bool $tzUtc;

    /** $ttl and $bucket: the service's default TTL (s) and resource bucket (min). */
    public function __construct(public readonly string $prefix, private int $ttl, private int $bucket,
                                public readonly string $tzName)
    {
        $this->tzUtc = strcasecmp($tzName, 'UTC') === 0;
        if (!$this->tzUtc) {
            $this->timezone();
        }
    }

    /** key_timezone, loaded once. */
    public function timezone(): DateTimeZone
    {
        if ($this->tz !== null) {
            return $this->tz;
        }
        try {
            $this->tz = new DateTimeZone($this->tzName);
        } catch (Throwable $e) {
            throw new ValueError('SlotLockService::__construct(): Option "key_timezone" is not a known time zone');
        }
        return $this->tz;
    }

    /** An id as text: positive int, or [A-Za-z0-9_-]{1,64}. */
    public function id(mixed $id, string $name): string
    {
        if (is_int($id)) {
            if ($id < 1) {
                throw new ValueError("$name must be a positive integer or 1 to " . Keys::ID_MAX
                    . ' characters of [A-Za-z0-9_-]');
            }
            return (string) $id;
        }
        if (!is_string($id)) {
            throw new TypeError("$name must be of type int|string, " . get_debug_type($id) . ' given');
        }
        Keys::idCheck($id, $name);
        return $id;
    }

    /** The instant a start argument names, in Unix seconds, on a whole minute. */
    public function instant(mixed $start, string $name): int
    {
        if (is_string($start)) {
            if ($start === '' || strlen($start) > 128 || str_contains($start, "\0")) {
                throw new ValueError("$name is not a valid date and time");
            }
            $tz = $this->timezone();
            try {
                $start = new DateTimeImmutable($start, $tz);
            } catch (Exception $e) {
                throw new ValueError("$name is not a valid date and time");
            }
        } elseif (!$start instanceof DateTimeInterface) {
            throw new TypeError("$name must be of type DateTimeInterface|string, " . get_debug_type($start) . ' given');
        }
        try {
            $sse = $start->getTimestamp();
            $us = (int) $start->format('u');
        } catch (Error $e) {
            throw new ValueError("$name is an uninitialized DateTime object");
        }
        if ($sse < Keys::UNIX_MIN || $sse >= Keys::UNIX_MAX) {
            throw new ValueError("$name must be in the years 1000 to 9999");
        }
        if ($us !== 0 || (($sse % 60) + 60) % 60 !== 0) {
            throw new ValueError("$name must be on a whole minute (seconds must be 0)");
        }
        return $sse;
    }

    /** The wall clock of an instant in key_timezone: [year, month, day, hour, minute]. */
    public function wallClock(int $sse, string $name): array
    {
        $d = new DateTimeImmutable('@' . $sse);
        if (!$this->tzUtc) {
            $d = $d->setTimezone($this->timezone());
        }
        $t = array_map('intval', explode(' ', $d->format('Y n j G i')));
        Keys::slotTimeCheck($t, $name);
        return $t;
    }

    /** The slot key of $service at $start for a checked company id. */
    public function key(mixed $service, mixed $start, string $company): string
    {
        $svc = $this->id($service, '$serviceId');
        $t = $this->wallClock($this->instant($start, '$start'), '$start');
        return Keys::build($this->prefix, $company, $svc, $t);
    }

    /** One [serviceId, start] pair (or ['service' => ..., 'start' => ...]) appended to $keys. */
    public function pair(mixed $pair, string $company, string $what, array &$keys, int $groupStart): void
    {
        if (!is_array($pair)) {
            throw new TypeError("$what must hold [serviceId, start] pairs, " . get_debug_type($pair) . ' given');
        }
        $svc = $pair[0] ?? null;
        $start = $pair[1] ?? null;
        if (!array_key_exists(0, $pair) || !array_key_exists(1, $pair)) {
            $svc = array_key_exists('service', $pair) ? $pair['service'] : null;
            $start = array_key_exists('start', $pair) ? $pair['start'] : null;
            $has = array_key_exists('service', $pair) && array_key_exists('start', $pair);
        } else {
            $has = true;
        }
        if (!$has || count($pair) !== 2) {
            throw new ValueError("$what must hold [serviceId, start] pairs");
        }
        $key = $this->key($svc, $start, $company);
        for ($i = $groupStart, $n = count($keys); $i < $n; $i++) {
            if ($keys[$i] === $key) {
                throw new ValueError("$what names the same slot twice");
            }
        }
        if (count($keys) >= Keys::MAX_ACQUIRE_KEYS) {
            throw new ValueError("$what holds more than " . Keys::MAX_ACQUIRE_KEYS . ' slots');
        }
        $keys[] = $key;
    }

    /** A segment list: a non-empty list of pairs. Appends its keys; returns how many. */
    public function segments(array $segments, string $company, string $what, array &$keys): int
    {
        $start = count($keys);
        if (count($segments) === 0) {
            throw new ValueError("$what must not be empty");
        }
        if (count($segments) > Keys::MAX_LOCK_KEYS) {
            throw new ValueError("$what must not hold more than " . Keys::MAX_LOCK_KEYS . ' segments');
        }
        foreach ($segments as $pair) {
            $this->pair($pair, $company, $what, $keys, $start);
        }
        return count($keys) - $start;
    }

    /**
     * The candidates of acquireFirst(): each a [serviceId, start] pair or a list of them.
     * Appends their keys to $keys; returns the group sizes.
     */
    public function candidates(array $candidates, string $company, array &$keys): array
    {
        if (count($candidates) === 0) {
            throw new ValueError('$candidates must not be empty');
        }
        if (count($candidates) > Keys::MAX_LOCK_KEYS) {
            throw new ValueError('$candidates must not hold more than ' . Keys::MAX_LOCK_KEYS . ' candidates');
        }
        $groups = [];
        foreach ($candidates as $cand) {
            if (!is_array($cand)) {
                throw new TypeError('$candidates must hold [serviceId, start] pairs or lists of them, '
                    . get_debug_type($cand) . ' given');
            }
            if (array_key_exists(0, $cand) && is_array($cand[0])) {
                $groups[] = $this->segments($cand, $company, '$candidates', $keys);
            } else {
                $this->pair($cand, $company, '$candidates', $keys, count($keys));
                $groups[] = 1;
            }
        }
        return $groups;
    }

    /**
     * AvailabilityWithLock's $service: an id (one slot at $start) or a list of
     * [serviceId, start] segments (int start: minutes after $start).
     */
    public function slotKeys(mixed $company, mixed $service, mixed $start): array
    {
        $cid = $this->id($company, '$companyId');
        if (!is_array($service)) {
            return [$this->key($service, $start, $cid)];
        }
        if (count($service) === 0 || count($service) > Keys::MAX_LOCK_KEYS) {
            throw new ValueError('$service must hold 1 to ' . Keys::MAX_LOCK_KEYS . ' segments');
        }
        $keys = [];
        $base = null;
        foreach ($service as $seg) {
            if (!is_array($seg) || !array_key_exists(0, $seg) || !array_key_exists(1, $seg) || count($seg) !== 2) {
                throw new ValueError('$service must be an id or a list of [serviceId, start] segments');
            }
            $at = $seg[1];
            if (is_int($at)) {
                $base ??= $this->instant($start, '$start');
                if ($at < 0 || $at > 7 * 24 * 60) {
                    throw new ValueError('$service segment offsets must be 0 to 10080 minutes');
                }
                $sse = $base + $at * 60;
            } else {
                $sse = $this->instant($at, '$service segment start');
            }
            $svc = $this->id($seg[0], '$serviceId');
            $key = Keys::build($this->prefix, $cid, $svc, $this->wallClock($sse, '$start'));
            if (in_array($key, $keys, true)) {
                throw new ValueError('$service names the same slot twice');
            }
            $keys[] = $key;
        }
        return $keys;
    }

    /** The bucket keys of a resource interval widened by the buffers (minutes). */
    public function resourceKeys(mixed $company, mixed $resource, mixed $start, mixed $end, int $before,
                                 int $after): array
    {
        $cid = $this->id($company, '$companyId');
        $rid = $this->id($resource, '$resourceId');
        $from = $this->instant($start, '$start');
        if (is_int($end)) {
            if ($end < 1 || $end > 24 * 60) {
                throw new ValueError('$end as a duration must be 1 to 1440 minutes');
            }
            $to = $from + $end * 60;
        } else {
            $to = $this->instant($end, '$end');
        }
        if ($before < 0 || $before > 1440 || $after < 0 || $after > 1440) {
            throw new ValueError((($before < 0 || $before > 1440) ? '$bufferBefore' : '$bufferAfter')
                . ' must be 0 to 1440 minutes');
        }
        return Keys::resourceKeys($this->prefix, $cid, $rid, $from - $before * 60, $to + $after * 60,
            $this->bucket * 60);
    }

    /** A SlotLock or a handle string → its keys. */
    public function handle(\SlotLock|string $lock): array
    {
        if ($lock instanceof \SlotLock) {
            if (!isset($lock->key)) {
                throw new ValueError('$lock is an uninitialized SlotLock');
            }
            $lock = $lock->key;
        }
        return Keys::parseHandle($this->prefix, $lock);
    }

    /** The TTL in ms (the service's default for null). */
    public function ttlMs(?int $ttl): int
    {
        $ttl ??= $this->ttl;
        Locks::ttlCheck($ttl);
        return $ttl * 1000;
    }

    /** $owner checked, or a fresh token for null. */
    public static function owner(?string $owner): string
    {
        if ($owner !== null) {
            Locks::ownerCheck($owner);
            return $owner;
        }
        return Locks::ownerGenerate();
    }
}
