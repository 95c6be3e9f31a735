<?php

/*
 * slotlock polyfill: fleet-wide metrics (src/sl_metrics.c). The same fields,
 * buckets and keys as the extension: "<prefix>_metrics:m<YmdHi>" (UTC) hashes
 * that every process adds its counts to with one pipelined
 * MULTI/HINCRBY.../EXPIRE/EXEC batch.
 *
 * Cost: a PHP process lives one request under PHP-FPM, so the polyfill cannot
 * keep counts across requests as the extension does: a request that took or
 * was refused a lock writes its batch when it ends (one more round trip per
 * such request). A long-running CLI process (a queue worker) writes every
 * slotlock.metrics_flush_interval seconds, as the extension, and at exit.
 * slotlock.metrics_flush_interval=0 writes nothing.
 */

/** @internal */
final class SlotLockPolyfillMetrics
{
    /** counter => the stats() counter it is the delta of (null: counted by the callers) */
    public const COUNTERS = [
        'acquired' => 'acquired', 'reacquired' => 'reacquired', 'slot_locked' => null, 'slot_booked' => null,
        'already_booked' => null, 'relocked' => 'relocked', 'released' => 'released',
        'expired' => 'expired_before_booking', 'committed' => 'committed', 'errors' => 'errors',
    ];
    /** upper bounds (microseconds) of the latency buckets; le_inf holds the rest */
    public const BOUNDS = [100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000];

    /** @var array<string,int> not flushed yet */
    private static array $pending = [];
    /** @var array<string,int> the stats() values already taken into $pending */
    private static array $seen = [];
    private static ?float $since = null;
    private static bool $atExit = false;
    private static ?WeakReference $last = null;
    private static ?int $pid = null;

    /**
     * One lock acquisition: its time, and whether another owner's hold or booking refused it.
     * $stats: the process's counters before this acquisition was counted in them.
     */
    public static function acquired(int $candidate, int $blocked, int $ns, array $stats): void
    {
        self::own($stats);
        $us = intdiv($ns, 1000);
        $bucket = 'le_inf';
        foreach (self::BOUNDS as $b) {
            if ($us <= $b) {
                $bucket = "le_{$b}us";
                break;
            }
        }
        self::add($bucket);
        self::add('lat_sum_us', $us);
        /* booked by the same owner is a retry, not a conflict */
        if ($candidate < 0 && $blocked !== 3) {
            self::add($blocked === 1 ? 'slot_locked' : 'slot_booked');
        }
    }

    /**
     * A forked child starts with its parent's unflushed counts, which the parent writes: drop
     * them, and count from the inherited stats on.
     */
    private static function own(array $stats): void
    {
        $pid = getmypid();
        if (self::$pid === $pid) {
            return;
        }
        if (self::$pid !== null) {
            self::$pending = [];
            self::$since = null;
            foreach (self::COUNTERS as $stat) {
                if ($stat !== null) {
                    self::$seen[$stat] = (int) ($stats[$stat] ?? 0);
                }
            }
        }
        self::$pid = $pid;
    }

    public static function add(string $field, int $n = 1): void
    {
        self::$pending[$field] = (self::$pending[$field] ?? 0) + $n;
    }

    /** slotlock.metrics_flush_interval in seconds (0: no batches). */
    public static function interval(): int
    {
        $v = SlotLockPolyfillIni::get('slotlock.metrics_flush_interval');
        return $v === null || !is_numeric($v) ? 10 : max(0, min(3600, (int) $v));
    }

    public static function retention(): int
    {
        $v = SlotLockPolyfillIni::get('slotlock.metrics_retention');
        return $v === null || !is_numeric($v) ? 86400 : max(60, min(30 * 86400, (int) $v));
    }

    /**
     * Whether the batch is due now. The first call starts the interval and
     * registers $flush($service) for the end of the process, on the last
     * service that counted (held weakly: a service is never kept alive for it).
     */
    public static function due(SlotLockService $service, Closure $flush): bool
    {
        $interval = self::interval();
        if ($interval <= 0) {
            return false;
        }
        self::$last = WeakReference::create($service);
        if (!self::$atExit) {
            self::$atExit = true;
            register_shutdown_function(static function () use ($flush): void {
                $svc = self::$last?->get();
                if ($svc !== null) {
                    $flush($svc);
                }
            });
        }
        $now = microtime(true);
        if (self::$since === null) {
            self::$since = $now;
            return false;
        }
        return $now - self::$since >= $interval;
    }

    /** Takes the growth of stats() since the last call in; whether anything is pending. */
    public static function sync(array $stats): bool
    {
        foreach (self::COUNTERS as $name => $stat) {
            if ($stat === null) {
                continue;
            }
            $now = (int) ($stats[$stat] ?? 0);
            if ($now > (self::$seen[$stat] ?? 0)) {
                self::add($name, $now - (self::$seen[$stat] ?? 0));
            }
            self::$seen[$stat] = $now;
        }
        return array_filter(self::$pending) !== [];
    }

    /** The key of the UTC minute of $unix. */
    public static function key(string $prefix, int $unix): string
    {
        return $prefix . '_metrics:m' . gmdate('YmdHi', $unix);
    }

    /** Writes pending (after sync()) through $r as one batch; pending is cleared when it took. */
    public static function flush(Redis $r, string $prefix): void
    {
        self::$since = microtime(true);
        $fields = array_filter(self::$pending);
        if ($fields === []) {
            return;
        }
        $key = self::key($prefix, time());
        $r->pipeline();
        $r->multi();
        foreach ($fields as $f => $n) {
            $r->hIncrBy($key, $f, $n);
        }
        $r->expire($key, self::retention());
        $r->exec();
        $replies = $r->exec();
        if (!is_array($replies) || !is_array($replies[0] ?? null) || count($replies[0]) !== count($fields) + 1) {
            throw new RedisException('the metrics batch was not applied');
        }
        self::$pending = [];
    }

    /** The hash field names, in the extension's order. */
    public static function fields(): array
    {
        $f = array_keys(self::COUNTERS);
        foreach (self::BOUNDS as $b) {
            $f[] = "le_{$b}us";
        }
        $f[] = 'le_inf';
        $f[] = 'lat_sum_us';
        return $f;
    }

    /** The keys SlotLockService::metrics() reads: the $minutes minutes ending with $now's. */
    public static function window(string $prefix, int $now, int $minutes): array
    {
        $keys = [];
        for ($i = 0; $i < $minutes; $i++) {
            $keys[] = self::key($prefix, $now - $i * 60);
        }
        return $keys;
    }

    /** SlotLockService::metrics()'s answer from the window's hashes. */
    public static function report(array $hashes, int $minutes, int $now): array
    {
        $sum = array_fill_keys(self::fields(), 0);
        foreach ($hashes as $h) {
            foreach (is_array($h) ? $h : [] as $f => $v) {
                if (array_key_exists($f, $sum)) {
                    $sum[$f] += (int) $v;
                }
            }
        }
        $out = [
            'minutes' => $minutes,
            'from' => gmdate('Y-m-d\TH:i:00\Z', $now - ($minutes - 1) * 60),
            'to' => gmdate('Y-m-d\TH:i:59\Z', $now),
        ];
        foreach (array_keys(self::COUNTERS) as $c) {
            $out[$c] = $sum[$c];
        }
        $attempts = $sum['acquired'] + $sum['reacquired'] + $sum['slot_locked'] + $sum['slot_booked'];
        $conflicts = $sum['slot_locked'] + $sum['slot_booked'];
        $buckets = array_slice($sum, count(self::COUNTERS), count(self::BOUNDS) + 1, true);
        $samples = array_sum($buckets);
        $out['attempts'] = $attempts;
        $out['conflicts'] = $conflicts;
        $out['race_rate'] = $attempts ? $conflicts / $attempts : 0.0;
        $out['conflicts_per_minute'] = $conflicts / $minutes;
        $out['acquire_samples'] = $samples;
        $out['acquire_p50_ms'] = self::quantile(array_values($buckets), 0.50);
        $out['acquire_p99_ms'] = self::quantile(array_values($buckets), 0.99);
        $out['acquire_mean_ms'] = $samples ? $sum['lat_sum_us'] / $samples / 1000.0 : null;
        $out['latency'] = $buckets;
        return $out;
    }

    /** Acquisition time (ms) under which a fraction q fell, interpolated within its bucket. */
    private static function quantile(array $counts, float $q): ?float
    {
        $n = array_sum($counts);
        if ($n === 0) {
            return null;
        }
        $rank = $q * $n;
        $cum = 0;
        foreach ($counts as $i => $in) {
            $lo = $i === 0 ? 0.0 : (float) self::BOUNDS[$i - 1];
            if ($in > 0 && $cum + $in >= $rank) {
                if ($i === count(self::BOUNDS)) {
                    return $lo / 1000.0;
                }
                return ($lo + (self::BOUNDS[$i] - $lo) * (($rank - $cum) / $in)) / 1000.0;
            }
            $cum += $in;
        }
        return self::BOUNDS[count(self::BOUNDS) - 1] / 1000.0;
    }
}
