/*
 * What SlotLockService and AvailabilityWithLock share below their methods:
 * the lock operations with their events (onEvent listener) and counters,
 * and the SlotLock built from an acquire.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"

#include "slotlock_private.h"
#include "src/sl_event.h"

/* ---- Events ------------------------------------------------------------- */

void slotlock_service_emit(slotlock_service_obj *intern, const char *event, const sl_keylist *keys,
                           int64_t fence, int64_t ttl_ms, const char *reason)
{
    zval ev, rv, key;
    zend_string *handle;

    if (Z_TYPE(intern->listener) == IS_UNDEF) {
        return;
    }
    array_init_size(&ev, 5);
    add_assoc_string_ex(&ev, "event", sizeof("event") - 1, event);
    if (keys && keys->count) {
        slotlock_keys_to_php(keys, 0, keys->count, &key, &handle);
        zval_ptr_dtor(&key);
        add_assoc_str_ex(&ev, "key", sizeof("key") - 1, handle);
    } else {
        add_assoc_null_ex(&ev, "key", sizeof("key") - 1);
    }
    if (fence > 0) {
        add_assoc_long_ex(&ev, "fence", sizeof("fence") - 1, (zend_long)fence);
    }
    if (ttl_ms >= 0) {
        add_assoc_long_ex(&ev, "ttl_ms", sizeof("ttl_ms") - 1, (zend_long)ttl_ms);
    }
    if (reason) {
        add_assoc_string_ex(&ev, "reason", sizeof("reason") - 1, reason);
    }
    ZVAL_UNDEF(&rv);
    call_user_function(NULL, NULL, &intern->listener, &rv, 1, &ev);
    zval_ptr_dtor(&rv);
    zval_ptr_dtor(&ev);
    if (EG(exception) && !slotlock_exception_is_exit()) {
        /* The lock operation already happened: a throwing listener must not
         * make the caller lose the lock it was handed. */
        zend_object *ex = EG(exception);
        zval msg, tmp;
        ZVAL_OBJ(&tmp, ex);
        GC_ADDREF(ex);
        zend_clear_exception();
        zend_call_method_with_0_params(ex, ex->ce, NULL, "getmessage", &msg);
        php_error_docref(NULL, E_WARNING, "SlotLockService event listener threw %s: %s", ZSTR_VAL(ex->ce->name),
                         Z_TYPE(msg) == IS_STRING ? Z_STRVAL(msg) : "");
        zval_ptr_dtor(&msg);
        zval_ptr_dtor(&tmp);
    }
}

void slotlock_service_fail(slotlock_service_obj *intern, const sl_keylist *keys, const sl_error *err)
{
    SLOTLOCK_G(stats).errors++;
    slotlock_service_emit(intern, "error", keys, -1, -1, sl_event_error_reason(err->code));
}

void slotlock_service_fail_throw(slotlock_service_obj *intern, const sl_keylist *keys, const sl_error *err)
{
    slotlock_service_fail(intern, keys, err);
    if (!EG(exception)) {
        slotlock_throw(err);
    }
}

/* Runs an acquire over candidates, counts and tells the listener, and builds
 * the SlotLock into lock (when not NULL and a candidate was taken). */
static sl_status acquire_groups(slotlock_service_obj *intern, sl_keylist *keys, const size_t *groups,
                                size_t n_groups, zend_string *owner, int64_t ttl_ms, bool report_candidate,
                                sl_acquire_result *res, zval *lock, sl_error *err)
{
    sl_keylist taken;
    zend_string *handle;
    size_t from = 0, i;
    zval arr;
    sl_status rc;

    int64_t started_us = sl_now_us();

    rc = sl_lock_acquire(&intern->locker, keys, groups, n_groups, ZSTR_VAL(owner), ZSTR_LEN(owner), ttl_ms, res,
                         err);
    slotlock_metrics_acquired(intern, rc, res, started_us);
    if (rc != SL_OK) {
        slotlock_service_fail(intern, keys, err);
        return rc;
    }
    if (res->candidate < 0) {
        slotlock_service_emit(intern, "conflict", keys, -1, res->ttl_ms,
                              sl_event_blocked_reason(res->blocked));
        return SL_OK;
    }
    for (i = 0; i < (size_t)res->candidate; i++) {
        from += groups[i];
    }
    taken = *keys;
    taken.keys += from;
    taken.lens += from;
    taken.count = groups[res->candidate];
    slotlock_service_emit(intern, res->fresh ? "acquired" : "reacquired", &taken, res->fence, res->ttl_ms, NULL);
    if (lock) {
        slotlock_keys_to_php(keys, from, from + groups[res->candidate], &arr, &handle);
        slotlock_lock_new(lock, handle, &arr, owner, (zend_long)res->fence, res->ttl_ms,
                          report_candidate ? (zend_long)res->candidate : -1, slotlock_load_timezone(intern) ? &intern->tz : NULL, slotlock_utc_template(intern));
        zend_string_release(handle);
    }
    return SL_OK;
}

sl_status slotlock_service_acquire(slotlock_service_obj *intern, sl_keylist *keys, zend_string *owner,
                                   zend_long ttl, sl_acquire_result *res, zval *lock, sl_error *err)
{
    size_t n = keys->count;

    return acquire_groups(intern, keys, &n, 1, owner, (int64_t)(ttl > 0 ? ttl : intern->ttl) * 1000, false, res,
                          lock, err);
}

sl_status slotlock_service_commit(slotlock_service_obj *intern, sl_keylist *keys, zend_string *owner,
                                  zend_string *booking_id, zend_long ttl, int *ok, sl_error *err)
{
    int64_t fence = 0, ttl_ms = (int64_t)(ttl > 0 ? ttl : intern->booked_ttl) * 1000;
    sl_status rc;

    rc = sl_lock_commit(&intern->locker, keys, ZSTR_VAL(owner), ZSTR_LEN(owner), booking_id ? ZSTR_VAL(booking_id) : "",
                        booking_id ? ZSTR_LEN(booking_id) : 0, ttl_ms, ok, &fence, err);
    if (rc != SL_OK) {
        slotlock_service_fail(intern, keys, err);
        return rc;
    }
    slotlock_service_emit(intern, *ok ? "committed" : "conflict", keys, *ok ? fence : -1, *ok ? ttl_ms : -1,
                          *ok ? NULL : "slot_locked");
    return SL_OK;
}

sl_status slotlock_service_release(slotlock_service_obj *intern, sl_keylist *keys, zend_string *owner, long *n,
                                   sl_error *err)
{
    sl_status rc = sl_lock_release(&intern->locker, keys, ZSTR_VAL(owner), ZSTR_LEN(owner), n, err);

    if (rc != SL_OK) {
        slotlock_service_fail(intern, keys, err);
        return rc;
    }
    if (*n > 0) {
        slotlock_service_emit(intern, "released", keys, -1, -1, NULL);
    }
    return SL_OK;
}

/* The shared tail of acquire, acquireSegments, acquireFirst and acquireResource. */
void slotlock_service_acquire_groups(slotlock_service_obj *intern, sl_keylist *keys, const size_t *groups, size_t n_groups,
                            zend_string *owner_arg, zend_long ttl, bool ttl_null, bool report_candidate,
                            zval *return_value)
{
    sl_acquire_result res;
    zend_string *owner = NULL;
    sl_error err;
    int64_t ttl_ms;

    if (!slotlock_arg_ttl(intern, ttl, ttl_null, &ttl_ms) || !slotlock_arg_owner(owner_arg, &owner)) {
        return;
    }
    if (acquire_groups(intern, keys, groups, n_groups, owner, ttl_ms, report_candidate, &res, return_value, &err) !=
        SL_OK) {
        if (!EG(exception)) {
            slotlock_throw(&err);
        }
    } else if (res.candidate < 0) {
        ZVAL_NULL(return_value);
    }
    zend_string_release(owner);
}
