<?php

/*
 * slotlock polyfill, twin of src/sl_stats.h: this process's counters, in the order and with
 * the names SlotLockService::stats() reports.
 */

namespace SlotLock\Polyfill;

/** @internal */
final class Stats
{
    /** @var array<string,int> */
    public static array $c = [
        'acquired' => 0, 'reacquired' => 0, 'conflicts' => 0, 'released' => 0, 'extended' => 0, 'committed' => 0,
        'relocked' => 0, 'expired_before_booking' => 0, 'lost' => 0, 'errors' => 0, 'connects' => 0,
        'reconnects' => 0, 'pool_hits' => 0, 'script_loads' => 0, 'commands' => 0,
    ];
}
