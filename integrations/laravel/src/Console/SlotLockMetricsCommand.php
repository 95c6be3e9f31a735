<?php

namespace Slotlock\Laravel\Console;

use Slotlock\Laravel\SlotLocking;
use SlotLockException;

/**
 * php artisan slotlock:metrics [--minutes=15] [--watch] [--interval=10] [--times=N] [--json]
 *
 * Fleet-wide: the per-minute counters every FPM worker and server flushes to
 * Redis ("<prefix>_metrics:m<YmdHi>"), summed over the last --minutes: the
 * race-condition rate (conflicts / lock attempts), conflicts per minute,
 * p50/p99 lock acquisition time, live locks.
 */
class SlotLockMetricsCommand extends SlotLockStatusCommand
{
    protected $signature = 'slotlock:metrics
        {--minutes= : The window, in minutes (default: slotlock.metrics_window_minutes, 15)}
        {--watch : Repeat the report until interrupted}
        {--interval=10 : Seconds between two reports}
        {--times=0 : Stop after this many reports (0: once, or forever with --watch)}
        {--json : One JSON object per report}';

    protected $description = 'Fleet-wide slot lock metrics: race-condition rate, conflicts per minute, p50/p99 acquire time, live locks';

    public function handle(SlotLocking $locking): int
    {
        $minutes = $this->option('minutes');
        if ($minutes !== null && (!ctype_digit((string) $minutes) || (int) $minutes < 1 || (int) $minutes > 1440)) {
            $this->error('--minutes must be 1 to 1440');

            return 2;
        }

        return $this->repeat(fn () => $this->report($locking, $minutes === null ? null : (int) $minutes));
    }

    private function report(SlotLocking $locking, ?int $minutes): bool
    {
        try {
            $m = $locking->metrics($minutes);
        } catch (SlotLockException $e) {
            $this->error('Redis: ' . $e->getMessage());

            return false;
        }
        if ($this->option('json')) {
            $this->line(json_encode($m, JSON_UNESCAPED_SLASHES));

            return true;
        }
        $this->headline($locking);
        if (!$m['enabled']) {
            return true;
        }
        $ms = fn (?float $v) => $v === null ? '-' : sprintf('%.2f ms', $v);
        $this->line(sprintf('Last %d min (all servers, flushed every slotlock.metrics_flush_interval s):', $m['minutes']));
        $this->table(['metric', 'value'], [
            ['race-condition rate (conflicts / lock attempts)', sprintf('%.2f %%', 100 * $m['race_rate'])],
            ['conflicts per minute', sprintf('%.2f', $m['conflicts_per_minute'])],
            ['lock attempts', $m['attempts']],
            ['locks taken', $m['acquired']],
            ['slot_locked answers', $m['slot_locked']],
            ['slot_booked answers', $m['slot_booked']],
            ['already_booked answers', $m['already_booked']],
            ['relocks', $m['relocked']],
            ['releases', $m['released']],
            ['holds expired before booking', $m['expired']],
            ['errors', $m['errors']],
            ['acquire p50', $ms($m['acquire_p50_ms'])],
            ['acquire p99', $ms($m['acquire_p99_ms'])],
            ['acquire p99 < 5 ms', $m['acquire_p99_ms'] === null ? '-' : ($m['acquire_p99_ms'] < 5 ? 'yes' : 'NO')],
            ['live locks', $m['live_locks']],
        ]);

        return true;
    }
}
