/*
 * slotlock: distributed slot locks on Redis for PHP. The module: its entry,
 * version and globals. What the glue files share is in slotlock_private.h.
 */
#ifndef PHP_SLOTLOCK_H
#define PHP_SLOTLOCK_H

#include "src/sl_common.h"
#include "src/sl_conn.h"
#include "src/sl_metrics.h"
#include "src/sl_stats.h"

extern zend_module_entry slotlock_module_entry;
#define phpext_slotlock_ptr &slotlock_module_entry

#define PHP_SLOTLOCK_VERSION SL_VERSION

/* PHP 8.6 drops the XtOffsetOf() alias of offsetof() */
#ifndef XtOffsetOf
# include <stddef.h>
# define XtOffsetOf(s_type, field) offsetof(s_type, field)
#endif

#if defined(ZTS) && defined(COMPILE_DL_SLOTLOCK)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

ZEND_BEGIN_MODULE_GLOBALS(slotlock)
    bool enabled;
    char *dsn;
    zend_long ttl;
    char *prefix;
    double timeout;
    bool persistent;
    char *key_timezone;
    zend_long booked_ttl;
    zend_long bucket;
    bool fail_closed; /* slotlock.fail_mode=closed */
    char *tls_cafile; /* CA file of TLS endpoints that name none */
    sl_pool pool;   /* idle persistent connections of this process (thread) */
    sl_stats stats; /* this process's counters */
    zend_long metrics_flush_interval; /* seconds; 0: no batches */
    zend_long metrics_retention;      /* seconds a minute's metrics live */
    sl_metrics metrics;               /* this process's unflushed metrics */
ZEND_END_MODULE_GLOBALS(slotlock)

ZEND_EXTERN_MODULE_GLOBALS(slotlock)
#define SLOTLOCK_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(slotlock, v)

#endif /* PHP_SLOTLOCK_H */
