<?php

/*
 * config/features.php (excerpt): the slot_locking block. Merge it into the
 * app's own config/features.php; every value comes from .env.
 *
 * After changing .env on a server that caches its config, run
 * `php artisan config:clear` (or `config:cache` again).
 */

return [

    // ... the app's other feature flags ...

    'slot_locking' => [
        // FEATURE_SLOT_LOCKING=false is the rollback: AvailabilityWithLock then
        // passes every answer through unchanged and takes no lock.
        'enabled' => (bool) env('FEATURE_SLOT_LOCKING', false),

        // How long check_availability holds the offered slot for the caller
        // (seconds, 1..86400). It must cover the gap between the agent's
        // check_availability and start_booking calls (8-12 s seen in calls).
        'ttl_seconds' => (int) env('SLOT_LOCK_TTL', 300),

        // How long a booked slot stays closed to callers whose availability
        // answer predates the booking (seconds); null: the extension's
        // slotlock.booked_ttl (600).
        'booked_ttl_seconds' => env('SLOT_LOCK_BOOKED_TTL') !== null ? (int) env('SLOT_LOCK_BOOKED_TTL') : null,

        // One row per lock event in the slot_lock_events table (migration
        // 2025_11_23_000000_create_slot_lock_events_table).
        'log_to_database' => (bool) env('SLOT_LOCK_DB_LOG', true),

        // The database connection for those rows; null: the default one.
        'database_connection' => env('SLOT_LOCK_DB_CONNECTION'),

        // The log channel for the 🔒/🔓 lines; null: the default channel.
        'log_channel' => env('SLOT_LOCK_LOG_CHANNEL'),

        // Which connection of config/database.php's 'redis' block holds the
        // locks (host, port, username, password, database, timeout are used;
        // Laravel's own key prefix is not: the keys are "<prefix>:c..:s..:t..").
        'redis_connection' => env('SLOT_LOCK_REDIS_CONNECTION', 'default'),

        // Key prefix in Redis ([A-Za-z0-9_.-]{1,64}). Every server and worker
        // that books the same calendars must use the same prefix.
        'prefix' => env('SLOT_LOCK_PREFIX', 'slot_lock'),

        // The time zone a slot's wall-clock time is read in for its key;
        // null: config('app.timezone').
        'key_timezone' => env('SLOT_LOCK_KEY_TIMEZONE'),

        // When Redis is down: 'open' books without locks (as before slot
        // locking), 'closed' throws SlotLockConnectionException. null: the
        // extension's slotlock.fail_mode (open).
        'fail_mode' => env('SLOT_LOCK_FAIL_MODE'),

        // The PHP polyfill, loaded when the slotlock extension is not.
        'polyfill_path' => env('SLOT_LOCK_POLYFILL_PATH'),
    ],

];
