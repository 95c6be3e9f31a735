<?php

// The test app's config/app.php: only the framework pieces the slot locking
// code uses. slotlock/laravel's provider is not listed: package discovery
// (composer.json extra.laravel) registers it.
return [
    'name' => env('APP_NAME', 'Laravel'),
    'env' => env('APP_ENV', 'testing'),
    'debug' => true,
    'url' => 'http://localhost',
    'timezone' => env('APP_TIMEZONE', 'Europe/Berlin'),
    'locale' => 'en',
    'key' => 'base64:' . base64_encode(str_repeat('k', 32)),
    'cipher' => 'AES-256-CBC',

    'providers' => [
        Illuminate\Cache\CacheServiceProvider::class,
        Illuminate\Database\DatabaseServiceProvider::class,
        Illuminate\Filesystem\FilesystemServiceProvider::class,
        Illuminate\Redis\RedisServiceProvider::class,
        Illuminate\Foundation\Providers\ComposerServiceProvider::class,
        Illuminate\Database\MigrationServiceProvider::class,

        Tests\Laravel\TestAppServiceProvider::class,
    ],

    'aliases' => [],
];
