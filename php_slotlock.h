/*
 * slotlock: distributed slot locks on Redis for PHP.
 */
#ifndef PHP_SLOTLOCK_H
#define PHP_SLOTLOCK_H

#include "src/sl_common.h"
#include "src/sl_conn.h"
#include "src/sl_lock.h"
#include "src/sl_metrics.h"
#include "src/sl_stats.h"
#include "src/sl_topology.h"

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
    sl_pool pool;   /* idle persistent connections of this process (thread) */
    sl_stats stats; /* this process's counters */
    zend_long metrics_flush_interval; /* seconds; 0: no batches */
    zend_long metrics_retention;      /* seconds a minute's metrics live */
    sl_metrics metrics;               /* this process's unflushed metrics */
ZEND_END_MODULE_GLOBALS(slotlock)

ZEND_EXTERN_MODULE_GLOBALS(slotlock)
#define SLOTLOCK_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(slotlock, v)

typedef struct {
    bool initialized;
    bool tz_utc;          /* key_timezone is UTC: wall clock by gmtime_r */
    zend_long ttl;        /* default TTL, seconds */
    zend_long booked_ttl; /* lifetime of a booked marker, seconds */
    zend_long bucket;     /* resource bucket, minutes */
    zend_string *tz_name;
    zval tz;              /* DateTimeZone of key_timezone, IS_UNDEF until needed */
    zval listener;        /* onEvent() callable, IS_UNDEF when none */
    zval utc_tpl;         /* UTC zone: a DateTimeImmutable that expiresAt values are cloned from */
    sl_topology topo;
    sl_locker locker;
    zend_object std;
} slotlock_service_obj;

static inline slotlock_service_obj *slotlock_service_from_obj(zend_object *obj)
{
    return (slotlock_service_obj *)((char *)obj - XtOffsetOf(slotlock_service_obj, std));
}

extern zend_class_entry *slotlock_service_ce;
extern zend_class_entry *slotlock_availability_ce;
extern zend_class_entry *slotlock_lock_ce;
extern zend_class_entry *slotlock_exception_ce;
extern zend_class_entry *slotlock_connection_exception_ce;
extern zend_class_entry *slotlock_timeout_exception_ce;

/* slotlock_service.c */
void slotlock_service_minit(void);
/* slotlock_availability.c */
void slotlock_availability_minit(void);
/* slotlock_lock.c */
void slotlock_lock_minit(void);
/* slotlock_metrics.c: a monotonic clock; the hook after every acquire
 * (latency, refusals, and the batch when it is due); the php --ri rows */
int64_t slotlock_metrics_clock_us(void);
void slotlock_metrics_acquired(slotlock_service_obj *intern, sl_status rc, const sl_acquire_result *res,
                               int64_t started_us);
void slotlock_metrics_minfo(void);
/* A service object goes: on the CLI (one process, one run) its batch is written now. */
void slotlock_metrics_service_gone(slotlock_service_obj *intern);

/* Is the pending exception exit() (or a graceful exit)? Never clear or replace it. */
bool slotlock_exception_is_exit(void);

/* Throws the exception that matches err (ValueError for argument errors). */
void slotlock_throw(const sl_error *err);

/* Adds lock_key, lock_expires_at, lock_ttl and fence of a SlotLock to into. */
bool slotlock_lock_export(zend_object *lock, HashTable *into);

/* Builds a SlotLock. keys is consumed (its refcount is taken over). expiresAt is in tz, or a
 * clone of utc_tpl (a UTC DateTimeImmutable) when that is given. */
void slotlock_lock_new(zval *rv, zend_string *handle, zval *keys, zend_string *owner, zend_long fence,
                       int64_t ttl_ms, zend_long candidate, zval *tz, zval *utc_tpl);

/* Internal API of SlotLockService, shared with AvailabilityWithLock. Each
 * returns false with an exception thrown. */
bool slotlock_service_slot_keys(slotlock_service_obj *intern, zval *company, zval *service, zval *start,
                                sl_keylist *keys);
bool slotlock_service_resource_keys(slotlock_service_obj *intern, zval *company, zval *resource, zval *start,
                                    zval *end, zend_long before, zend_long after, sl_keylist *keys);
bool slotlock_service_handle(slotlock_service_obj *intern, zend_string *handle, sl_keylist *keys);
/* Acquires keys[0, count) as one candidate and, on success, builds the SlotLock into lock (may be NULL). */
sl_status slotlock_service_acquire(slotlock_service_obj *intern, sl_keylist *keys, zend_string *owner,
                                   zend_long ttl, sl_acquire_result *res, zval *lock, sl_error *err);
sl_status slotlock_service_commit(slotlock_service_obj *intern, sl_keylist *keys, zend_string *owner,
                                  zend_string *booking_id, zend_long ttl, int *ok, sl_error *err);
sl_status slotlock_service_release(slotlock_service_obj *intern, sl_keylist *keys, zend_string *owner, long *n,
                                   sl_error *err);
/* Tells the onEvent() listener, if any. key may be NULL; fence/ttl < 0 are left out. */
void slotlock_service_emit(slotlock_service_obj *intern, const char *event, const sl_keylist *keys,
                           int64_t fence, int64_t ttl_ms, const char *reason);
/* Counts an operation that failed, and tells the listener. */
void slotlock_service_fail(slotlock_service_obj *intern, const sl_keylist *keys, const sl_error *err);

#endif /* PHP_SLOTLOCK_H */
