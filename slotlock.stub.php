<?php

/**
 * slotlock: distributed slot locks on Redis.
 *
 * @generate-class-entries
 */

/**
 * Takes, checks, extends and releases slot locks.
 *
 * Options (array form): host, port, socket, database, username, password,
 * timeout (float seconds), prefix, ttl (seconds), booked_ttl, bucket
 * (minutes), persistent (bool), key_timezone, dsn; beyond one node: cluster
 * (seed "host:port" list), sentinel (sentinel list) with master (name),
 * nodes (DSNs of independent masters: a quorum), wait_replicas,
 * wait_timeout, sentinel_check, hash_tag, drift_factor; fencing (bool, default
 * false: SlotLock->fence is null; true: every new holder gets a fencing token). A string is a DSN: "redis://[user:pass@]host[:port][/db]"
 * or "unix:///path/to/redis.sock[?database=N]". null takes the INI defaults.
 * The constructor validates; the first command connects.
 *
 * @strict-properties
 * @not-serializable
 */
final class SlotLockService
{
    public function __construct(array|string|null $options = null) {}

    /** The Redis key of one slot: "<prefix>:c<company>:s<service>:t<YmdHi>". */
    public function key(int|string $companyId, int|string $serviceId, DateTimeInterface|string $start): string {}

    /** Locks one slot for $owner; null when another owner holds it. */
    public function acquire(int|string $companyId, int|string $serviceId, DateTimeInterface|string $start, ?string $owner = null, ?int $ttl = null): ?SlotLock {}

    /**
     * Locks every segment of a compound service, or none.
     * $segments is a list of [serviceId, start] pairs.
     */
    public function acquireSegments(int|string $companyId, array $segments, ?string $owner = null, ?int $ttl = null): ?SlotLock {}

    /**
     * Locks the first candidate whose keys are all free. A candidate is a
     * [serviceId, start] pair or a list of such pairs (a compound service).
     */
    public function acquireFirst(int|string $companyId, array $candidates, ?string $owner = null, ?int $ttl = null): ?SlotLock {}

    /**
     * Locks a resource (staff member, room) over [$start, $end) widened by the
     * buffers (minutes): every bucket key the interval touches, all or none.
     * $end is a time or a duration in minutes. Overlapping intervals of one
     * resource conflict whatever the service; adjacent ones do not.
     */
    public function acquireResource(int|string $companyId, int|string $resourceId, DateTimeInterface|string $start, DateTimeInterface|string|int $end, ?string $owner = null, ?int $ttl = null, int $bufferBefore = 0, int $bufferAfter = 0): ?SlotLock {}

    /** The bucket keys acquireResource() would take. */
    public function resourceKeys(int|string $companyId, int|string $resourceId, DateTimeInterface|string $start, DateTimeInterface|string|int $end, int $bufferBefore = 0, int $bufferAfter = 0): array {}

    /**
     * Turns $owner's hold into a booked marker that lives $ttl seconds
     * (default: booked_ttl). While it lives nobody can acquire the slot. A
     * key whose hold already expired, and is still free, is marked too.
     * False when another owner holds a key. Repeating it is harmless.
     */
    public function commit(SlotLock|string $lock, string $owner, ?string $bookingId = null, ?int $ttl = null): bool {}

    /**
     * Calls $listener(array $event) after each lock operation: event
     * (acquired, reacquired, conflict, released, extended, lost, committed,
     * relocked, error), key, fence, ttl_ms, reason. Never the owner. null
     * removes it.
     */
    public function onEvent(?callable $listener): void {}

    /** True when $owner holds every key of the lock. */
    public function validate(SlotLock|string $lock, string $owner): bool {}

    /** Deletes the keys $owner holds; true when at least one was deleted. */
    public function release(SlotLock|string $lock, string $owner): bool {}

    /** Resets the TTL of a lock $owner holds in full; null when it does not. */
    public function extend(SlotLock|string $lock, string $owner, ?int $ttl = null): ?SlotLock {}

    /** Whether the lock's keys are held (by anyone) and for how long: keys locked, ttl_ms, booked. */
    public function status(SlotLock|string $lock): array {}

    /** Number of slot keys held right now, counted without KEYS. */
    public function activeLocks(): int {}

    /** This process's counters. */
    public function stats(): array {}

    /**
     * Fleet-wide numbers of the last $minutes minutes (1..1440), summed from
     * the per-minute hashes "<prefix>_metrics:m<YmdHi>" every process adds
     * its batches to (slotlock.metrics_flush_interval): minutes, from, to,
     * the counters (acquired, reacquired, slot_locked, slot_booked,
     * already_booked, relocked, released, expired, committed, errors),
     * attempts, conflicts, race_rate (conflicts / attempts),
     * conflicts_per_minute, acquire_samples, acquire_p50_ms, acquire_p99_ms,
     * acquire_mean_ms (null without samples; estimated from the histogram),
     * latency (the histogram: le_<us>us and le_inf counts).
     */
    public function metrics(int $minutes = 15): array {}

    /** Writes this process's unflushed metrics now, one batch; false when there was nothing to write. */
    public function flushMetrics(): bool {}

    /** mode (single, cluster, sentinel, quorum), hash_tag, and the nodes with their role and whether connected. */
    public function topology(): array {}

    /** Closes this object's connection (a persistent one is closed too). */
    public function close(): void {}
}

/**
 * The booking flow of a voice agent: check_availability locks the slot it
 * offers, start_booking checks the lock before writing and marks the slot
 * booked after.
 *
 * @strict-properties
 * @not-serializable
 */
final class AvailabilityWithLock
{
    public function __construct(SlotLockService $locks) {}

    /**
     * check_availability: when $availability['available'] is true, locks the
     * slot for $owner and adds lock_key, lock_expires_at, lock_ttl and fence;
     * when another caller holds it, answers available false with reason
     * slot_locked (or slot_booked) and retry_after. $service may be a list of
     * [serviceId, start] segments (a start may be an int: minutes after $start).
     */
    public function check(array $availability, int|string $companyId, int|string|array $service, DateTimeInterface|string $start, string $owner, ?int $ttl = null): array {}

    /** check() for a resource interval (see SlotLockService::acquireResource()). */
    public function checkResource(array $availability, int|string $companyId, int|string $resourceId, DateTimeInterface|string $start, DateTimeInterface|string|int $end, string $owner, ?int $ttl = null, int $bufferBefore = 0, int $bufferAfter = 0): array {}

    /**
     * start_booking, before the booking is written: ok, reason, fence (and
     * booking_id when already booked, retry_after when refused). With a lock
     * key: locked (the owner's hold), relocked (it had expired, the slot was
     * still free), slot_locked / slot_booked, already_booked, invalid_lock_key.
     * Without one, the slot ($companyId, $service, $start as in check()) is
     * locked for $owner the same way, atomically (plus lock_key, for
     * finishBooking()): nothing is ever booked unguarded. Without a lock key and without a slot: ok, no_lock_key.
     * The slot arguments come all three or not at all (ValueError).
     */
    public function beginBooking(?string $lockKey, string $owner, int|string|null $companyId = null, int|string|array|null $service = null, DateTimeInterface|string|null $start = null): array {}

    /** start_booking, after: releases the hold, or marks the slot booked. */
    public function finishBooking(?string $lockKey, string $owner, bool $booked, ?string $bookingId = null): bool {}
}

/**
 * A lock held: carry $key from check_availability to start_booking.
 *
 * @strict-properties
 * @not-serializable
 */
final class SlotLock
{
    public readonly string $key;
    public readonly array $keys;
    public readonly string $owner;
    /** The fencing token (strictly increasing per slot across holders) with option fencing => true; null without. */
    public readonly ?int $fence;
    public readonly DateTimeImmutable $expiresAt;
    public readonly ?int $candidate;

    private function __construct() {}

    /** lock_key, lock_expires_at (ISO-8601), lock_ttl (seconds left), fence. */
    public function toArray(): array {}
}

class SlotLockException extends RuntimeException
{
}

/** Redis unreachable, timed out, or refused our credentials. */
class SlotLockConnectionException extends SlotLockException
{
}

/** A command did not answer within the timeout. */
class SlotLockTimeoutException extends SlotLockConnectionException
{
}
