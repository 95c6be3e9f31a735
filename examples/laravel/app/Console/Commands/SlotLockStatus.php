<?php

namespace App\Console\Commands;

use App\Providers\SlotLockServiceProvider;
use Illuminate\Console\Command;
use SlotLockException;
use SlotLockService;

/**
 * php artisan slotlock:status            active locks and this process's counters, once
 * php artisan slotlock:status --watch    the same every --interval seconds, until Ctrl-C
 * php artisan slotlock:status --times=3  three reports (with or without --watch), then stop
 */
class SlotLockStatus extends Command
{
    protected $signature = 'slotlock:status
        {--watch : Repeat the report until interrupted}
        {--interval=2 : Seconds between two reports}
        {--times=0 : Stop after this many reports (0: once, or forever with --watch)}';

    protected $description = 'Show the slot locks held in Redis and the slotlock counters';

    public function handle(SlotLockService $locks): int
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
            $failed = !$this->report($locks) || $failed;
            if ($i >= $rounds) {
                break;
            }
            usleep((int) round($interval * 1e6));
            $this->newLine();
        }

        return $failed ? 1 : 0;
    }

    private function report(SlotLockService $locks): bool
    {
        $enabled = (bool) config('features.slot_locking.enabled');
        $this->line(sprintf(
            '[%s] slot locking %s (%s, prefix %s)',
            now()->format('Y-m-d H:i:s'),
            $enabled ? 'enabled' : 'DISABLED (FEATURE_SLOT_LOCKING=false)',
            SlotLockServiceProvider::implementation(),
            config('features.slot_locking.prefix', 'slot_lock')
        ));
        try {
            $active = $locks->activeLocks();
        } catch (SlotLockException $e) {
            $this->error('Redis: ' . $e->getMessage());

            return false;
        }
        $this->line("Active slot locks: $active");

        $stats = $locks->stats();
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
