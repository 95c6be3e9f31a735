<?php

// The test app's config/logging.php: one file the tests read back.
return [
    'default' => env('LOG_CHANNEL', 'single'),

    'deprecations' => 'null',

    'channels' => [
        'single' => [
            'driver' => 'single',
            'path' => storage_path('logs/laravel.log'),
            'level' => 'debug',
        ],
        'null' => [
            'driver' => 'monolog',
            'handler' => Monolog\Handler\NullHandler::class,
        ],
    ],
];
