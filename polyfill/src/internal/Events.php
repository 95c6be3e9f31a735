<?php

/*
 * slotlock polyfill: the events a service hands its onEvent() listener (event, key, fence,
 * ttl_ms, reason), and the bookkeeping of an operation that failed.
 */

namespace SlotLock\Polyfill;

use Throwable;

/** @internal */
final class Events
{
    /** @var ?callable */
    public $listener = null;

    public function emit(string $event, ?array $keys, int $fence, int $ttlMs, ?string $reason): void
    {
        if ($this->listener === null) {
            return;
        }
        $ev = ['event' => $event, 'key' => ($keys !== null && $keys !== []) ? implode(',', $keys) : null];
        if ($fence > 0) {                           /* 0: no fence (fencing off) */
            $ev['fence'] = $fence;
        }
        if ($ttlMs >= 0) {
            $ev['ttl_ms'] = $ttlMs;
        }
        if ($reason !== null) {
            $ev['reason'] = $reason;
        }
        try {
            ($this->listener)($ev);
        } catch (Throwable $e) {
            /* The lock operation already happened: a throwing listener must not
             * make the caller lose the lock it was handed. */
            trigger_error(sprintf('%s(): SlotLockService event listener threw %s: %s', self::caller(), get_class($e),
                $e->getMessage()), E_USER_WARNING);
        }
    }

    /** Counts an operation that failed, tells the listener, and hands the exception back. */
    public function failed(?array $keys, \SlotLockException $e): \SlotLockException
    {
        Stats::$c['errors']++;
        $this->emit('error', $keys, -1, -1, Status::REASONS[$e->getCode()] ?? 'error');
        return $e;
    }

    /** The method the application called, named as PHP names an internal function. */
    private static function caller(): string
    {
        $fn = 'SlotLockService::emit';
        foreach (debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS) as $frame) {
            $class = $frame['class'] ?? '';
            if ($class !== \SlotLockService::class && $class !== \AvailabilityWithLock::class
                && !str_starts_with($class, __NAMESPACE__ . '\\')) {
                break;
            }
            if ($frame['function'] !== '{closure}' && !str_starts_with($class, __NAMESPACE__ . '\\')) {
                $fn = $class . '::' . $frame['function'];
            }
        }
        return $fn;
    }
}
