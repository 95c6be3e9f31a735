/*
 * PHP arguments -> slot keys: one slot, segment lists, candidates and
 * resource intervals, in the service's prefix and key time zone. Each
 * function returns false with an exception thrown.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "slotlock_private.h"

static bool arg_slot_time(slotlock_service_obj *intern, zval *start, const char *name, sl_slot_time *out)
{
    int64_t sse;
    sl_error err;

    ZVAL_DEREF(start);
    if (intern->tz_utc && Z_TYPE_P(start) == IS_STRING && sl_slot_time_parse(Z_STRVAL_P(start), Z_STRLEN_P(start), out)) {
        /* out-of-range fields (2025-02-30) go the slow way for PHP's own verdict */
        if (sl_slot_time_check(out, name, &err) == SL_OK) {
            return true;
        }
    }

    return slotlock_arg_instant(intern, start, name, &sse) && slotlock_wall_clock(intern, sse, name, out);
}

bool slotlock_arg_key(slotlock_service_obj *intern, zval *service, zval *start, const char *company,
                    char key[SL_KEY_MAX], size_t *len)
{
    char svc[SL_ID_MAX + 1];
    sl_slot_time t;

    if (!slotlock_arg_id(service, "$serviceId", svc) || !arg_slot_time(intern, start, "$start", &t)) {
        return false;
    }
    *len = sl_key_build_ex(key, intern->locker.prefix, intern->locker.tagged, company, svc, &t);
    return *len > 0;
}

/* One [serviceId, start] pair (or ['service' => ..., 'start' => ...]). */
bool slotlock_arg_pair(slotlock_service_obj *intern, zval *pair, const char *company, const char *what,
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
    if (!slotlock_arg_key(intern, svc, start, company, key, &len)) {
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
bool slotlock_arg_segments(slotlock_service_obj *intern, HashTable *segments, const char *company, const char *what,
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
        if (!slotlock_arg_pair(intern, pair, company, what, keys, start)) {
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    *n = keys->count - start;
    return true;
}

/* A non-empty list of candidates, each a [serviceId, start] pair or a list of them:
 * appends their keys, groups[i] = keys of candidate i, *n_groups = candidates. */
bool slotlock_arg_candidates(slotlock_service_obj *intern, HashTable *candidates, const char *cid, sl_keylist *keys,
                             size_t *groups, size_t *n_groups)
{
    zval *cand, *first;
    bool ok = true;

    if (zend_hash_num_elements(candidates) == 0) {
        zend_value_error("$candidates must not be empty");
        return false;
    }
    if (zend_hash_num_elements(candidates) > SL_MAX_LOCK_KEYS) {
        zend_value_error("$candidates must not hold more than %d candidates", SL_MAX_LOCK_KEYS);
        return false;
    }
    ZEND_HASH_FOREACH_VAL(candidates, cand) {
        ZVAL_DEREF(cand);
        if (Z_TYPE_P(cand) != IS_ARRAY) {
            zend_type_error("$candidates must hold [serviceId, start] pairs or lists of them, %s given",
                            zend_zval_type_name(cand));
            return false;
        }
        first = zend_hash_index_find(Z_ARRVAL_P(cand), 0);
        if (first) {
            ZVAL_DEREF(first);
        }
        if (first && Z_TYPE_P(first) == IS_ARRAY) {
            ok = slotlock_arg_segments(intern, Z_ARRVAL_P(cand), cid, "$candidates", keys, &groups[*n_groups]);
        } else {
            ok = slotlock_arg_pair(intern, cand, cid, "$candidates", keys, keys->count);
            groups[*n_groups] = 1;
        }
        if (!ok) {
            return false;
        }
        (*n_groups)++;
    } ZEND_HASH_FOREACH_END();
    return true;
}

/* ---- Keys of a call ----------------------------------------------------- */

bool slotlock_service_handle(slotlock_service_obj *intern, zend_string *handle, sl_keylist *keys)
{
    return slotlock_arg_handle(intern, NULL, handle, keys);
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

    if (!slotlock_arg_id(company, "$companyId", cid)) {
        return false;
    }
    ZVAL_DEREF(service);
    if (Z_TYPE_P(service) != IS_ARRAY) {
        if (!slotlock_arg_key(intern, service, start, cid, key, &len)) {
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
            if (!have_base && !slotlock_arg_instant(intern, start, "$start", &base)) {
                return false;
            }
            have_base = true;
            if (Z_LVAL_P(at) < 0 || Z_LVAL_P(at) > 7 * 24 * 60) {
                zend_value_error("$service segment offsets must be 0 to 10080 minutes");
                return false;
            }
            sse = base + (int64_t)Z_LVAL_P(at) * 60;
        } else if (!slotlock_arg_instant(intern, at, "$service segment start", &sse)) {
            return false;
        }
        {
            char svc_id[SL_ID_MAX + 1];
            if (!slotlock_arg_id(svc, "$serviceId", svc_id) || !slotlock_wall_clock(intern, sse, "$start", &t)) {
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

    if (!slotlock_arg_id(company, "$companyId", cid) || !slotlock_arg_id(resource, "$resourceId", rid) ||
        !slotlock_arg_instant(intern, start, "$start", &from)) {
        return false;
    }
    ZVAL_DEREF(end);
    if (Z_TYPE_P(end) == IS_LONG) {
        if (Z_LVAL_P(end) < 1 || Z_LVAL_P(end) > 24 * 60) {
            zend_value_error("$end as a duration must be 1 to 1440 minutes");
            return false;
        }
        to = from + (int64_t)Z_LVAL_P(end) * 60;
    } else if (!slotlock_arg_instant(intern, end, "$end", &to)) {
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
