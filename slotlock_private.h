/*
 * What the glue files share (never installed, never included by src/).
 *
 * The glue runs one way:
 *   slotlock.c (module: entry, INI, MINIT/MINFO)
 *     -> slotlock_service.c, slotlock_availability.c, slotlock_metrics.c (the classes' methods)
 *     -> slotlock_ops.c (lock operations with their events and counters)
 *     -> slotlock_metrics_batch.c (the process's metrics batch)
 *     -> slotlock_keys.c (PHP arguments -> slot keys)
 *     -> slotlock_args.c (PHP values -> core types, options -> sl_config)
 *     -> slotlock_lock.c (the SlotLock value object)
 *     -> slotlock_exceptions.c (exception classes, throw helper)
 *     -> src/ (the Zend-free core)
 * No file calls a file above it or beside it.
 */
#ifndef SLOTLOCK_PRIVATE_H
#define SLOTLOCK_PRIVATE_H

#include "php_slotlock.h"
#include "src/sl_key.h"
#include "src/sl_lock.h"
#include "src/sl_options.h"
#include "src/sl_topology.h"

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

#define Z_SLOTLOCK_SERVICE_P(zv) slotlock_service_from_obj(Z_OBJ_P(zv))

extern zend_class_entry *slotlock_service_ce;
extern zend_class_entry *slotlock_availability_ce;
extern zend_class_entry *slotlock_lock_ce;
extern zend_class_entry *slotlock_exception_ce;
extern zend_class_entry *slotlock_connection_exception_ce;
extern zend_class_entry *slotlock_timeout_exception_ce;


/* ---- MINIT of each class file, called by the module ---- */
void slotlock_service_minit(void);
void slotlock_availability_minit(void);
void slotlock_lock_minit(void);

/* ---- slotlock_metrics.c: SlotLockService::metrics() / flushMetrics(), the php --ri rows ---- */
void slotlock_metrics_minfo(void);

/* ---- slotlock_metrics_batch.c: the process's metrics batch, below the lock operations ---- */
/* A monotonic clock, microseconds. */
/* After every acquire: latency, refusals, and the batch when it is due. */
void slotlock_metrics_acquired(slotlock_service_obj *intern, sl_status rc, const sl_acquire_result *res,
                               int64_t started_us);
/* A service object goes: on the CLI (one process, one run) its batch is written now. */
void slotlock_metrics_service_gone(slotlock_service_obj *intern);
/* This process's counters (dropped in a forked child: it writes only its own). */
sl_metrics *slotlock_metrics_own(void);
/* Takes the process's counters in and writes the batch; false with err set on failure. */
bool slotlock_metrics_flush(slotlock_service_obj *intern, sl_error *err);

/* ---- slotlock_exceptions.c ---- */

/* Is the pending exception exit() (or a graceful exit)? Never clear or replace it. */
bool slotlock_exception_is_exit(void);
/* Throws the exception that matches err (ValueError for argument errors, TypeError for type errors). */
void slotlock_throw(const sl_error *err);

/* ---- slotlock_lock.c: the SlotLock value object ---- */

/* Adds lock_key, lock_expires_at, lock_ttl and fence of a SlotLock to into. */
bool slotlock_lock_export(zend_object *lock, HashTable *into);

/* Builds a SlotLock. keys is consumed (its refcount is taken over). expiresAt is in tz, or a
 * clone of utc_tpl (a UTC DateTimeImmutable) when that is given. */
void slotlock_lock_new(zval *rv, zend_string *handle, zval *keys, zend_string *owner, zend_long fence,
                       int64_t ttl_ms, zend_long candidate, zval *tz, zval *utc_tpl);

/* ---- slotlock_args.c: PHP values -> core types (false: an exception is thrown) ---- */

/* Options: INI defaults, then the DSN string or the array (sl_config_free it either way). */
bool slotlock_args_config(zend_string *dsn, HashTable *opts, sl_config *c);
/* intern->tz as a DateTimeZone of key_timezone (ValueError if unknown). */
bool slotlock_load_timezone(slotlock_service_obj *intern);
/* UTC services: the DateTimeImmutable expiresAt values are cloned from; NULL otherwise. */
zval *slotlock_utc_template(slotlock_service_obj *intern);
int slotlock_random(void *buf, size_t len);
/* An id: positive int or [A-Za-z0-9_-]{1,64}, as text. */
bool slotlock_arg_id(zval *id, const char *name, char out[SL_ID_MAX + 1]);
/* The instant of a start argument, Unix seconds on a whole minute. */
bool slotlock_arg_instant(slotlock_service_obj *intern, zval *start, const char *name, int64_t *sse);
/* The wall clock of an instant in key_timezone. */
bool slotlock_wall_clock(slotlock_service_obj *intern, int64_t sse, const char *name, sl_slot_time *out);
/* The owner given (checked), or a new CSPRNG token. */
bool slotlock_arg_owner(zend_string *owner, zend_string **out);
bool slotlock_arg_ttl(slotlock_service_obj *intern, zend_long ttl, bool is_null, int64_t *ms);
/* A SlotLock or a handle string -> its keys. */
bool slotlock_arg_handle(slotlock_service_obj *intern, zend_object *lock_obj, zend_string *lock_str, sl_keylist *keys);
/* A lock (object or handle) and the owner claiming it. */
bool slotlock_arg_lock_owner(slotlock_service_obj *intern, zend_object *lock_obj, zend_string *lock_str,
                             zend_string *owner, sl_keylist *keys);
/* keys[from, to) as a PHP list, and their handle string. */
void slotlock_keys_to_php(const sl_keylist *keys, size_t from, size_t to, zval *arr, zend_string **handle);

/* ---- slotlock_keys.c: PHP arguments -> slot keys (false: an exception is thrown) ---- */

bool slotlock_arg_key(slotlock_service_obj *intern, zval *service, zval *start, const char *company,
                      char key[SL_KEY_MAX], size_t *len);
/* One [serviceId, start] pair (or ['service' => ..., 'start' => ...]): appends its key,
 * unless keys[group_start..] already has it. */
bool slotlock_arg_pair(slotlock_service_obj *intern, zval *pair, const char *company, const char *what,
                       sl_keylist *keys, size_t group_start);
/* A non-empty list of [serviceId, start] pairs: appends its keys, *n = count. */
bool slotlock_arg_segments(slotlock_service_obj *intern, HashTable *segments, const char *company, const char *what,
                           sl_keylist *keys, size_t *n);
/* acquireFirst()'s candidates: groups[i] = keys of candidate i (groups holds one per candidate). */
bool slotlock_arg_candidates(slotlock_service_obj *intern, HashTable *candidates, const char *cid, sl_keylist *keys,
                             size_t *groups, size_t *n_groups);
bool slotlock_service_slot_keys(slotlock_service_obj *intern, zval *company, zval *service, zval *start,
                                sl_keylist *keys);
bool slotlock_service_resource_keys(slotlock_service_obj *intern, zval *company, zval *resource, zval *start,
                                    zval *end, zend_long before, zend_long after, sl_keylist *keys);
bool slotlock_service_handle(slotlock_service_obj *intern, zend_string *handle, sl_keylist *keys);

/* ---- slotlock_ops.c: lock operations with their events and counters ---- */

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
/* The same, then throws err (unless the listener threw). */
void slotlock_service_fail_throw(slotlock_service_obj *intern, const sl_keylist *keys, const sl_error *err);
/* The shared tail of the acquire methods: a SlotLock or null in return_value. */
void slotlock_service_acquire_groups(slotlock_service_obj *intern, sl_keylist *keys, const size_t *groups,
                                     size_t n_groups, zend_string *owner_arg, zend_long ttl, bool ttl_null,
                                     bool report_candidate, zval *return_value);


#endif /* SLOTLOCK_PRIVATE_H */
