<?php

namespace App\Providers;

use App\Console\Commands\SlotLockStatus;
use AvailabilityWithLock;
use Illuminate\Contracts\Foundation\Application;
use Illuminate\Support\ConfigurationUrlParser;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Log;
use Illuminate\Support\ServiceProvider;
use RuntimeException;
use SlotLockService;
use Throwable;

/**
 * Slot locks for the voice agent's booking flow.
 *
 * Binds SlotLockService (one per container, i.e. per request; per request on
 * Octane too) and AvailabilityWithLock, configured from config/features.php
 * ('slot_locking') and config/database.php ('redis'). Loads the PHP polyfill
 * when the slotlock extension is not installed.
 *
 * Register it in config/app.php 'providers' (Laravel 8-10) or
 * bootstrap/providers.php (Laravel 11+).
 */
class SlotLockServiceProvider extends ServiceProvider
{
    /** The event names of SlotLockService::onEvent(), and how each is logged. */
    private const EVENT_LOG = [
        'acquired' => ['info', '🔒'],
        'reacquired' => ['info', '🔒'],
        'relocked' => ['info', '🔒'],
        'extended' => ['info', '🔒'],
        'released' => ['info', '🔓'],
        'committed' => ['info', '🔓'],
        'conflict' => ['warning', '🔒'],
        'lost' => ['warning', '⚠️'],
        'error' => ['warning', '⚠️'],
    ];

    /** What of an event goes into the log (the owner token never does). */
    private const EVENT_FIELDS = ['key', 'fence', 'ttl_ms', 'ttl', 'reason'];

    public function register(): void
    {
        static::loadImplementation($this->app);
        static::applyFeatureFlag($this->app);

        // scoped(): one instance per request, also under Octane (Laravel 8.51+)
        $bind = method_exists($this->app, 'scoped') ? 'scoped' : 'singleton';

        $this->app->{$bind}(SlotLockService::class, function (Application $app) {
            $service = new SlotLockService(static::serviceOptions($app));
            $service->onEvent(static::eventListener($app));

            return $service;
        });

        $this->app->{$bind}(AvailabilityWithLock::class, function (Application $app) {
            return new AvailabilityWithLock($app->make(SlotLockService::class));
        });
    }

    public function boot(): void
    {
        if ($this->app->runningInConsole()) {
            $this->commands([SlotLockStatus::class]);
        }
    }

    /** The slotlock extension, or else the polyfill (same classes, in PHP). */
    public static function loadImplementation(Application $app): void
    {
        if (extension_loaded('slotlock') || class_exists(SlotLockService::class, false)) {
            return;
        }
        $path = $app['config']->get('features.slot_locking.polyfill_path')
            ?: $app->basePath('vendor/slotlock/polyfill/slotlock.php');
        if (!is_file($path)) {
            throw new RuntimeException(
                "slot locking: the slotlock extension is not loaded and there is no polyfill at $path "
                . '(pecl install slotlock, or set SLOT_LOCK_POLYFILL_PATH)'
            );
        }
        require_once $path;
    }

    /** 'extension 0.x.y' or 'polyfill'. */
    public static function implementation(): string
    {
        return extension_loaded('slotlock') ? 'extension ' . phpversion('slotlock') : 'polyfill';
    }

    /**
     * features.slot_locking.enabled = false turns slotlock.enabled off, so
     * AvailabilityWithLock passes every answer through; fail_mode likewise.
     */
    public static function applyFeatureFlag(Application $app): void
    {
        $config = $app['config']->get('features.slot_locking', []);
        if (empty($config['enabled'])) {
            static::setIni('slotlock.enabled', '0');
        }
        if (!empty($config['fail_mode'])) {
            static::setIni('slotlock.fail_mode', (string) $config['fail_mode']);
        }
    }

    /**
     * ini_set() for the extension. The polyfill cannot register INI entries
     * (it reads php.ini / -d values with get_cfg_var()); at run time it is set
     * through slotlock_polyfill_ini_set($name, $value) when the polyfill
     * defines that function. True when the setting took.
     */
    public static function setIni(string $name, string $value): bool
    {
        if (extension_loaded('slotlock')) {
            return ini_set($name, $value) !== false;
        }
        if (function_exists('slotlock_polyfill_ini_set')) {
            return slotlock_polyfill_ini_set($name, $value) !== false;
        }
        $current = get_cfg_var($name);
        if ($current !== false && static::sameIniValue((string) $current, $value)) {
            return true; // php.ini says so already
        }
        Log::warning("⚠️ SLOT_LOCK the polyfill cannot change $name at run time: set $name=$value in php.ini");

        return false;
    }

    private static function sameIniValue(string $a, string $b): bool
    {
        $bool = static fn (string $v) => filter_var($v, FILTER_VALIDATE_BOOLEAN, FILTER_NULL_ON_FAILURE);
        $x = $bool($a);

        return strcasecmp(trim($a), trim($b)) === 0 || ($x !== null && $x === $bool($b));
    }

    /** SlotLockService options from config/database.php and config/features.php. */
    public static function serviceOptions(Application $app): array
    {
        $config = $app['config'];
        $features = $config->get('features.slot_locking', []);
        $name = $features['redis_connection'] ?? 'default';
        $redis = $config->get("database.redis.$name");
        if (!is_array($redis)) {
            throw new RuntimeException("slot locking: no redis connection \"$name\" in config/database.php");
        }
        if (!empty($redis['url'])) {
            $redis = (new ConfigurationUrlParser())->parseConfiguration($redis);
        }

        $options = [];
        $host = (string) ($redis['host'] ?? '127.0.0.1');
        $scheme = $redis['scheme'] ?? null;
        if ($scheme === 'unix' || !empty($redis['path']) || str_starts_with($host, '/')) {
            $options['socket'] = (string) ($redis['path'] ?? $host);
        } else {
            if (in_array($scheme, ['tls', 'rediss'], true) || str_starts_with($host, 'tls://')) {
                throw new RuntimeException("slot locking: redis connection \"$name\" uses TLS, which slotlock does not support");
            }
            $options['host'] = $host;
            $options['port'] = (int) ($redis['port'] ?? 6379);
        }
        $options['database'] = (int) ($redis['database'] ?? 0);
        if (($redis['username'] ?? '') !== '') {
            $options['username'] = (string) $redis['username'];
        }
        if (($redis['password'] ?? '') !== '') {
            $options['password'] = (string) $redis['password'];
        }
        if (isset($redis['timeout']) && (float) $redis['timeout'] > 0) {
            $options['timeout'] = (float) $redis['timeout'];
        }

        $options['prefix'] = (string) ($features['prefix'] ?? 'slot_lock');
        $options['ttl'] = (int) ($features['ttl_seconds'] ?? 300);
        if (isset($features['booked_ttl_seconds'])) {
            $options['booked_ttl'] = (int) $features['booked_ttl_seconds'];
        }
        $options['key_timezone'] = (string) (($features['key_timezone'] ?? null) ?: $config->get('app.timezone', 'UTC'));

        return $options;
    }

    /**
     * The onEvent listener: a log line per event and, with log_to_database, a
     * slot_lock_events row. It never throws: the lock operation has already
     * happened, and a broken log must not cost the caller its slot.
     */
    public static function eventListener(Application $app): \Closure
    {
        $features = $app['config']->get('features.slot_locking', []);
        $toDatabase = !empty($features['log_to_database']);
        $channel = $features['log_channel'] ?? null;
        $connection = $features['database_connection'] ?? null;

        return static function (array $event) use ($toDatabase, $channel, $connection): void {
            $name = (string) ($event['event'] ?? 'unknown');
            [$level, $icon] = self::EVENT_LOG[$name] ?? ['warning', '⚠️'];
            $context = array_intersect_key($event, array_flip(self::EVENT_FIELDS));
            try {
                $logger = $channel ? Log::channel($channel) : Log::getFacadeRoot();
                $logger->{$level}("$icon SLOT_LOCK $name", $context);
            } catch (Throwable $e) {
                // nowhere left to tell
            }
            if (!$toDatabase) {
                return;
            }
            try {
                DB::connection($connection)->table('slot_lock_events')->insert(
                    self::eventRow($name, $context)
                );
            } catch (Throwable $e) {
                try {
                    Log::warning('⚠️ SLOT_LOCK metrics row not written', ['error' => $e->getMessage()]);
                } catch (Throwable $e) {
                }
            }
        };
    }

    /** A slot_lock_events row; company, service and slot time read from the key. */
    public static function eventRow(string $event, array $context): array
    {
        $key = isset($context['key']) ? (string) $context['key'] : null;
        $company = $service = $resource = $slot = null;
        // "<prefix>:c<company>:s<service>:t<YmdHi>" or "<prefix>:c<company>:r<resource>:b<YmdHi>"
        // (of a compound lock, the first key)
        if ($key !== null && preg_match('/:c([A-Za-z0-9_-]+):(s|r)([A-Za-z0-9_-]+):(?:t|b)(\d{12})(?:,|$)/', $key, $m)) {
            $company = $m[1];
            if ($m[2] === 's') {
                $service = $m[3];
            } else {
                $resource = $m[3];
            }
            $slot = $m[4];
        }
        $ttl = $context['ttl_ms'] ?? (isset($context['ttl']) ? (int) $context['ttl'] * 1000 : null);

        return [
            'event' => substr($event, 0, 32),
            'lock_key' => $key,
            'company_id' => $company,
            'service_id' => $service,
            'resource_id' => $resource,
            'slot' => $slot,
            'fence' => isset($context['fence']) ? (int) $context['fence'] : null,
            'ttl_ms' => $ttl !== null ? (int) $ttl : null,
            'reason' => isset($context['reason']) ? substr((string) $context['reason'], 0, 64) : null,
            'created_at' => now(),
        ];
    }
}
