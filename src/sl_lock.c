/* Lock operations over the scripts. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_lock.h"

sl_status sl_owner_check(const char *owner, size_t len, sl_error *err)
{
    if (len == 0 || len > SL_OWNER_MAX) {
        sl_error_set(err, SL_ERR_ARG, "$owner must be 1 to %d bytes", SL_OWNER_MAX);
        return SL_ERR_ARG;
    }
    if (memchr(owner, '\0', len)) {
        sl_error_set(err, SL_ERR_ARG, "$owner must not contain NUL bytes");
        return SL_ERR_ARG;
    }
    return SL_OK;
}

sl_status sl_ttl_check(long long ttl, const char *name, sl_error *err)
{
    if (ttl < SL_TTL_MIN || ttl > SL_TTL_MAX) {
        sl_error_set(err, SL_ERR_ARG, "%s must be between %d and %d seconds", name, SL_TTL_MIN, SL_TTL_MAX);
        return SL_ERR_ARG;
    }
    return SL_OK;
}

sl_status sl_owner_generate(char out[SL_TOKEN_LEN + 1], sl_random_fn random, sl_error *err)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char bytes[SL_TOKEN_LEN / 2];
    size_t i;

    if (random(bytes, sizeof(bytes)) != 0) {
        sl_error_set(err, SL_ERR_ARG, "no random bytes for an owner token");
        return SL_ERR_ARG;
    }
    for (i = 0; i < sizeof(bytes); i++) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 15];
    }
    out[SL_TOKEN_LEN] = '\0';
    memset(bytes, 0, sizeof(bytes));
    return SL_OK;
}

void sl_locker_init(sl_locker *lk, sl_node *node, const char *prefix, sl_stats *stats)
{
    memset(lk, 0, sizeof(*lk));
    lk->node = node;
    lk->stats = stats;
    snprintf(lk->prefix, sizeof(lk->prefix), "%s", prefix);
    snprintf(lk->fence_key, sizeof(lk->fence_key), "%s:fence", prefix);
    snprintf(lk->active_key, sizeof(lk->active_key), "%s:active", prefix);
}

static int reply_is_noscript(const redisReply *r)
{
    return r && r->type == REDIS_REPLY_ERROR && r->len >= 8 && strncmp(r->str, "NOSCRIPT", 8) == 0;
}

sl_status sl_script_run(sl_node *node, sl_script_id id, size_t nkeys, const char *const *keys,
                        const size_t *key_lens, size_t nargs, const char *const *args, const size_t *arg_lens,
                        redisReply **reply, sl_stats *stats, sl_error *err)
{
    const sl_script *s = sl_script_get(id);
    size_t argc = 3 + nkeys + nargs, i;
    const char **argv;
    size_t *lens;
    char numkeys[24];
    sl_status rc;

    *reply = NULL;
    argv = malloc(argc * sizeof(*argv));
    lens = malloc(argc * sizeof(*lens));
    if (!argv || !lens) {
        free(argv);
        free(lens);
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    snprintf(numkeys, sizeof(numkeys), "%zu", nkeys);
    argv[0] = "EVALSHA";
    lens[0] = 7;
    argv[1] = s->sha;
    lens[1] = SL_SHA1_HEX_LEN;
    argv[2] = numkeys;
    lens[2] = strlen(numkeys);
    for (i = 0; i < nkeys; i++) {
        argv[3 + i] = keys[i];
        lens[3 + i] = key_lens[i];
    }
    for (i = 0; i < nargs; i++) {
        argv[3 + nkeys + i] = args[i];
        lens[3 + nkeys + i] = arg_lens[i];
    }

    rc = sl_node_command(node, (int)argc, argv, lens, reply, err);
    if (rc == SL_ERR_REPLY && reply_is_noscript(*reply)) {
        /* After SCRIPT FLUSH, a restart or a failover: EVAL loads it again. */
        freeReplyObject(*reply);
        *reply = NULL;
        SL_STAT_INC(stats, script_loads, 1);
        argv[0] = "EVAL";
        lens[0] = 4;
        argv[1] = s->body;
        lens[1] = s->len;
        rc = sl_node_command(node, (int)argc, argv, lens, reply, err);
    }
    if (rc == SL_ERR_REPLY) {
        /* err carries Redis' message (OOM, READONLY, BUSY...) and its class:
         * SL_ERR_AUTH for NOAUTH/WRONGPASS/NOPERM. */
        freeReplyObject(*reply);
        *reply = NULL;
        rc = err ? err->code : SL_ERR_REPLY;
    }
    free(argv);
    free(lens);
    return rc;
}

static sl_status bad_reply(const char *what, sl_error *err)
{
    sl_error_set(err, SL_ERR_PROTOCOL, "unexpected reply to %s", what);
    return SL_ERR_PROTOCOL;
}

static int int_elem(const redisReply *r, size_t i, long long *out)
{
    if (r->type != REDIS_REPLY_ARRAY || i >= r->elements || !r->element[i] ||
        r->element[i]->type != REDIS_REPLY_INTEGER) {
        return 0;
    }
    *out = r->element[i]->integer;
    return 1;
}

sl_status sl_decode_acquire(const redisReply *r, size_t n_groups, sl_acquire_result *res, sl_error *err)
{
    long long cand, fence, ttl, fresh, why;
    const redisReply *booking;

    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 6 || !int_elem(r, 0, &cand) ||
        !int_elem(r, 1, &fence) || !int_elem(r, 2, &ttl) || !int_elem(r, 3, &fresh) || !int_elem(r, 4, &why)) {
        return bad_reply("acquire", err);
    }
    booking = r->element[5];
    if (!booking || booking->type != REDIS_REPLY_STRING || booking->len > SL_BOOKING_ID_MAX) {
        return bad_reply("acquire", err);
    }
    if (cand < 0 || (unsigned long long)cand > n_groups || (cand > 0 && fence < 1) || why < 0 ||
        why > SL_BLOCKED_BOOKED_SELF || (cand > 0 && why != 0)) {
        return bad_reply("acquire", err);
    }
    res->candidate = (long)cand - 1;
    res->fence = fence;
    res->ttl_ms = ttl;
    res->fresh = fresh ? 1 : 0;
    res->blocked = (sl_blocked)why;
    res->booking_id_len = booking->len;
    memcpy(res->booking_id, booking->str, booking->len);
    res->booking_id[booking->len] = '\0';
    return SL_OK;
}

sl_status sl_decode_commit(const redisReply *r, int *ok, int64_t *fence, sl_error *err)
{
    long long c, f;

    if (!r || r->elements != 2 || !int_elem(r, 0, &c) || !int_elem(r, 1, &f) || (c != 1 && c != -1)) {
        return bad_reply("commit", err);
    }
    *ok = c == 1;
    *fence = f;
    return SL_OK;
}

sl_status sl_decode_integer(const redisReply *r, int64_t *out, sl_error *err)
{
    if (!r || r->type != REDIS_REPLY_INTEGER) {
        return bad_reply("script", err);
    }
    *out = r->integer;
    return SL_OK;
}

sl_status sl_decode_extend(const redisReply *r, sl_extend_code *code, int64_t *fence, sl_error *err)
{
    long long c, f, ttl;

    if (!r || r->elements != 3 || !int_elem(r, 0, &c) || !int_elem(r, 1, &f) || !int_elem(r, 2, &ttl) ||
        c < -1 || c > 1) {
        return bad_reply("extend", err);
    }
    *code = (sl_extend_code)c;
    *fence = f;
    return SL_OK;
}

sl_status sl_decode_status(const redisReply *r, sl_status_result *res, sl_error *err)
{
    long long locked, ttl, booked;

    if (!r || r->elements != 3 || !int_elem(r, 0, &locked) || !int_elem(r, 1, &ttl) ||
        !int_elem(r, 2, &booked)) {
        return bad_reply("status", err);
    }
    res->locked = locked != 0;
    res->ttl_ms = ttl;
    res->booked = booked != 0;
    return SL_OK;
}

/* KEYS = [extra..., slot keys...]: builds the key vectors for a script. */
typedef struct {
    const char **keys;
    size_t *lens;
    size_t n;
} key_vec;

static sl_status key_vec_build(key_vec *v, const char *const *extra, size_t n_extra, const sl_keylist *keys,
                               sl_error *err)
{
    size_t i;

    v->n = n_extra + keys->count;
    v->keys = malloc(v->n * sizeof(*v->keys));
    v->lens = malloc(v->n * sizeof(*v->lens));
    if (!v->keys || !v->lens) {
        free(v->keys);
        free(v->lens);
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    for (i = 0; i < n_extra; i++) {
        v->keys[i] = extra[i];
        v->lens[i] = strlen(extra[i]);
    }
    for (i = 0; i < keys->count; i++) {
        v->keys[n_extra + i] = keys->keys[i];
        v->lens[n_extra + i] = keys->lens[i];
    }
    return SL_OK;
}

static void key_vec_free(key_vec *v)
{
    free(v->keys);
    free(v->lens);
}

sl_status sl_lock_acquire(sl_locker *lk, const sl_keylist *keys, const size_t *group_sizes, size_t n_groups,
                          const char *owner, size_t owner_len, int64_t ttl_ms, sl_acquire_result *res,
                          sl_error *err)
{
    const char *extra[2] = {lk->fence_key, lk->active_key};
    const char **args;
    size_t *arg_lens, i, total = 0;
    char (*nums)[24];
    key_vec kv;
    redisReply *r = NULL;
    sl_status rc;

    for (i = 0; i < n_groups; i++) {
        total += group_sizes[i];
    }
    if (n_groups == 0 || total != keys->count) {
        sl_error_set(err, SL_ERR_ARG, "candidate sizes do not match the keys");
        return SL_ERR_ARG;
    }
    if (key_vec_build(&kv, extra, 2, keys, err) != SL_OK) {
        return SL_ERR_NOMEM;
    }
    args = malloc((2 + n_groups) * sizeof(*args));
    arg_lens = malloc((2 + n_groups) * sizeof(*arg_lens));
    nums = malloc((1 + n_groups) * sizeof(*nums));
    if (!args || !arg_lens || !nums) {
        rc = SL_ERR_NOMEM;
        sl_error_set(err, rc, "out of memory");
        goto done;
    }
    args[0] = owner;
    arg_lens[0] = owner_len;
    snprintf(nums[0], sizeof(nums[0]), "%" PRId64, ttl_ms);
    args[1] = nums[0];
    arg_lens[1] = strlen(nums[0]);
    for (i = 0; i < n_groups; i++) {
        snprintf(nums[1 + i], sizeof(nums[0]), "%zu", group_sizes[i]);
        args[2 + i] = nums[1 + i];
        arg_lens[2 + i] = strlen(nums[1 + i]);
    }
    rc = sl_script_run(lk->node, SL_SCRIPT_ACQUIRE, kv.n, kv.keys, kv.lens, 2 + n_groups, args, arg_lens, &r,
                       lk->stats, err);
    if (rc == SL_OK) {
        rc = sl_decode_acquire(r, n_groups, res, err);
    }
    if (rc == SL_OK) {
        if (res->candidate < 0) {
            SL_STAT_INC(lk->stats, conflicts, 1);
        } else if (res->fresh) {
            SL_STAT_INC(lk->stats, acquired, 1);
        } else {
            SL_STAT_INC(lk->stats, reacquired, 1);
        }
    }
done:
    if (r) {
        freeReplyObject(r);
    }
    free(args);
    free(arg_lens);
    free(nums);
    key_vec_free(&kv);
    return rc;
}

sl_status sl_lock_commit(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                         const char *booking_id, size_t booking_id_len, int64_t ttl_ms, int *ok, int64_t *fence,
                         sl_error *err)
{
    const char *extra[2] = {lk->fence_key, lk->active_key};
    char ttl[24];
    const char *args[3] = {owner, ttl, booking_id};
    size_t arg_lens[3];
    key_vec kv;
    redisReply *r = NULL;
    sl_status rc;

    snprintf(ttl, sizeof(ttl), "%" PRId64, ttl_ms);
    arg_lens[0] = owner_len;
    arg_lens[1] = strlen(ttl);
    arg_lens[2] = booking_id_len;
    if (key_vec_build(&kv, extra, 2, keys, err) != SL_OK) {
        return SL_ERR_NOMEM;
    }
    rc = sl_script_run(lk->node, SL_SCRIPT_COMMIT, kv.n, kv.keys, kv.lens, 3, args, arg_lens, &r, lk->stats, err);
    if (rc == SL_OK) {
        rc = sl_decode_commit(r, ok, fence, err);
    }
    if (rc == SL_OK) {
        if (*ok) {
            SL_STAT_INC(lk->stats, committed, 1);
        } else {
            SL_STAT_INC(lk->stats, conflicts, 1);
        }
    }
    if (r) {
        freeReplyObject(r);
    }
    key_vec_free(&kv);
    return rc;
}

sl_status sl_lock_release(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                          long *released, sl_error *err)
{
    const char *extra[1] = {lk->active_key};
    const char *args[1] = {owner};
    size_t arg_lens[1] = {owner_len};
    key_vec kv;
    redisReply *r = NULL;
    int64_t n = 0;
    sl_status rc;

    if (key_vec_build(&kv, extra, 1, keys, err) != SL_OK) {
        return SL_ERR_NOMEM;
    }
    rc = sl_script_run(lk->node, SL_SCRIPT_RELEASE, kv.n, kv.keys, kv.lens, 1, args, arg_lens, &r, lk->stats,
                       err);
    if (rc == SL_OK) {
        rc = sl_decode_integer(r, &n, err);
    }
    if (rc == SL_OK) {
        *released = (long)n;
        SL_STAT_INC(lk->stats, released, (uint64_t)n);
    }
    if (r) {
        freeReplyObject(r);
    }
    key_vec_free(&kv);
    return rc;
}

sl_status sl_lock_extend(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                         int64_t ttl_ms, sl_extend_code *code, int64_t *fence, sl_error *err)
{
    const char *extra[1] = {lk->active_key};
    char ttl[24];
    const char *args[2] = {owner, ttl};
    size_t arg_lens[2];
    key_vec kv;
    redisReply *r = NULL;
    sl_status rc;

    snprintf(ttl, sizeof(ttl), "%" PRId64, ttl_ms);
    arg_lens[0] = owner_len;
    arg_lens[1] = strlen(ttl);
    if (key_vec_build(&kv, extra, 1, keys, err) != SL_OK) {
        return SL_ERR_NOMEM;
    }
    rc = sl_script_run(lk->node, SL_SCRIPT_EXTEND, kv.n, kv.keys, kv.lens, 2, args, arg_lens, &r, lk->stats, err);
    if (rc == SL_OK) {
        rc = sl_decode_extend(r, code, fence, err);
    }
    if (rc == SL_OK) {
        if (*code == SL_EXTEND_OK) {
            SL_STAT_INC(lk->stats, extended, 1);
        } else {
            SL_STAT_INC(lk->stats, lost, 1);
        }
    }
    if (r) {
        freeReplyObject(r);
    }
    key_vec_free(&kv);
    return rc;
}

sl_status sl_lock_validate(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                           int *valid, sl_error *err)
{
    const char *args[1] = {owner};
    size_t arg_lens[1] = {owner_len};
    redisReply *r = NULL;
    int64_t v = 0;
    sl_status rc;

    rc = sl_script_run(lk->node, SL_SCRIPT_VALIDATE, keys->count, (const char *const *)keys->keys, keys->lens, 1,
                       args, arg_lens, &r, lk->stats, err);
    if (rc == SL_OK) {
        rc = sl_decode_integer(r, &v, err);
    }
    if (rc == SL_OK) {
        *valid = v == 1;
        if (!*valid) {
            SL_STAT_INC(lk->stats, lost, 1);
        }
    }
    if (r) {
        freeReplyObject(r);
    }
    return rc;
}

sl_status sl_lock_status(sl_locker *lk, const sl_keylist *keys, sl_status_result *res, sl_error *err)
{
    redisReply *r = NULL;
    sl_status rc;

    rc = sl_script_run(lk->node, SL_SCRIPT_STATUS, keys->count, (const char *const *)keys->keys, keys->lens, 0,
                       NULL, NULL, &r, lk->stats, err);
    if (rc == SL_OK) {
        rc = sl_decode_status(r, res, err);
    }
    if (r) {
        freeReplyObject(r);
    }
    return rc;
}

sl_status sl_lock_count(sl_locker *lk, int64_t *count, sl_error *err)
{
    const char *keys[1] = {lk->active_key};
    size_t lens[1];
    redisReply *r = NULL;
    sl_status rc;

    lens[0] = strlen(lk->active_key);
    rc = sl_script_run(lk->node, SL_SCRIPT_COUNT, 1, keys, lens, 0, NULL, NULL, &r, lk->stats, err);
    if (rc == SL_OK) {
        rc = sl_decode_integer(r, count, err);
    }
    if (r) {
        freeReplyObject(r);
    }
    return rc;
}
