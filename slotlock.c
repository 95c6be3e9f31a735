/*
 * slotlock: module entry, INI settings, MINIT/MINFO and globals. It calls
 * down into the class files (docs/ARCHITECTURE.md); the lock logic and all
 * Redis I/O live in src/.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dlfcn.h>

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "ext/spl/spl_exceptions.h"

#include "slotlock_private.h"
#include "slotlock_arginfo.h"
#include "src/sl_scripts.h"
#include "src/sl_tls.h"

ZEND_DECLARE_MODULE_GLOBALS(slotlock)

/* Persistent connections idle at most this many per process. */
#define SLOTLOCK_POOL_MAX_IDLE 16

static ZEND_INI_MH(OnUpdateSlotlockTimeout)
{
    double t = zend_strtod(ZSTR_VAL(new_value), NULL);

    if (!(t > 0.0) || t > SL_MAX_TIMEOUT) {
        return FAILURE;
    }
    return OnUpdateReal(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
}

/* Shows slotlock.dsn with its password replaced by "***". */
static ZEND_INI_DISP(slotlock_dsn_displayer)
{
    zend_string *value = (type == ZEND_INI_DISPLAY_ORIG && ini_entry->modified) ? ini_entry->orig_value
                                                                                 : ini_entry->value;
    char masked[512];

    if (!value || ZSTR_LEN(value) == 0) {
        PUTS("no value");
        return;
    }
    sl_dsn_mask(ZSTR_VAL(value), masked, sizeof(masked));
    PHPWRITE(masked, strlen(masked));
}

/* OnUpdateLong for a whole number in [min, max]; anything else is refused. */
static int ini_update_long_in(zend_ini_entry *entry, zend_string *new_value, void *mh_arg1, void *mh_arg2,
                              void *mh_arg3, int stage, zend_long min, zend_long max)
{
    zend_long v = ZEND_STRTOL(ZSTR_VAL(new_value), NULL, 10);

    if (v < min || v > max) {
        return FAILURE;
    }
    return OnUpdateLong(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
}

#define SLOTLOCK_INI_LONG_IN(min, max)                                                         \
    return ini_update_long_in(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage, (min), (max))

static ZEND_INI_MH(OnUpdateSlotlockSeconds)
{
    SLOTLOCK_INI_LONG_IN(SL_TTL_MIN, SL_TTL_MAX);
}

static ZEND_INI_MH(OnUpdateSlotlockBucket)
{
    SLOTLOCK_INI_LONG_IN(1, 1440);
}

static ZEND_INI_MH(OnUpdateSlotlockFailMode)
{
    if (zend_string_equals_literal_ci(new_value, "open")) {
        SLOTLOCK_G(fail_closed) = false;
    } else if (zend_string_equals_literal_ci(new_value, "closed")) {
        SLOTLOCK_G(fail_closed) = true;
    } else {
        return FAILURE;
    }
    return SUCCESS;
}

/* 0 (no batches) to 3600 seconds */
static ZEND_INI_MH(OnUpdateSlotlockMetricsInterval)
{
    SLOTLOCK_INI_LONG_IN(0, 3600);
}

/* 60 seconds to 30 days */
static ZEND_INI_MH(OnUpdateSlotlockMetricsRetention)
{
    SLOTLOCK_INI_LONG_IN(60, 30 * 86400);
}

PHP_INI_BEGIN()
    STD_PHP_INI_BOOLEAN("slotlock.enabled", "1", PHP_INI_ALL, OnUpdateBool, enabled, zend_slotlock_globals,
                        slotlock_globals)
    STD_PHP_INI_ENTRY_EX("slotlock.dsn", "redis://127.0.0.1:6379", PHP_INI_ALL, OnUpdateString, dsn,
                         zend_slotlock_globals, slotlock_globals, slotlock_dsn_displayer)
    STD_PHP_INI_ENTRY("slotlock.ttl", "300", PHP_INI_ALL, OnUpdateSlotlockSeconds, ttl, zend_slotlock_globals,
                      slotlock_globals)
    STD_PHP_INI_ENTRY("slotlock.prefix", SL_DEFAULT_PREFIX, PHP_INI_ALL, OnUpdateString, prefix,
                      zend_slotlock_globals, slotlock_globals)
    STD_PHP_INI_ENTRY("slotlock.timeout", "1.0", PHP_INI_ALL, OnUpdateSlotlockTimeout, timeout,
                      zend_slotlock_globals, slotlock_globals)
    STD_PHP_INI_BOOLEAN("slotlock.persistent", "1", PHP_INI_ALL, OnUpdateBool, persistent, zend_slotlock_globals,
                        slotlock_globals)
    STD_PHP_INI_ENTRY("slotlock.key_timezone", "UTC", PHP_INI_ALL, OnUpdateString, key_timezone,
                      zend_slotlock_globals, slotlock_globals)
    STD_PHP_INI_ENTRY("slotlock.booked_ttl", "600", PHP_INI_ALL, OnUpdateSlotlockSeconds, booked_ttl,
                      zend_slotlock_globals, slotlock_globals)
    STD_PHP_INI_ENTRY("slotlock.bucket", "15", PHP_INI_ALL, OnUpdateSlotlockBucket, bucket, zend_slotlock_globals,
                      slotlock_globals)
    PHP_INI_ENTRY("slotlock.fail_mode", "open", PHP_INI_ALL, OnUpdateSlotlockFailMode)
    STD_PHP_INI_ENTRY("slotlock.tls_cafile", "", PHP_INI_ALL, OnUpdateString, tls_cafile, zend_slotlock_globals,
                      slotlock_globals)
    STD_PHP_INI_ENTRY("slotlock.metrics_flush_interval", "10", PHP_INI_ALL, OnUpdateSlotlockMetricsInterval,
                      metrics_flush_interval, zend_slotlock_globals, slotlock_globals)
    STD_PHP_INI_ENTRY("slotlock.metrics_retention", "86400", PHP_INI_ALL, OnUpdateSlotlockMetricsRetention,
                      metrics_retention, zend_slotlock_globals, slotlock_globals)
PHP_INI_END()

static PHP_GINIT_FUNCTION(slotlock)
{
#if defined(COMPILE_DL_SLOTLOCK) && defined(ZTS)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    memset(slotlock_globals, 0, sizeof(*slotlock_globals));
    sl_pool_init(&slotlock_globals->pool, SLOTLOCK_POOL_MAX_IDLE);
}

static PHP_GSHUTDOWN_FUNCTION(slotlock)
{
    sl_pool_clear(&slotlock_globals->pool);
}

static PHP_MINIT_FUNCTION(slotlock)
{
#if defined(ZTS) && defined(COMPILE_DL_SLOTLOCK)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    REGISTER_INI_ENTRIES();
    sl_scripts_init();

    slotlock_exception_ce = register_class_SlotLockException(spl_ce_RuntimeException);
    slotlock_connection_exception_ce = register_class_SlotLockConnectionException(slotlock_exception_ce);
    slotlock_timeout_exception_ce = register_class_SlotLockTimeoutException(slotlock_connection_exception_ce);
    slotlock_lock_ce = register_class_SlotLock();
    slotlock_service_ce = register_class_SlotLockService();
    slotlock_availability_ce = register_class_AvailabilityWithLock();
    slotlock_lock_minit();
    slotlock_service_minit();
    slotlock_availability_minit();
    return SUCCESS;
}

static PHP_MSHUTDOWN_FUNCTION(slotlock)
{
    UNREGISTER_INI_ENTRIES();
    return SUCCESS;
}

static PHP_RINIT_FUNCTION(slotlock)
{
#if defined(ZTS) && defined(COMPILE_DL_SLOTLOCK)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    return SUCCESS;
}

/* The hiredis the process actually loaded, read from its file name
 * (hiredis has no version function). */
static void hiredis_runtime_version(char *buf, size_t size)
{
    Dl_info info;
    const char *so;

    if (dladdr((void *)redisConnect, &info) && info.dli_fname && (so = strstr(info.dli_fname, ".so."))) {
        snprintf(buf, size, "%s", so + 4);
    } else {
        snprintf(buf, size, "linked statically or unknown");
    }
}

static PHP_MINFO_FUNCTION(slotlock)
{
    char header[32], runtime[64], pooled[32];

    snprintf(header, sizeof(header), "%d.%d.%d", HIREDIS_MAJOR, HIREDIS_MINOR, HIREDIS_PATCH);
    hiredis_runtime_version(runtime, sizeof(runtime));
    snprintf(pooled, sizeof(pooled), "%zu", SLOTLOCK_G(pool).count);

    php_info_print_table_start();
    php_info_print_table_header(2, "slotlock support", "enabled");
    php_info_print_table_row(2, "Version", PHP_SLOTLOCK_VERSION);
    php_info_print_table_row(2, "hiredis headers version", header);
    php_info_print_table_row(2, "hiredis library version", runtime);
    php_info_print_table_row(2, "Idle persistent connections", pooled);
    php_info_print_table_row(2, "TLS support (rediss://)", sl_tls_library() ? "enabled" : "disabled (built without OpenSSL)");
    if (sl_tls_library()) {
        php_info_print_table_row(2, "OpenSSL library version", sl_tls_library());
    }
    slotlock_metrics_minfo();
    php_info_print_table_end();

    DISPLAY_INI_ENTRIES();
}

static const zend_module_dep slotlock_deps[] = {
    ZEND_MOD_REQUIRED("date")
    ZEND_MOD_REQUIRED("spl")
    ZEND_MOD_END
};

zend_module_entry slotlock_module_entry = {
    STANDARD_MODULE_HEADER_EX,
    NULL,
    slotlock_deps,
    "slotlock",
    NULL,
    PHP_MINIT(slotlock),
    PHP_MSHUTDOWN(slotlock),
    PHP_RINIT(slotlock),
    NULL,
    PHP_MINFO(slotlock),
    PHP_SLOTLOCK_VERSION,
    PHP_MODULE_GLOBALS(slotlock),
    PHP_GINIT(slotlock),
    PHP_GSHUTDOWN(slotlock),
    NULL,
    STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_SLOTLOCK
#ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
#endif
ZEND_GET_MODULE(slotlock)
#endif
