/* SlotLockService: options, argument checks, and the calls into src/. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <time.h>

#include "php.h"
#include "ext/date/php_date.h"
#include "ext/random/php_random.h" /* 8.4 removed ext/standard/php_random.h */
#include "zend_exceptions.h"
#include "zend_interfaces.h"

#include "php_slotlock.h"

zend_class_entry *slotlock_service_ce;
static zend_object_handlers slotlock_service_handlers;

#define Z_SLOTLOCK_SERVICE_P(zv) slotlock_service_from_obj(Z_OBJ_P(zv))
#define service_from_obj slotlock_service_from_obj

/* Fetches the object, or throws when its constructor never ran or failed. */
#define SERVICE_FETCH(intern)                                                                  \
    do {                                                                                       \
        (intern) = Z_SLOTLOCK_SERVICE_P(ZEND_THIS);                                            \
        if (!(intern)->initialized) {                                                          \
            zend_throw_error(NULL, "SlotLockService object is not initialized");               \
            RETURN_THROWS();                                                                   \
        }                                                                                      \
    } while (0)

static zend_object *service_create(zend_class_entry *ce)
{
    slotlock_service_obj *intern = zend_object_alloc(sizeof(slotlock_service_obj), ce);

    zend_object_std_init(&intern->std, ce);
    object_properties_init(&intern->std, ce);
    intern->std.handlers = &slotlock_service_handlers;
    ZVAL_UNDEF(&intern->tz);
    ZVAL_UNDEF(&intern->listener);
    ZVAL_UNDEF(&intern->utc_tpl);
    return &intern->std;
}

static void service_free(zend_object *object)
{
    slotlock_service_obj *intern = service_from_obj(object);

    if (intern->initialized) {
        slotlock_metrics_service_gone(intern);
        /* A clean persistent connection goes back to the pool; anything
         * else (error, half-read reply, another pid) is closed. */
        sl_topology_free(&intern->topo);
    }
    if (intern->tz_name) {
        zend_string_release(intern->tz_name);
    }
    zval_ptr_dtor(&intern->tz);
    zval_ptr_dtor(&intern->listener);
    zval_ptr_dtor(&intern->utc_tpl);
    zend_object_std_dtor(object);
}

static HashTable *service_get_gc(zend_object *object, zval **table, int *n)
{
    slotlock_service_obj *intern = service_from_obj(object);

    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();

    zend_get_gc_buffer_add_zval(buf, &intern->tz);
    zend_get_gc_buffer_add_zval(buf, &intern->listener);
    zend_get_gc_buffer_add_zval(buf, &intern->utc_tpl);
    zend_get_gc_buffer_use(buf, table, n);
    return zend_std_get_properties(object);
}

/* var_dump() shows where it points, never credentials or owners. */
static HashTable *service_get_debug_info(zend_object *object, int *is_temp)
{
    slotlock_service_obj *intern = service_from_obj(object);
    HashTable *ht;
    char where[256];

    *is_temp = 1;
    ht = zend_new_array(6);
    if (!intern->initialized) {
        return ht;
    }
    static const char *const modes[] = {"single", "cluster", "sentinel", "quorum"};

    sl_endpoint_describe(&intern->topo.base, where, sizeof(where));
    {
        zval v;
        ZVAL_STRING(&v, where);
        zend_hash_str_update(ht, "endpoint", sizeof("endpoint") - 1, &v);
        ZVAL_STRING(&v, intern->locker.prefix);
        zend_hash_str_update(ht, "prefix", sizeof("prefix") - 1, &v);
        ZVAL_LONG(&v, intern->ttl);
        zend_hash_str_update(ht, "ttl", sizeof("ttl") - 1, &v);
        ZVAL_STRING(&v, modes[intern->topo.mode]);
        zend_hash_str_update(ht, "mode", sizeof("mode") - 1, &v);
        ZVAL_DOUBLE(&v, intern->topo.base.timeout);
        zend_hash_str_update(ht, "timeout", sizeof("timeout") - 1, &v);
        ZVAL_BOOL(&v, intern->topo.pool != NULL);
        zend_hash_str_update(ht, "persistent", sizeof("persistent") - 1, &v);
        ZVAL_STR_COPY(&v, intern->tz_name);
        zend_hash_str_update(ht, "key_timezone", sizeof("key_timezone") - 1, &v);
        ZVAL_BOOL(&v, intern->topo.n_nodes > 0 && intern->topo.nodes[0]->conn != NULL);
        zend_hash_str_update(ht, "connected", sizeof("connected") - 1, &v);
    }
    return ht;
}

/* ---- Options ------------------------------------------------------------ */

typedef struct {
    sl_endpoint ep;
    char prefix[SL_PREFIX_MAX + 1];
    zend_long ttl;
    zend_long booked_ttl;
    zend_long bucket;
    bool persistent;
    zend_string *tz_name;
    sl_mode mode;
    HashTable *node_list;   /* cluster seeds, sentinels or quorum masters (borrowed) */
    zend_string *master;    /* sentinel master name (borrowed) */
    zend_long wait_replicas;
    double wait_timeout;
    int hash_tag;           /* -1: the mode's default */
    double drift_factor;
    double sentinel_check;  /* seconds between asking the sentinels again */
} service_options;

static void options_free(service_options *o)
{
    sl_endpoint_free(&o->ep);
    if (o->tz_name) {
        zend_string_release(o->tz_name);
        o->tz_name = NULL;
    }
}

static bool options_fail(const sl_error *err)
{
    slotlock_throw(err);
    return false;
}

static bool option_type_error(const char *name, const char *expected, zval *value)
{
    zend_type_error("SlotLockService::__construct(): Option \"%s\" must be of type %s, %s given", name, expected,
                    zend_zval_type_name(value));
    return false;
}

static bool option_set_string(char **field, const char *name, zval *value, bool nullable)
{
    sl_error err;

    if (Z_TYPE_P(value) == IS_NULL && nullable) {
        free(*field);
        *field = NULL;
        return true;
    }
    if (Z_TYPE_P(value) != IS_STRING) {
        return option_type_error(name, nullable ? "?string" : "string", value);
    }
    if (sl_endpoint_set(field, Z_STRVAL_P(value), Z_STRLEN_P(value), name, &err) != SL_OK) {
        return options_fail(&err);
    }
    return true;
}

static bool option_int(const char *name, zval *value, zend_long min, zend_long max, zend_long *out)
{
    if (Z_TYPE_P(value) != IS_LONG) {
        return option_type_error(name, "int", value);
    }
    if (Z_LVAL_P(value) < min || Z_LVAL_P(value) > max) {
        zend_value_error("SlotLockService::__construct(): Option \"%s\" must be between " ZEND_LONG_FMT
                         " and " ZEND_LONG_FMT,
                         name, min, max);
        return false;
    }
    *out = Z_LVAL_P(value);
    return true;
}

/* An int or float option, as a double. */
static bool option_float(const char *name, zval *value, double *out)
{
    if (Z_TYPE_P(value) == IS_LONG) {
        *out = (double)Z_LVAL_P(value);
    } else if (Z_TYPE_P(value) == IS_DOUBLE) {
        *out = Z_DVAL_P(value);
    } else {
        return option_type_error(name, "float", value);
    }
    return true;
}

static bool option_prefix(service_options *o, const char *value, size_t len)
{
    sl_error err;

    if (sl_prefix_check(value, len, &err) != SL_OK) {
        return options_fail(&err);
    }
    memcpy(o->prefix, value, len);
    o->prefix[len] = '\0';
    return true;
}

static bool option_dsn(service_options *o, zend_string *dsn)
{
    sl_error err;

    if (sl_dsn_parse(ZSTR_VAL(dsn), ZSTR_LEN(dsn), &o->ep, &err) != SL_OK) {
        return options_fail(&err);
    }
    return true;
}

static bool options_from_ini(service_options *o)
{
    const char *dsn = SLOTLOCK_G(dsn), *prefix = SLOTLOCK_G(prefix), *tz = SLOTLOCK_G(key_timezone);
    sl_error err;

    sl_endpoint_init(&o->ep);
    o->ep.timeout = SLOTLOCK_G(timeout);
    o->ttl = SLOTLOCK_G(ttl);
    o->booked_ttl = SLOTLOCK_G(booked_ttl);
    o->bucket = SLOTLOCK_G(bucket);
    o->persistent = SLOTLOCK_G(persistent);
    o->tz_name = zend_string_init(tz && *tz ? tz : "UTC", tz && *tz ? strlen(tz) : 3, 0);
    if (sl_endpoint_set(&o->ep.host, SL_DEFAULT_HOST, strlen(SL_DEFAULT_HOST), "host", &err) != SL_OK) {
        return options_fail(&err);
    }
    if (dsn && *dsn && sl_dsn_parse(dsn, strlen(dsn), &o->ep, &err) != SL_OK) {
        zend_value_error("slotlock.dsn: %s", err.msg);
        return false;
    }
    return option_prefix(o, prefix ? prefix : SL_DEFAULT_PREFIX, prefix ? strlen(prefix) : 0);
}

static bool options_from_array(service_options *o, HashTable *ht)
{
    zend_string *name;
    zval *value;
    zend_long n;

    /* A "dsn" entry is applied first, so the other entries refine it. */
    if ((value = zend_hash_str_find(ht, "dsn", sizeof("dsn") - 1)) != NULL) {
        if (Z_TYPE_P(value) != IS_STRING) {
            return option_type_error("dsn", "string", value);
        }
        if (!option_dsn(o, Z_STR_P(value))) {
            return false;
        }
    }

    ZEND_HASH_FOREACH_STR_KEY_VAL(ht, name, value) {
        const char *k;

        ZVAL_DEREF(value);
        if (!name) {
            zend_value_error("SlotLockService::__construct(): Options must be keyed by name");
            return false;
        }
        k = ZSTR_VAL(name);
        if (zend_string_equals_literal(name, "dsn")) {
            continue;
        } else if (zend_string_equals_literal(name, "host")) {
            if (!option_set_string(&o->ep.host, k, value, false)) {
                return false;
            }
            free(o->ep.socket);
            o->ep.socket = NULL;
        } else if (zend_string_equals_literal(name, "port")) {
            if (!option_int(k, value, 1, 65535, &n)) {
                return false;
            }
            o->ep.port = (int)n;
        } else if (zend_string_equals_literal(name, "socket")) {
            if (!option_set_string(&o->ep.socket, k, value, true)) {
                return false;
            }
            if (o->ep.socket && o->ep.socket[0] != '/') {
                zend_value_error("SlotLockService::__construct(): Option \"socket\" must be an absolute path");
                return false;
            }
        } else if (zend_string_equals_literal(name, "database")) {
            if (!option_int(k, value, 0, INT_MAX, &n)) {
                return false;
            }
            o->ep.database = (int)n;
        } else if (zend_string_equals_literal(name, "username")) {
            if (!option_set_string(&o->ep.username, k, value, true)) {
                return false;
            }
        } else if (zend_string_equals_literal(name, "password")) {
            if (!option_set_string(&o->ep.password, k, value, true)) {
                return false;
            }
        } else if (zend_string_equals_literal(name, "timeout")) {
            double t;
            if (!option_float(k, value, &t)) {
                return false;
            }
            if (!(t > 0.0) || t > SL_MAX_TIMEOUT) {
                zend_value_error("SlotLockService::__construct(): Option \"timeout\" must be > 0 and <= %g seconds",
                                 SL_MAX_TIMEOUT);
                return false;
            }
            o->ep.timeout = t;
        } else if (zend_string_equals_literal(name, "prefix")) {
            if (Z_TYPE_P(value) != IS_STRING) {
                return option_type_error(k, "string", value);
            }
            if (!option_prefix(o, Z_STRVAL_P(value), Z_STRLEN_P(value))) {
                return false;
            }
        } else if (zend_string_equals_literal(name, "ttl")) {
            if (!option_int(k, value, SL_TTL_MIN, SL_TTL_MAX, &n)) {
                return false;
            }
            o->ttl = n;
        } else if (zend_string_equals_literal(name, "booked_ttl")) {
            if (!option_int(k, value, SL_TTL_MIN, SL_TTL_MAX, &n)) {
                return false;
            }
            o->booked_ttl = n;
        } else if (zend_string_equals_literal(name, "bucket")) {
            if (!option_int(k, value, 1, 1440, &n)) {
                return false;
            }
            o->bucket = n;
        } else if (zend_string_equals_literal(name, "cluster") || zend_string_equals_literal(name, "sentinel") ||
                   zend_string_equals_literal(name, "nodes")) {
            if (Z_TYPE_P(value) != IS_ARRAY) {
                return option_type_error(k, "array", value);
            }
            if (o->node_list) {
                zend_value_error("SlotLockService::__construct(): Options \"cluster\", \"sentinel\" and \"nodes\" exclude each other");
                return false;
            }
            if (zend_hash_num_elements(Z_ARRVAL_P(value)) < 1 || zend_hash_num_elements(Z_ARRVAL_P(value)) > SL_MAX_NODES) {
                zend_value_error("SlotLockService::__construct(): Option \"%s\" must list 1 to %d nodes", k, SL_MAX_NODES);
                return false;
            }
            o->node_list = Z_ARRVAL_P(value);
            o->mode = k[0] == 'c' ? SL_MODE_CLUSTER : (k[0] == 's' ? SL_MODE_SENTINEL : SL_MODE_QUORUM);
        } else if (zend_string_equals_literal(name, "master")) {
            if (Z_TYPE_P(value) != IS_STRING) {
                return option_type_error(k, "string", value);
            }
            if (Z_STRLEN_P(value) == 0 || Z_STRLEN_P(value) > 128 || memchr(Z_STRVAL_P(value), '\0', Z_STRLEN_P(value))) {
                zend_value_error("SlotLockService::__construct(): Option \"master\" must be 1 to 128 bytes");
                return false;
            }
            o->master = Z_STR_P(value);
        } else if (zend_string_equals_literal(name, "wait_replicas")) {
            if (!option_int(k, value, 0, 16, &n)) {
                return false;
            }
            o->wait_replicas = n;
        } else if (zend_string_equals_literal(name, "sentinel_check")) {
            double d;
            if (!option_float(k, value, &d)) {
                return false;
            }
            if (!(d >= 0.0 && d <= 60.0)) {
                zend_value_error("SlotLockService::__construct(): Option \"sentinel_check\" must be 0 to 60 seconds");
                return false;
            }
            o->sentinel_check = d;
        } else if (zend_string_equals_literal(name, "wait_timeout") || zend_string_equals_literal(name, "drift_factor")) {
            double d;
            if (!option_float(k, value, &d)) {
                return false;
            }
            if (k[0] == 'w' ? !(d >= 0.0 && d <= 60.0) : !(d >= 0.0 && d <= 0.5)) {
                zend_value_error("SlotLockService::__construct(): Option \"%s\" must be %s", k,
                                 k[0] == 'w' ? "0 to 60 seconds" : "0 to 0.5");
                return false;
            }
            if (k[0] == 'w') {
                o->wait_timeout = d;
            } else {
                o->drift_factor = d;
            }
        } else if (zend_string_equals_literal(name, "hash_tag")) {
            if (Z_TYPE_P(value) != IS_TRUE && Z_TYPE_P(value) != IS_FALSE) {
                return option_type_error(k, "bool", value);
            }
            o->hash_tag = Z_TYPE_P(value) == IS_TRUE;
        } else if (zend_string_equals_literal(name, "persistent")) {
            if (Z_TYPE_P(value) != IS_TRUE && Z_TYPE_P(value) != IS_FALSE) {
                return option_type_error(k, "bool", value);
            }
            o->persistent = Z_TYPE_P(value) == IS_TRUE;
        } else if (zend_string_equals_literal(name, "key_timezone")) {
            if (Z_TYPE_P(value) != IS_STRING) {
                return option_type_error(k, "string", value);
            }
            zend_string_release(o->tz_name);
            o->tz_name = zend_string_copy(Z_STR_P(value));
        } else {
            zend_value_error("SlotLockService::__construct(): Unknown option \"%s\"",
                             ZSTR_LEN(name) > 64 ? "(too long)" : k);
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

/* Makes intern->tz a DateTimeZone for key_timezone; ValueError if unknown. */
static bool service_load_timezone(slotlock_service_obj *intern)
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

/* "host:port", "redis://..." or "unix://..." → an endpoint that starts from base. */
static bool parse_node(const sl_endpoint *base, zval *entry, sl_mode mode, sl_endpoint *ep)
{
    sl_error err;
    char buf[600];
    const char *s;
    size_t len;

    ZVAL_DEREF(entry);
    if (Z_TYPE_P(entry) != IS_STRING) {
        zend_type_error("SlotLockService::__construct(): Node addresses must be strings, %s given",
                        zend_zval_type_name(entry));
        return false;
    }
    s = Z_STRVAL_P(entry);
    len = Z_STRLEN_P(entry);
    if (len == 0 || len > 500) {
        zend_value_error("SlotLockService::__construct(): A node address must be 1 to 500 bytes");
        return false;
    }
    if (!memchr(s, '/', len)) {
        len = (size_t)snprintf(buf, sizeof(buf), "redis://%.*s", (int)len, s);
        s = buf;
    }
    if (sl_endpoint_copy(ep, base) != SL_OK) {
        zend_throw_error(NULL, "out of memory");
        return false;
    }
    if (mode == SL_MODE_SENTINEL) {
        /* sentinels have no data, database or (here) credentials of their own */
        free(ep->username);
        ep->username = NULL;
        free(ep->password);
        ep->password = NULL;
        ep->database = 0;
    }
    if (sl_dsn_parse(s, len, ep, &err) != SL_OK || sl_endpoint_check(ep, &err) != SL_OK) {
        sl_endpoint_free(ep);
        zend_value_error("SlotLockService::__construct(): Node address: %s", err.msg);
        return false;
    }
    return true;
}

static bool service_init_topology(slotlock_service_obj *intern, service_options *o)
{
    sl_endpoint eps[SL_MAX_NODES];
    size_t n = 0, i;
    zval *entry;
    sl_error err;
    sl_status rc;
    bool ok = true;

    if (o->mode == SL_MODE_SENTINEL && !o->master) {
        zend_value_error("SlotLockService::__construct(): Option \"sentinel\" needs option \"master\"");
        return false;
    }
    if (o->node_list) {
        ZEND_HASH_FOREACH_VAL(o->node_list, entry) {
            if (!parse_node(&o->ep, entry, o->mode, &eps[n])) {
                ok = false;
                break;
            }
            n++;
        } ZEND_HASH_FOREACH_END();
    }
    if (ok) {
        rc = sl_topology_init(&intern->topo, o->mode, &o->ep, eps, n, o->master ? ZSTR_VAL(o->master) : NULL,
                              o->persistent ? &SLOTLOCK_G(pool) : NULL, &SLOTLOCK_G(stats), &err);
        if (rc != SL_OK) {
            slotlock_throw(&err);
            ok = false;
        } else {
            intern->topo.wait_replicas = (int)o->wait_replicas;
            intern->topo.wait_timeout_ms = (int)(o->wait_timeout * 1000.0);
            intern->topo.drift_factor = o->drift_factor;
            intern->topo.sentinel_check_ms = (int64_t)(o->sentinel_check * 1000.0);
        }
    }
    for (i = 0; i < n; i++) {
        sl_endpoint_free(&eps[i]);
    }
    return ok;
}

/* UTC services: the template expiresAt values are cloned from (NULL otherwise). */
static zval *service_utc_template(slotlock_service_obj *intern)
{
    zval at;

    if (!intern->tz_utc) {
        return NULL;
    }
    if (Z_TYPE(intern->utc_tpl) != IS_OBJECT) {
        if (!service_load_timezone(intern)) {
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

static int service_random(void *buf, size_t len)
{
    return php_random_bytes(buf, len, true) == SUCCESS ? 0 : -1;
}

PHP_METHOD(SlotLockService, __construct)
{
    slotlock_service_obj *intern = Z_SLOTLOCK_SERVICE_P(ZEND_THIS);
    HashTable *opts_ht = NULL;
    zend_string *dsn = NULL;
    service_options o;
    sl_error err;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(opts_ht, dsn)
    ZEND_PARSE_PARAMETERS_END();

    if (intern->initialized) {
        zend_throw_error(NULL, "SlotLockService object is already constructed");
        RETURN_THROWS();
    }

    memset(&o, 0, sizeof(o));
    o.hash_tag = -1;
    o.wait_timeout = 0.1;
    o.drift_factor = 0.01;
    o.sentinel_check = 0.0;
    if (!options_from_ini(&o) || (dsn && !option_dsn(&o, dsn)) || (opts_ht && !options_from_array(&o, opts_ht))) {
        options_free(&o);
        RETURN_THROWS();
    }
    if (sl_endpoint_check(&o.ep, &err) != SL_OK) {
        options_free(&o);
        zend_value_error("SlotLockService::__construct(): %s", err.msg);
        RETURN_THROWS();
    }

    intern->tz_name = o.tz_name;
    o.tz_name = NULL;
    intern->tz_utc = zend_string_equals_literal_ci(intern->tz_name, "UTC");
    if (!intern->tz_utc && !service_load_timezone(intern)) {
        options_free(&o);
        RETURN_THROWS();
    }
    if (!service_init_topology(intern, &o)) {
        options_free(&o);
        RETURN_THROWS();
    }
    sl_locker_init(&intern->locker, &intern->topo, o.prefix,
                   o.hash_tag >= 0 ? o.hash_tag : o.mode == SL_MODE_CLUSTER, &SLOTLOCK_G(stats));
    intern->ttl = o.ttl;
    intern->booked_ttl = o.booked_ttl;
    intern->bucket = o.bucket;
    intern->initialized = true;
    options_free(&o);
}

/* ---- Arguments ---------------------------------------------------------- */

/* An id as text: positive int, or [A-Za-z0-9_-]{1,64}. */
static bool arg_id(zval *id, const char *name, char out[SL_ID_MAX + 1])
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
static bool arg_instant(slotlock_service_obj *intern, zval *start, const char *name, int64_t *sse)
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
        if (!service_load_timezone(intern)) {
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
static bool wall_clock(slotlock_service_obj *intern, int64_t sse, const char *name, sl_slot_time *out)
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

/* "YYYY-MM-DD HH:MM" (or 'T', optional ":00"): the common start format. In a
 * UTC key zone its fields are the key, with no parse and no conversion. */
static bool fast_wall_clock(const char *s, size_t len, sl_slot_time *out)
{
    static const char shape[] = "dddd-dd-dd?dd:dd";
    size_t i;

    if (len != 16 && !(len == 19 && s[16] == ':' && s[17] == '0' && s[18] == '0')) {
        return false;
    }
    for (i = 0; i < 16; i++) {
        char c = s[i];
        if (shape[i] == 'd' ? (c < '0' || c > '9') : shape[i] == '?' ? (c != ' ' && c != 'T') : c != shape[i]) {
            return false;
        }
    }
    out->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    out->month = (s[5] - '0') * 10 + (s[6] - '0');
    out->day = (s[8] - '0') * 10 + (s[9] - '0');
    out->hour = (s[11] - '0') * 10 + (s[12] - '0');
    out->minute = (s[14] - '0') * 10 + (s[15] - '0');
    return true;
}

static bool arg_slot_time(slotlock_service_obj *intern, zval *start, const char *name, sl_slot_time *out)
{
    int64_t sse;
    sl_error err;

    ZVAL_DEREF(start);
    if (intern->tz_utc && Z_TYPE_P(start) == IS_STRING && fast_wall_clock(Z_STRVAL_P(start), Z_STRLEN_P(start), out)) {
        /* out-of-range fields (2025-02-30) go the slow way for PHP's own verdict */
        if (sl_slot_time_check(out, name, &err) == SL_OK) {
            return true;
        }
    }

    return arg_instant(intern, start, name, &sse) && wall_clock(intern, sse, name, out);
}

static bool arg_key(slotlock_service_obj *intern, zval *service, zval *start, const char *company,
                    char key[SL_KEY_MAX], size_t *len)
{
    char svc[SL_ID_MAX + 1];
    sl_slot_time t;

    if (!arg_id(service, "$serviceId", svc) || !arg_slot_time(intern, start, "$start", &t)) {
        return false;
    }
    *len = sl_key_build_ex(key, intern->locker.prefix, intern->locker.tagged, company, svc, &t);
    return *len > 0;
}

/* One [serviceId, start] pair (or ['service' => ..., 'start' => ...]). */
static bool arg_pair(slotlock_service_obj *intern, zval *pair, const char *company, const char *what,
                     sl_keylist *keys, size_t group_start)
{
    zval *svc, *start;
    char key[SL_KEY_MAX];
    size_t len;

    ZVAL_DEREF(pair);
    if (Z_TYPE_P(pair) != IS_ARRAY) {
        zend_type_error("%s must hold [serviceId, start] pairs, %s given", what, zend_zval_type_name(pair));
        return false;
    }
    svc = zend_hash_index_find(Z_ARRVAL_P(pair), 0);
    start = zend_hash_index_find(Z_ARRVAL_P(pair), 1);
    if (!svc || !start) {
        svc = zend_hash_str_find(Z_ARRVAL_P(pair), "service", sizeof("service") - 1);
        start = zend_hash_str_find(Z_ARRVAL_P(pair), "start", sizeof("start") - 1);
    }
    if (!svc || !start || zend_hash_num_elements(Z_ARRVAL_P(pair)) != 2) {
        zend_value_error("%s must hold [serviceId, start] pairs", what);
        return false;
    }
    if (!arg_key(intern, svc, start, company, key, &len)) {
        return false;
    }
    if (sl_keylist_find(keys, group_start, keys->count, key, len) >= 0) {
        zend_value_error("%s names the same slot twice", what);
        return false;
    }
    if (keys->count >= SL_MAX_ACQUIRE_KEYS) {
        zend_value_error("%s holds more than %d slots", what, SL_MAX_ACQUIRE_KEYS);
        return false;
    }
    if (sl_keylist_push(keys, key, len) != SL_OK) {
        zend_throw_error(NULL, "out of memory");
        return false;
    }
    return true;
}

/* A segment list: a non-empty list of pairs. Appends its keys; *n = count. */
static bool arg_segments(slotlock_service_obj *intern, HashTable *segments, const char *company, const char *what,
                         sl_keylist *keys, size_t *n)
{
    size_t start = keys->count;
    zval *pair;

    if (zend_hash_num_elements(segments) == 0) {
        zend_value_error("%s must not be empty", what);
        return false;
    }
    if (zend_hash_num_elements(segments) > SL_MAX_LOCK_KEYS) {
        zend_value_error("%s must not hold more than %d segments", what, SL_MAX_LOCK_KEYS);
        return false;
    }
    ZEND_HASH_FOREACH_VAL(segments, pair) {
        if (!arg_pair(intern, pair, company, what, keys, start)) {
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    *n = keys->count - start;
    return true;
}

static bool arg_owner(zend_string *owner, zend_string **out)
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
    if (sl_owner_generate(token, service_random, &err) != SL_OK) {
        if (!EG(exception)) {
            slotlock_throw(&err);
        }
        return false;
    }
    *out = zend_string_init(token, SL_TOKEN_LEN, 0);
    return true;
}

static bool arg_ttl(slotlock_service_obj *intern, zend_long ttl, bool is_null, int64_t *ms)
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
static bool arg_handle(slotlock_service_obj *intern, zend_object *lock_obj, zend_string *lock_str, sl_keylist *keys)
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
static void keys_to_php(const sl_keylist *keys, size_t from, size_t to, zval *arr, zend_string **handle)
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
static bool arg_lock_owner(slotlock_service_obj *intern, zend_object *lock_obj, zend_string *lock_str,
                           zend_string *owner, sl_keylist *keys)
{
    sl_error err;

    sl_keylist_init(keys);
    if (sl_owner_check(ZSTR_VAL(owner), ZSTR_LEN(owner), &err) != SL_OK) {
        slotlock_throw(&err);
        return false;
    }
    return arg_handle(intern, lock_obj, lock_str, keys);
}

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
        keys_to_php(keys, 0, keys->count, &key, &handle);
        zval_ptr_dtor(&key);
        add_assoc_str_ex(&ev, "key", sizeof("key") - 1, handle);
    } else {
        add_assoc_null_ex(&ev, "key", sizeof("key") - 1);
    }
    if (fence >= 0) {
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
    static const char *const reasons[] = {"ok", "argument", "connect", "timeout", "io", "auth",
                                          "reply", "protocol", "memory", "fork"};
    int i = -(int)err->code;

    SLOTLOCK_G(stats).errors++;
    slotlock_service_emit(intern, "error", keys, -1, -1, (i >= 0 && i < 10) ? reasons[i] : "error");
}

static void service_fail_throw(slotlock_service_obj *intern, const sl_keylist *keys, const sl_error *err)
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
    int64_t started_us = slotlock_metrics_clock_us();

    rc = sl_lock_acquire(&intern->locker, keys, groups, n_groups, ZSTR_VAL(owner), ZSTR_LEN(owner), ttl_ms, res,
                         err);
    slotlock_metrics_acquired(intern, rc, res, started_us);
    if (rc != SL_OK) {
        slotlock_service_fail(intern, keys, err);
        return rc;
    }
    if (res->candidate < 0) {
        slotlock_service_emit(intern, "conflict", keys, -1, res->ttl_ms,
                              res->blocked == SL_BLOCKED_LOCKED ? "slot_locked" : "slot_booked");
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
        keys_to_php(keys, from, from + groups[res->candidate], &arr, &handle);
        slotlock_lock_new(lock, handle, &arr, owner, (zend_long)res->fence, res->ttl_ms,
                          report_candidate ? (zend_long)res->candidate : -1, service_load_timezone(intern) ? &intern->tz : NULL, service_utc_template(intern));
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
static void service_acquire(slotlock_service_obj *intern, sl_keylist *keys, const size_t *groups, size_t n_groups,
                            zend_string *owner_arg, zend_long ttl, bool ttl_null, bool report_candidate,
                            zval *return_value)
{
    sl_acquire_result res;
    zend_string *owner = NULL;
    sl_error err;
    int64_t ttl_ms;

    if (!arg_ttl(intern, ttl, ttl_null, &ttl_ms) || !arg_owner(owner_arg, &owner)) {
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

/* ---- Methods ------------------------------------------------------------ */

PHP_METHOD(SlotLockService, key)
{
    slotlock_service_obj *intern;
    zval *company, *service, *start;
    char cid[SL_ID_MAX + 1], key[SL_KEY_MAX];
    size_t len;

    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_ZVAL(company)
        Z_PARAM_ZVAL(service)
        Z_PARAM_ZVAL(start)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    if (!arg_id(company, "$companyId", cid) || !arg_key(intern, service, start, cid, key, &len)) {
        RETURN_THROWS();
    }
    RETURN_STRINGL(key, len);
}

PHP_METHOD(SlotLockService, acquire)
{
    slotlock_service_obj *intern;
    zval *company, *service, *start;
    zend_string *owner = NULL;
    zend_long ttl = 0;
    bool ttl_null = true;
    char cid[SL_ID_MAX + 1], key[SL_KEY_MAX];
    size_t len, one = 1;
    sl_keylist keys;

    ZEND_PARSE_PARAMETERS_START(3, 5)
        Z_PARAM_ZVAL(company)
        Z_PARAM_ZVAL(service)
        Z_PARAM_ZVAL(start)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(owner)
        Z_PARAM_LONG_OR_NULL(ttl, ttl_null)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    if (!arg_id(company, "$companyId", cid) || !arg_key(intern, service, start, cid, key, &len)) {
        RETURN_THROWS();
    }
    sl_keylist_init(&keys);
    if (sl_keylist_push(&keys, key, len) != SL_OK) {
        zend_throw_error(NULL, "out of memory");
        RETURN_THROWS();
    }
    service_acquire(intern, &keys, &one, 1, owner, ttl, ttl_null, false, return_value);
    sl_keylist_free(&keys);
}

PHP_METHOD(SlotLockService, acquireSegments)
{
    slotlock_service_obj *intern;
    zval *company;
    HashTable *segments;
    zend_string *owner = NULL;
    zend_long ttl = 0;
    bool ttl_null = true;
    char cid[SL_ID_MAX + 1];
    size_t n;
    sl_keylist keys;

    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_ZVAL(company)
        Z_PARAM_ARRAY_HT(segments)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(owner)
        Z_PARAM_LONG_OR_NULL(ttl, ttl_null)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    sl_keylist_init(&keys);
    if (arg_id(company, "$companyId", cid) && arg_segments(intern, segments, cid, "$segments", &keys, &n)) {
        service_acquire(intern, &keys, &n, 1, owner, ttl, ttl_null, false, return_value);
    }
    sl_keylist_free(&keys);
}

PHP_METHOD(SlotLockService, acquireFirst)
{
    slotlock_service_obj *intern;
    zval *company, *cand;
    HashTable *candidates;
    zend_string *owner = NULL;
    zend_long ttl = 0;
    bool ttl_null = true;
    char cid[SL_ID_MAX + 1];
    size_t *groups, n_groups = 0;
    sl_keylist keys;
    bool ok = true;

    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_ZVAL(company)
        Z_PARAM_ARRAY_HT(candidates)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(owner)
        Z_PARAM_LONG_OR_NULL(ttl, ttl_null)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    if (!arg_id(company, "$companyId", cid)) {
        RETURN_THROWS();
    }
    if (zend_hash_num_elements(candidates) == 0) {
        zend_value_error("$candidates must not be empty");
        RETURN_THROWS();
    }
    if (zend_hash_num_elements(candidates) > SL_MAX_LOCK_KEYS) {
        zend_value_error("$candidates must not hold more than %d candidates", SL_MAX_LOCK_KEYS);
        RETURN_THROWS();
    }
    groups = safe_emalloc(zend_hash_num_elements(candidates), sizeof(*groups), 0);
    sl_keylist_init(&keys);
    ZEND_HASH_FOREACH_VAL(candidates, cand) {
        zval *first;
        ZVAL_DEREF(cand);
        if (Z_TYPE_P(cand) != IS_ARRAY) {
            zend_type_error("$candidates must hold [serviceId, start] pairs or lists of them, %s given",
                            zend_zval_type_name(cand));
            ok = false;
            break;
        }
        first = zend_hash_index_find(Z_ARRVAL_P(cand), 0);
        if (first) {
            ZVAL_DEREF(first);
        }
        if (first && Z_TYPE_P(first) == IS_ARRAY) {
            ok = arg_segments(intern, Z_ARRVAL_P(cand), cid, "$candidates", &keys, &groups[n_groups]);
        } else {
            ok = arg_pair(intern, cand, cid, "$candidates", &keys, keys.count);
            groups[n_groups] = 1;
        }
        if (!ok) {
            break;
        }
        n_groups++;
    } ZEND_HASH_FOREACH_END();

    if (ok) {
        service_acquire(intern, &keys, groups, n_groups, owner, ttl, ttl_null, true, return_value);
    }
    efree(groups);
    sl_keylist_free(&keys);
}

#define LOCK_AND_OWNER_ARGS(min, max)                                                          \
    ZEND_PARSE_PARAMETERS_START(min, max)                                                      \
        Z_PARAM_OBJ_OF_CLASS_OR_STR(lock_obj, slotlock_lock_ce, lock_str)                      \
        Z_PARAM_STR(owner)

PHP_METHOD(SlotLockService, validate)
{
    slotlock_service_obj *intern;
    zend_object *lock_obj = NULL;
    zend_string *lock_str = NULL, *owner;
    sl_keylist keys;
    sl_error err;
    int valid = 0;

    LOCK_AND_OWNER_ARGS(2, 2)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    if (!arg_lock_owner(intern, lock_obj, lock_str, owner, &keys)) {
        RETURN_THROWS();
    }
    if (sl_lock_validate(&intern->locker, &keys, ZSTR_VAL(owner), ZSTR_LEN(owner), &valid, &err) != SL_OK) {
        service_fail_throw(intern, &keys, &err);
        sl_keylist_free(&keys);
        RETURN_THROWS();
    }
    sl_keylist_free(&keys);
    RETURN_BOOL(valid);
}

PHP_METHOD(SlotLockService, release)
{
    slotlock_service_obj *intern;
    zend_object *lock_obj = NULL;
    zend_string *lock_str = NULL, *owner;
    sl_keylist keys;
    sl_error err;
    long released = 0;

    LOCK_AND_OWNER_ARGS(2, 2)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    if (!arg_lock_owner(intern, lock_obj, lock_str, owner, &keys)) {
        RETURN_THROWS();
    }
    if (slotlock_service_release(intern, &keys, owner, &released, &err) != SL_OK) {
        if (!EG(exception)) {
            slotlock_throw(&err);
        }
        sl_keylist_free(&keys);
        RETURN_THROWS();
    }
    sl_keylist_free(&keys);
    RETURN_BOOL(released > 0);
}

PHP_METHOD(SlotLockService, extend)
{
    slotlock_service_obj *intern;
    zend_object *lock_obj = NULL;
    zend_string *lock_str = NULL, *owner, *handle;
    zend_long ttl = 0;
    bool ttl_null = true;
    sl_keylist keys;
    sl_error err;
    sl_extend_code code;
    int64_t fence = 0, ttl_ms;
    zval arr, *cand = NULL;

    LOCK_AND_OWNER_ARGS(2, 3)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(ttl, ttl_null)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    if (!arg_ttl(intern, ttl, ttl_null, &ttl_ms)) {
        RETURN_THROWS();
    }
    if (!arg_lock_owner(intern, lock_obj, lock_str, owner, &keys)) {
        RETURN_THROWS();
    }
    if (sl_lock_extend(&intern->locker, &keys, ZSTR_VAL(owner), ZSTR_LEN(owner), ttl_ms, &code, &fence, &err) !=
        SL_OK) {
        service_fail_throw(intern, &keys, &err);
        sl_keylist_free(&keys);
        RETURN_THROWS();
    }
    slotlock_service_emit(intern, code == SL_EXTEND_OK ? "extended" : "lost", &keys,
                          code == SL_EXTEND_OK ? fence : -1, code == SL_EXTEND_OK ? ttl_ms : -1,
                          code == SL_EXTEND_TAKEN ? "slot_locked" : (code == SL_EXTEND_LOST ? "expired" : NULL));
    if (code != SL_EXTEND_OK) {
        sl_keylist_free(&keys);
        RETURN_NULL();
    }
    keys_to_php(&keys, 0, keys.count, &arr, &handle);
    if (lock_obj) {
        cand = OBJ_PROP_NUM(lock_obj, 5);
    }
    slotlock_lock_new(return_value, handle, &arr, owner, (zend_long)fence, ttl_ms,
                      (cand && Z_TYPE_P(cand) == IS_LONG) ? Z_LVAL_P(cand) : -1, service_load_timezone(intern) ? &intern->tz : NULL, service_utc_template(intern));
    zend_string_release(handle);
    sl_keylist_free(&keys);
}

PHP_METHOD(SlotLockService, status)
{
    slotlock_service_obj *intern;
    zend_object *lock_obj = NULL;
    zend_string *lock_str = NULL;
    sl_keylist keys;
    sl_error err;
    sl_status_result st;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_OBJ_OF_CLASS_OR_STR(lock_obj, slotlock_lock_ce, lock_str)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    sl_keylist_init(&keys);
    if (!arg_handle(intern, lock_obj, lock_str, &keys)) {
        RETURN_THROWS();
    }
    if (sl_lock_status(&intern->locker, &keys, &st, &err) != SL_OK) {
        service_fail_throw(intern, &keys, &err);
        sl_keylist_free(&keys);
        RETURN_THROWS();
    }
    sl_keylist_free(&keys);
    array_init_size(return_value, 3);
    add_assoc_bool_ex(return_value, "locked", sizeof("locked") - 1, st.locked);
    if (st.locked && st.ttl_ms >= 0) {
        add_assoc_long_ex(return_value, "ttl_ms", sizeof("ttl_ms") - 1, (zend_long)st.ttl_ms);
    } else {
        add_assoc_null_ex(return_value, "ttl_ms", sizeof("ttl_ms") - 1);
    }
    add_assoc_bool_ex(return_value, "booked", sizeof("booked") - 1, st.booked);
}

PHP_METHOD(SlotLockService, activeLocks)
{
    slotlock_service_obj *intern;
    sl_error err;
    int64_t count = 0;

    ZEND_PARSE_PARAMETERS_NONE();
    SERVICE_FETCH(intern);

    if (sl_lock_count(&intern->locker, &count, &err) != SL_OK) {
        service_fail_throw(intern, NULL, &err);
        RETURN_THROWS();
    }
    RETURN_LONG((zend_long)count);
}

PHP_METHOD(SlotLockService, stats)
{
    slotlock_service_obj *intern;
    size_t i;

    ZEND_PARSE_PARAMETERS_NONE();
    SERVICE_FETCH(intern);
    (void)intern;

    array_init_size(return_value, SL_STATS_COUNT);
    for (i = 0; i < SL_STATS_COUNT; i++) {
        add_assoc_long(return_value, sl_stats_names[i], (zend_long)sl_stats_get(&SLOTLOCK_G(stats), i));
    }
}

PHP_METHOD(SlotLockService, close)
{
    slotlock_service_obj *intern;

    ZEND_PARSE_PARAMETERS_NONE();
    SERVICE_FETCH(intern);
    sl_topology_close(&intern->topo);
}

/* ---- Internal API shared with AvailabilityWithLock ---------------------- */

bool slotlock_service_handle(slotlock_service_obj *intern, zend_string *handle, sl_keylist *keys)
{
    return arg_handle(intern, NULL, handle, keys);
}

/* $service as an id (one slot at $start) or a list of [serviceId, start]
 * segments, where an int start counts minutes after $start. */
bool slotlock_service_slot_keys(slotlock_service_obj *intern, zval *company, zval *service, zval *start,
                                sl_keylist *keys)
{
    char cid[SL_ID_MAX + 1], key[SL_KEY_MAX];
    size_t len;
    zval *seg;
    int64_t base = 0;
    bool have_base = false;

    if (!arg_id(company, "$companyId", cid)) {
        return false;
    }
    ZVAL_DEREF(service);
    if (Z_TYPE_P(service) != IS_ARRAY) {
        if (!arg_key(intern, service, start, cid, key, &len)) {
            return false;
        }
        if (sl_keylist_push(keys, key, len) != SL_OK) {
            zend_throw_error(NULL, "out of memory");
            return false;
        }
        return true;
    }
    if (zend_hash_num_elements(Z_ARRVAL_P(service)) == 0 ||
        zend_hash_num_elements(Z_ARRVAL_P(service)) > SL_MAX_LOCK_KEYS) {
        zend_value_error("$service must hold 1 to %d segments", SL_MAX_LOCK_KEYS);
        return false;
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(service), seg) {
        zval *svc, *at;
        sl_slot_time t;
        int64_t sse;

        ZVAL_DEREF(seg);
        if (Z_TYPE_P(seg) != IS_ARRAY || !(svc = zend_hash_index_find(Z_ARRVAL_P(seg), 0)) ||
            !(at = zend_hash_index_find(Z_ARRVAL_P(seg), 1)) || zend_hash_num_elements(Z_ARRVAL_P(seg)) != 2) {
            zend_value_error("$service must be an id or a list of [serviceId, start] segments");
            return false;
        }
        ZVAL_DEREF(at);
        if (Z_TYPE_P(at) == IS_LONG) {
            if (!have_base && !arg_instant(intern, start, "$start", &base)) {
                return false;
            }
            have_base = true;
            if (Z_LVAL_P(at) < 0 || Z_LVAL_P(at) > 7 * 24 * 60) {
                zend_value_error("$service segment offsets must be 0 to 10080 minutes");
                return false;
            }
            sse = base + (int64_t)Z_LVAL_P(at) * 60;
        } else if (!arg_instant(intern, at, "$service segment start", &sse)) {
            return false;
        }
        {
            char svc_id[SL_ID_MAX + 1];
            if (!arg_id(svc, "$serviceId", svc_id) || !wall_clock(intern, sse, "$start", &t)) {
                return false;
            }
            len = sl_key_build_ex(key, intern->locker.prefix, intern->locker.tagged, cid, svc_id, &t);
        }
        if (sl_keylist_find(keys, 0, keys->count, key, len) >= 0) {
            zend_value_error("$service names the same slot twice");
            return false;
        }
        if (sl_keylist_push(keys, key, len) != SL_OK) {
            zend_throw_error(NULL, "out of memory");
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

bool slotlock_service_resource_keys(slotlock_service_obj *intern, zval *company, zval *resource, zval *start,
                                    zval *end, zend_long before, zend_long after, sl_keylist *keys)
{
    char cid[SL_ID_MAX + 1], rid[SL_ID_MAX + 1];
    int64_t from, to;
    sl_error err;

    if (!arg_id(company, "$companyId", cid) || !arg_id(resource, "$resourceId", rid) ||
        !arg_instant(intern, start, "$start", &from)) {
        return false;
    }
    ZVAL_DEREF(end);
    if (Z_TYPE_P(end) == IS_LONG) {
        if (Z_LVAL_P(end) < 1 || Z_LVAL_P(end) > 24 * 60) {
            zend_value_error("$end as a duration must be 1 to 1440 minutes");
            return false;
        }
        to = from + (int64_t)Z_LVAL_P(end) * 60;
    } else if (!arg_instant(intern, end, "$end", &to)) {
        return false;
    }
    if (before < 0 || before > 1440 || after < 0 || after > 1440) {
        zend_value_error("%s must be 0 to 1440 minutes", (before < 0 || before > 1440) ? "$bufferBefore" : "$bufferAfter");
        return false;
    }
    if (sl_resource_keys_ex(keys, intern->locker.prefix, intern->locker.tagged, cid, rid, from - (int64_t)before * 60,
                         to + (int64_t)after * 60, (int64_t)intern->bucket * 60, &err) != SL_OK) {
        slotlock_throw(&err);
        return false;
    }
    return true;
}

PHP_METHOD(SlotLockService, acquireResource)
{
    slotlock_service_obj *intern;
    zval *company, *resource, *start, *end;
    zend_string *owner = NULL;
    zend_long ttl = 0, before = 0, after = 0;
    bool ttl_null = true;
    sl_keylist keys;
    size_t n;

    ZEND_PARSE_PARAMETERS_START(4, 8)
        Z_PARAM_ZVAL(company)
        Z_PARAM_ZVAL(resource)
        Z_PARAM_ZVAL(start)
        Z_PARAM_ZVAL(end)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(owner)
        Z_PARAM_LONG_OR_NULL(ttl, ttl_null)
        Z_PARAM_LONG(before)
        Z_PARAM_LONG(after)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    sl_keylist_init(&keys);
    if (slotlock_service_resource_keys(intern, company, resource, start, end, before, after, &keys)) {
        n = keys.count;
        service_acquire(intern, &keys, &n, 1, owner, ttl, ttl_null, false, return_value);
    }
    sl_keylist_free(&keys);
}

PHP_METHOD(SlotLockService, resourceKeys)
{
    slotlock_service_obj *intern;
    zval *company, *resource, *start, *end;
    zend_long before = 0, after = 0;
    zend_string *handle;
    sl_keylist keys;

    ZEND_PARSE_PARAMETERS_START(4, 6)
        Z_PARAM_ZVAL(company)
        Z_PARAM_ZVAL(resource)
        Z_PARAM_ZVAL(start)
        Z_PARAM_ZVAL(end)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(before)
        Z_PARAM_LONG(after)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    sl_keylist_init(&keys);
    if (slotlock_service_resource_keys(intern, company, resource, start, end, before, after, &keys)) {
        keys_to_php(&keys, 0, keys.count, return_value, &handle);
        zend_string_release(handle);
    }
    sl_keylist_free(&keys);
}

PHP_METHOD(SlotLockService, commit)
{
    slotlock_service_obj *intern;
    zend_object *lock_obj = NULL;
    zend_string *lock_str = NULL, *owner, *booking_id = NULL;
    zend_long ttl = 0;
    bool ttl_null = true;
    sl_keylist keys;
    sl_error err;
    int ok = 0;

    LOCK_AND_OWNER_ARGS(2, 4)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(booking_id)
        Z_PARAM_LONG_OR_NULL(ttl, ttl_null)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    if (ttl_null) {
        ttl = intern->booked_ttl;
    }
    if (sl_ttl_check(ttl, "$ttl", &err) != SL_OK) {
        slotlock_throw(&err);
        RETURN_THROWS();
    }
    if (booking_id && (ZSTR_LEN(booking_id) > SL_BOOKING_ID_MAX || memchr(ZSTR_VAL(booking_id), '\0', ZSTR_LEN(booking_id)))) {
        zend_value_error("$bookingId must be at most %d bytes without NUL bytes", SL_BOOKING_ID_MAX);
        RETURN_THROWS();
    }
    if (!arg_lock_owner(intern, lock_obj, lock_str, owner, &keys)) {
        RETURN_THROWS();
    }
    if (slotlock_service_commit(intern, &keys, owner, booking_id, ttl, &ok, &err) != SL_OK) {
        if (!EG(exception)) {
            slotlock_throw(&err);
        }
        sl_keylist_free(&keys);
        RETURN_THROWS();
    }
    sl_keylist_free(&keys);
    RETURN_BOOL(ok);
}

PHP_METHOD(SlotLockService, onEvent)
{
    slotlock_service_obj *intern;
    zend_fcall_info fci = empty_fcall_info;
    zend_fcall_info_cache fcc = empty_fcall_info_cache;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_FUNC_OR_NULL(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    zval_ptr_dtor(&intern->listener);
    ZVAL_UNDEF(&intern->listener);
    if (ZEND_FCI_INITIALIZED(fci)) {
        ZVAL_COPY(&intern->listener, &fci.function_name);
    }
}

PHP_METHOD(SlotLockService, topology)
{
    static const char *const modes[] = {"single", "cluster", "sentinel", "quorum"};
    slotlock_service_obj *intern;
    zval nodes, one;
    size_t i;
    char where[256];

    ZEND_PARSE_PARAMETERS_NONE();
    SERVICE_FETCH(intern);

    array_init(return_value);
    add_assoc_string(return_value, "mode", modes[intern->topo.mode]);
    add_assoc_bool(return_value, "hash_tag", intern->locker.tagged);
    array_init(&nodes);
    for (i = 0; i < intern->topo.n_nodes; i++) {
        sl_node *node = intern->topo.nodes[i];
        array_init(&one);
        sl_endpoint_describe(&node->ep, where, sizeof(where));
        add_assoc_string(&one, "addr", where);
        add_assoc_string(&one, "role", intern->topo.mode == SL_MODE_QUORUM ? "quorum" : "master");
        add_assoc_bool(&one, "connected", node->conn != NULL);
        add_next_index_zval(&nodes, &one);
    }
    for (i = 0; i < intern->topo.n_sentinels; i++) {
        sl_node *node = intern->topo.sentinels[i];
        array_init(&one);
        sl_endpoint_describe(&node->ep, where, sizeof(where));
        add_assoc_string(&one, "addr", where);
        add_assoc_string(&one, "role", intern->topo.mode == SL_MODE_SENTINEL ? "sentinel" : "seed");
        add_assoc_bool(&one, "connected", node->conn != NULL);
        add_next_index_zval(&nodes, &one);
    }
    add_assoc_zval(return_value, "nodes", &nodes);
}

void slotlock_service_minit(void)
{
    slotlock_service_ce->create_object = service_create;

    memcpy(&slotlock_service_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    slotlock_service_handlers.offset = XtOffsetOf(slotlock_service_obj, std);
    slotlock_service_handlers.free_obj = service_free;
    slotlock_service_handlers.clone_obj = NULL;
    slotlock_service_handlers.get_gc = service_get_gc;
    slotlock_service_handlers.get_debug_info = service_get_debug_info;
}
