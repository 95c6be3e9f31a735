<?php

namespace Slotlock\Laravel;

use AvailabilityWithLock;
use Illuminate\Contracts\Foundation\Application;
use Illuminate\Support\ConfigurationUrlParser;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Log;
use Illuminate\Support\ServiceProvider;
use RuntimeException;
use Slotlock\Laravel\Console\SlotLockMetricsCommand;
use Slotlock\Laravel\Console\SlotLockStatusCommand;
use SlotLockService;
use Throwable;

/**
 * Slot locks for the voice agent's booking flow (auto-discovered through
 * composer.json extra.laravel).
 *
 * Binds SlotLocking (the API the app's handler calls), and, when the extension
 * or the polyfill provides them, SlotLockService and AvailabilityWithLock (one
 * per request, also under Octane), configured from config/slotlock.php and
 * config/database.php ('redis'). Publishes the config (--tag=slotlock-config)
 * and the migration (--tag=slotlock-migrations), registers slotlock:status and
 * slotlock:metrics. Nothing here throws when locking is off or unavailable.
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
        $this->mergeConfigFrom(__DIR__ . '/../config/slotlock.php', 'slotlock');

        // scoped(): one instance per request, also under Octane (Laravel 8.51+)
        $bind = method_exists($this->app, 'scoped') ? 'scoped' : 'singleton';

        $this->app->{$bind}(SlotLocking::class, function (Application $app) {
            return new SlotLocking($app, (array) $app['config']->get('slotlock', []));
        });
        // Resolved only when locking is on (or by code that type-hints them):
        // without the extension and the polyfill these classes do not exist.
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
        $this->publishes([__DIR__ . '/../config/slotlock.php' => $this->app->configPath('slotlock.php')], 'slotlock-config');
        $this->publishes([__DIR__ . '/../database/migrations' => $this->app->databasePath('migrations')], 'slotlock-migrations');
        $this->loadMigrationsFrom(__DIR__ . '/../database/migrations');
        if ($this->app->runningInConsole()) {
            $this->commands([SlotLockStatusCommand::class, SlotLockMetricsCommand::class]);
        }
        static::applySwitch((array) $this->app['config']->get('slotlock', []));
    }

    /**
     * Tells the implementation what the switch says, for code that calls
     * AvailabilityWithLock directly too: off turns slotlock.enabled off (its
     * answers pass through), fail_mode is passed on. Never throws.
     */
    public static function applySwitch(array $config): void
    {
        try {
            [$on] = SlotLocking::mode($config);
            if (!class_exists(SlotLockService::class)) {
                return;
            }
            if (!$on) {
                static::setIni('slotlock.enabled', '0');
            } elseif (extension_loaded('slotlock')) {
                // on: php.ini's own value (slotlock.enabled=0 there is the server's rollback)
                ini_restore('slotlock.enabled');
            } else {
                $ini = get_cfg_var('slotlock.enabled');
                static::setIni('slotlock.enabled', $ini === false ? '1' : (string) $ini);
            }
            if (!empty($config['fail_mode'])) {
                static::setIni('slotlock.fail_mode', (string) $config['fail_mode']);
            }
        } catch (Throwable $e) {
            // the switch is read again, and reported, on first use
        }
    }

    /**
     * ini_set() for the extension, slotlock_polyfill_ini_set() for the
     * polyfill (which cannot register INI entries). True when the setting took.
     */
    public static function setIni(string $name, string $value): bool
    {
        if (extension_loaded('slotlock')) {
            return ini_set($name, $value) !== false;
        }
        if (function_exists('slotlock_polyfill_ini_set')) {
            return slotlock_polyfill_ini_set($name, $value) !== false;
        }

        return false;
    }

    /** SlotLockService options from config/database.php and config/slotlock.php. */
    public static function serviceOptions(Application $app): array
    {
        $config = $app['config'];
        $features = $config->get('slotlock', []);
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
        // a rediss:// URL comes back from the parser as driver "tls" (RedisManager copies tcp/tls drivers into scheme)
        $scheme = $redis['scheme'] ?? (in_array($redis['driver'] ?? null, ['tcp', 'tls'], true) ? $redis['driver'] : null);
        $tls = in_array($scheme, self::TLS_SCHEMES, true);
        if (preg_match('#^(tls|ssl)://#', $host, $m)) {
            // phpredis style (PhpRedisConnector::formatHost())
            $tls = true;
            $host = substr($host, strlen($m[0]));
        }
        if ($scheme === 'unix' || !empty($redis['path']) || str_starts_with($host, '/')) {
            $options['socket'] = (string) ($redis['path'] ?? $host);
        } else {
            $options['host'] = $host;
            $options['port'] = (int) ($redis['port'] ?? 6379);
        }
        if ($tls) {
            // with a unix socket too: slotlock says "TLS needs a host and port" (a ValueError)
            $options['tls'] = self::tlsOptions(self::sslContext($config, $redis), $name);
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

    /** The ssl-context names slotlock's "tls" option takes. */
    private const TLS_KEYS = ['cafile', 'capath', 'local_cert', 'local_pk', 'passphrase', 'verify_peer',
        'verify_peer_name', 'peer_name', 'ciphers', 'security_level', 'min_proto_version'];

    /** ssl-context names slotlock has no use for: SNI is always sent for a host name, OpenSSL 3 has no compression. */
    private const TLS_IGNORED = ['SNI_enabled', 'disable_compression', 'verify_depth'];

    private const TLS_SCHEMES = ['tls', 'rediss', 'ssl'];

    /**
     * The ssl options of a TLS connection, first found wins: phpredis' context.stream (or
     * context.ssl) of the connection, then of database.redis.options, then predis' ssl of the
     * connection, then database.redis.options.parameters.ssl. [] when there are none.
     */
    private static function sslContext($config, array $redis): array
    {
        $shared = (array) $config->get('database.redis.options', []);
        $candidates = [
            $redis['context']['stream'] ?? null,
            $redis['context']['ssl'] ?? null,
            $shared['context']['stream'] ?? null,
            $shared['context']['ssl'] ?? null,
            $redis['ssl'] ?? null,
            $shared['parameters']['ssl'] ?? null,
        ];
        foreach ($candidates as $ssl) {
            if (is_array($ssl)) {
                return $ssl;
            }
        }

        return [];
    }

    /**
     * slotlock's "tls" option from PHP ssl-context options: true for none, else the names slotlock
     * takes. The ones it has no use for are dropped quietly, any other with one warning (a
     * self-signed server certificate works given as cafile).
     */
    private static function tlsOptions(array $ssl, string $name): array|bool
    {
        $unknown = array_diff(array_map('strval', array_keys($ssl)), self::TLS_KEYS, self::TLS_IGNORED);
        if ($unknown !== []) {
            try {
                Log::warning("⚠️ SLOT_LOCK redis connection \"$name\": ssl options slotlock does not take are ignored",
                    ['keys' => array_values($unknown)]);
            } catch (Throwable $e) {
                // no logger yet: the options still apply
            }
        }
        $tls = array_intersect_key($ssl, array_flip(self::TLS_KEYS));

        return $tls === [] ? true : $tls;
    }

    /**
     * The onEvent listener: a log line per event and, with log_to_database, a
     * slot_lock_events row. It never throws: the lock operation has already
     * happened, and a broken log must not cost the caller its slot.
     */
    public static function eventListener(Application $app): \Closure
    {
        $features = $app['config']->get('slotlock', []);
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
