/* AvailabilityWithLock: check_availability and start_booking over SlotLockService. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "slotlock_private.h"

zend_class_entry *slotlock_availability_ce;
static zend_object_handlers slotlock_availability_handlers;

typedef struct {
    zval service; /* the SlotLockService, IS_UNDEF before the constructor */
    zend_object std;
} slotlock_availability_obj;

static inline slotlock_availability_obj *availability_from_obj(zend_object *obj)
{
    return (slotlock_availability_obj *)((char *)obj - XtOffsetOf(slotlock_availability_obj, std));
}

#define AVAILABILITY_FETCH(svc)                                                                \
    do {                                                                                       \
        slotlock_availability_obj *a_ = availability_from_obj(Z_OBJ_P(ZEND_THIS));             \
        if (Z_TYPE(a_->service) != IS_OBJECT) {                                                \
            zend_throw_error(NULL, "AvailabilityWithLock object is not initialized");          \
            RETURN_THROWS();                                                                   \
        }                                                                                      \
        (svc) = slotlock_service_from_obj(Z_OBJ(a_->service));                                 \
    } while (0)

static zend_object *availability_create(zend_class_entry *ce)
{
    slotlock_availability_obj *intern = zend_object_alloc(sizeof(slotlock_availability_obj), ce);

    zend_object_std_init(&intern->std, ce);
    object_properties_init(&intern->std, ce);
    intern->std.handlers = &slotlock_availability_handlers;
    ZVAL_UNDEF(&intern->service);
    return &intern->std;
}

static void availability_free(zend_object *object)
{
    slotlock_availability_obj *intern = availability_from_obj(object);

    zval_ptr_dtor(&intern->service);
    zend_object_std_dtor(object);
}

static HashTable *availability_get_gc(zend_object *object, zval **table, int *n)
{
    slotlock_availability_obj *intern = availability_from_obj(object);

    *table = Z_TYPE(intern->service) == IS_UNDEF ? NULL : &intern->service;
    *n = Z_TYPE(intern->service) == IS_UNDEF ? 0 : 1;
    return zend_std_get_properties(object);
}

PHP_METHOD(AvailabilityWithLock, __construct)
{
    slotlock_availability_obj *intern = availability_from_obj(Z_OBJ_P(ZEND_THIS));
    zval *service;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_OBJECT_OF_CLASS(service, slotlock_service_ce)
    ZEND_PARSE_PARAMETERS_END();

    if (Z_TYPE(intern->service) != IS_UNDEF) {
        zend_throw_error(NULL, "AvailabilityWithLock object is already constructed");
        RETURN_THROWS();
    }
    if (!slotlock_service_from_obj(Z_OBJ_P(service))->initialized) {
        zend_throw_error(NULL, "SlotLockService object is not initialized");
        RETURN_THROWS();
    }
    ZVAL_COPY(&intern->service, service);
}

static void set_str(HashTable *ht, const char *k, const char *v)
{
    zval z;

    ZVAL_STRING(&z, v);
    zend_hash_str_update(ht, k, strlen(k), &z);
}

static void set_long(HashTable *ht, const char *k, zend_long v)
{
    zval z;

    ZVAL_LONG(&z, v);
    zend_hash_str_update(ht, k, strlen(k), &z);
}

static void set_bool(HashTable *ht, const char *k, bool v)
{
    zval z;

    ZVAL_BOOL(&z, v);
    zend_hash_str_update(ht, k, strlen(k), &z);
}

static void set_null(HashTable *ht, const char *k)
{
    zval z;

    ZVAL_NULL(&z);
    zend_hash_str_update(ht, k, strlen(k), &z);
}

static zend_long seconds_up(int64_t ms)
{
    return ms < 0 ? 0 : (zend_long)((ms + 999) / 1000);
}

/* Is the availability answer a yes? ValueError when it does not say. */
static bool availability_says_available(HashTable *availability, bool *available)
{
    zval *v = zend_hash_str_find(availability, "available", sizeof("available") - 1);

    if (!v) {
        zend_value_error("$availability must have an \"available\" entry");
        return false;
    }
    *available = zend_is_true(v);
    return true;
}

static bool check_owner_ttl(zend_string *owner, zend_long ttl, bool ttl_null)
{
    sl_error err;

    if (sl_owner_check(ZSTR_VAL(owner), ZSTR_LEN(owner), &err) != SL_OK ||
        (!ttl_null && sl_ttl_check(ttl, "$ttl", &err) != SL_OK)) {
        slotlock_throw(&err);
        return false;
    }
    return true;
}

/* Whether check() should lock at all. When not, return_value holds the
 * answer: the input unchanged (disabled, or not available), or an exception
 * was thrown. */
static bool check_gate(HashTable *availability, zend_string *owner, zend_long ttl, bool ttl_null, zval *return_value)
{
    bool available;

    if (!SLOTLOCK_G(enabled)) {
        RETVAL_ARR(zend_array_dup(availability));
        return false;
    }
    if (!availability_says_available(availability, &available) || !check_owner_ttl(owner, ttl, ttl_null)) {
        return false;
    }
    if (!available) {
        RETVAL_ARR(zend_array_dup(availability));
        return false;
    }
    return true;
}

/* The shared part of check() and checkResource(): keys are built. */
static void check_keys(slotlock_service_obj *svc, HashTable *availability, sl_keylist *keys, zend_string *owner,
                       zend_long ttl, zval *return_value)
{
    sl_acquire_result res;
    sl_error err;
    zval lock;
    HashTable *out;

    ZVAL_UNDEF(&lock);
    if (slotlock_service_acquire(svc, keys, owner, ttl, &res, &lock, &err) != SL_OK) {
        if (SLOTLOCK_G(fail_closed) || !sl_status_is_connection(err.code) || EG(exception)) {
            if (!EG(exception)) {
                slotlock_throw(&err);
            }
            return;
        }
        /* fail open: the booking flow goes on as it did before locking */
        out = zend_array_dup(availability);
        set_str(out, "lock_status", "unavailable");
        RETURN_ARR(out);
    }
    out = zend_array_dup(availability);
    if (res.candidate >= 0) {
        if (!slotlock_lock_export(Z_OBJ(lock), out)) {
            zend_array_destroy(out);
            zval_ptr_dtor(&lock);
            return;
        }
        set_str(out, "lock_status", res.fresh ? "acquired" : "reacquired");
        zval_ptr_dtor(&lock);
        RETURN_ARR(out);
    }
    set_bool(out, "available", false);
    set_str(out, "reason", res.blocked == SL_BLOCKED_LOCKED ? "slot_locked" : "slot_booked");
    if (res.ttl_ms >= 0) {
        set_long(out, "retry_after", seconds_up(res.ttl_ms));
    } else {
        set_null(out, "retry_after");
    }
    set_str(out, "lock_status", "conflict");
    RETURN_ARR(out);
}

PHP_METHOD(AvailabilityWithLock, check)
{
    slotlock_service_obj *svc;
    HashTable *availability;
    zval *company, *service, *start;
    zend_string *owner;
    zend_long ttl = 0;
    bool ttl_null = true;
    sl_keylist keys;

    ZEND_PARSE_PARAMETERS_START(5, 6)
        Z_PARAM_ARRAY_HT(availability)
        Z_PARAM_ZVAL(company)
        Z_PARAM_ZVAL(service)
        Z_PARAM_ZVAL(start)
        Z_PARAM_STR(owner)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(ttl, ttl_null)
    ZEND_PARSE_PARAMETERS_END();
    AVAILABILITY_FETCH(svc);

    if (!check_gate(availability, owner, ttl, ttl_null, return_value)) {
        return;
    }
    sl_keylist_init(&keys);
    if (slotlock_service_slot_keys(svc, company, service, start, &keys)) {
        check_keys(svc, availability, &keys, owner, ttl_null ? 0 : ttl, return_value);
    }
    sl_keylist_free(&keys);
}

PHP_METHOD(AvailabilityWithLock, checkResource)
{
    slotlock_service_obj *svc;
    HashTable *availability;
    zval *company, *resource, *start, *end;
    zend_string *owner;
    zend_long ttl = 0, before = 0, after = 0;
    bool ttl_null = true;
    sl_keylist keys;

    ZEND_PARSE_PARAMETERS_START(6, 9)
        Z_PARAM_ARRAY_HT(availability)
        Z_PARAM_ZVAL(company)
        Z_PARAM_ZVAL(resource)
        Z_PARAM_ZVAL(start)
        Z_PARAM_ZVAL(end)
        Z_PARAM_STR(owner)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(ttl, ttl_null)
        Z_PARAM_LONG(before)
        Z_PARAM_LONG(after)
    ZEND_PARSE_PARAMETERS_END();
    AVAILABILITY_FETCH(svc);

    if (!check_gate(availability, owner, ttl, ttl_null, return_value)) {
        return;
    }
    sl_keylist_init(&keys);
    if (slotlock_service_resource_keys(svc, company, resource, start, end, before, after, &keys)) {
        check_keys(svc, availability, &keys, owner, ttl_null ? 0 : ttl, return_value);
    }
    sl_keylist_free(&keys);
}

/* ['ok' => ok, 'reason' => reason, 'fence' => fence or null] */
static void booking_answer(zval *rv, bool ok, const char *reason, int64_t fence)
{
    array_init_size(rv, 4);
    set_bool(Z_ARRVAL_P(rv), "ok", ok);
    set_str(Z_ARRVAL_P(rv), "reason", reason);
    if (fence > 0) {
        set_long(Z_ARRVAL_P(rv), "fence", (zend_long)fence);
    } else {
        set_null(Z_ARRVAL_P(rv), "fence");
    }
}

/* Parses a lock key; false (no exception) when it is malformed. */
static bool booking_keys(slotlock_service_obj *svc, zend_string *key, sl_keylist *keys)
{
    if (slotlock_service_handle(svc, key, keys)) {
        return true;
    }
    if (!slotlock_exception_is_exit()) {
        zend_clear_exception();
    }
    return false;
}

/* The slot of beginBooking()'s optional fallback: all three arguments or none.
 * False with an exception thrown; *given says whether there is a slot. */
static bool booking_slot_args(zval *company, zval *service, zval *start, bool *given)
{
    int n = (company != NULL) + (service != NULL) + (start != NULL);

    *given = n == 3;
    if (n != 0 && n != 3) {
        zend_value_error("$companyId, $service and $start must be given together (or none of them)");
        return false;
    }
    return true;
}

PHP_METHOD(AvailabilityWithLock, beginBooking)
{
    slotlock_service_obj *svc;
    zend_string *key = NULL, *owner;
    zval *company = NULL, *service = NULL, *start = NULL;
    sl_acquire_result res;
    sl_keylist keys;
    sl_error err;
    bool by_slot;

    ZEND_PARSE_PARAMETERS_START(2, 5)
        Z_PARAM_STR_OR_NULL(key)
        Z_PARAM_STR(owner)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL_OR_NULL(company)
        Z_PARAM_ZVAL_OR_NULL(service)
        Z_PARAM_ZVAL_OR_NULL(start)
    ZEND_PARSE_PARAMETERS_END();
    AVAILABILITY_FETCH(svc);

    if (!booking_slot_args(company, service, start, &by_slot)) {
        RETURN_THROWS();
    }
    if (!SLOTLOCK_G(enabled)) {
        booking_answer(return_value, true, "disabled", 0);
        return;
    }
    if (!check_owner_ttl(owner, 0, true)) {
        RETURN_THROWS();
    }
    if (key && ZSTR_LEN(key) == 0) {
        key = NULL;
    }
    if (!key && !by_slot) {
        /* an older agent prompt that does not carry the lock key, and no slot to lock */
        booking_answer(return_value, true, "no_lock_key", 0);
        return;
    }
    sl_keylist_init(&keys);
    if (key) {
        by_slot = false;
        if (!booking_keys(svc, key, &keys)) {
            booking_answer(return_value, false, "invalid_lock_key", 0);
            return;
        }
    } else if (!slotlock_service_slot_keys(svc, company, service, start, &keys)) {
        /* no lock key: the slot's own keys, taken for the owner like check() would */
        sl_keylist_free(&keys);
        RETURN_THROWS();
    }
    if (slotlock_service_acquire(svc, &keys, owner, 0, &res, NULL, &err) != SL_OK) {
        sl_keylist_free(&keys);
        if (SLOTLOCK_G(fail_closed) || !sl_status_is_connection(err.code) || EG(exception)) {
            if (!EG(exception)) {
                slotlock_throw(&err);
            }
            RETURN_THROWS();
        }
        booking_answer(return_value, true, "lock_unavailable", 0);
        set_str(Z_ARRVAL_P(return_value), "lock_status", "unavailable");
        return;
    }
    if (res.candidate >= 0) {
        if (res.fresh) {
            /* with a lock key: the hold expired before the booking, and nobody
             * took the slot; without one: the slot was free, now it is held */
            if (!by_slot) {
                SLOTLOCK_G(stats).expired_before_booking++;
            }
            SLOTLOCK_G(stats).relocked++;
            slotlock_service_emit(svc, "relocked", &keys, res.fence, res.ttl_ms, by_slot ? "no_lock_key" : "expired");
        }
        booking_answer(return_value, true, res.fresh ? "relocked" : "locked", res.fence);
        if (by_slot) {
            /* what finishBooking() needs: the handle check() would have handed out */
            size_t len = 0;
            char *handle = sl_handle_join(&keys, 0, keys.count, &len);

            if (handle) {
                add_assoc_stringl(return_value, "lock_key", handle, len);
                free(handle);
            }
        }
    } else if (res.blocked == SL_BLOCKED_BOOKED_SELF) {
        /* a retried start_booking: hand back the booking already made */
        sl_metrics_add(&SLOTLOCK_G(metrics), SL_M_already_booked, 1);
        booking_answer(return_value, false, "already_booked", 0);
        add_assoc_stringl(return_value, "booking_id", res.booking_id, res.booking_id_len);
    } else {
        if (res.blocked == SL_BLOCKED_LOCKED && !by_slot) {
            SLOTLOCK_G(stats).expired_before_booking++;
        }
        booking_answer(return_value, false, res.blocked == SL_BLOCKED_LOCKED ? "slot_locked" : "slot_booked", 0);
        if (res.ttl_ms >= 0) {
            add_assoc_long(return_value, "retry_after", seconds_up(res.ttl_ms));
        }
    }
    sl_keylist_free(&keys);
}

PHP_METHOD(AvailabilityWithLock, finishBooking)
{
    slotlock_service_obj *svc;
    zend_string *key = NULL, *owner, *booking_id = NULL;
    bool booked;
    sl_keylist keys;
    sl_error err;
    sl_status rc;
    long released = 0;
    int ok = 0;

    ZEND_PARSE_PARAMETERS_START(3, 4)
        Z_PARAM_STR_OR_NULL(key)
        Z_PARAM_STR(owner)
        Z_PARAM_BOOL(booked)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(booking_id)
    ZEND_PARSE_PARAMETERS_END();
    AVAILABILITY_FETCH(svc);

    if (!check_owner_ttl(owner, 0, true)) {
        RETURN_THROWS();
    }
    if (booking_id && (ZSTR_LEN(booking_id) > SL_BOOKING_ID_MAX ||
                       memchr(ZSTR_VAL(booking_id), '\0', ZSTR_LEN(booking_id)))) {
        zend_value_error("$bookingId must be at most %d bytes without NUL bytes", SL_BOOKING_ID_MAX);
        RETURN_THROWS();
    }
    if (!SLOTLOCK_G(enabled) || !key || ZSTR_LEN(key) == 0) {
        RETURN_TRUE;
    }
    sl_keylist_init(&keys);
    if (!booking_keys(svc, key, &keys)) {
        RETURN_FALSE;
    }
    if (booked) {
        /* Keep the slot closed for booked_ttl instead of deleting the hold:
         * a caller whose availability answer predates this booking would
         * otherwise take the freed slot and book it again. */
        rc = slotlock_service_commit(svc, &keys, owner, booking_id, 0, &ok, &err);
    } else {
        rc = slotlock_service_release(svc, &keys, owner, &released, &err);
        ok = released > 0;
    }
    sl_keylist_free(&keys);
    if (rc != SL_OK) {
        if (SLOTLOCK_G(fail_closed) || !sl_status_is_connection(err.code) || EG(exception)) {
            if (!EG(exception)) {
                slotlock_throw(&err);
            }
            RETURN_THROWS();
        }
        RETURN_FALSE;
    }
    RETURN_BOOL(ok);
}

void slotlock_availability_minit(void)
{
    slotlock_availability_ce->create_object = availability_create;

    memcpy(&slotlock_availability_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    slotlock_availability_handlers.offset = XtOffsetOf(slotlock_availability_obj, std);
    slotlock_availability_handlers.free_obj = availability_free;
    slotlock_availability_handlers.clone_obj = NULL;
    slotlock_availability_handlers.get_gc = availability_get_gc;
}
