<?php

/*
 * slotlock polyfill entry point: the classes of the slotlock extension in plain PHP over
 * phpredis, for hosts without the extension. Include it (or auto_prepend_file it) once;
 * with the extension loaded it does nothing.
 *
 * src/ holds the public classes, one per file; src/internal/ the namespace
 * SlotLock\Polyfill, laid out as the extension's C core in src/ (see SlotLockService.php).
 */

if (!extension_loaded('slotlock') && !class_exists('SlotLockService', false)) {
    require_once __DIR__ . '/src/ini.php';
    require_once __DIR__ . '/src/SlotLockException.php';
    require_once __DIR__ . '/src/SlotLock.php';
    require_once __DIR__ . '/src/SlotLockPolyfillMetrics.php';
    require_once __DIR__ . '/src/internal/Status.php';
    require_once __DIR__ . '/src/internal/Stats.php';
    require_once __DIR__ . '/src/internal/Keys.php';
    require_once __DIR__ . '/src/internal/Dsn.php';
    require_once __DIR__ . '/src/internal/Options.php';
    require_once __DIR__ . '/src/internal/Args.php';
    require_once __DIR__ . '/src/internal/Connection.php';
    require_once __DIR__ . '/src/internal/Scripts.php';
    require_once __DIR__ . '/src/internal/Events.php';
    require_once __DIR__ . '/src/internal/Locks.php';
    require_once __DIR__ . '/src/SlotLockService.php';
    require_once __DIR__ . '/src/AvailabilityWithLock.php';
}
