/*
 * PHP values -> core types: ids, instants and wall clocks, segment lists,
 * owners, TTLs, lock handles, keys, and the constructor's options. Each
 * function returns false with an exception thrown. Shared by
 * SlotLockService and AvailabilityWithLock.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <time.h>

#include "php.h"
#include "ext/date/php_date.h"
#include "ext/standard/php_random.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"

#include "slotlock_private.h"

/* ---- Time zone ---------------------------------------------------------- */

/* Makes intern->tz a DateTimeZone for key_timezone; ValueError if unknown. */
bool slotlock_load_timezone(slotlock_service_obj *intern)
{
    zval name;

    if (Z_TYPE(intern->tz) == IS_OBJECT) {
        return true;
    }
    object_init_ex(&intern->tz, php_date_get_timezone_ce());
    ZVAL_STR_COPY(&name, intern->tz_name);
    zend_call_known_instance_method_with_1_params(Z_OBJCE(intern->tz)->constructor, Z_OBJ(intern->tz), NULL,
                                                  &name);
    zval_ptr_dtor(&name);
    if (EG(exception)) {
        zval_ptr_dtor(&intern->tz);
        ZVAL_UNDEF(&intern->tz);
        if (slotlock_exception_is_exit()) {
            return false; /* exit() from a signal handler: let it unwind */
        }
        zend_clear_exception();
        zend_value_error("SlotLockService::__construct(): Option \"key_timezone\" is not a known time zone");
        return false;
    }
    return true;
}

/* UTC services: the template expiresAt values are cloned from (NULL otherwise). */
zval *slotlock_utc_template(slotlock_service_obj *intern)
{
    zval at;

    if (!intern->tz_utc) {
        return NULL;
    }
    if (Z_TYPE(intern->utc_tpl) != IS_OBJECT) {
        if (!slotlock_load_timezone(intern)) {
            return NULL;
        }
        php_date_instantiate(php_date_get_immutable_ce(), &at);
        php_date_initialize(Z_PHPDATE_P(&at), "@0", 2, NULL, NULL, 0);
        zend_call_method_with_1_params(Z_OBJ(at), Z_OBJCE(at), NULL, "settimezone", &intern->utc_tpl, &intern->tz);
        zval_ptr_dtor(&at);
        if (EG(exception) || Z_TYPE(intern->utc_tpl) != IS_OBJECT) {
            zval_ptr_dtor(&intern->utc_tpl);
            ZVAL_UNDEF(&intern->utc_tpl);
            return NULL;
        }
    }
    return &intern->utc_tpl;
}

int slotlock_random(void *buf, size_t len)
{
    return php_random_bytes(buf, len, true) == SUCCESS ? 0 : -1;
}

/* ---- Options ------------------------------------------------------------ */

/* A PHP option value as the core's sl_optval (borrowing its bytes). */
static void optval_from_zval(zval *value, sl_optval *v)
{
    memset(v, 0, sizeof(*v));
    ZVAL_DEREF(value);
    v->type_name = zend_zval_type_name(value);
    switch (Z_TYPE_P(value)) {
        case IS_NULL:
            v->type = SL_OPT_NULL;
            break;
        case IS_TRUE:
        case IS_FALSE:
            v->type = SL_OPT_BOOL;
            v->i = Z_TYPE_P(value) == IS_TRUE;
            break;
        case IS_LONG:
            v->type = SL_OPT_INT;
            v->i = (int64_t)Z_LVAL_P(value);
            break;
        case IS_DOUBLE:
            v->type = SL_OPT_FLOAT;
            v->d = Z_DVAL_P(value);
            break;
        case IS_STRING:
            v->type = SL_OPT_STRING;
            v->s = Z_STRVAL_P(value);
            v->len = Z_STRLEN_P(value);
            break;
        case IS_ARRAY:
            v->type = SL_OPT_LIST;
            v->len = zend_hash_num_elements(Z_ARRVAL_P(value));
            break;
        default:
            v->type = SL_OPT_OTHER;
            break;
    }
}

static bool config_fail(const sl_error *err)
{
    slotlock_throw(err);
    return false;
}

/* The INI defaults, with their own message for a bad slotlock.dsn. */
static bool config_from_ini(sl_config *c)
{
    const char *dsn = SLOTLOCK_G(dsn), *prefix = SLOTLOCK_G(prefix), *tz = SLOTLOCK_G(key_timezone);
    sl_error err;

    if (sl_config_init(c, &err) != SL_OK) {
        return config_fail(&err);
    }
    c->ep.timeout = SLOTLOCK_G(timeout);
    c->ttl = (long)SLOTLOCK_G(ttl);
    c->booked_ttl = (long)SLOTLOCK_G(booked_ttl);
    c->bucket = (long)SLOTLOCK_G(bucket);
    c->persistent = SLOTLOCK_G(persistent);
    if ((tz && *tz && sl_config_timezone(c, tz, strlen(tz), &err) != SL_OK) ||
        (prefix && sl_config_prefix(c, prefix, strlen(prefix), &err) != SL_OK)) {
        return config_fail(&err);
    }
    if (dsn && *dsn && sl_config_dsn(c, dsn, strlen(dsn), &err) != SL_OK) {
        zend_value_error("slotlock.dsn: %s", err.msg);
        return false;
    }
    return true;
}

/* Option "tls": true/false, or an array of PHP ssl-context names. */
static bool config_tls(sl_config *c, zval *value)
{
    zend_string *key;
    zval *entry;
    sl_optval v;
    sl_error err;

    ZVAL_DEREF(value);
    if (Z_TYPE_P(value) != IS_ARRAY) {
        optval_from_zval(value, &v);
        return sl_config_tls(c, &v, &err) == SL_OK || config_fail(&err);
    }
    v.type = SL_OPT_BOOL;
    v.type_name = "bool";
    v.i = 1;
    if (sl_config_tls(c, &v, &err) != SL_OK) {
        return config_fail(&err);
    }
    ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(value), key, entry) {
        if (!key) {
            zend_value_error("SlotLockService::__construct(): Option \"tls\" must be keyed by name");
            return false;
        }
        optval_from_zval(entry, &v);
        if (sl_config_tls_set(c, ZSTR_VAL(key), ZSTR_LEN(key), &v, &err) != SL_OK) {
            return config_fail(&err);
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

/* The array form: "dsn" first, so the other entries refine it. *nodes gets
 * the cluster/sentinel/nodes list, if any. */
static bool config_from_array(sl_config *c, HashTable *ht, HashTable **nodes)
{
    zend_string *name;
    zval *value;
    sl_optval v;
    sl_error err;

    if ((value = zend_hash_str_find_deref(ht, "dsn", sizeof("dsn") - 1)) != NULL) {
        if (Z_TYPE_P(value) != IS_STRING) {
            zend_type_error("SlotLockService::__construct(): Option \"dsn\" must be of type string, %s given",
                            zend_zval_type_name(value));
            return false;
        }
        if (sl_config_dsn(c, Z_STRVAL_P(value), Z_STRLEN_P(value), &err) != SL_OK) {
            return config_fail(&err);
        }
    }
    ZEND_HASH_FOREACH_STR_KEY_VAL(ht, name, value) {
        if (!name) {
            zend_value_error("SlotLockService::__construct(): Options must be keyed by name");
            return false;
        }
        if (zend_string_equals_literal(name, "dsn")) {
            continue;
        }
        if (zend_string_equals_literal(name, "tls")) {
            if (!config_tls(c, value)) {
                return false;
            }
            continue;
        }
        optval_from_zval(value, &v);
        if (sl_config_set(c, ZSTR_VAL(name), ZSTR_LEN(name), &v, &err) != SL_OK) {
            return config_fail(&err);
        }
        if (v.type == SL_OPT_LIST) { /* only the node lists take an array */
            ZVAL_DEREF(value);
            *nodes = Z_ARRVAL_P(value);
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

bool slotlock_args_config(zend_string *dsn, HashTable *opts, sl_config *c)
{
    HashTable *nodes = NULL;
    zval *entry;
    sl_optval v;
    sl_error err;

    if (!config_from_ini(c)) {
        return false;
    }
    if (dsn && sl_config_dsn(c, ZSTR_VAL(dsn), ZSTR_LEN(dsn), &err) != SL_OK) {
        return config_fail(&err);
    }
    if ((opts && !config_from_array(c, opts, &nodes)) || sl_config_check(c, &err) != SL_OK) {
        return EG(exception) ? false : config_fail(&err);
    }
    if (nodes) {
        ZEND_HASH_FOREACH_VAL(nodes, entry) {
            optval_from_zval(entry, &v);
            if (sl_config_add_node(c, &v, &err) != SL_OK) {
                return config_fail(&err);
            }
        } ZEND_HASH_FOREACH_END();
    }
    if (sl_config_tls_default_ca(c, SLOTLOCK_G(tls_cafile), &err) != SL_OK) {
        return config_fail(&err);
    }
    return true;
}

/* ---- Arguments ---------------------------------------------------------- */

/* An id as text: positive int, or [A-Za-z0-9_-]{1,64}. */
bool slotlock_arg_id(zval *id, const char *name, char out[SL_ID_MAX + 1])
{
    sl_error err;

    ZVAL_DEREF(id);
    if (Z_TYPE_P(id) == IS_LONG) {
        if (Z_LVAL_P(id) < 1) {
            zend_value_error("%s must be a positive integer or 1 to %d characters of [A-Za-z0-9_-]", name,
                             SL_ID_MAX);
            return false;
        }
        snprintf(out, SL_ID_MAX + 1, ZEND_LONG_FMT, Z_LVAL_P(id));
        return true;
    }
    if (Z_TYPE_P(id) != IS_STRING) {
        zend_type_error("%s must be of type int|string, %s given", name, zend_zval_type_name(id));
        return false;
    }
    if (sl_id_check(Z_STRVAL_P(id), Z_STRLEN_P(id), name, &err) != SL_OK) {
        slotlock_throw(&err);
        return false;
    }
    memcpy(out, Z_STRVAL_P(id), Z_STRLEN_P(id) + 1);
    return true;
}

/* The instant a start argument names, in Unix seconds, on a whole minute.
 * Strings without a zone are read in key_timezone. */
bool slotlock_arg_instant(slotlock_service_obj *intern, zval *start, const char *name, int64_t *sse)
{
    zval parsed;
    php_date_obj *d;
    bool whole;

    ZVAL_DEREF(start);
    ZVAL_UNDEF(&parsed);
    if (Z_TYPE_P(start) == IS_STRING) {
        if (Z_STRLEN_P(start) == 0 || Z_STRLEN_P(start) > 128 || memchr(Z_STRVAL_P(start), '\0', Z_STRLEN_P(start))) {
            zend_value_error("%s is not a valid date and time", name);
            return false;
        }
        if (!slotlock_load_timezone(intern)) {
            return false;
        }
        php_date_instantiate(php_date_get_immutable_ce(), &parsed);
        if (!php_date_initialize(Z_PHPDATE_P(&parsed), Z_STRVAL_P(start), Z_STRLEN_P(start), NULL, &intern->tz,
                                 PHP_DATE_INIT_CTOR) ||
            EG(exception)) {
            zval_ptr_dtor(&parsed);
            if (slotlock_exception_is_exit()) {
                return false;
            }
            zend_clear_exception();
            zend_value_error("%s is not a valid date and time", name);
            return false;
        }
        start = &parsed;
    } else if (Z_TYPE_P(start) != IS_OBJECT || !instanceof_function(Z_OBJCE_P(start), php_date_get_interface_ce())) {
        zend_type_error("%s must be of type DateTimeInterface|string, %s given", name, zend_zval_type_name(start));
        return false;
    }

    d = Z_PHPDATE_P(start);
    if (!d->time) {
        zval_ptr_dtor(&parsed);
        zend_value_error("%s is an uninitialized DateTime object", name);
        return false;
    }
    *sse = (int64_t)d->time->sse;
    whole = d->time->us == 0 && ((*sse % 60) + 60) % 60 == 0;
    zval_ptr_dtor(&parsed);
    if (*sse < SL_UNIX_MIN || *sse >= SL_UNIX_MAX) {
        zend_value_error("%s must be in the years 1000 to 9999", name);
        return false;
    }
    if (!whole) {
        zend_value_error("%s must be on a whole minute (seconds must be 0)", name);
        return false;
    }
    return true;
}

/* The wall clock of an instant in key_timezone. */
bool slotlock_wall_clock(slotlock_service_obj *intern, int64_t sse, const char *name, sl_slot_time *out)
{
    sl_error err;

    if (intern->tz_utc) {
        struct tm tm;
        time_t t = (time_t)sse;
        if (!gmtime_r(&t, &tm)) {
            zend_value_error("%s is out of range", name);
            return false;
        }
        out->year = tm.tm_year + 1900;
        out->month = tm.tm_mon + 1;
        out->day = tm.tm_mday;
        out->hour = tm.tm_hour;
        out->minute = tm.tm_min;
    } else {
        /* Another zone: let ext/date convert (DST and history included). */
        char buf[32];
        zval at, local;
        const timelib_time *lt;
        int len = snprintf(buf, sizeof(buf), "@%lld", (long long)sse);

        php_date_instantiate(php_date_get_immutable_ce(), &at);
        php_date_initialize(Z_PHPDATE_P(&at), buf, (size_t)len, NULL, NULL, 0);
        zend_call_method_with_1_params(Z_OBJ(at), Z_OBJCE(at), NULL, "settimezone", &local, &intern->tz);
        zval_ptr_dtor(&at);
        if (EG(exception) || Z_TYPE(local) != IS_OBJECT) {
            zval_ptr_dtor(&local);
            return false;
        }
        lt = Z_PHPDATE_P(&local)->time;
        out->year = (int)lt->y;
        out->month = (int)lt->m;
        out->day = (int)lt->d;
        out->hour = (int)lt->h;
        out->minute = (int)lt->i;
        zval_ptr_dtor(&local);
    }
    if (sl_slot_time_check(out, name, &err) != SL_OK) {
        slotlock_throw(&err);
        return false;
    }
    return true;
}


bool slotlock_arg_owner(zend_string *owner, zend_string **out)
{
    sl_error err;
    char token[SL_TOKEN_LEN + 1];

    if (owner) {
        if (sl_owner_check(ZSTR_VAL(owner), ZSTR_LEN(owner), &err) != SL_OK) {
            slotlock_throw(&err);
            return false;
        }
        *out = zend_string_copy(owner);
        return true;
    }
    if (sl_owner_generate(token, slotlock_random, &err) != SL_OK) {
        if (!EG(exception)) {
            slotlock_throw(&err);
        }
        return false;
    }
    *out = zend_string_init(token, SL_TOKEN_LEN, 0);
    return true;
}

bool slotlock_arg_ttl(slotlock_service_obj *intern, zend_long ttl, bool is_null, int64_t *ms)
{
    sl_error err;

    if (is_null) {
        ttl = intern->ttl;
    }
    if (sl_ttl_check(ttl, "$ttl", &err) != SL_OK) {
        slotlock_throw(&err);
        return false;
    }
    *ms = (int64_t)ttl * 1000;
    return true;
}

/* A SlotLock or a handle string → its keys. */
bool slotlock_arg_handle(slotlock_service_obj *intern, zend_object *lock_obj, zend_string *lock_str, sl_keylist *keys)
{
    sl_error err;
    zend_string *handle = lock_str;

    if (lock_obj) {
        zval *k = OBJ_PROP_NUM(lock_obj, 0);
        if (Z_TYPE_P(k) != IS_STRING) {
            zend_value_error("$lock is an uninitialized SlotLock");
            return false;
        }
        handle = Z_STR_P(k);
    }
    if (sl_handle_parse(intern->locker.prefix, ZSTR_VAL(handle), ZSTR_LEN(handle), keys, &err) != SL_OK) {
        slotlock_throw(&err);
        return false;
    }
    return true;
}

/* keys[from, to) as a PHP list, and their handle. */
void slotlock_keys_to_php(const sl_keylist *keys, size_t from, size_t to, zval *arr, zend_string **handle)
{
    size_t i, len;
    char *joined;

    array_init_size(arr, (uint32_t)(to - from));
    for (i = from; i < to; i++) {
        add_next_index_stringl(arr, keys->keys[i], keys->lens[i]);
    }
    if (to - from == 1) {
        *handle = zend_string_init(keys->keys[from], keys->lens[from], 0);
        return;
    }
    joined = sl_handle_join(keys, from, to, &len);
    *handle = zend_string_init(joined ? joined : "", joined ? len : 0, 0);
    free(joined);
}

/* A lock (object or handle) and the owner claiming it: keys, or an exception. */
bool slotlock_arg_lock_owner(slotlock_service_obj *intern, zend_object *lock_obj, zend_string *lock_str,
                           zend_string *owner, sl_keylist *keys)
{
    sl_error err;

    sl_keylist_init(keys);
    if (sl_owner_check(ZSTR_VAL(owner), ZSTR_LEN(owner), &err) != SL_OK) {
        slotlock_throw(&err);
        return false;
    }
    return slotlock_arg_handle(intern, lock_obj, lock_str, keys);
}
