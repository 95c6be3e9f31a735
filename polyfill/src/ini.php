<?php

/*
 * The polyfill's INI settings. PHP code cannot register INI entries, so
 * ini_set('slotlock.*') fails without the extension; slotlock_polyfill_ini_set()
 * is the polyfill's equivalent, for settings that change at run time (the
 * Laravel feature flag turning slotlock.enabled off, say).
 */

/** @internal */
final class SlotLockPolyfillIni
{
    /** @var array<string, string> */
    public static array $overrides = [];

    /** ini_set() value, then an extension's INI, then php.ini / -d. */
    public static function get(string $name): ?string
    {
        if (isset(self::$overrides[$name])) {
            return self::$overrides[$name];
        }
        $v = ini_get($name);
        if ($v === false) {
            $v = get_cfg_var($name);
        }
        return is_string($v) ? $v : null;
    }
}

/**
 * Sets a slotlock.* setting for this process, like ini_set(); returns the old
 * value, or false for a name that is not a slotlock setting.
 */
function slotlock_polyfill_ini_set(string $name, string $value): string|false
{
    static $known = ['slotlock.enabled', 'slotlock.dsn', 'slotlock.ttl', 'slotlock.booked_ttl', 'slotlock.prefix',
        'slotlock.timeout', 'slotlock.persistent', 'slotlock.key_timezone', 'slotlock.bucket', 'slotlock.fail_mode',
        'slotlock.metrics_flush_interval', 'slotlock.metrics_retention',
        'slotlock.tls_cafile'];
    if (!in_array($name, $known, true)) {
        return false;
    }
    $old = SlotLockPolyfillIni::get($name) ?? '';
    SlotLockPolyfillIni::$overrides[$name] = $value;
    return $old;
}
