/*
 * Lock operations and connection handling against a real Redis
 * (SLOTLOCK_TEST_HOST / SLOTLOCK_TEST_PORT; without them every test fails).
 *
 * Each test works under its own key prefix and deletes its keys afterwards.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

#include "redis_util.h"
#include "sl_conn.h"
#include "sl_lock.h"

/* ---- fixture: a private node and a locker under a unique prefix --------- */

typedef struct {
    sl_endpoint ep;
    sl_topology topo; /* single node */
    sl_node *node;    /* its node */
    sl_locker lk;
    sl_stats stats;
    char prefix[SL_PREFIX_MAX + 1];
} fx;

static unsigned fx_seq;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    sl_error err;

    if (!f) {
        return -1;
    }
    snprintf(f->prefix, sizeof(f->prefix), "sltest.%ld.%u", (long)getpid(), ++fx_seq);
    test_endpoint(&f->ep, 2.0);
    if (sl_topology_init(&f->topo, SL_MODE_SINGLE, &f->ep, NULL, 0, NULL, NULL, &f->stats, &err) != SL_OK) {
        sl_endpoint_free(&f->ep);
        free(f);
        return -1;
    }
    f->node = f->topo.nodes[0];
    sl_locker_init(&f->lk, &f->topo, f->prefix, 0, &f->stats);
    f->lk.fencing = 1; /* most tests are about fences; test_unfenced_* turn it off */
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    static const char del_lua[] = "local n = 0\n"
                                  "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do\n"
                                  "  n = n + redis.call('DEL', k)\n"
                                  "end\n"
                                  "return n\n";
    fx *f = *state;
    redisReply *r;

    sl_topology_free(&f->topo);
    sl_endpoint_free(&f->ep);
    r = redisCommand(t_admin, "EVAL %s 0 %s:*", del_lua, f->prefix);
    if (r) {
        freeReplyObject(r);
    }
    free(f);
    return 0;
}

static void slot_key(const fx *f, int slot, char out[SL_KEY_MAX])
{
    sl_slot_time t = {2025, 11, 24, 8 + slot / 60, slot % 60};

    assert_true(sl_key_build(out, f->prefix, "1", "31", &t) > 0);
}

static void slot_keys(const fx *f, sl_keylist *l, const int *slots, size_t n)
{
    char key[SL_KEY_MAX];
    size_t i;

    sl_keylist_init(l);
    for (i = 0; i < n; i++) {
        slot_key(f, slots[i], key);
        assert_int_equal(sl_keylist_push(l, key, strlen(key)), SL_OK);
    }
}

/* Acquires slots cut into groups (NULL: one group of all). */
static sl_status acq(fx *f, const int *slots, size_t n, const size_t *groups, size_t n_groups, const char *owner,
                     int64_t ttl_ms, sl_acquire_result *res, sl_error *err)
{
    sl_keylist l;
    size_t all = n;
    sl_status rc;

    slot_keys(f, &l, slots, n);
    sl_error_clear(err);
    memset(res, 0, sizeof(*res));
    rc = sl_lock_acquire(&f->lk, &l, groups ? groups : &all, groups ? n_groups : 1, owner, strlen(owner), ttl_ms,
                         res, err);
    sl_keylist_free(&l);
    return rc;
}

/* Acquires one slot that must be free; returns its fence. */
static int64_t take(fx *f, int slot, const char *owner, int64_t ttl_ms)
{
    sl_acquire_result res;
    sl_error err;

    if (acq(f, &slot, 1, NULL, 0, owner, ttl_ms, &res, &err) != SL_OK) {
        fail_msg("acquire: %s", err.msg);
    }
    assert_int_equal(res.candidate, 0);
    return res.fence;
}

static long rel(fx *f, const int *slots, size_t n, const char *owner)
{
    sl_keylist l;
    sl_error err;
    long released = -99;

    slot_keys(f, &l, slots, n);
    if (sl_lock_release(&f->lk, &l, owner, strlen(owner), &released, &err) != SL_OK) {
        sl_keylist_free(&l);
        fail_msg("release: %s", err.msg);
    }
    sl_keylist_free(&l);
    return released;
}

static sl_extend_code ext(fx *f, const int *slots, size_t n, const char *owner, int64_t ttl_ms, int64_t *fence)
{
    sl_extend_code code = (sl_extend_code)99;
    sl_keylist l;
    sl_error err;

    slot_keys(f, &l, slots, n);
    if (sl_lock_extend(&f->lk, &l, owner, strlen(owner), ttl_ms, &code, fence, &err) != SL_OK) {
        sl_keylist_free(&l);
        fail_msg("extend: %s", err.msg);
    }
    sl_keylist_free(&l);
    return code;
}

static int valid(fx *f, const int *slots, size_t n, const char *owner)
{
    sl_keylist l;
    sl_error err;
    int v = -1;

    slot_keys(f, &l, slots, n);
    if (sl_lock_validate(&f->lk, &l, owner, strlen(owner), &v, &err) != SL_OK) {
        sl_keylist_free(&l);
        fail_msg("validate: %s", err.msg);
    }
    sl_keylist_free(&l);
    return v;
}

static sl_status_result stat_of(fx *f, const int *slots, size_t n)
{
    sl_status_result res = {-1, -1, -2};
    sl_keylist l;
    sl_error err;

    slot_keys(f, &l, slots, n);
    if (sl_lock_status(&f->lk, &l, &res, &err) != SL_OK) {
        sl_keylist_free(&l);
        fail_msg("status: %s", err.msg);
    }
    sl_keylist_free(&l);
    return res;
}

static int64_t count(fx *f)
{
    sl_error err;
    int64_t n = -1;

    if (sl_lock_count(&f->lk, &n, &err) != SL_OK) {
        fail_msg("count: %s", err.msg);
    }
    return n;
}

/* A field of a slot's format-2 value ("h:<fence>:<owner>" or
 * "b:<fence>:<idlen>:<id>:<owner>"): owner, fence or booked (the booking id);
 * "" when missing (static buffer). */
static const char *field_of(const fx *f, int slot, const char *field)
{
    static char buf[256];
    char key[SL_KEY_MAX], v[256];
    const char *fence, *rest;
    redisReply *r;

    slot_key(f, slot, key);
    r = admin("GET %s", key);
    buf[0] = '\0';
    v[0] = '\0';
    if (r->type == REDIS_REPLY_STRING) {
        snprintf(v, sizeof(v), "%s", r->str);
    }
    freeReplyObject(r);
    if ((v[0] != 'h' && v[0] != 'b') || v[1] != ':' || !(rest = strchr(v + 2, ':'))) {
        return buf;
    }
    fence = v + 2;
    rest++;
    if (strcmp(field, "fence") == 0) {
        snprintf(buf, sizeof(buf), "%.*s", (int)(rest - 1 - fence), fence);
    } else if (v[0] == 'h') {
        if (strcmp(field, "owner") == 0) {
            snprintf(buf, sizeof(buf), "%s", rest);
        }
    } else {
        char *colon;
        long n = strtol(rest, &colon, 10);
        if (*colon == ':') {
            if (strcmp(field, "booked") == 0) {
                snprintf(buf, sizeof(buf), "%.*s", (int)n, colon + 1);
            } else if (strcmp(field, "owner") == 0) {
                snprintf(buf, sizeof(buf), "%s", colon + 2 + n);
            }
        }
    }
    return buf;
}

static long long pttl_of(const fx *f, int slot)
{
    char key[SL_KEY_MAX];

    slot_key(f, slot, key);
    return admin_int("PTTL %s", key);
}

static long long exists_slot(const fx *f, int slot)
{
    char key[SL_KEY_MAX];

    slot_key(f, slot, key);
    return admin_int("EXISTS %s", key);
}

/* Format 2 has no index: a lock is active while its key exists. */
static int in_active(const fx *f, int slot)
{
    return exists_slot(f, slot) == 1;
}

/* ---- acquire ------------------------------------------------------------ */

/* Fencing off (the default): one slot is SET NX PX GET, release a
 * compare-and-delete of "h:0:<owner>"; a format-1 hash is held by someone else. */
static void test_unfenced_native(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_error err;
    int slot = 0;
    char key[SL_KEY_MAX];
    redisReply *r;
    int64_t n = -1;

    f->lk.fencing = 0;
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "alice", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_int_equal(res.fence, 0);
    assert_int_equal(res.fresh, 1);
    assert_int_equal(res.ttl_ms, 5000);
    slot_key(f, 0, key);
    r = admin("GET %s", key);
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    assert_string_equal(r->str, "h:0:alice");
    freeReplyObject(r);
    assert_true(pttl_of(f, 0) > 0 && pttl_of(f, 0) <= 5000);

    /* the owner again: the script refreshes it; someone else is blocked with the wait */
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "alice", 8000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_int_equal(res.fresh, 0);
    assert_true(pttl_of(f, 0) > 5000);
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "bob", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(res.blocked, SL_BLOCKED_LOCKED);
    assert_true(res.ttl_ms > 5000 && res.ttl_ms <= 8000);

    assert_int_equal(rel(f, &slot, 1, "bob"), 0);
    assert_int_equal(exists_slot(f, 0), 1);
    assert_int_equal(rel(f, &slot, 1, "alice"), 1);
    assert_int_equal(exists_slot(f, 0), 0);
    assert_non_null(f->node->conn);
    assert_true(f->node->conn->caps & SL_CAP_KNOWN); /* asked once, on this connection */

    /* a format-1 hash: never overwritten or deleted, blocks until it expires, counted */
    admin_ok("HSET %s owner carol fence 5", key);
    admin_ok("PEXPIRE %s 4000", key);
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "alice", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(res.blocked, SL_BLOCKED_LOCKED);
    assert_true(res.ttl_ms > 0 && res.ttl_ms <= 4000);
    assert_int_equal(rel(f, &slot, 1, "carol"), 0);
    assert_int_equal(admin_int("HLEN %s", key), 2);
    assert_int_equal(sl_lock_count(&f->lk, &n, &err), SL_OK);
    assert_int_equal(n, 1);
}

static void test_acquire_new(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_error err;
    int slot = 0;
    char fence[32];
    long long pttl;

    assert_int_equal(acq(f, &slot, 1, NULL, 0, "alice", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_true(res.fence >= 1);
    assert_int_equal(res.ttl_ms, 5000);
    assert_int_equal(res.fresh, 1);
    assert_int_equal(res.blocked, SL_BLOCKED_NONE);
    assert_int_equal(f->stats.acquired, 1);
    assert_int_equal(f->stats.conflicts, 0);
    assert_true(f->stats.commands >= 1);
    assert_int_equal(f->stats.connects, 1);

    /* The wire format: "h:<fence>:alice" with a TTL. */
    snprintf(fence, sizeof(fence), "%lld", (long long)res.fence);
    assert_string_equal(field_of(f, 0, "owner"), "alice");
    assert_string_equal(field_of(f, 0, "fence"), fence);
    assert_string_equal(field_of(f, 0, "booked"), "");
    pttl = pttl_of(f, 0);
    assert_true(pttl > 0 && pttl <= 5000);
    assert_true(in_active(f, 0));
    assert_int_equal(admin_int("INCRBY %s#fence 0", f->prefix), res.fence);
}

static void test_reacquire_same_fence(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_error err;
    int one = 0, two[] = {0, 1};
    int64_t fence = take(f, 0, "alice", 5000);

    assert_int_equal(acq(f, &one, 1, NULL, 0, "alice", 8000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_int_equal(res.fence, fence);
    assert_int_equal(res.fresh, 0);
    assert_int_equal(res.ttl_ms, 8000);
    assert_true(pttl_of(f, 0) > 5000);
    assert_int_equal(f->stats.acquired, 1);
    assert_int_equal(f->stats.reacquired, 1);
    assert_int_equal(admin_int("INCRBY %s#fence 0", f->prefix), fence);

    /* Growing the hold to a free key is a new hold with a new fence on every key. */
    assert_int_equal(acq(f, two, 2, NULL, 0, "alice", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_int_equal(res.fresh, 1);
    assert_true(res.fence > fence);
    assert_int_equal(atoll(field_of(f, 0, "fence")), res.fence);
    assert_int_equal(atoll(field_of(f, 1, "fence")), res.fence);
}

static void test_conflict(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_error err;
    int slot = 0;
    int64_t fence = take(f, 0, "alice", 5000);

    assert_int_equal(acq(f, &slot, 1, NULL, 0, "bob", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(res.blocked, SL_BLOCKED_LOCKED);
    assert_true(res.ttl_ms > 0 && res.ttl_ms <= 5000);
    assert_int_equal(res.fresh, 0);
    assert_int_equal(f->stats.conflicts, 1);
    assert_string_equal(field_of(f, 0, "owner"), "alice");
    assert_int_equal(atoll(field_of(f, 0, "fence")), fence);
    assert_int_equal(admin_int("INCRBY %s#fence 0", f->prefix), fence);
}

/* A compound lock takes all of its keys or none. */
static void test_segments_all_or_nothing(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_error err;
    int three[] = {0, 1, 2};

    take(f, 1, "alice", 5000);
    assert_int_equal(acq(f, three, 3, NULL, 0, "bob", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(exists_slot(f, 0), 0);
    assert_int_equal(exists_slot(f, 2), 0);
    assert_false(in_active(f, 0));
    assert_string_equal(field_of(f, 1, "owner"), "alice");

    /* Once the blocker is gone, all three are taken under one fence. */
    assert_int_equal(rel(f, three + 1, 1, "alice"), 1);
    assert_int_equal(acq(f, three, 3, NULL, 0, "bob", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_string_equal(field_of(f, 0, "owner"), "bob");
    assert_string_equal(field_of(f, 2, "owner"), "bob");
    assert_int_equal(atoll(field_of(f, 0, "fence")), res.fence);
    assert_int_equal(atoll(field_of(f, 2, "fence")), res.fence);
}

/* The first free candidate of N wins; the others are not touched. */
static void test_any_of_n(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_error err;
    int slots[] = {0, 1, 2, 3, 4, 5}, busy[] = {0, 3};
    size_t groups[] = {2, 2, 2}, singles[] = {1, 1};

    take(f, 0, "alice", 5000);
    take(f, 3, "alice", 3000);
    assert_int_equal(acq(f, slots, 6, groups, 3, "bob", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 2);
    assert_int_equal(res.fresh, 1);
    assert_string_equal(field_of(f, 4, "owner"), "bob");
    assert_string_equal(field_of(f, 5, "owner"), "bob");
    assert_int_equal(exists_slot(f, 1), 0);
    assert_int_equal(exists_slot(f, 2), 0);

    /* None free: the wait is the smallest remaining TTL among the blockers. */
    assert_int_equal(acq(f, busy, 2, singles, 2, "carol", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(res.blocked, SL_BLOCKED_LOCKED);
    assert_true(res.ttl_ms > 0 && res.ttl_ms <= 3000);

    /* Sizes that do not add up to the keys are refused before any I/O. */
    f->stats.commands = 0;
    assert_int_equal(acq(f, slots, 6, groups, 2, "bob", 5000, &res, &err), SL_ERR_ARG);
    assert_contains(err.msg, "candidate sizes");
    assert_int_equal(acq(f, slots, 6, groups, 0, "bob", 5000, &res, &err), SL_ERR_ARG);
    assert_int_equal(f->stats.commands, 0);
}

/* A key of another type counts as taken, not as an error. */
static void test_acquire_wrong_type_key(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_error err;
    char key[SL_KEY_MAX];
    int slot = 0;

    slot_key(f, 0, key);
    admin_ok("SET %s plain-string", key);
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "alice", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(res.blocked, SL_BLOCKED_LOCKED);
    assert_int_equal(res.ttl_ms, -1);
}

/* ---- release, extend, validate, status, count --------------------------- */

static void test_release_only_own(void **state)
{
    fx *f = *state;
    int both[] = {0, 1};

    take(f, 0, "alice", 5000);
    take(f, 1, "bob", 5000);
    assert_int_equal(rel(f, both, 2, "alice"), 1);
    assert_int_equal(exists_slot(f, 0), 0);
    assert_false(in_active(f, 0));
    assert_string_equal(field_of(f, 1, "owner"), "bob");
    assert_true(in_active(f, 1));
    assert_int_equal(f->stats.released, 1);
    /* Nothing left to release is not an error. */
    assert_int_equal(rel(f, both, 2, "alice"), 0);
    assert_int_equal(rel(f, both, 2, "mallory"), 0);
    assert_string_equal(field_of(f, 1, "owner"), "bob");
    assert_int_equal(rel(f, both + 1, 1, "bob"), 1);
    assert_int_equal(f->stats.released, 2);
}

static void test_extend_codes(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_error err;
    int both[] = {0, 1};
    int64_t fence = 0;
    long long before;

    assert_int_equal(acq(f, both, 2, NULL, 0, "alice", 2000, &res, &err), SL_OK);
    assert_int_equal(ext(f, both, 2, "alice", 60000, &fence), SL_EXTEND_OK);
    assert_int_equal(fence, res.fence);
    assert_true(pttl_of(f, 0) > 50000);
    assert_true(pttl_of(f, 1) > 50000);
    assert_int_equal(f->stats.extended, 1);

    /* Another owner: taken, and nothing changes. */
    before = pttl_of(f, 0);
    assert_int_equal(ext(f, both, 2, "bob", 120000, &fence), SL_EXTEND_TAKEN);
    assert_true(pttl_of(f, 0) <= before);
    assert_int_equal(f->stats.lost, 1);

    /* One key gone: lost, and the other key is not extended either. */
    {
        char key[SL_KEY_MAX];
        slot_key(f, 1, key);
        admin_ok("DEL %s", key);
    }
    before = pttl_of(f, 0);
    assert_int_equal(ext(f, both, 2, "alice", 120000, &fence), SL_EXTEND_LOST);
    assert_true(pttl_of(f, 0) <= before);
    assert_int_equal(f->stats.lost, 2);
    assert_int_equal(f->stats.extended, 1);
}

static void test_validate(void **state)
{
    fx *f = *state;
    int slot = 0, both[] = {0, 1};
    char key[SL_KEY_MAX];

    take(f, 0, "alice", 5000);
    assert_int_equal(valid(f, &slot, 1, "alice"), 1);
    assert_int_equal(valid(f, &slot, 1, "bob"), 0);
    assert_int_equal(valid(f, both, 2, "alice"), 0); /* slot 1 is not held */
    assert_int_equal(f->stats.lost, 2);
    slot_key(f, 0, key);
    admin_ok("DEL %s", key);
    assert_int_equal(valid(f, &slot, 1, "alice"), 0);
    assert_int_equal(f->stats.lost, 3);
}

static void test_status(void **state)
{
    fx *f = *state;
    int slot = 0, both[] = {0, 1};
    sl_status_result st;
    char key[SL_KEY_MAX];

    st = stat_of(f, &slot, 1);
    assert_int_equal(st.locked, 0);
    assert_int_equal(st.ttl_ms, -1);
    assert_int_equal(st.booked, 0);

    take(f, 0, "alice", 5000);
    take(f, 1, "bob", 20000);
    st = stat_of(f, &slot, 1);
    assert_int_equal(st.locked, 1);
    assert_true(st.ttl_ms > 0 && st.ttl_ms <= 5000);
    assert_int_equal(st.booked, 0);
    /* Several keys: the largest TTL. */
    st = stat_of(f, both, 2);
    assert_true(st.ttl_ms > 5000 && st.ttl_ms <= 20000);
    /* A key without a TTL is locked, with no TTL. */
    slot_key(f, 0, key);
    admin_ok("PERSIST %s", key);
    st = stat_of(f, &slot, 1);
    assert_int_equal(st.locked, 1);
    assert_int_equal(st.ttl_ms, -1);
}

static void test_count(void **state)
{
    fx *f = *state;
    int slot = 1;

    assert_int_equal(count(f), 0);
    take(f, 0, "alice", 60000);
    take(f, 1, "alice", 60000);
    take(f, 2, "bob", 60000);
    assert_int_equal(count(f), 3);
    assert_int_equal(rel(f, &slot, 1, "alice"), 1);
    assert_int_equal(count(f), 2);
    /* Expired holds are trimmed from the count. */
    take(f, 3, "carol", 50);
    assert_int_equal(count(f), 3);
    sleep_ms(150);
    assert_int_equal(count(f), 2);
}

/* ---- booked markers (commit) -------------------------------------------- */

static sl_status commit(fx *f, int slot, const char *owner, const char *booking, int *ok, int64_t *fence)
{
    sl_keylist l;
    sl_error err;
    sl_status rc;

    slot_keys(f, &l, &slot, 1);
    rc = sl_lock_commit(&f->lk, &l, owner, strlen(owner), booking, strlen(booking), 60000, ok, fence, &err);
    sl_keylist_free(&l);
    return rc;
}

static void test_commit_booked_marker(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_status_result st;
    sl_error err;
    int slot = 0, ok = -1;
    int64_t fence = take(f, 0, "alice", 5000), cfence = 0;

    assert_int_equal(commit(f, 0, "alice", "bk-1", &ok, &cfence), SL_OK);
    assert_int_equal(ok, 1);
    assert_int_equal(cfence, fence);
    assert_int_equal(f->stats.committed, 1);
    assert_string_equal(field_of(f, 0, "booked"), "bk-1");
    assert_true(pttl_of(f, 0) > 5000);

    /* A marker is not a hold: not valid, not released, not re-acquirable. */
    assert_int_equal(valid(f, &slot, 1, "alice"), 0);
    assert_int_equal(rel(f, &slot, 1, "alice"), 0);
    assert_int_equal(exists_slot(f, 0), 1);
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "alice", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(res.blocked, SL_BLOCKED_BOOKED_SELF);
    assert_string_equal(res.booking_id, "bk-1");
    assert_int_equal(res.booking_id_len, 4);
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "bob", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(res.blocked, SL_BLOCKED_BOOKED);
    assert_int_equal(res.booking_id_len, 0);
    st = stat_of(f, &slot, 1);
    assert_int_equal(st.locked, 1);
    assert_int_equal(st.booked, 1);

    /* Another owner cannot commit it; the owner's second commit keeps the first id. */
    assert_int_equal(commit(f, 0, "bob", "bk-9", &ok, &cfence), SL_OK);
    assert_int_equal(ok, 0);
    assert_int_equal(commit(f, 0, "alice", "bk-2", &ok, &cfence), SL_OK);
    assert_int_equal(ok, 1);
    assert_string_equal(field_of(f, 0, "booked"), "bk-1");

    /* A hold that expired before the commit is marked anyway, with a new fence. */
    assert_int_equal(commit(f, 7, "alice", "bk-3", &ok, &cfence), SL_OK);
    assert_int_equal(ok, 1);
    assert_true(cfence > fence);
    assert_string_equal(field_of(f, 7, "owner"), "alice");
}

/* ---- scripts ------------------------------------------------------------- */

/* Our digests are the ones Redis computes. */
static void test_script_digests_match_redis(void **state)
{
    int id;

    (void)state;
    for (id = 0; id < SL_SCRIPT__N; id++) {
        const sl_script *s = sl_script_get((sl_script_id)id);
        redisReply *r = admin("SCRIPT LOAD %b", s->body, s->len);

        assert_int_equal(r->type, REDIS_REPLY_STRING);
        assert_string_equal(r->str, s->sha);
        freeReplyObject(r);
    }
}

static void test_noscript_fallback(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_error err;
    int slot = 0;
    uint64_t loads;
    redisReply *r;

    take(f, 0, "alice", 5000);
    admin_ok("SCRIPT FLUSH");
    loads = f->stats.script_loads;
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "alice", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_int_equal(res.fresh, 0);
    assert_int_equal(f->stats.script_loads, loads + 1);
    /* EVAL cached it again: no further load. */
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "alice", 5000, &res, &err), SL_OK);
    assert_int_equal(f->stats.script_loads, loads + 1);
    r = admin("SCRIPT EXISTS %s", sl_script_get(SL_SCRIPT_ACQUIRE)->sha);
    assert_int_equal(r->type, REDIS_REPLY_ARRAY);
    assert_int_equal(r->element[0]->integer, 1);
    freeReplyObject(r);
}

/* A Redis error reply is SL_ERR_REPLY with Redis' message; the connection stays. */
static void test_error_reply_keeps_connection(void **state)
{
    fx *f = *state;
    sl_error err;
    int64_t n = -5;
    sl_conn *conn;

    sl_acquire_result res;
    int slot = 0;

    admin_ok("SET %s#fence not-a-number", f->prefix); /* INCR fails in the acquire script */
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "alice", 5000, &res, &err), SL_ERR_REPLY);
    assert_int_equal(err.code, SL_ERR_REPLY);
    assert_contains(err.msg, "not an integer");
    assert_non_null(f->node->conn);
    conn = f->node->conn;
    assert_int_equal(conn->pending, 0);
    admin_ok("DEL %s#fence", f->prefix);
    assert_int_equal(count(f), 0);
    (void)n;
    assert_ptr_equal(f->node->conn, conn);
    assert_int_equal(f->stats.connects, 1);
}

/* NOPERM (and NOAUTH, WRONGPASS) are the connection's fault: SL_ERR_AUTH. */
static void test_noperm_is_auth_error(void **state)
{
    fx *f = *state;
    sl_endpoint ep;
    sl_topology topo;
    sl_locker lk;
    sl_error err;
    int64_t n = -5;
    char user[64];

    snprintf(user, sizeof(user), "sltest_noperm_%ld", (long)getpid());
    admin_ok("ACL SETUSER %s reset on >pw-Xy9 ~* -@all +ping +client", user);
    test_endpoint(&ep, 2.0);
    assert_int_equal(sl_endpoint_set(&ep.username, user, strlen(user), "username", &err), SL_OK);
    assert_int_equal(sl_endpoint_set(&ep.password, LIT("pw-Xy9"), "password", &err), SL_OK);
    assert_int_equal(sl_topology_init(&topo, SL_MODE_SINGLE, &ep, NULL, 0, NULL, NULL, NULL, &err), SL_OK);
    sl_locker_init(&lk, &topo, f->prefix, 0, NULL);
    sl_error_clear(&err);
    assert_int_equal(sl_lock_count(&lk, &n, &err), SL_ERR_AUTH);
    assert_int_equal(err.code, SL_ERR_AUTH);
    assert_contains(err.msg, "NOPERM");
    assert_not_contains(err.msg, "pw-Xy9");
    sl_topology_free(&topo);
    sl_endpoint_free(&ep);
    admin_ok("ACL DELUSER %s", user);
}

/* ---- connections ---------------------------------------------------------- */

static void test_pipeline_append_read(void **state)
{
    fx *f = *state;
    const char *ping[] = {"PING"}, *echo[] = {"ECHO", "x y"};
    size_t ping_len[] = {4}, echo_len[] = {4, 3};
    redisReply *r;
    sl_error err;

    assert_int_equal(sl_node_read(f->node, &r, &err), SL_ERR_PROTOCOL);
    assert_contains(err.msg, "no reply is pending");
    assert_int_equal(sl_node_append(f->node, 1, ping, ping_len, &err), SL_OK);
    assert_int_equal(sl_node_append(f->node, 2, echo, echo_len, &err), SL_OK);
    assert_int_equal(f->node->conn->pending, 2);
    assert_int_equal(sl_node_read(f->node, &r, &err), SL_OK);
    assert_string_equal(r->str, "PONG");
    freeReplyObject(r);
    assert_int_equal(sl_node_read(f->node, &r, &err), SL_OK);
    assert_string_equal(r->str, "x y");
    freeReplyObject(r);
    assert_int_equal(f->node->conn->pending, 0);
    assert_int_equal(f->node->conn->uses, 2);
    assert_int_equal(f->stats.commands, 2);
}

static void test_connect_refused(void **state)
{
    sl_endpoint ep;
    sl_node node;
    sl_stats st;
    sl_error err;
    redisReply *r = NULL;
    char port[16];

    (void)state;
    memset(&st, 0, sizeof(st));
    test_endpoint(&ep, 1.0);
    ep.port = free_port();
    snprintf(port, sizeof(port), ":%d", ep.port);
    assert_int_equal(sl_node_init(&node, &ep, NULL, &st, &err), SL_OK);
    assert_int_equal(node_cmd(&node, &r, &err, 1, "PING"), SL_ERR_CONNECT);
    assert_int_equal(err.code, SL_ERR_CONNECT);
    assert_contains(err.msg, "cannot connect");
    assert_contains(err.msg, port);
    assert_null(r);
    assert_null(node.conn);
    assert_int_equal(st.connects, 0);
    assert_int_equal(st.reconnects, 0);
    sl_node_free(&node);
    sl_endpoint_free(&ep);
}

static void test_auth_refused(void **state)
{
    sl_endpoint ep;
    sl_node node;
    sl_error err;
    redisReply *r = NULL;

    (void)state;
    /* The test server has no password: AUTH with one is refused. */
    test_endpoint(&ep, 2.0);
    assert_int_equal(sl_endpoint_set(&ep.password, LIT("S3cr3tPw"), "password", &err), SL_OK);
    assert_int_equal(sl_node_init(&node, &ep, NULL, NULL, &err), SL_OK);
    assert_int_equal(node_cmd(&node, &r, &err, 1, "PING"), SL_ERR_AUTH);
    assert_int_equal(err.code, SL_ERR_AUTH);
    assert_contains(err.msg, "refused the credentials");
    assert_not_contains(err.msg, "S3cr3tPw");
    assert_null(node.conn);
    sl_node_free(&node);

    /* An unknown ACL user. */
    assert_int_equal(sl_endpoint_set(&ep.username, LIT("sltest-nobody"), "username", &err), SL_OK);
    assert_int_equal(sl_node_init(&node, &ep, NULL, NULL, &err), SL_OK);
    assert_int_equal(node_cmd(&node, &r, &err, 1, "PING"), SL_ERR_AUTH);
    assert_contains(err.msg, "WRONGPASS");
    assert_not_contains(err.msg, "S3cr3tPw");
    sl_node_free(&node);
    sl_endpoint_free(&ep);

    /* A database the server does not have. */
    test_endpoint(&ep, 2.0);
    ep.database = 1000000;
    assert_int_equal(sl_node_init(&node, &ep, NULL, NULL, &err), SL_OK);
    assert_int_equal(node_cmd(&node, &r, &err, 1, "PING"), SL_ERR_AUTH);
    assert_contains(err.msg, "refused the database");
    assert_null(node.conn);
    sl_node_free(&node);
    sl_endpoint_free(&ep);
}

static void test_select_database(void **state)
{
    fx *f = *state;
    sl_endpoint ep;
    sl_topology topo;
    sl_locker lk;
    sl_keylist l;
    sl_acquire_result res;
    sl_error err;
    size_t one = 1;
    int slot = 0;
    char key[SL_KEY_MAX];

    test_endpoint(&ep, 2.0);
    ep.database = 3;
    assert_int_equal(sl_topology_init(&topo, SL_MODE_SINGLE, &ep, NULL, 0, NULL, NULL, NULL, &err), SL_OK);
    sl_locker_init(&lk, &topo, f->prefix, 0, NULL);
    slot_keys(f, &l, &slot, 1);
    assert_int_equal(sl_lock_acquire(&lk, &l, &one, 1, LIT("alice"), 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    sl_keylist_free(&l);
    sl_topology_free(&topo);
    sl_endpoint_free(&ep);

    slot_key(f, 0, key);
    assert_int_equal(admin_int("EXISTS %s", key), 0);
    admin_ok("SELECT 3");
    assert_int_equal(admin_int("EXISTS %s", key), 1);
    admin_ok("DEL %s %s:fence %s:active", key, f->prefix, f->prefix);
    admin_ok("SELECT 0");
}

static void test_unix_socket(void **state)
{
    const char *path = getenv("SLOTLOCK_TEST_SOCKET");
    sl_endpoint ep;
    sl_node node;
    sl_error err;
    redisReply *r = NULL;

    (void)state;
    if (!path || !*path) {
        skip(); /* optional: ./dev test sets it */
    }
    sl_endpoint_init(&ep);
    assert_int_equal(sl_endpoint_set(&ep.socket, path, strlen(path), "socket", &err), SL_OK);
    assert_int_equal(sl_node_init(&node, &ep, NULL, NULL, &err), SL_OK);
    assert_int_equal(node_cmd(&node, &r, &err, 2, "ECHO", "over unix"), SL_OK);
    assert_string_equal(r->str, "over unix");
    freeReplyObject(r);
    sl_node_free(&node);
    sl_endpoint_free(&ep);
}

/* ---- the persistent pool ---------------------------------------------------- */

static void test_pool_reuse(void **state)
{
    sl_endpoint ep, ep_db1, ep_pw;
    sl_node a, b, c;
    sl_pool pool;
    sl_stats st;
    sl_error err;
    redisReply *r = NULL;
    long long id_a;

    (void)state;
    memset(&st, 0, sizeof(st));
    sl_pool_init(&pool, 4);
    test_endpoint(&ep, 2.0);

    assert_int_equal(sl_node_init(&a, &ep, &pool, &st, &err), SL_OK);
    id_a = node_client_id(&a);
    assert_int_equal(pool.count, 0);

    /* Two live nodes on one endpoint share one connection (one socket per process). */
    assert_int_equal(sl_node_init(&b, &ep, &pool, &st, &err), SL_OK);
    assert_int_equal(node_client_id(&b), id_a);
    assert_int_equal(st.connects, 1);
    assert_int_equal(pool.count, 0);
    sl_node_free(&b);
    assert_int_equal(pool.count, 0); /* a still uses it */
    assert_int_equal(node_client_id(&a), id_a);
    st.pool_hits = 0;

    sl_node_free(&a);
    assert_int_equal(pool.count, 1);

    /* Same endpoint: the same connection comes back. */
    assert_int_equal(sl_node_init(&b, &ep, &pool, &st, &err), SL_OK);
    assert_int_equal(node_client_id(&b), id_a);
    assert_int_equal(st.pool_hits, 1);
    assert_int_equal(st.connects, 1);
    assert_int_equal(pool.count, 0);

    /* Another database is another pool entry (and SELECT ran on it). */
    test_endpoint(&ep_db1, 2.0);
    ep_db1.database = 1;
    assert_int_equal(sl_node_init(&c, &ep_db1, &pool, &st, &err), SL_OK);
    assert_int_equal(node_cmd(&c, &r, &err, 2, "CLIENT", "INFO"), SL_OK);
    assert_contains(r->str, " db=1 ");
    freeReplyObject(r);
    assert_int_equal(st.connects, 2);
    assert_int_equal(st.pool_hits, 1);
    sl_node_free(&b);
    sl_node_free(&c);
    assert_int_equal(pool.count, 2);

    /* Other credentials never get a pooled connection: this one really logs in (and is refused). */
    test_endpoint(&ep_pw, 2.0);
    assert_int_equal(sl_endpoint_set(&ep_pw.password, LIT("other-pw"), "password", &err), SL_OK);
    assert_int_equal(sl_node_init(&c, &ep_pw, &pool, &st, &err), SL_OK);
    assert_int_equal(node_cmd(&c, &r, &err, 1, "PING"), SL_ERR_AUTH);
    assert_int_equal(st.pool_hits, 1);
    assert_int_equal(pool.count, 2);
    sl_node_free(&c);
    assert_int_equal(pool.count, 2);

    sl_pool_clear(&pool);
    assert_int_equal(pool.count, 0);
    assert_null(pool.conns);
    sl_endpoint_free(&ep);
    sl_endpoint_free(&ep_db1);
    sl_endpoint_free(&ep_pw);
}

/* Only clean connections go back: not one with a reply still pending. */
static void test_pool_dirty_not_returned(void **state)
{
    const char *ping[] = {"PING"};
    size_t ping_len[] = {4};
    sl_endpoint ep;
    sl_node a;
    sl_pool pool;
    sl_error err;

    (void)state;
    sl_pool_init(&pool, 4);
    test_endpoint(&ep, 2.0);
    assert_int_equal(sl_node_init(&a, &ep, &pool, NULL, &err), SL_OK);
    assert_int_equal(sl_node_append(&a, 1, ping, ping_len, &err), SL_OK);
    sl_node_free(&a);
    assert_int_equal(pool.count, 0);

    /* sl_node_close closes for good, pooled or not. */
    assert_int_equal(sl_node_init(&a, &ep, &pool, NULL, &err), SL_OK);
    node_client_id(&a);
    sl_node_close(&a);
    assert_null(a.conn);
    sl_node_free(&a);
    assert_int_equal(pool.count, 0);
    sl_pool_clear(&pool);
    sl_endpoint_free(&ep);
}

static void test_pool_max_idle(void **state)
{
    sl_endpoint ep[3];
    sl_node n[3];
    sl_pool pool;
    sl_stats st;
    sl_error err;
    long long ids[3];
    int i;

    (void)state;
    memset(&st, 0, sizeof(st));
    sl_pool_init(&pool, 2);
    /* three endpoint identities (databases 0..2): three connections */
    for (i = 0; i < 3; i++) {
        test_endpoint(&ep[i], 2.0);
        ep[i].database = i;
        assert_int_equal(sl_node_init(&n[i], &ep[i], &pool, &st, &err), SL_OK);
        ids[i] = node_client_id(&n[i]);
    }
    assert_true(ids[0] != ids[1] && ids[1] != ids[2]);
    for (i = 0; i < 3; i++) {
        sl_node_free(&n[i]);
    }
    assert_int_equal(pool.count, 2);
    /* The least recently returned (database 0) was closed; the others come back. */
    assert_int_equal(sl_node_init(&n[2], &ep[2], &pool, &st, &err), SL_OK);
    assert_int_equal(node_client_id(&n[2]), ids[2]);
    assert_int_equal(sl_node_init(&n[1], &ep[1], &pool, &st, &err), SL_OK);
    assert_int_equal(node_client_id(&n[1]), ids[1]);
    assert_int_equal(st.pool_hits, 2);
    assert_int_equal(sl_node_init(&n[0], &ep[0], &pool, &st, &err), SL_OK);
    assert_true(node_client_id(&n[0]) != ids[0]);
    assert_int_equal(st.connects, 4);
    for (i = 0; i < 3; i++) {
        sl_node_free(&n[i]);
        sl_endpoint_free(&ep[i]);
    }
    sl_pool_clear(&pool);
}

/* ---- fork ------------------------------------------------------------------- */

/* In a child: no cmocka asserts (they would unwind into the child's copy of the
 * runner). Failures exit with a code naming the check. */
#define CHILD_CHECK(cond, code)                                                                   \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            fprintf(stderr, "child check failed: %s\n", #cond);                                   \
            _exit(code);                                                                          \
        }                                                                                         \
    } while (0)

static long long child_client_id(sl_node *node)
{
    const char *argv[] = {"CLIENT", "ID"};
    size_t lens[] = {6, 2};
    redisReply *r = NULL;
    sl_error err;
    long long id = -1;

    if (sl_node_command(node, 2, argv, lens, &r, &err) == SL_OK && r->type == REDIS_REPLY_INTEGER) {
        id = r->integer;
    }
    if (r) {
        freeReplyObject(r);
    }
    return id;
}

static void wait_child(pid_t pid)
{
    int status = 0;

    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fail_msg("child failed: %s %d", WIFEXITED(status) ? "exit" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    }
}

/* A pooled connection inherited across fork is dropped by the child, never used. */
static void test_fork_pool_drops_inherited(void **state)
{
    sl_endpoint ep;
    sl_node a;
    sl_pool pool;
    sl_stats st;
    sl_error err;
    long long id_parent;
    pid_t pid;

    (void)state;
    memset(&st, 0, sizeof(st));
    sl_pool_init(&pool, 4);
    test_endpoint(&ep, 2.0);
    assert_int_equal(sl_node_init(&a, &ep, &pool, &st, &err), SL_OK);
    id_parent = node_client_id(&a);
    sl_node_free(&a);
    assert_int_equal(pool.count, 1);

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sl_stats cs;
        sl_node b;
        long long id;

        memset(&cs, 0, sizeof(cs));
        CHILD_CHECK(sl_node_init(&b, &ep, &pool, &cs, &err) == SL_OK, 10);
        id = child_client_id(&b);
        CHILD_CHECK(id > 0, 11);
        CHILD_CHECK(id != id_parent, 12);
        CHILD_CHECK(cs.pool_hits == 0, 13);
        CHILD_CHECK(cs.connects == 1, 14);
        CHILD_CHECK(pool.count == 0, 15); /* the inherited one was dropped */
        sl_node_free(&b);
        CHILD_CHECK(pool.count == 1, 16); /* the child's own one is pooled */
        sl_pool_clear(&pool);
        sl_endpoint_free(&ep);
        redis_env_unload(); /* closes only the child's copy of the descriptor */
        _exit(0);
    }
    wait_child(pid);

    /* The parent's pooled connection is intact and still answers in order. */
    assert_int_equal(pool.count, 1);
    assert_int_equal(sl_node_init(&a, &ep, &pool, &st, &err), SL_OK);
    assert_int_equal(node_client_id(&a), id_parent);
    assert_int_equal(st.pool_hits, 1);
    assert_int_equal(st.connects, 1);
    sl_node_free(&a);
    sl_pool_clear(&pool);
    sl_endpoint_free(&ep);
}

/* A node's own connection inherited across fork: the child opens its own. */
static void test_fork_node_reconnects(void **state)
{
    fx *f = *state;
    long long id_parent = node_client_id(f->node);
    pid_t pid;

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        uint64_t connects = f->stats.connects;
        long long id = child_client_id(f->node);

        CHILD_CHECK(id > 0, 20);
        CHILD_CHECK(id != id_parent, 21);
        CHILD_CHECK(f->stats.connects == connects + 1, 22);
        CHILD_CHECK(f->stats.reconnects == 0, 23);
        sl_topology_free(&f->topo);
        redis_env_unload();
        _exit(0);
    }
    wait_child(pid);
    assert_int_equal(node_client_id(f->node), id_parent);
    assert_int_equal(f->stats.connects, 1);
}

/* ---- reconnect and timeouts ------------------------------------------------- */

static void test_reconnect_after_client_kill(void **state)
{
    fx *f = *state;
    sl_acquire_result res;
    sl_error err;
    long long id1, id2;
    int slot = 0;

    id1 = node_client_id(f->node);
    assert_int_equal(admin_int("CLIENT KILL ID %lld", id1), 1);
    /* The next command finds the connection closed, reconnects once, succeeds. */
    assert_int_equal(acq(f, &slot, 1, NULL, 0, "alice", 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_int_equal(f->stats.reconnects, 1);
    assert_int_equal(f->stats.connects, 2);
    id2 = node_client_id(f->node);
    assert_true(id2 != id1);
    assert_int_equal(f->stats.reconnects, 1);
}

/* A connection that never worked is not retried: the error is reported. */
static void test_no_retry_on_fresh_connection(void **state)
{
    fx *f = *state;
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    redisReply *r = NULL;
    sl_error err;
    char addr[INET_ADDRSTRLEN];
    int tries;

    assert_int_equal(sl_node_connect(f->node, &err), SL_OK);
    assert_int_equal(getsockname(f->node->conn->ctx->fd, (struct sockaddr *)&sa, &len), 0);
    if (sa.sin_family != AF_INET) {
        skip(); /* SLOTLOCK_TEST_HOST is not IPv4 */
    }
    assert_non_null(inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof(addr)));
    /* The server may not have accepted it yet: retry until it is there to kill. */
    for (tries = 0; tries < 200; tries++) {
        if (admin_int("CLIENT KILL ADDR %s:%d", addr, ntohs(sa.sin_port)) == 1) {
            break;
        }
        sleep_ms(10);
    }
    assert_true(tries < 200);
    assert_int_equal(node_cmd(f->node, &r, &err, 1, "PING"), SL_ERR_IO);
    assert_int_equal(err.code, SL_ERR_IO);
    assert_null(r);
    assert_null(f->node->conn);
    assert_int_equal(f->stats.reconnects, 0);
    /* The next command connects anew. */
    assert_int_equal(node_cmd(f->node, &r, &err, 1, "PING"), SL_OK);
    freeReplyObject(r);
    assert_int_equal(f->stats.connects, 2);
}

/* A server that accepts the connection but never answers. */
static void test_timeout_silent_listener(void **state)
{
    sl_endpoint ep;
    sl_node node;
    sl_pool pool;
    sl_stats st;
    sl_error err;
    redisReply *r = NULL;
    double t0, elapsed;
    int fd, port;

    (void)state;
    memset(&st, 0, sizeof(st));
    fd = silent_listener(&port);
    sl_pool_init(&pool, 4);
    test_endpoint(&ep, 0.3);
    ep.port = port;
    assert_int_equal(sl_node_init(&node, &ep, &pool, &st, &err), SL_OK);
    t0 = now_s();
    assert_int_equal(node_cmd(&node, &r, &err, 1, "PING"), SL_ERR_TIMEOUT);
    elapsed = now_s() - t0;
    assert_int_equal(err.code, SL_ERR_TIMEOUT);
    assert_contains(err.msg, "did not answer within 0.300 s");
    if (elapsed < 0.25 || elapsed > 2.0) {
        fail_msg("timed out after %.3f s, expected about 0.3 s", elapsed);
    }
    assert_null(r);
    assert_null(node.conn);
    assert_int_equal(st.connects, 1);
    assert_int_equal(st.reconnects, 0);
    sl_node_free(&node);
    assert_int_equal(pool.count, 0);
    sl_pool_clear(&pool);
    sl_endpoint_free(&ep);
    close(fd);
}

/* After a timeout the late reply must never be read as the answer to the next command. */
static void test_timeout_then_no_stale_reply(void **state)
{
    sl_endpoint ep;
    sl_node node;
    sl_pool pool;
    sl_stats st;
    sl_error err;
    redisReply *r = NULL;
    redisContext *busy;
    double t0, elapsed;

    (void)state;
    memset(&st, 0, sizeof(st));
    sl_pool_init(&pool, 4);
    test_endpoint(&ep, 0.2);
    assert_int_equal(sl_node_init(&node, &ep, &pool, &st, &err), SL_OK);
    assert_int_equal(node_cmd(&node, &r, &err, 2, "ECHO", "warm-up"), SL_OK);
    freeReplyObject(r);

    busy = busy_start(900);
    t0 = now_s();
    assert_int_equal(node_cmd(&node, &r, &err, 2, "ECHO", "first"), SL_ERR_TIMEOUT);
    elapsed = now_s() - t0;
    busy_wait(busy);
    if (elapsed > 0.6) {
        fail_msg("timed out after %.3f s, expected about 0.2 s", elapsed);
    }
    assert_null(node.conn);
    assert_int_equal(st.reconnects, 0); /* a timeout is never retried */

    assert_int_equal(node_cmd(&node, &r, &err, 2, "ECHO", "second"), SL_OK);
    assert_string_equal(r->str, "second");
    freeReplyObject(r);
    assert_int_equal(st.connects, 2);
    sl_node_free(&node);
    assert_int_equal(pool.count, 1);
    sl_pool_clear(&pool);
    sl_endpoint_free(&ep);
}

/* ---- tagged keys (the Cluster key format) on a single node --------------- */

static void tagged_key(const fx *f, const char *company, int slot, char out[SL_KEY_MAX])
{
    sl_slot_time t = {2025, 11, 24, 8 + slot / 60, slot % 60};

    assert_true(sl_key_build_ex(out, f->prefix, 1, company, "31", &t) > 0);
}

static void test_tagged_keys(void **state)
{
    fx *f = *state;
    sl_locker lk;
    sl_keylist l;
    sl_acquire_result res;
    sl_error err;
    char key[SL_KEY_MAX], other[SL_KEY_MAX], plain[SL_KEY_MAX];
    size_t one = 1, two = 2;
    int64_t n = -1;
    long released = 0;

    sl_locker_init(&lk, &f->topo, f->prefix, 1, &f->stats);
    lk.fencing = 1;
    tagged_key(f, "1", 0, key);
    sl_keylist_init(&l);
    assert_int_equal(sl_keylist_push(&l, key, strlen(key)), SL_OK);
    assert_int_equal(sl_lock_acquire(&lk, &l, &one, 1, LIT("alice"), 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    /* The fence counter is per company, in the company's hash slot, outside <prefix>:*. */
    assert_int_equal(admin_int("INCRBY %s#fence{c1} 0", f->prefix), res.fence);
    assert_int_equal(admin_int("EXISTS %s#fence", f->prefix), 0);

    /* A second company, then counting finds both keys (SCAN). */
    tagged_key(f, "2", 0, other);
    sl_keylist_free(&l);
    assert_int_equal(sl_keylist_push(&l, other, strlen(other)), SL_OK);
    assert_int_equal(sl_lock_acquire(&lk, &l, &one, 1, LIT("bob"), 5000, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_int_equal(sl_lock_count(&lk, &n, &err), SL_OK);
    assert_int_equal(n, 2);

    /* One operation never spans companies, and keys need the tag. */
    assert_int_equal(sl_keylist_push(&l, key, strlen(key)), SL_OK);
    sl_error_clear(&err);
    assert_int_equal(sl_lock_acquire(&lk, &l, &two, 1, LIT("bob"), 5000, &res, &err), SL_ERR_ARG);
    assert_contains(err.msg, "one company");
    sl_keylist_free(&l);
    slot_key(f, 0, plain);
    assert_int_equal(sl_keylist_push(&l, plain, strlen(plain)), SL_OK);
    sl_error_clear(&err);
    assert_int_equal(sl_lock_release(&lk, &l, LIT("alice"), &released, &err), SL_ERR_ARG);
    assert_contains(err.msg, "hash tag");
    sl_keylist_free(&l);

    assert_int_equal(sl_keylist_push(&l, key, strlen(key)), SL_OK);
    assert_int_equal(sl_lock_release(&lk, &l, LIT("alice"), &released, &err), SL_OK);
    assert_int_equal(released, 1);
    assert_int_equal(admin_int("ZCARD %s:{c1}:active", f->prefix), 0);
    sl_keylist_free(&l);
}

/* ---- quorum: three databases of the test server as three masters ---------- */

#define Q_DB0 10

static void del_prefix_in_db(int db, const char *prefix)
{
    static const char del_lua[] = "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end\n"
                                  "return 0\n";
    admin_ok("SELECT %d", db);
    admin_ok("EVAL %s 0 %s:*", del_lua, prefix);
    admin_ok("SELECT 0");
}

static long long exists_in_db(int db, const char *key)
{
    long long n;

    admin_ok("SELECT %d", db);
    n = admin_int("EXISTS %s", key);
    admin_ok("SELECT 0");
    return n;
}

/* Another owner's hold on key in one database only. */
static void hold_in_db(int db, const char *key, const char *owner)
{
    admin_ok("SELECT %d", db);
    admin_ok("SET %s h:999999:%s PX 60000", key, owner);
    admin_ok("SELECT 0");
}

typedef struct {
    sl_endpoint base, eps[3];
    sl_topology topo;
    sl_locker lk;
    sl_stats stats;
} quorum;

/* ports[i] 0: the test server (database Q_DB0 + i); else that port on loopback. */
static void quorum_init(quorum *q, const fx *f, const int ports[3], double timeout)
{
    sl_error err;
    int i;

    memset(q, 0, sizeof(*q));
    test_endpoint(&q->base, timeout);
    for (i = 0; i < 3; i++) {
        test_endpoint(&q->eps[i], timeout);
        q->eps[i].database = Q_DB0 + i;
        if (ports && ports[i]) {
            /* Database 0: no SELECT in the handshake (see test_regressions, bug 6). */
            q->eps[i].port = ports[i];
            q->eps[i].database = 0;
        }
    }
    assert_int_equal(sl_topology_init(&q->topo, SL_MODE_QUORUM, &q->base, q->eps, 3, NULL, NULL, &q->stats, &err),
                     SL_OK);
    sl_locker_init(&q->lk, &q->topo, f->prefix, 0, &q->stats);
    q->lk.fencing = 1;
}

static void quorum_free(quorum *q, const fx *f)
{
    int i;

    sl_topology_free(&q->topo);
    sl_endpoint_free(&q->base);
    for (i = 0; i < 3; i++) {
        sl_endpoint_free(&q->eps[i]);
        del_prefix_in_db(Q_DB0 + i, f->prefix);
    }
}

static sl_status q_acquire(quorum *q, const char *key, const char *owner, sl_acquire_result *res, sl_error *err)
{
    sl_keylist l;
    size_t one = 1;
    sl_status rc;

    sl_keylist_init(&l);
    assert_int_equal(sl_keylist_push(&l, key, strlen(key)), SL_OK);
    sl_error_clear(err);
    rc = sl_lock_acquire(&q->lk, &l, &one, 1, owner, strlen(owner), 5000, res, err);
    sl_keylist_free(&l);
    return rc;
}

static void test_quorum_majority(void **state)
{
    fx *f = *state;
    quorum q;
    sl_acquire_result res;
    sl_status_result st;
    sl_extend_code code;
    sl_keylist l;
    sl_error err;
    char k0[SL_KEY_MAX], k1[SL_KEY_MAX], k2[SL_KEY_MAX];
    int64_t fence = 0, n = -1;
    long released = -1;
    int v = -1, i;

    quorum_init(&q, f, NULL, 2.0);
    slot_key(f, 0, k0);
    slot_key(f, 1, k1);
    slot_key(f, 2, k2);

    /* Free everywhere: taken on all three, validity below the TTL. */
    assert_int_equal(q_acquire(&q, k0, "alice", &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_true(res.fence >= 1);
    assert_true(res.ttl_ms > 0 && res.ttl_ms < 5000);
    for (i = 0; i < 3; i++) {
        assert_int_equal(exists_in_db(Q_DB0 + i, k0), 1);
    }
    assert_int_equal(q_acquire(&q, k0, "bob", &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(res.blocked, SL_BLOCKED_LOCKED);

    /* Blocked on one node of three: still a majority. */
    hold_in_db(Q_DB0 + 2, k1, "bob");
    assert_int_equal(q_acquire(&q, k1, "alice", &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);

    /* Blocked on two: no lock, and the hold taken on the third is rolled back. */
    hold_in_db(Q_DB0, k2, "bob");
    hold_in_db(Q_DB0 + 1, k2, "bob");
    assert_int_equal(q_acquire(&q, k2, "alice", &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(exists_in_db(Q_DB0 + 2, k2), 0);

    /* validate, status, extend, count and release by majority. */
    sl_keylist_init(&l);
    assert_int_equal(sl_keylist_push(&l, k1, strlen(k1)), SL_OK);
    assert_int_equal(sl_lock_validate(&q.lk, &l, LIT("alice"), &v, &err), SL_OK);
    assert_int_equal(v, 1);
    assert_int_equal(sl_lock_status(&q.lk, &l, &st, &err), SL_OK);
    assert_int_equal(st.locked, 1);
    assert_int_equal(sl_lock_extend(&q.lk, &l, LIT("alice"), 20000, &code, &fence, &err), SL_OK);
    assert_int_equal(code, SL_EXTEND_OK);
    /* SCAN counts every slot key of a node, bob's too: 3 on the first node. */
    assert_int_equal(sl_lock_count(&q.lk, &n, &err), SL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(sl_lock_release(&q.lk, &l, LIT("alice"), &released, &err), SL_OK);
    assert_int_equal(released, 1);
    assert_int_equal(exists_in_db(Q_DB0, k1), 0);
    assert_int_equal(exists_in_db(Q_DB0 + 2, k1), 1); /* bob's */
    assert_int_equal(sl_lock_validate(&q.lk, &l, LIT("alice"), &v, &err), SL_OK);
    assert_int_equal(v, 0);
    sl_keylist_free(&l);
    quorum_free(&q, f);
}

/* One node silent, one refusing: each fan-out still ends within the timeout. */
static void test_quorum_dead_nodes(void **state)
{
    fx *f = *state;
    quorum q;
    sl_acquire_result res;
    sl_error err;
    char k0[SL_KEY_MAX];
    int ports[3] = {0, 0, 0}, fd;
    double t0, elapsed;

    slot_key(f, 0, k0);
    fd = silent_listener(&ports[2]);
    quorum_init(&q, f, ports, 0.3);
    t0 = now_s();
    assert_int_equal(q_acquire(&q, k0, "alice", &res, &err), SL_OK);
    elapsed = now_s() - t0;
    assert_int_equal(res.candidate, 0);
    if (elapsed > 1.5) {
        fail_msg("quorum acquire with a silent node took %.3f s (timeout 0.3 s)", elapsed);
    }
    quorum_free(&q, f);

    /* Two of three unreachable: no quorum, a connection error. */
    ports[1] = free_port();
    quorum_init(&q, f, ports, 0.3);
    assert_int_equal(q_acquire(&q, k0, "bob", &res, &err), SL_ERR_CONNECT);
    assert_contains(err.msg, "quorum not reached");
    assert_true(sl_status_is_connection(err.code));
    quorum_free(&q, f);
    close(fd);
}

/* After SCRIPT FLUSH every node gets the script body in the same fan-out. */
static void test_quorum_noscript(void **state)
{
    fx *f = *state;
    quorum q;
    sl_acquire_result res;
    sl_error err;
    char k0[SL_KEY_MAX];
    uint64_t loads;

    slot_key(f, 0, k0);
    quorum_init(&q, f, NULL, 2.0);
    assert_int_equal(q_acquire(&q, k0, "alice", &res, &err), SL_OK);
    admin_ok("SCRIPT FLUSH");
    loads = q.stats.script_loads;
    assert_int_equal(q_acquire(&q, k0, "alice", &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_int_equal(res.fresh, 0);
    assert_int_equal(q.stats.script_loads, loads + 1);
    quorum_free(&q, f);
}

static int group_setup(void **state)
{
    (void)state;
    return redis_env_load();
}

static int group_teardown(void **state)
{
    (void)state;
    redis_env_unload();
    return 0;
}

#define FX(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX(test_acquire_new),
        FX(test_unfenced_native),
        FX(test_reacquire_same_fence),
        FX(test_conflict),
        FX(test_segments_all_or_nothing),
        FX(test_any_of_n),
        FX(test_acquire_wrong_type_key),
        FX(test_release_only_own),
        FX(test_extend_codes),
        FX(test_validate),
        FX(test_status),
        FX(test_count),
        FX(test_commit_booked_marker),
        cmocka_unit_test(test_script_digests_match_redis),
        FX(test_noscript_fallback),
        FX(test_error_reply_keeps_connection),
        FX(test_noperm_is_auth_error),
        FX(test_pipeline_append_read),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_auth_refused),
        FX(test_select_database),
        cmocka_unit_test(test_unix_socket),
        cmocka_unit_test(test_pool_reuse),
        cmocka_unit_test(test_pool_dirty_not_returned),
        cmocka_unit_test(test_pool_max_idle),
        cmocka_unit_test(test_fork_pool_drops_inherited),
        FX(test_fork_node_reconnects),
        FX(test_reconnect_after_client_kill),
        FX(test_no_retry_on_fresh_connection),
        cmocka_unit_test(test_timeout_silent_listener),
        cmocka_unit_test(test_timeout_then_no_stale_reply),
        FX(test_tagged_keys),
        FX(test_quorum_majority),
        FX(test_quorum_dead_nodes),
        FX(test_quorum_noscript),
    };

    /* A write to a connection the server closed must be an error, not a signal. */
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests_name("lock_redis", tests, group_setup, group_teardown);
}
