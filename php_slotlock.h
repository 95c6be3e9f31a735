/*
 * slotlock: distributed slot locks on Redis for PHP.
 */
#ifndef PHP_SLOTLOCK_H
#define PHP_SLOTLOCK_H

#include "src/sl_common.h"
#include "src/sl_conn.h"
#include "src/sl_lock.h"
#include "src/sl_stats.h"

extern zend_module_entry slotlock_module_entry;
#define phpext_slotlock_ptr &slotlock_module_entry

#define PHP_SLOTLOCK_VERSION SL_VERSION

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
    sl_pool pool;   /* idle persistent connections of this process (thread) */
    sl_stats stats; /* this process's counters */
ZEND_END_MODULE_GLOBALS(slotlock)

ZEND_EXTERN_MODULE_GLOBALS(slotlock)
#define SLOTLOCK_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(slotlock, v)

extern zend_class_entry *slotlock_service_ce;
extern zend_class_entry *slotlock_lock_ce;
extern zend_class_entry *slotlock_exception_ce;
extern zend_class_entry *slotlock_connection_exception_ce;
extern zend_class_entry *slotlock_timeout_exception_ce;

/* slotlock_service.c */
void slotlock_service_minit(void);
/* slotlock_lock.c */
void slotlock_lock_minit(void);

/* Throws the exception that matches err (ValueError for argument errors). */
void slotlock_throw(const sl_error *err);

/* Builds a SlotLock. keys is consumed (its refcount is taken over). */
void slotlock_lock_new(zval *rv, zend_string *handle, zval *keys, zend_string *owner, zend_long fence,
                       int64_t ttl_ms, zend_long candidate, zval *tz);

#endif /* PHP_SLOTLOCK_H */
