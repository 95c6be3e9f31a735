/* SlotLock: the readonly value object a successful acquire returns. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/time.h>
#include <time.h>

#include "php.h"
#include "ext/date/php_date.h"
#include "zend_interfaces.h"

#include "slotlock_private.h"

zend_class_entry *slotlock_lock_ce;

/* Property slots, in stub order. */
enum { LOCK_KEY, LOCK_KEYS, LOCK_OWNER, LOCK_FENCE, LOCK_EXPIRES, LOCK_CANDIDATE };

static void lock_prop_set(zend_object *obj, int slot, zval *value)
{
    ZVAL_COPY_VALUE(OBJ_PROP_NUM(obj, slot), value);
}

/* A DateTimeImmutable for Unix time ms in tz (NULL: UTC). */
/* A DateTimeImmutable for Unix time ms in UTC, cloned from a UTC template:
 * a parse and a setTimezone() call cost more than the lock itself. */
static void make_utc_datetime(zval *rv, int64_t unix_ms, zval *tpl)
{
    zend_object *obj = Z_OBJ_HT_P(tpl)->clone_obj(Z_OBJ_P(tpl));
    timelib_time *t = php_date_obj_from_obj(obj)->time;
    time_t sec = (time_t)(unix_ms / 1000);
    struct tm tm;

    ZVAL_OBJ(rv, obj);
    if (!t || !gmtime_r(&sec, &tm)) {
        return;
    }
    t->y = tm.tm_year + 1900;
    t->m = tm.tm_mon + 1;
    t->d = tm.tm_mday;
    t->h = tm.tm_hour;
    t->i = tm.tm_min;
    t->s = tm.tm_sec;
    t->us = (unix_ms % 1000) * 1000;
    t->sse = (timelib_sll)sec;
    t->sse_uptodate = 1;
    t->tim_uptodate = 1;
    t->have_relative = 0;
}

static void make_datetime(zval *rv, int64_t unix_ms, zval *tz)
{
    char buf[48];
    zval utc;
    int len;

    len = snprintf(buf, sizeof(buf), "@%lld.%06lld", (long long)(unix_ms / 1000), (long long)(unix_ms % 1000) * 1000);
    php_date_instantiate(php_date_get_immutable_ce(), &utc);
    php_date_initialize(Z_PHPDATE_P(&utc), buf, (size_t)len, NULL, NULL, 0);
    if (!tz || Z_TYPE_P(tz) != IS_OBJECT) {
        ZVAL_COPY_VALUE(rv, &utc);
        return;
    }
    zend_call_method_with_1_params(Z_OBJ(utc), Z_OBJCE(utc), NULL, "settimezone", rv, tz);
    zval_ptr_dtor(&utc);
}

void slotlock_lock_new(zval *rv, zend_string *handle, zval *keys, zend_string *owner, zend_long fence,
                       int64_t ttl_ms, zend_long candidate, zval *tz, zval *utc_tpl)
{
    struct timeval now;
    zend_object *obj;
    zval tmp;

    object_init_ex(rv, slotlock_lock_ce);
    obj = Z_OBJ_P(rv);

    ZVAL_STR_COPY(&tmp, handle);
    lock_prop_set(obj, LOCK_KEY, &tmp);
    lock_prop_set(obj, LOCK_KEYS, keys);
    ZVAL_STR_COPY(&tmp, owner);
    lock_prop_set(obj, LOCK_OWNER, &tmp);
    if (fence > 0) {
        ZVAL_LONG(&tmp, fence);
    } else {
        ZVAL_NULL(&tmp); /* fencing off: no fence */
    }
    lock_prop_set(obj, LOCK_FENCE, &tmp);

    gettimeofday(&now, NULL);
    if (utc_tpl && Z_TYPE_P(utc_tpl) == IS_OBJECT) {
        make_utc_datetime(&tmp, (int64_t)now.tv_sec * 1000 + now.tv_usec / 1000 + ttl_ms, utc_tpl);
    } else {
        make_datetime(&tmp, (int64_t)now.tv_sec * 1000 + now.tv_usec / 1000 + ttl_ms, tz);
    }
    lock_prop_set(obj, LOCK_EXPIRES, &tmp);

    if (candidate >= 0) {
        ZVAL_LONG(&tmp, candidate);
    } else {
        ZVAL_NULL(&tmp);
    }
    lock_prop_set(obj, LOCK_CANDIDATE, &tmp);
}

ZEND_METHOD(SlotLock, __construct)
{
    ZEND_PARSE_PARAMETERS_NONE();
}

bool slotlock_lock_export(zend_object *obj, HashTable *into)
{
    zval *expires = OBJ_PROP_NUM(obj, LOCK_EXPIRES), iso, fmt, v;
    php_date_obj *d;
    struct timeval now;
    zend_long left = 0;

    if (Z_TYPE_P(expires) != IS_OBJECT) {
        zend_throw_error(NULL, "SlotLock object is not initialized");
        return false;
    }
    ZVAL_STRING(&fmt, "Y-m-d\\TH:i:sP");
    zend_call_method_with_1_params(Z_OBJ_P(expires), Z_OBJCE_P(expires), NULL, "format", &iso, &fmt);
    zval_ptr_dtor(&fmt);
    if (EG(exception)) {
        return false;
    }

    d = Z_PHPDATE_P(expires);
    gettimeofday(&now, NULL);
    if (d->time) {
        int64_t ms = ((int64_t)d->time->sse - now.tv_sec) * 1000 + (d->time->us - now.tv_usec) / 1000;
        left = ms > 0 ? (zend_long)((ms + 999) / 1000) : 0;
    }

    ZVAL_COPY(&v, OBJ_PROP_NUM(obj, LOCK_KEY));
    zend_hash_str_update(into, "lock_key", sizeof("lock_key") - 1, &v);
    zend_hash_str_update(into, "lock_expires_at", sizeof("lock_expires_at") - 1, &iso);
    ZVAL_LONG(&v, left);
    zend_hash_str_update(into, "lock_ttl", sizeof("lock_ttl") - 1, &v);
    ZVAL_COPY(&v, OBJ_PROP_NUM(obj, LOCK_FENCE));
    zend_hash_str_update(into, "fence", sizeof("fence") - 1, &v);
    return true;
}

ZEND_METHOD(SlotLock, toArray)
{
    ZEND_PARSE_PARAMETERS_NONE();

    array_init_size(return_value, 4);
    if (!slotlock_lock_export(Z_OBJ_P(ZEND_THIS), Z_ARRVAL_P(return_value))) {
        zval_ptr_dtor(return_value);
        ZVAL_UNDEF(return_value);
        RETURN_THROWS();
    }
}

void slotlock_lock_minit(void)
{
    /* Created only by SlotLockService: a private constructor, and no clones
     * (a clone of a readonly value object adds nothing). */
}
