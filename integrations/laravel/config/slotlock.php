<?php

/*
 * config/slotlock.php: publish it with
 *   php artisan vendor:publish --tag=slotlock-config
 * Every value comes from .env; after changing .env on a server that caches
 * its config, run `php artisan config:clear` (or `config:cache` again).
 */

return [

    // The switch. auto (default): locking is on when the slotlock extension is
    // loaded (`php -m`; `phpdismod slotlock` + an FPM reload turns it off,
    // `phpenmod` on), or on a server without it when the polyfill package is
    // installed and SLOT_LOCK_POLYFILL=true. true: on with the extension or the
    // polyfill. false: off. Off or unavailable, the app books as it did before
    // slot locking, with one warning in the log, never an exception.
    'enabled' => env('FEATURE_SLOT_LOCKING', 'auto'),

    // Use slotlock/polyfill (plain PHP over phpredis) when the extension is not
    // loaded and 'enabled' is auto.
    'polyfill' => env('SLOT_LOCK_POLYFILL', false),

    // A polyfill that was not installed with composer: the path of its
    // slotlock.php (loaded only when the extension is not).
    'polyfill_path' => env('SLOT_LOCK_POLYFILL_PATH'),

    // How long check_availability holds the offered slot for the caller
    // (seconds, 1..86400). It must cover the gap between the agent's
    // check_availability and start_booking calls (8-12 s seen in calls).
    'ttl_seconds' => (int) env('SLOT_LOCK_TTL', 300),

    // How long a booked slot stays closed to callers whose availability answer
    // predates the booking (seconds); null: slotlock.booked_ttl (600).
    'booked_ttl_seconds' => env('SLOT_LOCK_BOOKED_TTL') !== null ? (int) env('SLOT_LOCK_BOOKED_TTL') : null,

    // One row per lock event in slot_lock_events (the package's migration).
    'log_to_database' => (bool) env('SLOT_LOCK_DB_LOG', false),

    // The database connection for those rows; null: the default one.
    'database_connection' => env('SLOT_LOCK_DB_CONNECTION'),

    // The log channel for the 🔒/🔓 lines; null: the default channel.
    'log_channel' => env('SLOT_LOCK_LOG_CHANNEL'),

    // Which connection of config/database.php's 'redis' block holds the locks
    // (host, port, username, password, database, timeout or url; Laravel's own
    // key prefix is not applied: keys are "<prefix>:c..:s..:t..").
    'redis_connection' => env('SLOT_LOCK_REDIS_CONNECTION', 'default'),

    // Key prefix in Redis ([A-Za-z0-9_.-]{1,64}). Every server and worker that
    // books the same calendars must use the same prefix. Metrics live under
    // "<prefix>_metrics:", outside the slot keys.
    'prefix' => env('SLOT_LOCK_PREFIX', 'slot_lock'),

    // The time zone a slot's wall-clock time is read in for its key; null:
    // config('app.timezone').
    'key_timezone' => env('SLOT_LOCK_KEY_TIMEZONE'),

    // Redis down: 'open' books without locks (as before slot locking),
    // 'closed' throws SlotLockConnectionException. null: slotlock.fail_mode.
    'fail_mode' => env('SLOT_LOCK_FAIL_MODE'),

    // slotlock:metrics: how many minutes one report covers.
    'metrics_window_minutes' => (int) env('SLOT_LOCK_METRICS_WINDOW', 15),
];
