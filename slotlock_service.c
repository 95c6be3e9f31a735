/* SlotLockService: the object, its constructor and its methods. Arguments are
 * converted in slotlock_args.c, lock operations with events in slotlock_ops.c. */
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

zend_class_entry *slotlock_service_ce;
static zend_object_handlers slotlock_service_handlers;

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

static const char *const service_modes[] = {"single", "cluster", "sentinel", "quorum"};

/* var_dump() shows where it points, never credentials or owners. */
static HashTable *service_get_debug_info(zend_object *object, int *is_temp)
{
    slotlock_service_obj *intern = service_from_obj(object);
    char where[256];
    zval arr;

    *is_temp = 1;
    array_init_size(&arr, 8);
    if (!intern->initialized) {
        return Z_ARRVAL(arr);
    }
    sl_endpoint_describe(&intern->topo.base, where, sizeof(where));
    add_assoc_string(&arr, "endpoint", where);
    add_assoc_string(&arr, "prefix", intern->locker.prefix);
    add_assoc_long(&arr, "ttl", intern->ttl);
    add_assoc_string(&arr, "mode", (char *)service_modes[intern->topo.mode]);
    add_assoc_double(&arr, "timeout", intern->topo.base.timeout);
    add_assoc_bool(&arr, "persistent", intern->topo.pool != NULL);
    add_assoc_str(&arr, "key_timezone", zend_string_copy(intern->tz_name));
    add_assoc_bool(&arr, "connected", intern->topo.n_nodes > 0 && intern->topo.nodes[0]->conn != NULL);
    return Z_ARRVAL(arr);
}

static bool service_init_topology(slotlock_service_obj *intern, const sl_config *c)
{
    sl_error err;

    if (sl_topology_init(&intern->topo, c->mode, &c->ep, c->nodes, c->n_nodes, c->master[0] ? c->master : NULL,
                         c->persistent ? &SLOTLOCK_G(pool) : NULL, &SLOTLOCK_G(stats), &err) != SL_OK) {
        slotlock_throw(&err);
        return false;
    }
    intern->topo.wait_replicas = c->wait_replicas;
    intern->topo.wait_timeout_ms = (int)(c->wait_timeout * 1000.0);
    intern->topo.drift_factor = c->drift_factor;
    intern->topo.sentinel_check_ms = (int64_t)(c->sentinel_check * 1000.0);
    return true;
}

PHP_METHOD(SlotLockService, __construct)
{
    slotlock_service_obj *intern = Z_SLOTLOCK_SERVICE_P(ZEND_THIS);
    HashTable *opts_ht = NULL;
    zend_string *dsn = NULL;
    sl_config c;
    bool ok;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(opts_ht, dsn)
    ZEND_PARSE_PARAMETERS_END();

    if (intern->initialized) {
        zend_throw_error(NULL, "SlotLockService object is already constructed");
        RETURN_THROWS();
    }
    ok = slotlock_args_config(dsn, opts_ht, &c);
    if (ok) {
        intern->tz_name = zend_string_init(c.tz_name, c.tz_len, 0);
        intern->tz_utc = zend_string_equals_literal_ci(intern->tz_name, "UTC");
        ok = (intern->tz_utc || slotlock_load_timezone(intern)) && service_init_topology(intern, &c);
    }
    if (ok) {
        sl_locker_init(&intern->locker, &intern->topo, c.prefix, sl_config_tagged(&c), &SLOTLOCK_G(stats));
        intern->locker.fencing = c.fencing;
        intern->ttl = c.ttl;
        intern->booked_ttl = c.booked_ttl;
        intern->bucket = c.bucket;
        intern->initialized = true;
    }
    sl_config_free(&c);
    if (!ok) {
        RETURN_THROWS();
    }
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

    if (!slotlock_arg_id(company, "$companyId", cid) || !slotlock_arg_key(intern, service, start, cid, key, &len)) {
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

    if (!slotlock_arg_id(company, "$companyId", cid) || !slotlock_arg_key(intern, service, start, cid, key, &len)) {
        RETURN_THROWS();
    }
    sl_keylist_init(&keys);
    if (sl_keylist_push(&keys, key, len) != SL_OK) {
        zend_throw_error(NULL, "out of memory");
        RETURN_THROWS();
    }
    slotlock_service_acquire_groups(intern, &keys, &one, 1, owner, ttl, ttl_null, false, return_value);
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
    if (slotlock_arg_id(company, "$companyId", cid) && slotlock_arg_segments(intern, segments, cid, "$segments", &keys, &n)) {
        slotlock_service_acquire_groups(intern, &keys, &n, 1, owner, ttl, ttl_null, false, return_value);
    }
    sl_keylist_free(&keys);
}

PHP_METHOD(SlotLockService, acquireFirst)
{
    slotlock_service_obj *intern;
    zval *company;
    HashTable *candidates;
    zend_string *owner = NULL;
    zend_long ttl = 0;
    bool ttl_null = true;
    char cid[SL_ID_MAX + 1];
    size_t *groups, n_groups = 0;
    sl_keylist keys;
    bool ok;

    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_ZVAL(company)
        Z_PARAM_ARRAY_HT(candidates)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(owner)
        Z_PARAM_LONG_OR_NULL(ttl, ttl_null)
    ZEND_PARSE_PARAMETERS_END();
    SERVICE_FETCH(intern);

    if (!slotlock_arg_id(company, "$companyId", cid)) {
        RETURN_THROWS();
    }
    groups = safe_emalloc(MAX(zend_hash_num_elements(candidates), 1), sizeof(*groups), 0);
    sl_keylist_init(&keys);
    ok = slotlock_arg_candidates(intern, candidates, cid, &keys, groups, &n_groups);
    if (ok) {
        slotlock_service_acquire_groups(intern, &keys, groups, n_groups, owner, ttl, ttl_null, true, return_value);
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

    if (!slotlock_arg_lock_owner(intern, lock_obj, lock_str, owner, &keys)) {
        RETURN_THROWS();
    }
    if (sl_lock_validate(&intern->locker, &keys, ZSTR_VAL(owner), ZSTR_LEN(owner), &valid, &err) != SL_OK) {
        slotlock_service_fail_throw(intern, &keys, &err);
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

    if (!slotlock_arg_lock_owner(intern, lock_obj, lock_str, owner, &keys)) {
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

    if (!slotlock_arg_ttl(intern, ttl, ttl_null, &ttl_ms)) {
        RETURN_THROWS();
    }
    if (!slotlock_arg_lock_owner(intern, lock_obj, lock_str, owner, &keys)) {
        RETURN_THROWS();
    }
    if (sl_lock_extend(&intern->locker, &keys, ZSTR_VAL(owner), ZSTR_LEN(owner), ttl_ms, &code, &fence, &err) !=
        SL_OK) {
        slotlock_service_fail_throw(intern, &keys, &err);
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
    slotlock_keys_to_php(&keys, 0, keys.count, &arr, &handle);
    if (lock_obj) {
        cand = OBJ_PROP_NUM(lock_obj, 5);
    }
    slotlock_lock_new(return_value, handle, &arr, owner, (zend_long)fence, ttl_ms,
                      (cand && Z_TYPE_P(cand) == IS_LONG) ? Z_LVAL_P(cand) : -1, slotlock_load_timezone(intern) ? &intern->tz : NULL, slotlock_utc_template(intern));
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
    if (!slotlock_arg_handle(intern, lock_obj, lock_str, &keys)) {
        RETURN_THROWS();
    }
    if (sl_lock_status(&intern->locker, &keys, &st, &err) != SL_OK) {
        slotlock_service_fail_throw(intern, &keys, &err);
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
        slotlock_service_fail_throw(intern, NULL, &err);
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
        slotlock_service_acquire_groups(intern, &keys, &n, 1, owner, ttl, ttl_null, false, return_value);
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
        slotlock_keys_to_php(&keys, 0, keys.count, return_value, &handle);
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
    if (!slotlock_arg_lock_owner(intern, lock_obj, lock_str, owner, &keys)) {
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

static void topology_node(zval *nodes, const sl_node *node, const char *role)
{
    char where[256];
    zval one;

    array_init(&one);
    sl_endpoint_describe(&node->ep, where, sizeof(where));
    add_assoc_string(&one, "addr", where);
    add_assoc_string(&one, "role", (char *)role);
    add_assoc_bool(&one, "connected", node->conn != NULL);
    add_next_index_zval(nodes, &one);
}

PHP_METHOD(SlotLockService, topology)
{
    slotlock_service_obj *intern;
    zval nodes;
    size_t i;

    ZEND_PARSE_PARAMETERS_NONE();
    SERVICE_FETCH(intern);

    array_init(return_value);
    add_assoc_string(return_value, "mode", (char *)service_modes[intern->topo.mode]);
    add_assoc_bool(return_value, "hash_tag", intern->locker.tagged);
    array_init(&nodes);
    for (i = 0; i < intern->topo.n_nodes; i++) {
        topology_node(&nodes, intern->topo.nodes[i], intern->topo.mode == SL_MODE_QUORUM ? "quorum" : "master");
    }
    for (i = 0; i < intern->topo.n_sentinels; i++) {
        topology_node(&nodes, intern->topo.sentinels[i], intern->topo.mode == SL_MODE_SENTINEL ? "sentinel" : "seed");
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
