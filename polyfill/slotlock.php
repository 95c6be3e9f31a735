<?php

/*
 * slotlock polyfill entry point: the classes of the slotlock extension in plain PHP over
 * phpredis, for hosts without the extension. Include it (or auto_prepend_file it) once;
 * with the extension loaded it does nothing.
 */

if (!extension_loaded('slotlock') && !class_exists('SlotLockService', false)) {
    require_once __DIR__ . '/src/ini.php';
    require_once __DIR__ . '/src/SlotLockException.php';
    require_once __DIR__ . '/src/SlotLock.php';
    require_once __DIR__ . '/src/SlotLockPolyfillMetrics.php';
    require_once __DIR__ . '/src/SlotLockService.php';
    require_once __DIR__ . '/src/AvailabilityWithLock.php';
}
