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
 * timeout (float seconds), prefix, ttl (seconds), persistent (bool),
 * key_timezone. A string is a DSN: "redis://[user:pass@]host[:port][/db]"
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

    /** Closes this object's connection (a persistent one is closed too). */
    public function close(): void {}
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
    public readonly int $fence;
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
