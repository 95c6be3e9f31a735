<?php

/*
 * slotlock polyfill: AvailabilityWithLock (slotlock_availability.c) over SlotLockService.
 */

/**
 * The booking flow of a voice agent: check_availability locks the slot it
 * offers, start_booking checks the lock before writing and marks the slot
 * booked after.
 */
final class AvailabilityWithLock
{
    private ?SlotLockService $locks = null;

    public function __construct(SlotLockService $locks)
    {
        if ($this->locks !== null) {
            throw new Error('AvailabilityWithLock object is already constructed');
        }
        self::api($locks, 'init', []);
        $this->locks = $locks;
    }

    /**
     * check_availability: when $availability['available'] is true, locks the
     * slot for $owner and adds lock_key, lock_expires_at, lock_ttl and fence;
     * when another caller holds it, answers available false with reason
     * slot_locked (or slot_booked) and retry_after.
     */
    public function check(array $availability, $companyId, $service, $start, string $owner, ?int $ttl = null): array
    {
        $svc = $this->fetch();
        if (!self::enabled()) {
            return $availability;
        }
        $available = self::says($availability);
        self::checkOwnerTtl($owner, $ttl);
        if (!$available) {
            return $availability;
        }
        $keys = self::api($svc, 'slot_keys', [$companyId, $service, $start]);
        return $this->checkKeys($svc, $availability, $keys, $owner, $ttl ?? 0);
    }

    /** check() for a resource interval (see SlotLockService::acquireResource()). */
    public function checkResource(array $availability, $companyId, $resourceId, $start, $end, string $owner,
                                  ?int $ttl = null, int $bufferBefore = 0, int $bufferAfter = 0): array
    {
        $svc = $this->fetch();
        if (!self::enabled()) {
            return $availability;
        }
        $available = self::says($availability);
        self::checkOwnerTtl($owner, $ttl);
        if (!$available) {
            return $availability;
        }
        $keys = self::api($svc, 'resource_keys', [$companyId, $resourceId, $start, $end, $bufferBefore, $bufferAfter]);
        return $this->checkKeys($svc, $availability, $keys, $owner, $ttl ?? 0);
    }

    /**
     * start_booking, before the booking is written: ok, reason, fence (and booking_id when
     * already booked, retry_after when refused). Without a lock key the slot ($companyId,
     * $service, $start as in check()) is locked for $owner the same way, atomically; without
     * either: ok, no_lock_key.
     */
    public function beginBooking(?string $lockKey, string $owner, $companyId = null, $service = null,
                                 $start = null): array
    {
        $svc = $this->fetch();
        $given = ($companyId !== null) + ($service !== null) + ($start !== null);
        if ($given !== 0 && $given !== 3) {
            throw new ValueError('$companyId, $service and $start must be given together (or none of them)');
        }
        $bySlot = $given === 3;
        if (!self::enabled()) {
            return self::answer(true, 'disabled', 0);
        }
        self::checkOwnerTtl($owner, null);
        if ($lockKey === '') {
            $lockKey = null;
        }
        if ($lockKey === null && !$bySlot) {
            /* an older agent prompt that does not carry the lock key, and no slot to lock */
            return self::answer(true, 'no_lock_key', 0);
        }
        if ($lockKey !== null) {
            $bySlot = false;
            $keys = self::keys($svc, $lockKey);
            if ($keys === null) {
                return self::answer(false, 'invalid_lock_key', 0);
            }
        } else {
            /* no lock key: the slot's own keys, taken for the owner like check() would */
            $keys = self::api($svc, 'slot_keys', [$companyId, $service, $start]);
        }
        try {
            [$cand, $fence, $ttlMs, $fresh, $blocked, $bookingId] = self::api($svc, 'acquire', [$keys, $owner, 0]);
        } catch (SlotLockException $e) {
            if (self::failClosed()) {
                throw $e;
            }
            $a = self::answer(true, 'lock_unavailable', 0);
            $a['lock_status'] = 'unavailable';
            return $a;
        }
        if ($cand >= 0) {
            if ($fresh) {
                /* with a lock key: the hold expired before the booking, and nobody took the
                 * slot; without one: the slot was free, now it is held */
                if (!$bySlot) {
                    self::api($svc, 'count', ['expired_before_booking']);
                }
                self::api($svc, 'count', ['relocked']);
                self::api($svc, 'emit', ['relocked', $keys, $fence, $ttlMs, $bySlot ? 'no_lock_key' : 'expired']);
            }
            $a = self::answer(true, $fresh ? 'relocked' : 'locked', $fence);
            if ($bySlot) {
                /* what finishBooking() needs: the handle check() would have handed out */
                $a['lock_key'] = implode(',', $keys);
            }
            return $a;
        }
        if ($blocked === 3) {
            /* a retried start_booking: hand back the booking already made */
            SlotLockPolyfillMetrics::add('already_booked');
            $a = self::answer(false, 'already_booked', 0);
            $a['booking_id'] = $bookingId;
            return $a;
        }
        if ($blocked === 1 && !$bySlot) {
            self::api($svc, 'count', ['expired_before_booking']);
        }
        $a = self::answer(false, $blocked === 1 ? 'slot_locked' : 'slot_booked', 0);
        if ($ttlMs >= 0) {
            $a['retry_after'] = self::secondsUp($ttlMs);
        }
        return $a;
    }

    /** start_booking, after: releases the hold, or marks the slot booked. */
    public function finishBooking(?string $lockKey, string $owner, bool $booked, ?string $bookingId = null): bool
    {
        $svc = $this->fetch();
        self::checkOwnerTtl($owner, null);
        if ($bookingId !== null && (strlen($bookingId) > 128 || str_contains($bookingId, "\0"))) {
            throw new ValueError('$bookingId must be at most 128 bytes without NUL bytes');
        }
        if (!self::enabled() || $lockKey === null || $lockKey === '') {
            return true;
        }
        $keys = self::keys($svc, $lockKey);
        if ($keys === null) {
            return false;
        }
        try {
            if ($booked) {
                /* Keep the slot closed for booked_ttl instead of deleting the hold: a caller whose
                 * availability answer predates this booking would otherwise book it again. */
                return self::api($svc, 'commit', [$keys, $owner, $bookingId]);
            }
            return self::api($svc, 'release', [$keys, $owner]) > 0;
        } catch (SlotLockException $e) {
            if (self::failClosed()) {
                throw $e;
            }
            return false;
        }
    }

    public function __set(string $name, mixed $value): void
    {
        throw new Error('Cannot create dynamic property AvailabilityWithLock::$' . $name);
    }

    public function __serialize(): array
    {
        throw new Exception("Serialization of 'AvailabilityWithLock' is not allowed");
    }

    public function __unserialize(array $data): void
    {
        throw new Exception("Unserialization of 'AvailabilityWithLock' is not allowed");
    }

    public function __clone()
    {
        throw new Error('Trying to clone an uncloneable object of class AvailabilityWithLock');
    }

    /* ---- helpers ---------------------------------------------------------- */

    private function fetch(): SlotLockService
    {
        if ($this->locks === null) {
            throw new Error('AvailabilityWithLock object is not initialized');
        }
        return $this->locks;
    }

    /** SlotLockService's internal API (its private availabilityApi()). */
    private static function api(SlotLockService $svc, string $op, array $args): mixed
    {
        static $call = null;
        $call ??= Closure::bind(static function (SlotLockService $svc, string $op, array $args) {
            if ($op === 'init') {
                $svc->fetch();
                return null;
            }
            return $svc->availabilityApi($op, $args);
        }, null, SlotLockService::class);
        return $call($svc, $op, $args);
    }

    private static function ini(string $name): ?string
    {
        return SlotLockPolyfillIni::get($name);
    }

    private static function enabled(): bool
    {
        $v = self::ini('slotlock.enabled');
        if ($v === null) {
            return true;
        }
        $l = strtolower(trim($v));
        return $l === 'true' || $l === 'yes' || $l === 'on' || (int) $v !== 0;
    }

    private static function failClosed(): bool
    {
        return strcasecmp((string) self::ini('slotlock.fail_mode'), 'closed') === 0;
    }

    /** Is the availability answer a yes? ValueError when it does not say. */
    private static function says(array $availability): bool
    {
        if (!array_key_exists('available', $availability)) {
            throw new ValueError('$availability must have an "available" entry');
        }
        return (bool) $availability['available'];
    }

    private static function checkOwnerTtl(string $owner, ?int $ttl): void
    {
        $len = strlen($owner);
        if ($len === 0 || $len > 128) {
            throw new ValueError('$owner must be 1 to 128 bytes');
        }
        if (str_contains($owner, "\0")) {
            throw new ValueError('$owner must not contain NUL bytes');
        }
        if ($ttl !== null && ($ttl < 1 || $ttl > 86400)) {
            throw new ValueError('$ttl must be between 1 and 86400 seconds');
        }
    }

    /** Parses a lock key; null when it is malformed. */
    private static function keys(SlotLockService $svc, string $key): ?array
    {
        try {
            return self::api($svc, 'handle', [$key]);
        } catch (ValueError $e) {
            return null;
        }
    }

    private static function secondsUp(int $ms): int
    {
        return $ms < 0 ? 0 : intdiv($ms + 999, 1000);
    }

    /** ['ok' => ok, 'reason' => reason, 'fence' => fence or null] */
    private static function answer(bool $ok, string $reason, int $fence): array
    {
        return ['ok' => $ok, 'reason' => $reason, 'fence' => $fence > 0 ? $fence : null];
    }

    /** The shared part of check() and checkResource(): keys are built. */
    private function checkKeys(SlotLockService $svc, array $availability, array $keys, string $owner, int $ttl): array
    {
        try {
            [$cand, , $ttlMs, $fresh, $blocked, , $lock] = self::api($svc, 'acquire', [$keys, $owner, $ttl]);
        } catch (SlotLockException $e) {
            if (self::failClosed()) {
                throw $e;
            }
            /* fail open: the booking flow goes on as it did before locking */
            $availability['lock_status'] = 'unavailable';
            return $availability;
        }
        if ($cand >= 0) {
            foreach ($lock->toArray() as $k => $v) {
                $availability[$k] = $v;
            }
            $availability['lock_status'] = $fresh ? 'acquired' : 'reacquired';
            return $availability;
        }
        $availability['available'] = false;
        $availability['reason'] = $blocked === 1 ? 'slot_locked' : 'slot_booked';
        $availability['retry_after'] = $ttlMs >= 0 ? self::secondsUp($ttlMs) : null;
        $availability['lock_status'] = 'conflict';
        return $availability;
    }
}
