<?php

namespace Slotlock\Laravel\Console;

use Illuminate\Console\Command;
use Slotlock\Laravel\SlotLocking;
use SlotLockException;

/**
 * php artisan slotlock:status            the switch, live locks and this process's counters, once
 * php artisan slotlock:status --watch    the same every --interval seconds, until Ctrl-C
 * php artisan slotlock:status --times=3  three reports (with or without --watch), then stop
 *
 * The counters are this process's (always small in the CLI); slotlock:metrics
 * has the fleet-wide numbers.
 */
class SlotLockStatusCommand extends Command
{
    protected $signature = 'slotlock:status
        {--watch : Repeat the report until interrupted}
        {--interval=2 : Seconds between two reports}
        {--times=0 : Stop after this many reports (0: once, or forever with --watch)}';

    protected $description = 'Show whether slot locking is on, the slot locks held in Redis and this process\'s counters';

    public function handle(SlotLocking $locking): int
    {
        return $this->repeat(fn () => $this->report($locking));
    }

    /** Runs $report once, --times times or until interrupted; 1 when a report failed. */
    protected function repeat(callable $report): int
    {
        $interval = (float) $this->option('interval');
        $times = (int) $this->option('times');
        if (!($interval > 0) || $times < 0) {
            $this->error('--interval must be > 0 and --times >= 0');

            return 2;
        }
        $rounds = $times > 0 ? $times : ($this->option('watch') ? PHP_INT_MAX : 1);
        $failed = false;
        for ($i = 1; ; $i++) {
            $failed = !$report() || $failed;
            if ($i >= $rounds) {
                break;
            }
            usleep((int) round($interval * 1e6));
            $this->newLine();
        }

        return $failed ? 1 : 0;
    }

    /** The first line of every report: time, switch, implementation, prefix. */
    protected function headline(SlotLocking $locking): void
    {
        $this->line(sprintf(
            '[%s] slot locking %s (%s, prefix %s)',
            now()->format('Y-m-d H:i:s'),
            $locking->enabled() ? 'enabled' : 'DISABLED: ' . $locking->reason(),
            $locking->implementation(),
            config('slotlock.prefix', 'slot_lock')
        ));
    }

    private function report(SlotLocking $locking): bool
    {
        $this->headline($locking);
        $service = $locking->service();
        if ($service === null) {
            return true;
        }
        try {
            $active = $service->activeLocks();
        } catch (SlotLockException $e) {
            $this->error('Redis: ' . $e->getMessage());

            return false;
        }
        $this->line("Active slot locks: $active");
        $stats = $service->stats();
        if ($stats) {
            $this->line('Counters of this process:');
            $this->table(['counter', 'value'], array_map(
                fn ($name, $value) => [$name, is_scalar($value) ? (string) $value : json_encode($value)],
                array_keys($stats),
                $stats
            ));
        }

        return true;
    }
}
