<?php

/*
 * slotlock polyfill: SlotLock, the readonly value object a successful acquire returns.
 * Only SlotLockService makes them (through a closure bound to this class).
 */

/**
 * A lock held: carry $key from check_availability to start_booking.
 */
final class SlotLock
{
    public readonly string $key;
    public readonly array $keys;
    public readonly string $owner;
    /** The fencing token; null when the service runs without fencing (option fencing). */
    public readonly ?int $fence;
    public readonly DateTimeImmutable $expiresAt;
    public readonly ?int $candidate;

    private function __construct()
    {
    }

    /** lock_key, lock_expires_at (ISO-8601), lock_ttl (seconds left), fence. */
    public function toArray(): array
    {
        if (!isset($this->expiresAt)) {
            throw new Error('SlotLock object is not initialized');
        }
        $iso = $this->expiresAt->format('Y-m-d\TH:i:sP');
        $now = explode(' ', microtime());
        $ms = ($this->expiresAt->getTimestamp() - (int) $now[1]) * 1000
            + intdiv((int) $this->expiresAt->format('u') - (int) round((float) $now[0] * 1e6), 1000);
        return [
            'lock_key' => $this->key,
            'lock_expires_at' => $iso,
            'lock_ttl' => $ms > 0 ? intdiv($ms + 999, 1000) : 0,
            'fence' => $this->fence,
        ];
    }

    public function __set(string $name, mixed $value): void
    {
        throw new Error('Cannot create dynamic property SlotLock::$' . $name);
    }

    public function __serialize(): array
    {
        throw new Exception("Serialization of 'SlotLock' is not allowed");
    }

    public function __unserialize(array $data): void
    {
        throw new Exception("Unserialization of 'SlotLock' is not allowed");
    }
}
