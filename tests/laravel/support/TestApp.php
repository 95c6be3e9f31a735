<?php

namespace Tests\Laravel;

use Illuminate\Contracts\Console\Kernel as KernelContract;
use Illuminate\Contracts\Debug\ExceptionHandler;
use Illuminate\Foundation\Application;
use Illuminate\Foundation\Exceptions\Handler;
use RuntimeException;

/**
 * A real Laravel application (Debian's php-laravel-framework) in a temp base
 * path: the skeleton config/ of tests/laravel/skeleton, the example's app/
 * (the app's own handler, autoloaded as App\ by the app's composer.json),
 * slotlock/laravel and slotlock/polyfill installed by composer from this
 * repository, a sqlite database and a log file.
 */
final class TestApp
{
    public static string $repo;
    public static string $base;
    /** The env every boot starts from (booted apps read config from env). */
    public static array $env = [];

    private static bool $ownsBase = false;

    /**
     * Finds Laravel, makes (with $base null) a fresh app in a temp base path
     * with slotlock/laravel (and, with $polyfill, slotlock/polyfill) installed
     * by composer from path repositories, and sets up autoloading: Debian's
     * Laravel, then the app's vendor/autoload.php.
     */
    public static function init(string $repo, ?string $base = null, bool $polyfill = true): void
    {
        self::$repo = $repo;
        $host = getenv('SLOTLOCK_TEST_HOST') ?: '127.0.0.1';
        $port = getenv('SLOTLOCK_TEST_PORT');
        if (!$port) {
            throw new RuntimeException('SLOTLOCK_TEST_PORT is not set (run through tests/suites/laravel.sh or ./dev test)');
        }
        require_once self::laravelAutoloader();
        spl_autoload_register(static function (string $class) use ($repo): void {
            $ns = 'Tests\\Laravel\\';
            if (str_starts_with($class, $ns)) {
                $file = "$repo/tests/laravel/support/" . str_replace('\\', '/', substr($class, strlen($ns))) . '.php';
                if (is_file($file)) {
                    require $file;
                }
            }
        });

        if ($base === null) {
            $base = sys_get_temp_dir() . '/slotlock-laravel.' . getmypid() . '.' . bin2hex(random_bytes(4));
            self::$ownsBase = true;
            self::$base = $base;
            foreach (['config', 'bootstrap/cache', 'storage/logs', 'storage/framework', 'database'] as $dir) {
                if (!is_dir("$base/$dir") && !mkdir("$base/$dir", 0777, true)) {
                    throw new RuntimeException("cannot create $base/$dir");
                }
            }
            foreach (glob("$repo/tests/laravel/skeleton/config/*.php") as $file) {
                copy($file, "$base/config/" . basename($file));
            }
            // the app's own code: the example handler and its calendar interface
            self::copyTree("$repo/examples/laravel/app", "$base/app");
            touch("$base/database/database.sqlite");
            self::composerInstall($base, $polyfill);
        }
        require_once "$base/vendor/autoload.php";
        self::$base = $base;

        self::$env = [
            'APP_ENV' => 'testing',
            'APP_NAME' => 'slotlock-test',
            'LOG_CHANNEL' => 'single',
            'DB_CONNECTION' => 'sqlite',
            'DB_DATABASE' => "$base/database/database.sqlite",
            'REDIS_CLIENT' => 'phpredis',
            'REDIS_HOST' => $host,
            'REDIS_PORT' => (string) $port,
            'REDIS_PASSWORD' => null,
            'REDIS_DB' => '0',
            'FEATURE_SLOT_LOCKING' => 'true',
            'SLOT_LOCK_TTL' => '120',
            'SLOT_LOCK_DB_LOG' => 'true',
            'SLOT_LOCK_POLYFILL' => null,
            'SLOT_LOCK_PREFIX' => 'lvtest' . getmypid() . bin2hex(random_bytes(3)),
            'SLOT_LOCK_FAIL_MODE' => null,
            'SLOT_LOCK_KEY_TIMEZONE' => null,
        ];
        if (!self::$ownsBase) {
            // a child process: the env its parent booted with
            foreach (self::$env as $name => $value) {
                $inherited = getenv($name);
                self::$env[$name] = $inherited === false ? null : $inherited;
            }
        }
    }

    /**
     * composer install of the two packages from their directories in this
     * repository, offline: path repositories, packagist off, a throw-away
     * COMPOSER_HOME. Laravel itself is Debian's (/usr/share/php), declared
     * with "provide" so the packages' illuminate/* requirements are met.
     */
    public static function composerInstall(string $base, bool $polyfill): void
    {
        $version = \Illuminate\Foundation\Application::VERSION;
        $path = fn (string $dir, string $name) => ['type' => 'path', 'url' => self::$repo . "/$dir",
            'options' => ['symlink' => false, 'versions' => [$name => '0.1.0']]];
        $require = ['slotlock/laravel' => '^0.1'];
        $repos = [$path('integrations/laravel', 'slotlock/laravel')];
        if ($polyfill) {
            $require['slotlock/polyfill'] = '^0.1';
            $repos[] = $path('polyfill', 'slotlock/polyfill');
        }
        $repos[] = ['packagist.org' => false];
        $composer = [
            'name' => 'slotlock-test/app',
            'type' => 'project',
            'repositories' => $repos,
            'require' => $require,
            'provide' => array_fill_keys(['illuminate/support', 'illuminate/console', 'illuminate/database'], $version),
            'autoload' => ['psr-4' => ['App\\' => 'app/']],
            'config' => ['allow-plugins' => false],
        ];
        file_put_contents("$base/composer.json", json_encode($composer, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES));
        $home = "$base/.composer-home";
        $cmd = 'cd ' . escapeshellarg($base) . ' && COMPOSER_HOME=' . escapeshellarg($home)
            . ' COMPOSER_NO_INTERACTION=1 COMPOSER_DISABLE_NETWORK=1 composer install --no-progress --no-ansi 2>&1';
        exec($cmd, $out, $rc);
        if ($rc !== 0 || !is_file("$base/vendor/autoload.php")) {
            throw new RuntimeException("composer install failed ($rc):\n" . implode("\n", $out));
        }
        self::$composerOutput = implode("\n", $out);
    }

    public static string $composerOutput = '';

    private static function copyTree(string $from, string $to): void
    {
        $it = new \RecursiveIteratorIterator(
            new \RecursiveDirectoryIterator($from, \FilesystemIterator::SKIP_DOTS),
            \RecursiveIteratorIterator::SELF_FIRST
        );
        foreach ($it as $f) {
            $dest = $to . substr($f->getPathname(), strlen($from));
            if ($f->isDir()) {
                is_dir($dest) || mkdir($dest, 0777, true);
            } else {
                is_dir(dirname($dest)) || mkdir(dirname($dest), 0777, true);
                copy($f->getPathname(), $dest);
            }
        }
    }

    public static function laravelAutoloader(): string
    {
        $candidates = array_filter([getenv('SLOTLOCK_LARAVEL_AUTOLOAD') ?: null, '/usr/share/php/Illuminate/autoload.php']);
        foreach ($candidates as $file) {
            if (is_file($file)) {
                return $file;
            }
        }
        $listed = (string) @shell_exec('dpkg -L php-laravel-framework 2>/dev/null');
        foreach (explode("\n", $listed) as $file) {
            if (str_ends_with($file, '/Illuminate/autoload.php') && is_file($file)) {
                return $file;
            }
        }
        throw new RuntimeException('Laravel not found: apt-get install php-laravel-framework');
    }

    /** Sets (string) or removes (null) an environment variable everywhere Laravel's env() looks. */
    public static function setEnv(string $name, ?string $value): void
    {
        if ($value === null) {
            putenv($name);
            unset($_ENV[$name], $_SERVER[$name]);
        } else {
            putenv("$name=$value");
            $_ENV[$name] = $_SERVER[$name] = $value;
        }
    }

    /** A freshly bootstrapped application (console kernel), config read from self::$env + $env. */
    public static function boot(array $env = []): Application
    {
        foreach (array_merge(self::$env, $env) as $name => $value) {
            self::setEnv($name, $value);
        }
        $app = new Application(self::$base);
        $app->singleton(KernelContract::class, ConsoleKernel::class);
        $app->singleton(ExceptionHandler::class, Handler::class);
        $app->make(KernelContract::class)->bootstrap();

        return $app;
    }

    public static function kernel(Application $app): KernelContract
    {
        return $app->make(KernelContract::class);
    }

    public static function logFile(): string
    {
        return self::$base . '/storage/logs/laravel.log';
    }

    public static function log(): string
    {
        clearstatcache();

        return is_file(self::logFile()) ? (string) file_get_contents(self::logFile()) : '';
    }

    /** The command that runs a child PHP the way this one runs (extension or polyfill). */
    public static function phpCommand(): array
    {
        $cmd = [PHP_BINARY];
        if (extension_loaded('slotlock')) {
            $plain = trim((string) shell_exec(escapeshellarg(PHP_BINARY) . ' -r ' . escapeshellarg('echo extension_loaded("slotlock") ? 1 : 0;')));
            if ($plain !== '1') {
                $so = getenv('SLOTLOCK_EXT_SO') ?: self::$repo . '/modules/slotlock.so';
                array_push($cmd, '-d', "extension=$so");
            }
        }

        return $cmd;
    }

    /** Deletes every Redis key of the given prefixes (they all start with "<prefix>:"). */
    public static function dropKeys(\Redis $redis, array $prefixes): void
    {
        foreach ($prefixes as $prefix) {
            $it = null;
            do {
                $keys = $redis->scan($it, $prefix . ':*', 500);
                if ($keys) {
                    $redis->del($keys);
                }
            } while ($it > 0);
        }
    }

    public static function cleanup(): void
    {
        if (!self::$ownsBase || !is_dir(self::$base)) {
            return;
        }
        $it = new \RecursiveIteratorIterator(
            new \RecursiveDirectoryIterator(self::$base, \FilesystemIterator::SKIP_DOTS),
            \RecursiveIteratorIterator::CHILD_FIRST
        );
        foreach ($it as $f) {
            $f->isDir() && !$f->isLink() ? rmdir($f->getPathname()) : unlink($f->getPathname());
        }
        rmdir(self::$base);
    }
}
