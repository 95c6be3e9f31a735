<?php

namespace Slotlock\Laravel;

use AvailabilityWithLock;
use Closure;
use Illuminate\Contracts\Container\Container;
use Illuminate\Support\Facades\Log;
use SlotLockService;
use Throwable;

/**
 * What the app's own RetellFunctionCallHandler calls around its code:
 *
 *   check_availability:  $result = $locking->check($calendarAnswer, $companyId, $serviceId, $start, $callId);
 *   start_booking:       $r = $locking->startBooking($args['lock_key'] ?? null, $callId, $companyId, $serviceId,
 *                                                    $start, fn () => $this->writeBooking(...));
 *
 * With slot locking off or unavailable (see SlotLocking::mode()) both pass
 * straight through: check() returns the calendar's answer unchanged and
 * startBooking() runs the booking closure, as the app did before slotlock;
 * one warning per request says why. Nothing here throws because locking is
 * off, missing or misconfigured.
 */
final class SlotLocking
{
    private ?bool $on = null;
    private string $implementation = 'none';
    private ?string $why = null;
    private bool $warned = false;
    private ?SlotLockService $service = null;
    private ?AvailabilityWithLock $flow = null;

    public function __construct(private Container $app, private array $config)
    {
    }

    /**
     * The switch: [on, implementation, why off]. FEATURE_SLOT_LOCKING:
     * auto (default) is on when the slotlock extension is loaded, or when the
     * polyfill is installed and SLOT_LOCK_POLYFILL=true; true is on with either;
     * false is off.
     *
     * @return array{0: bool, 1: string, 2: ?string}
     */
    public static function mode(array $config): array
    {
        $flag = self::flag($config['enabled'] ?? 'auto');
        if ($flag === null) {
            $raw = is_scalar($config['enabled'] ?? null) ? (string) $config['enabled'] : gettype($config['enabled'] ?? null);

            return [false, 'none', "FEATURE_SLOT_LOCKING=$raw is not auto, true or false: slot locking is off"];
        }
        if ($flag === 'false') {
            return [false, 'none', 'FEATURE_SLOT_LOCKING=false: slot locking is off'];
        }
        if (extension_loaded('slotlock')) {
            return [true, 'extension ' . phpversion('slotlock'), null];
        }
        $wantPolyfill = $flag === 'true' || filter_var($config['polyfill'] ?? false, FILTER_VALIDATE_BOOLEAN);
        if (!$wantPolyfill) {
            return [false, 'none', class_exists(SlotLockService::class)
                ? 'the slotlock extension is not loaded and the polyfill is not enabled (SLOT_LOCK_POLYFILL=true): slot locking is off'
                : 'the slotlock extension is not loaded: slot locking is off'];
        }
        self::loadPolyfill($config['polyfill_path'] ?? null);
        if (class_exists(SlotLockService::class)) {
            return [true, 'polyfill', null];
        }

        return [false, 'none', 'neither the slotlock extension nor slotlock/polyfill is installed: slot locking is off'];
    }

    /** 'auto', 'true', 'false', or null for anything else. */
    private static function flag(mixed $v): ?string
    {
        if ($v === null || $v === '') {
            return 'auto';
        }
        if (is_bool($v)) {
            return $v ? 'true' : 'false';
        }
        $s = strtolower(trim((string) $v));
        if ($s === 'auto') {
            return 'auto';
        }
        $b = filter_var($s, FILTER_VALIDATE_BOOLEAN, FILTER_NULL_ON_FAILURE);

        return $b === null ? null : ($b ? 'true' : 'false');
    }

    /** A polyfill installed without composer (SLOT_LOCK_POLYFILL_PATH). */
    private static function loadPolyfill(?string $path): void
    {
        if ($path && !class_exists(SlotLockService::class, false) && is_file($path)) {
            require_once $path;
        }
    }

    /** Is slot locking on for this request? */
    public function enabled(): bool
    {
        $this->resolve();

        return $this->on;
    }

    /** 'extension <version>', 'polyfill' or 'none'. */
    public function implementation(): string
    {
        $this->resolve();

        return $this->implementation;
    }

    /** Why locking is off (null when it is on). */
    public function reason(): ?string
    {
        $this->resolve();

        return $this->why;
    }

    /** The SlotLockService, or null when locking is off. */
    public function service(): ?SlotLockService
    {
        return $this->enabled() ? $this->service : null;
    }

    /**
     * check_availability: the calendar's answer with the offered slot locked
     * for $callId (lock_key, lock_expires_at, lock_ttl, fence), or available
     * false with reason slot_locked / slot_booked and retry_after. Off: the
     * answer unchanged.
     */
    public function check(array $availability, int|string $companyId, int|string|array $service,
                          \DateTimeInterface|string $start, string $callId, ?int $ttl = null): array
    {
        if (!$this->enabled()) {
            $this->warnOnce();

            return $availability;
        }

        return $this->flow->check($availability, $companyId, $service, $start, $callId, $ttl);
    }

    /**
     * start_booking around the app's own booking code. $book() writes the
     * booking and returns its id; it runs only when the slot is this call's:
     * held by it (lock_key), or free and now taken for it (no lock_key: the
     * slot is locked atomically first, never booked unguarded).
     *
     * Returns booked (whether $book ran), booking_id, reason and retry_after:
     * - booked true: reason locked, relocked, no_lock_key (locking off),
     *   lock_unavailable (Redis down, fail_mode open), off
     * - already_booked: a retried start_booking; booking_id is the first booking
     * - slot_locked / slot_booked (retry_after seconds), invalid_lock_key,
     *   lock_key_mismatch (the lock_key is another slot's)
     * An exception from $book() releases the hold and is rethrown.
     *
     * @param Closure(): (string|int|null) $book
     * @return array{booked: bool, booking_id: ?string, reason: string, retry_after: ?int}
     */
    public function startBooking(?string $lockKey, string $callId, int|string $companyId, int|string|array $service,
                                 \DateTimeInterface|string $start, callable $book): array
    {
        if (!$this->enabled()) {
            $this->warnOnce();

            return self::booked($book(), 'off');
        }
        $lockKey = $lockKey === '' ? null : $lockKey;
        if ($lockKey !== null && !is_array($service) && $lockKey !== $this->service->key($companyId, $service, $start)) {
            // an agent that mixes up two offers would book one slot under another's lock
            return self::refused('lock_key_mismatch');
        }
        $gate = $this->flow->beginBooking($lockKey, $callId, $companyId, $service, $start);
        if (!$gate['ok']) {
            if ($gate['reason'] === 'already_booked') {
                return ['booked' => false, 'booking_id' => (string) $gate['booking_id'], 'reason' => 'already_booked', 'retry_after' => null];
            }

            return self::refused($gate['reason'], $gate['retry_after'] ?? null);
        }
        $held = $gate['lock_key'] ?? $lockKey;
        try {
            $id = $book();
        } catch (Throwable $e) {
            try {
                $this->flow->finishBooking($held, $callId, false); // frees the slot
            } catch (Throwable $ignored) {
                // the booking's own error is the one to report
            }
            throw $e;
        }
        $id = $id === null ? null : (string) $id;
        // the hold becomes a booked marker that carries the booking id
        $this->flow->finishBooking($held, $callId, true, $id);

        return self::booked($id, $gate['reason']);
    }

    /**
     * Fleet-wide numbers of the last $minutes minutes (SlotLockService::metrics())
     * plus live_locks, implementation and enabled. Off: enabled false and why.
     */
    public function metrics(?int $minutes = null): array
    {
        $minutes ??= (int) ($this->config['metrics_window_minutes'] ?? 15);
        if (!$this->enabled()) {
            return ['enabled' => false, 'implementation' => $this->implementation, 'reason' => $this->why];
        }
        $m = $this->service->metrics($minutes);
        $m['live_locks'] = $this->service->activeLocks();

        return ['enabled' => true, 'implementation' => $this->implementation] + $m;
    }

    /** Logs why locking is off, once per request (per container). */
    public function warnOnce(): void
    {
        if ($this->warned || $this->enabled()) {
            return;
        }
        $this->warned = true;
        try {
            Log::warning('⚠️ SLOT_LOCK off: ' . $this->why);
        } catch (Throwable $e) {
            // nowhere left to tell
        }
    }

    private function resolve(): void
    {
        if ($this->on !== null) {
            return;
        }
        [$this->on, $this->implementation, $this->why] = self::mode($this->config);
        if (!$this->on) {
            return;
        }
        try {
            $this->service = $this->app->make(SlotLockService::class);
            $this->flow = $this->app->make(AvailabilityWithLock::class);
        } catch (Throwable $e) {
            // a configuration the service refuses (a bad prefix, TLS over a unix socket): book as before, and say so
            $this->on = false;
            $this->why = 'slot locking is off, its configuration was refused: ' . $e->getMessage();
            $this->service = $this->flow = null;
        }
    }

    private static function booked(mixed $id, string $reason): array
    {
        return ['booked' => true, 'booking_id' => $id === null ? null : (string) $id, 'reason' => $reason, 'retry_after' => null];
    }

    private static function refused(string $reason, ?int $retryAfter = null): array
    {
        return ['booked' => false, 'booking_id' => null, 'reason' => $reason, 'retry_after' => $retryAfter];
    }
}
