/* Lock operations over the scripts. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

void sl_locker_init(sl_locker *lk, sl_topology *topo, const char *prefix, int tagged, sl_stats *stats)
{
    memset(lk, 0, sizeof(*lk));
    lk->topo = topo;
    lk->tagged = tagged;
    lk->stats = stats;
    snprintf(lk->prefix, sizeof(lk->prefix), "%s", prefix);
    snprintf(lk->fence_key, sizeof(lk->fence_key), "%s#fence", prefix);
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
    if (cand < 0 || (unsigned long long)cand > n_groups || (cand > 0 && fence < 0) || why < 0 ||
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

/* KEYS = [extra..., slot keys...]: builds the key vectors for a script
 * (inline for the common sizes: no allocation on the hot path). */
typedef struct {
    const char **keys;
    size_t *lens;
    size_t n;
    const char *inline_keys[SL_STACK_ARGS];
    size_t inline_lens[SL_STACK_ARGS];
} key_vec;

static sl_status key_vec_build(key_vec *v, const char *const *extra, size_t n_extra, const sl_keylist *keys,
                               sl_error *err)
{
    size_t i;

    v->n = n_extra + keys->count;
    if (v->n <= SL_STACK_ARGS) {
        v->keys = v->inline_keys;
        v->lens = v->inline_lens;
    } else {
        v->keys = malloc(v->n * sizeof(*v->keys));
        v->lens = malloc(v->n * sizeof(*v->lens));
        if (!v->keys || !v->lens) {
            free(v->keys);
            free(v->lens);
            v->keys = NULL;
            v->lens = NULL;
            sl_error_set(err, SL_ERR_NOMEM, "out of memory");
            return SL_ERR_NOMEM;
        }
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
    if (v->keys != v->inline_keys) {
        free(v->keys);
        free(v->lens);
    }
}

/* ---- Routing ---------------------------------------------------------------- */

#define AUX_KEY_MAX (SL_PREFIX_MAX + SL_ID_MAX + 16)

typedef struct {
    const char *fence;
    char buf[AUX_KEY_MAX]; /* tagged mode: per company */
} aux_keys;

/* The fence counter of an operation on keys: "<prefix>#fence", or per
 * company ("<prefix>#fence{c1}") when keys are tagged, so that every key of
 * one script lives in one Cluster hash slot. Also checks that tagged keys
 * belong to one company. */
static sl_status lk_aux(sl_locker *lk, const sl_keylist *keys, aux_keys *aux, sl_error *err)
{
    size_t tag_len = 0, i;
    const char *tag;

    if (!lk->tagged) {
        aux->fence = lk->fence_key;
        return SL_OK;
    }
    tag = keys->count ? sl_key_tag(keys->keys[0], keys->lens[0], &tag_len) : NULL;
    if (!tag || tag_len > SL_ID_MAX + 3) {
        sl_error_set(err, SL_ERR_ARG, "$lock keys need a {c<company>} hash tag in cluster mode");
        return SL_ERR_ARG;
    }
    for (i = 1; i < keys->count; i++) {
        size_t l2 = 0;
        const char *t2 = sl_key_tag(keys->keys[i], keys->lens[i], &l2);
        if (!t2 || l2 != tag_len || memcmp(t2, tag, tag_len) != 0) {
            sl_error_set(err, SL_ERR_ARG, "$lock keys must all belong to one company");
            return SL_ERR_ARG;
        }
    }
    snprintf(aux->buf, sizeof(aux->buf), "%s#fence%.*s", lk->prefix, (int)tag_len, tag);
    aux->fence = aux->buf;
    return SL_OK;
}

/* "h:0:<owner>": the value of an unfenced hold. out has SL_HOLD_MAX bytes. */
#define SL_HOLD_MAX (4 + SL_OWNER_MAX + 1)
static size_t hold_value(char *out, const char *owner, size_t owner_len)
{
    memcpy(out, "h:0:", 4);
    memcpy(out + 4, owner, owner_len);
    out[4 + owner_len] = '\0';
    return 4 + owner_len;
}

static int err_wrongtype(const sl_error *err)
{
    return err->code == SL_ERR_REPLY && strstr(err->msg, "WRONGTYPE") != NULL;
}

/* One script, on the node that serves kv's first slot key. */
static sl_status lk_run(sl_locker *lk, const sl_keylist *keys, sl_script_id id, const key_vec *kv, size_t nargs,
                        const char *const *args, const size_t *arg_lens, redisReply **r, sl_error *err)
{
    const char *route = keys->count ? keys->keys[0] : kv->keys[0];
    size_t route_len = keys->count ? keys->lens[0] : kv->lens[0];

    return sl_topology_run(lk->topo, route, route_len, id, kv->n, kv->keys, kv->lens, nargs, args, arg_lens, r, err);
}

static int lk_quorum(const sl_locker *lk)
{
    return lk->topo->mode == SL_MODE_QUORUM;
}

/* Quorum: the same script on every node. Fails when fewer than a majority
 * answered; *answered counts those that did. */
static sl_status lk_run_all(sl_locker *lk, sl_script_id id, const key_vec *kv, size_t nargs,
                            const char *const *args, const size_t *arg_lens, redisReply **replies, size_t *answered,
                            sl_error *err)
{
    sl_error errs[SL_MAX_NODES];
    size_t i, n = lk->topo->n_nodes, failed = 0;
    const sl_error *first = NULL;

    sl_topology_run_all(lk->topo, id, kv->n, kv->keys, kv->lens, nargs, args, arg_lens, replies, errs);
    for (i = 0; i < n; i++) {
        if (!replies[i]) {
            failed++;
            if (!first) {
                first = &errs[i];
            }
        }
    }
    *answered = n - failed;
    if (*answered < sl_topology_majority(lk->topo)) {
        sl_status code = first && first->code != SL_OK ? first->code : SL_ERR_CONNECT;
        for (i = 0; i < n; i++) {
            if (replies[i]) {
                freeReplyObject(replies[i]);
                replies[i] = NULL;
            }
        }
        if (!sl_status_is_connection(code)) {
            code = code == SL_ERR_REPLY ? SL_ERR_REPLY : SL_ERR_CONNECT;
        }
        sl_error_set(err, code, "quorum not reached: %zu of %zu nodes failed (first: %.150s)", failed, n,
                     first ? first->msg : "?");
        return code;
    }
    return SL_OK;
}

static void free_replies(redisReply **replies, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (replies[i]) {
            freeReplyObject(replies[i]);
            replies[i] = NULL;
        }
    }
}

/* ---- Operations ------------------------------------------------------------ */

/* Quorum acquire: majority on one candidate wins; the rest is rolled back. */
static sl_status quorum_acquire(sl_locker *lk, const sl_keylist *keys, const size_t *group_sizes, size_t n_groups,
                                const key_vec *kv, const char *const *args, const size_t *arg_lens, size_t nargs,
                                int64_t ttl_ms, sl_acquire_result *res, sl_error *err)
{
    redisReply *replies[SL_MAX_NODES];
    sl_acquire_result each[SL_MAX_NODES];
    int ok[SL_MAX_NODES];
    size_t n = lk->topo->n_nodes, answered, i, g, best_votes = 0, majority = sl_topology_majority(lk->topo);
    long best = -1;
    int64_t start = sl_now_ms(), elapsed, validity;
    sl_status rc;

    sl_error errs[SL_MAX_NODES];
    const sl_error *first_err = NULL;

    /* Not lk_run_all(): even without a majority, what the answering nodes
     * took must be rolled back. */
    sl_topology_run_all(lk->topo, SL_SCRIPT_ACQUIRE, kv->n, kv->keys, kv->lens, nargs, args, arg_lens, replies, errs);
    answered = 0;
    for (i = 0; i < n; i++) {
        ok[i] = replies[i] && sl_decode_acquire(replies[i], n_groups, &each[i], NULL) == SL_OK;
        answered += ok[i];
        if (!ok[i] && !first_err) {
            first_err = &errs[i];
        }
    }
    rc = SL_OK;
    if (answered < majority) {
        rc = first_err && sl_status_is_connection(first_err->code) ? first_err->code : SL_ERR_CONNECT;
        sl_error_set(err, rc, "quorum not reached: %zu of %zu nodes failed (first: %.150s)", n - answered, n,
                     first_err ? first_err->msg : "?");
    }
    for (g = 0; g < n_groups; g++) {
        size_t votes = 0;
        for (i = 0; i < n; i++) {
            votes += ok[i] && each[i].candidate == (long)g;
        }
        if (votes > best_votes) {
            best_votes = votes;
            best = (long)g;
        }
    }
    elapsed = sl_now_ms() - start;
    validity = ttl_ms - elapsed - (int64_t)((double)ttl_ms * lk->topo->drift_factor) - 2;

    memset(res, 0, sizeof(*res));
    res->candidate = -1;
    res->ttl_ms = -1;
    if (rc == SL_OK && best >= 0 && best_votes >= majority && validity > 0) {
        res->candidate = best;
        res->ttl_ms = validity;
        res->fresh = 0;
        for (i = 0; i < n; i++) {
            if (ok[i] && each[i].candidate == best) {
                /* Any two majorities share a node, so the largest fence of
                 * this majority beats every earlier holder's. */
                if (each[i].fence > res->fence) {
                    res->fence = each[i].fence;
                }
                res->fresh |= each[i].fresh;
            }
        }
    } else {
        /* Why not: the first candidate's blocker as most nodes saw it. */
        size_t why[4] = {0, 0, 0, 0};
        for (i = 0; i < n; i++) {
            if (ok[i] && each[i].candidate < 0) {
                why[each[i].blocked & 3]++;
                if (each[i].ttl_ms >= 0 && (res->ttl_ms < 0 || each[i].ttl_ms < res->ttl_ms)) {
                    res->ttl_ms = each[i].ttl_ms;
                }
                if (each[i].blocked == SL_BLOCKED_BOOKED_SELF) {
                    memcpy(res->booking_id, each[i].booking_id, each[i].booking_id_len + 1);
                    res->booking_id_len = each[i].booking_id_len;
                }
            }
        }
        res->blocked = why[3] ? SL_BLOCKED_BOOKED_SELF : why[2] ? SL_BLOCKED_BOOKED : SL_BLOCKED_LOCKED;
    }

    /* Roll back what this attempt took and does not keep: every new hold on
     * a losing candidate, or all new holds when there is no lock. Holds the
     * owner had before (fresh 0) stay. */
    {
        sl_node *undo[SL_MAX_NODES];
        key_vec rk;
        size_t n_undo;

        for (g = 0; g < n_groups; g++) {
            size_t from = 0, j;
            redisReply *r2[SL_MAX_NODES];
            sl_error e2[SL_MAX_NODES];
            const char *rel_keys[SL_MAX_LOCK_KEYS];
            size_t rel_lens[SL_MAX_LOCK_KEYS];
            const char *oargs[1] = {args[0]};
            size_t olens[1] = {arg_lens[0]};

            n_undo = 0;
            for (i = 0; i < n; i++) {
                if (ok[i] && each[i].candidate == (long)g && each[i].fresh && (long)g != res->candidate) {
                    undo[n_undo++] = lk->topo->nodes[i];
                }
            }
            if (!n_undo) {
                continue;
            }
            for (j = 0; j < g; j++) {
                from += group_sizes[j];
            }
            for (j = 0; j < group_sizes[g] && j < SL_MAX_LOCK_KEYS; j++) {
                rel_keys[j] = keys->keys[from + j];
                rel_lens[j] = keys->lens[from + j];
            }
            rk.keys = rel_keys;
            rk.lens = rel_lens;
            rk.n = j;
            {
                sl_topology sub = *lk->topo;
                memcpy(sub.nodes, undo, n_undo * sizeof(*undo));
                sub.n_nodes = n_undo;
                sl_topology_run_all(&sub, SL_SCRIPT_RELEASE, rk.n, rk.keys, rk.lens, 1, oargs, olens, r2, e2);
            }
            free_replies(r2, n_undo);
        }
    }
    free_replies(replies, n);
    return rc;
}

static void count_acquire(sl_locker *lk, const sl_acquire_result *res)
{
    if (res->candidate < 0) {
        SL_STAT_INC(lk->stats, conflicts, 1);
    } else if (res->fresh) {
        SL_STAT_INC(lk->stats, acquired, 1);
    } else {
        SL_STAT_INC(lk->stats, reacquired, 1);
    }
}

/* Best effort after a write: the lock is held either way; WAIT narrows the
 * window in which a failover forgets it. */
static void lk_wait(sl_locker *lk, const sl_keylist *keys)
{
    long long acked;
    sl_error werr;

    if (lk->topo->wait_replicas > 0) {
        sl_topology_wait(lk->topo, keys->keys[0], keys->lens[0], &acked, &werr);
    }
}

/* The hot path: one slot, no fencing, one node: SET key h:0:<owner> NX PX ttl GET.
 * *done = 1 when the answer is final (nil: acquired); 0 when the slot is taken
 * (by anyone, maybe the owner, maybe booked, maybe a format-1 hash) or the
 * server is too old: the acquire script then decides. */
static sl_status acquire_native(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                                int64_t ttl_ms, sl_acquire_result *res, int *done, sl_error *err)
{
    char value[SL_HOLD_MAX], ttl[24];
    const char *args[5] = {value, "NX", "PX", ttl, "GET"};
    size_t arg_lens[5] = {0, 2, 2, 0, 3};
    key_vec kv;
    redisReply *r = NULL;
    sl_status rc;

    *done = 0;
    arg_lens[0] = hold_value(value, owner, owner_len);
    arg_lens[3] = sl_fmt_int(ttl, ttl_ms);
    kv.keys = (const char **)keys->keys;
    kv.lens = keys->lens;
    kv.n = 1;
    rc = lk_run(lk, keys, SL_CMD_SET, &kv, 5, args, arg_lens, &r, err);
    if (rc == SL_ERR_REPLY) {
        return SL_OK; /* WRONGTYPE (a format-1 hash) or an old server: the script knows */
    }
    if (rc != SL_OK) {
        return rc;
    }
    if (r->type == REDIS_REPLY_NIL) {
        memset(res, 0, sizeof(*res));
        res->candidate = 0;
        res->ttl_ms = ttl_ms;
        res->fresh = 1;
        *done = 1;
    } else if (r->type != REDIS_REPLY_STRING) {
        rc = bad_reply("SET", err);
    }
    freeReplyObject(r);
    return rc;
}

sl_status sl_lock_acquire(sl_locker *lk, const sl_keylist *keys, const size_t *group_sizes, size_t n_groups,
                          const char *owner, size_t owner_len, int64_t ttl_ms, sl_acquire_result *res,
                          sl_error *err)
{
    aux_keys aux;
    const char *extra[1];
    const char **args, *stack_args[SL_STACK_ARGS];
    size_t *arg_lens, stack_arg_lens[SL_STACK_ARGS], i, total = 0, nargs = 3 + n_groups;
    char (*nums)[24], stack_nums[SL_STACK_ARGS][24];
    key_vec kv;
    redisReply *r = NULL;
    sl_status rc;
    int done = 0;

    for (i = 0; i < n_groups; i++) {
        total += group_sizes[i];
    }
    if (n_groups == 0 || total != keys->count) {
        sl_error_set(err, SL_ERR_ARG, "candidate sizes do not match the keys");
        return SL_ERR_ARG;
    }
    if ((rc = lk_aux(lk, keys, &aux, err)) != SL_OK) {
        return rc;
    }
    if (keys->count == 1 && !lk->fencing && !lk_quorum(lk)) {
        rc = acquire_native(lk, keys, owner, owner_len, ttl_ms, res, &done, err);
        if (rc != SL_OK || done) {
            if (rc == SL_OK) {
                lk_wait(lk, keys);
                count_acquire(lk, res);
            }
            return rc;
        }
    }
    /* without fencing the counter is never touched: pass a slot key in its place, so an
     * ACL user needs no access to <prefix>#fence */
    extra[0] = lk->fencing ? aux.fence : keys->keys[0];
    if (key_vec_build(&kv, extra, 1, keys, err) != SL_OK) {
        return SL_ERR_NOMEM;
    }
    if (nargs <= SL_STACK_ARGS) {
        args = stack_args;
        arg_lens = stack_arg_lens;
        nums = stack_nums;
    } else {
        args = malloc(nargs * sizeof(*args));
        arg_lens = malloc(nargs * sizeof(*arg_lens));
        nums = malloc((1 + n_groups) * sizeof(*nums));
    }
    if (!args || !arg_lens || !nums) {
        rc = SL_ERR_NOMEM;
        sl_error_set(err, rc, "out of memory");
        goto done;
    }
    args[0] = owner;
    arg_lens[0] = owner_len;
    args[1] = nums[0];
    arg_lens[1] = sl_fmt_int(nums[0], ttl_ms);
    args[2] = lk->fencing ? "1" : "0";
    arg_lens[2] = 1;
    for (i = 0; i < n_groups; i++) {
        args[3 + i] = nums[1 + i];
        arg_lens[3 + i] = sl_fmt_int(nums[1 + i], (int64_t)group_sizes[i]);
    }
    if (lk_quorum(lk)) {
        rc = quorum_acquire(lk, keys, group_sizes, n_groups, &kv, args, arg_lens, nargs, ttl_ms, res, err);
    } else {
        rc = lk_run(lk, keys, SL_SCRIPT_ACQUIRE, &kv, nargs, args, arg_lens, &r, err);
        if (rc == SL_OK) {
            rc = sl_decode_acquire(r, n_groups, res, err);
        }
        if (rc == SL_OK && res->candidate >= 0) {
            lk_wait(lk, keys);
        }
    }
    if (rc == SL_OK) {
        count_acquire(lk, res);
    }
done:
    if (r) {
        freeReplyObject(r);
    }
    if (args != stack_args) {
        free(args);
        free(arg_lens);
        free(nums);
    }
    key_vec_free(&kv);
    return rc;
}

sl_status sl_lock_commit(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                         const char *booking_id, size_t booking_id_len, int64_t ttl_ms, int *ok, int64_t *fence,
                         sl_error *err)
{
    aux_keys aux;
    const char *extra[1];
    char ttl[24];
    const char *args[4] = {owner, ttl, booking_id, lk->fencing ? "1" : "0"};
    size_t arg_lens[4];
    key_vec kv;
    redisReply *r = NULL;
    sl_status rc;

    arg_lens[0] = owner_len;
    arg_lens[1] = sl_fmt_int(ttl, ttl_ms);
    arg_lens[2] = booking_id_len;
    arg_lens[3] = 1;
    if ((rc = lk_aux(lk, keys, &aux, err)) != SL_OK) {
        return rc;
    }
    /* without fencing the counter is never touched: pass a slot key in its place, so an
     * ACL user needs no access to <prefix>#fence */
    extra[0] = lk->fencing ? aux.fence : keys->keys[0];
    if (key_vec_build(&kv, extra, 1, keys, err) != SL_OK) {
        return SL_ERR_NOMEM;
    }
    if (lk_quorum(lk)) {
        redisReply *replies[SL_MAX_NODES];
        size_t answered, i, yes = 0;
        rc = lk_run_all(lk, SL_SCRIPT_COMMIT, &kv, 4, args, arg_lens, replies, &answered, err);
        if (rc == SL_OK) {
            *fence = 0;
            for (i = 0; i < lk->topo->n_nodes; i++) {
                int one = 0;
                int64_t f = 0;
                if (replies[i] && sl_decode_commit(replies[i], &one, &f, NULL) == SL_OK && one) {
                    yes++;
                    *fence = f > *fence ? f : *fence;
                }
            }
            *ok = yes >= sl_topology_majority(lk->topo);
            free_replies(replies, lk->topo->n_nodes);
        }
    } else {
        rc = lk_run(lk, keys, SL_SCRIPT_COMMIT, &kv, 4, args, arg_lens, &r, err);
        if (rc == SL_OK) {
            rc = sl_decode_commit(r, ok, fence, err);
        }
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
    aux_keys aux;
    char value[SL_HOLD_MAX];
    const char *args[1] = {owner};
    size_t arg_lens[1] = {owner_len};
    key_vec kv;
    redisReply *r = NULL;
    int64_t n = 0;
    sl_status rc;
    /* One unfenced key: compare-and-delete of the exact hold value. */
    int exact = keys->count == 1 && !lk->fencing;

    if ((rc = lk_aux(lk, keys, &aux, err)) != SL_OK) {
        return rc;
    }
    kv.keys = (const char **)keys->keys;
    kv.lens = keys->lens;
    kv.n = keys->count;
    if (lk_quorum(lk)) {
        /* Release wherever it is held; a minority of dead nodes does not
         * matter, their holds expire. */
        redisReply *replies[SL_MAX_NODES];
        size_t answered, i;
        rc = lk_run_all(lk, SL_SCRIPT_RELEASE, &kv, 1, args, arg_lens, replies, &answered, err);
        if (rc == SL_OK) {
            for (i = 0; i < lk->topo->n_nodes; i++) {
                int64_t one = 0;
                if (replies[i] && sl_decode_integer(replies[i], &one, NULL) == SL_OK && one > n) {
                    n = one;
                }
            }
            free_replies(replies, lk->topo->n_nodes);
        }
    } else {
        uint64_t reconnects = lk->stats ? lk->stats->reconnects : 0;
        if (exact) {
            args[0] = value;
            arg_lens[0] = hold_value(value, owner, owner_len);
        }
        rc = lk_run(lk, keys, exact ? SL_CMD_DELETE_IF_EQUAL : SL_SCRIPT_RELEASE, &kv, 1, args, arg_lens, &r, err);
        if (rc == SL_OK) {
            rc = sl_decode_integer(r, &n, err);
        } else if (exact && err_wrongtype(err)) {
            rc = SL_OK; /* a format-1 hash (or a foreign key): not ours */
        }
        if (rc == SL_OK && n == 0 && lk->stats && lk->stats->reconnects != reconnects) {
            /* The first try's reply was lost and the repeat found nothing to
             * delete: most likely the first try deleted it. When no key is
             * there any more, the caller's lock is released: say so. */
            sl_status_result st;
            sl_error ignored;
            if (sl_lock_status(lk, keys, &st, &ignored) == SL_OK && !st.locked) {
                n = (int64_t)keys->count;
            }
        }
    }
    if (rc == SL_OK) {
        *released = (long)n;
        SL_STAT_INC(lk->stats, released, (uint64_t)n);
    }
    if (r) {
        freeReplyObject(r);
    }
    return rc;
}

sl_status sl_lock_extend(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                         int64_t ttl_ms, sl_extend_code *code, int64_t *fence, sl_error *err)
{
    aux_keys aux;
    char ttl[24];
    const char *args[2] = {owner, ttl};
    size_t arg_lens[2];
    key_vec kv;
    redisReply *r = NULL;
    sl_status rc;

    arg_lens[0] = owner_len;
    arg_lens[1] = sl_fmt_int(ttl, ttl_ms);
    if ((rc = lk_aux(lk, keys, &aux, err)) != SL_OK) {
        return rc;
    }
    kv.keys = (const char **)keys->keys;
    kv.lens = keys->lens;
    kv.n = keys->count;
    if (lk_quorum(lk)) {
        redisReply *replies[SL_MAX_NODES];
        size_t answered, i, yes = 0, taken = 0;
        int64_t start = sl_now_ms();
        rc = lk_run_all(lk, SL_SCRIPT_EXTEND, &kv, 2, args, arg_lens, replies, &answered, err);
        if (rc == SL_OK) {
            *fence = 0;
            for (i = 0; i < lk->topo->n_nodes; i++) {
                sl_extend_code one;
                int64_t f = 0;
                if (replies[i] && sl_decode_extend(replies[i], &one, &f, NULL) == SL_OK) {
                    if (one == SL_EXTEND_OK) {
                        yes++;
                        *fence = f > *fence ? f : *fence;
                    } else if (one == SL_EXTEND_TAKEN) {
                        taken++;
                    }
                }
            }
            free_replies(replies, lk->topo->n_nodes);
            if (yes >= sl_topology_majority(lk->topo) &&
                ttl_ms - (sl_now_ms() - start) - (int64_t)((double)ttl_ms * lk->topo->drift_factor) - 2 > 0) {
                *code = SL_EXTEND_OK;
            } else {
                *code = taken ? SL_EXTEND_TAKEN : SL_EXTEND_LOST;
            }
        }
    } else {
        rc = lk_run(lk, keys, SL_SCRIPT_EXTEND, &kv, 2, args, arg_lens, &r, err);
        if (rc == SL_OK) {
            rc = sl_decode_extend(r, code, fence, err);
        }
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
    return rc;
}

sl_status sl_lock_validate(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                           int *valid, sl_error *err)
{
    const char *args[1] = {owner};
    size_t arg_lens[1] = {owner_len};
    aux_keys aux;
    key_vec kv;
    redisReply *r = NULL;
    int64_t v = 0;
    sl_status rc;

    if ((rc = lk_aux(lk, keys, &aux, err)) != SL_OK) {
        return rc;
    }
    kv.keys = (const char **)keys->keys;
    kv.lens = keys->lens;
    kv.n = keys->count;
    if (lk_quorum(lk)) {
        redisReply *replies[SL_MAX_NODES];
        size_t answered, i, yes = 0;
        rc = lk_run_all(lk, SL_SCRIPT_VALIDATE, &kv, 1, args, arg_lens, replies, &answered, err);
        if (rc == SL_OK) {
            for (i = 0; i < lk->topo->n_nodes; i++) {
                int64_t one = 0;
                yes += replies[i] && sl_decode_integer(replies[i], &one, NULL) == SL_OK && one == 1;
            }
            free_replies(replies, lk->topo->n_nodes);
            v = yes >= sl_topology_majority(lk->topo);
        }
    } else {
        rc = lk_run(lk, keys, SL_SCRIPT_VALIDATE, &kv, 1, args, arg_lens, &r, err);
        if (rc == SL_OK) {
            rc = sl_decode_integer(r, &v, err);
        }
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
    aux_keys aux;
    key_vec kv;
    redisReply *r = NULL;
    sl_status rc;

    if ((rc = lk_aux(lk, keys, &aux, err)) != SL_OK) {
        return rc;
    }
    kv.keys = (const char **)keys->keys;
    kv.lens = keys->lens;
    kv.n = keys->count;
    if (lk_quorum(lk)) {
        redisReply *replies[SL_MAX_NODES];
        size_t answered, i, locked = 0, booked = 0;
        rc = lk_run_all(lk, SL_SCRIPT_STATUS, &kv, 0, NULL, NULL, replies, &answered, err);
        if (rc == SL_OK) {
            res->ttl_ms = -1;
            for (i = 0; i < lk->topo->n_nodes; i++) {
                sl_status_result one;
                if (replies[i] && sl_decode_status(replies[i], &one, NULL) == SL_OK && one.locked) {
                    locked++;
                    booked += one.booked;
                    res->ttl_ms = one.ttl_ms > res->ttl_ms ? one.ttl_ms : res->ttl_ms;
                }
            }
            free_replies(replies, lk->topo->n_nodes);
            res->locked = locked >= sl_topology_majority(lk->topo);
            res->booked = booked >= sl_topology_majority(lk->topo);
        }
    } else {
        rc = lk_run(lk, keys, SL_SCRIPT_STATUS, &kv, 0, NULL, NULL, &r, err);
        if (rc == SL_OK) {
            rc = sl_decode_status(r, res, err);
        }
    }
    if (r) {
        freeReplyObject(r);
    }
    return rc;
}

/* The slot and bucket keys on one node: SCAN MATCH, counting what it returns. */
static sl_status count_node(sl_locker *lk, sl_node *node, int64_t *count, sl_error *err)
{
    char cursor[32] = "0", match[SL_PREFIX_MAX + 16];
    const char *argv[6] = {"SCAN", cursor, "MATCH", match, "COUNT", "1000"};
    size_t lens[6] = {4, 1, 5, 0, 5, 4};
    sl_status rc;

    *count = 0;
    lens[3] = (size_t)snprintf(match, sizeof(match), lk->tagged ? "%s:{c*}:[sr]*" : "%s:c*:[sr]*", lk->prefix);
    do {
        redisReply *r = NULL;

        lens[1] = strlen(cursor);
        rc = sl_node_command(node, 6, argv, lens, &r, err);
        if (rc != SL_OK || r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
            r->element[0]->type != REDIS_REPLY_STRING || r->element[0]->len >= sizeof(cursor) ||
            r->element[1]->type != REDIS_REPLY_ARRAY) {
            if (r) {
                freeReplyObject(r);
            }
            if (rc == SL_OK) {
                rc = bad_reply("SCAN", err);
            }
            return rc == SL_ERR_REPLY ? err->code : rc;
        }
        memcpy(cursor, r->element[0]->str, r->element[0]->len);
        cursor[r->element[0]->len] = '\0';
        *count += (int64_t)r->element[1]->elements;
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0);
    return SL_OK;
}

/* Every node that serves keys counts its own; quorum nodes each hold a copy
 * of the locks, so the answer is the largest count, else the sum. */
sl_status sl_lock_count(sl_locker *lk, int64_t *count, sl_error *err)
{
    sl_node *masters[SL_MAX_NODES];
    size_t n = 0, i, answered = 0;
    sl_status rc, first = SL_OK;
    sl_error one_err;

    *count = 0;
    if ((rc = sl_topology_masters(lk->topo, masters, &n, err)) != SL_OK) {
        return rc;
    }
    for (i = 0; i < n; i++) {
        int64_t one = 0;
        rc = count_node(lk, masters[i], &one, lk_quorum(lk) ? &one_err : err);
        if (rc != SL_OK) {
            if (!lk_quorum(lk)) {
                return rc;
            }
            if (first == SL_OK) {
                first = rc;
                *err = one_err;
            }
            continue;
        }
        answered++;
        if (lk_quorum(lk)) {
            *count = one > *count ? one : *count;
        } else {
            *count += one;
        }
    }
    if (lk_quorum(lk) && answered < sl_topology_majority(lk->topo)) {
        char msg[SL_ERRMSG_MAX];
        rc = first != SL_OK ? first : SL_ERR_CONNECT;
        snprintf(msg, sizeof(msg), "%s", first != SL_OK ? err->msg : "?");
        sl_error_set(err, rc, "quorum not reached: %zu of %zu nodes failed (first: %.150s)", n - answered, n, msg);
        return rc;
    }
    return SL_OK;
}
