/* Ids, prefixes, slot times, keys and lock handles (src/sl_key.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

#include "sl_key.h"

#define PFX "slot_lock"

static void test_id_check(void **state)
{
    static const char *const good[] = {"1", "31", "0", "abc", "A-b_9", "-", "_", "007"};
    static const char *const bad[] = {"", "a b", "a:b", "a,b", "a.b", "é", "a/b", "a*"};
    char id[SL_ID_MAX + 2];
    sl_error err;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(good); i++) {
        assert_int_equal(sl_id_check(good[i], strlen(good[i]), "$companyId", &err), SL_OK);
    }
    for (i = 0; i < ARRAY_LEN(bad); i++) {
        sl_error_clear(&err);
        assert_int_equal(sl_id_check(bad[i], strlen(bad[i]), "$companyId", &err), SL_ERR_ARG);
        assert_int_equal(err.code, SL_ERR_ARG);
        assert_contains(err.msg, "$companyId must be");
    }
    memset(id, '7', sizeof(id));
    assert_int_equal(sl_id_check(id, SL_ID_MAX, "$serviceId", &err), SL_OK);
    assert_int_equal(sl_id_check(id, SL_ID_MAX + 1, "$serviceId", &err), SL_ERR_ARG);
    assert_contains(err.msg, "$serviceId");
    /* A NUL byte inside the length is not an id character. */
    assert_int_equal(sl_id_check(LIT("12\0" "3"), "$serviceId", &err), SL_ERR_ARG);
}

static void test_prefix_check(void **state)
{
    static const char *const good[] = {"slot_lock", "a", "my.app-1_X", "..", "-"};
    static const char *const bad[] = {"", "a:b", "a b", "a,b", "a/b", "a{b}", "a*"};
    char p[SL_PREFIX_MAX + 2];
    sl_error err;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(good); i++) {
        assert_int_equal(sl_prefix_check(good[i], strlen(good[i]), &err), SL_OK);
    }
    for (i = 0; i < ARRAY_LEN(bad); i++) {
        sl_error_clear(&err);
        assert_int_equal(sl_prefix_check(bad[i], strlen(bad[i]), &err), SL_ERR_ARG);
        assert_contains(err.msg, "prefix");
    }
    memset(p, 'p', sizeof(p));
    assert_int_equal(sl_prefix_check(p, SL_PREFIX_MAX, &err), SL_OK);
    assert_int_equal(sl_prefix_check(p, SL_PREFIX_MAX + 1, &err), SL_ERR_ARG);
    assert_contains(err.msg, "1 to 64");
    assert_int_equal(sl_prefix_check(LIT("ab\0"), &err), SL_ERR_ARG);
}

static sl_status tcheck(int y, int mo, int d, int h, int mi)
{
    sl_slot_time t = {y, mo, d, h, mi};
    sl_error err;
    sl_status rc;

    sl_error_clear(&err);
    rc = sl_slot_time_check(&t, "$start", &err);
    if (rc != SL_OK) {
        assert_contains(err.msg, "$start");
    }
    return rc;
}

static void test_slot_time_check(void **state)
{
    (void)state;
    assert_int_equal(tcheck(2025, 11, 24, 14, 0), SL_OK);
    assert_int_equal(tcheck(1000, 1, 1, 0, 0), SL_OK);
    assert_int_equal(tcheck(9999, 12, 31, 23, 59), SL_OK);
    assert_int_equal(tcheck(999, 12, 31, 23, 59), SL_ERR_ARG);
    assert_int_equal(tcheck(10000, 1, 1, 0, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(-2025, 1, 1, 0, 0), SL_ERR_ARG);
    /* Field ranges. */
    assert_int_equal(tcheck(2025, 0, 1, 0, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(2025, 13, 1, 0, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(2025, 1, 0, 0, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(2025, 1, 32, 0, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(2025, 1, 31, 24, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(2025, 1, 31, -1, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(2025, 1, 31, 23, 60), SL_ERR_ARG);
    assert_int_equal(tcheck(2025, 1, 31, 23, -1), SL_ERR_ARG);
    /* 30-day months. */
    assert_int_equal(tcheck(2025, 4, 30, 0, 0), SL_OK);
    assert_int_equal(tcheck(2025, 4, 31, 0, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(2025, 11, 31, 0, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(2025, 12, 31, 0, 0), SL_OK);
    /* Feb 29: leap years (div by 4, not by 100 unless by 400). */
    assert_int_equal(tcheck(2024, 2, 29, 12, 0), SL_OK);
    assert_int_equal(tcheck(2000, 2, 29, 12, 0), SL_OK);
    assert_int_equal(tcheck(2025, 2, 29, 12, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(1900, 2, 29, 12, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(2100, 2, 29, 12, 0), SL_ERR_ARG);
    assert_int_equal(tcheck(2025, 2, 28, 12, 0), SL_OK);
    assert_int_equal(tcheck(2024, 2, 30, 12, 0), SL_ERR_ARG);
}

static void test_key_build(void **state)
{
    char key[SL_KEY_MAX], id[SL_ID_MAX + 1], pfx[SL_PREFIX_MAX + 1];
    sl_slot_time t = {2025, 11, 24, 14, 0}, t2 = {1000, 1, 2, 3, 4};
    size_t n;

    (void)state;
    n = sl_key_build(key, PFX, "1", "31", &t);
    assert_string_equal(key, "slot_lock:c1:s31:t202511241400");
    assert_int_equal(n, strlen("slot_lock:c1:s31:t202511241400"));
    n = sl_key_build(key, "x.y", "acme", "room-7", &t2);
    assert_string_equal(key, "x.y:cacme:sroom-7:t100001020304");
    assert_int_equal(n, strlen(key));

    /* The longest key fits SL_KEY_MAX exactly, and is valid. */
    memset(id, '9', SL_ID_MAX);
    id[SL_ID_MAX] = '\0';
    memset(pfx, 'p', SL_PREFIX_MAX);
    pfx[SL_PREFIX_MAX] = '\0';
    n = sl_key_build(key, pfx, id, id, &t);
    assert_int_equal(n, SL_PREFIX_MAX + 2 + SL_ID_MAX + 2 + SL_ID_MAX + 2 + 12);
    assert_true(n < SL_KEY_MAX);
    assert_int_equal(strlen(key), n);
    assert_true(sl_key_valid(pfx, SL_PREFIX_MAX, key, n));
    /* Tagged (Cluster mode): the company in a hash tag, two bytes more. */
    n = sl_key_build_ex(key, pfx, 1, id, id, &t);
    assert_int_equal(n, SL_PREFIX_MAX + 2 + SL_ID_MAX + 2 + SL_ID_MAX + 2 + 12 + 2);
    assert_true(n < SL_KEY_MAX);
    assert_true(sl_key_valid(pfx, SL_PREFIX_MAX, key, n));
    n = sl_key_build_ex(key, PFX, 1, "1", "31", &t);
    assert_string_equal(key, "slot_lock:{c1}:s31:t202511241400");
    assert_int_equal(n, strlen(key));
    n = sl_key_build_ex(key, PFX, 0, "1", "31", &t);
    assert_string_equal(key, "slot_lock:c1:s31:t202511241400");
}

static int kv(const char *key)
{
    return sl_key_valid(PFX, strlen(PFX), key, strlen(key));
}

static void test_key_valid(void **state)
{
    char key[SL_KEY_MAX + 8];

    (void)state;
    assert_true(kv("slot_lock:c1:s31:t202511241400"));
    assert_true(kv("slot_lock:cacme:sroom-7_a:t000000000000"));
    assert_true(kv("slot_lock:c-:s_:t999999999999"));

    assert_false(kv(""));
    assert_false(kv("slot_lock"));
    assert_false(kv("slot_lock:"));
    assert_false(kv("slot_lockX:c1:s31:t202511241400"));
    assert_false(kv("other:c1:s31:t202511241400"));
    assert_false(kv("slot_loc:c1:s31:t202511241400"));
    assert_false(kv("slot_lock:c1:s31:t20251124140"));   /* 11 digits */
    assert_false(kv("slot_lock:c1:s31:t2025112414000")); /* 13 digits */
    assert_false(kv("slot_lock:c1:s31:t20251124140a"));
    assert_false(kv("slot_lock:c1:s31:x202511241400"));
    assert_false(kv("slot_lock:c1:s31:202511241400"));
    assert_false(kv("slot_lock:c:s31:t202511241400"));   /* empty company */
    assert_false(kv("slot_lock:c1:s:t202511241400"));    /* empty service */
    assert_false(kv("slot_lock:s31:c1:t202511241400"));  /* order */
    assert_false(kv("slot_lock:c1:s31"));
    assert_false(kv("slot_lock:c1:s31:"));
    assert_false(kv("slot_lock:c1:s31:t"));
    assert_false(kv("slot_lock:c1.2:s31:t202511241400"));
    assert_false(kv("slot_lock:c1:s3 1:t202511241400"));
    assert_false(kv("slot_lock:c1::s31:t202511241400"));
    assert_false(kv("slot_lock:c1:s31:t202511241400,"));
    assert_false(kv(" slot_lock:c1:s31:t202511241400"));
    assert_false(kv("slot_lock:c1:s31:t202511241400 "));
    assert_false(kv("slot_lock:fence"));
    assert_false(kv("slot_lock:active"));
    /* A NUL inside the given length. */
    assert_false(sl_key_valid(PFX, strlen(PFX), LIT("slot_lock:c1:s31:t2025112414\0" "0")));
    /* Length is what counts, not a terminator. */
    assert_true(sl_key_valid(PFX, strlen(PFX), "slot_lock:c1:s31:t202511241400,rest", 30));

    /* Ids of 64 characters are fine, 65 are not. */
    snprintf(key, sizeof(key), "slot_lock:c%064d:s1:t202511241400", 0);
    assert_true(kv(key));
    snprintf(key, sizeof(key), "slot_lock:c%065d:s1:t202511241400", 0);
    assert_false(kv(key));
    snprintf(key, sizeof(key), "slot_lock:c1:s%065d:t202511241400", 0);
    assert_false(kv(key));
    /* The prefix is matched exactly, "." included. */
    assert_true(sl_key_valid(LIT("a.b"), LIT("a.b:c1:s1:t202511241400")));
    assert_false(sl_key_valid(LIT("a.b"), LIT("axb:c1:s1:t202511241400")));
}

/* Resource bucket keys "<prefix>:c<company>:r<resource>:b<YmdHi UTC>". */
static void test_resource_key_valid(void **state)
{
    (void)state;
    assert_true(kv("slot_lock:c1:r7:b202511241400"));
    assert_true(kv("slot_lock:cacme:rroom-1:b196912312345"));
    assert_false(kv("slot_lock:c1:r7:t202511241400"));  /* resource with a slot time */
    assert_false(kv("slot_lock:c1:s7:b202511241400"));  /* service with a bucket */
    assert_false(kv("slot_lock:c1:r:b202511241400"));
    assert_false(kv("slot_lock:c1:r7:b20251124140"));
    assert_false(kv("slot_lock:c1:r7:b2025112414000"));
    assert_false(kv("slot_lock:c1:r7:b2025112414x0"));
    assert_false(kv("slot_lock:c1:r7b202511241400"));
    assert_false(kv("slot_lock:c1:r7:"));
    assert_false(kv("slot_lock:c1:r"));
    assert_false(kv("slot_lock:c1:"));
}

/* Cluster mode keys carry the company as a hash tag: "<prefix>:{c<id>}:...". */
static void test_tagged_key_valid_and_tag(void **state)
{
    static const char key[] = "slot_lock:{c1}:s31:t202511241400";
    size_t tag_len = 0;
    const char *tag;

    (void)state;
    assert_true(kv(key));
    assert_true(kv("slot_lock:{cacme}:rroom-1:b202511241400"));
    assert_false(kv("slot_lock:{c1:s31:t202511241400"));
    assert_false(kv("slot_lock:c1}:s31:t202511241400"));
    assert_false(kv("slot_lock:{c1}s31:t202511241400"));
    assert_false(kv("slot_lock:{}:s31:t202511241400"));
    assert_false(kv("slot_lock:{c}:s31:t202511241400"));
    assert_false(kv("slot_lock:{s31}:c1:t202511241400"));
    assert_false(kv("slot_lock:c1:{s31}:t202511241400")); /* only the company is tagged */
    assert_false(kv("slot_lock:{{c1}}:s31:t202511241400"));

    tag = sl_key_tag(key, strlen(key), &tag_len);
    assert_non_null(tag);
    assert_int_equal(tag_len, 4);
    assert_memory_equal(tag, "{c1}", 4);
    assert_ptr_equal(tag, key + 10);
    assert_null(sl_key_tag(LIT("slot_lock:c1:s31:t202511241400"), &tag_len));
    assert_null(sl_key_tag(LIT("slot_lock:{c1:s31"), &tag_len));
    /* The length bounds the search. */
    assert_null(sl_key_tag(key, 12, &tag_len));
}

#define T_20251124_1400 INT64_C(1763992800) /* 2025-11-24 14:00:00 UTC */

static void expect_buckets(int64_t from, int64_t to, int64_t bucket, const char *const *expected, size_t n)
{
    sl_keylist l;
    sl_error err;
    size_t i;

    sl_keylist_init(&l);
    sl_error_clear(&err);
    if (sl_resource_keys(&l, PFX, "1", "7", from, to, bucket, &err) != SL_OK) {
        fail_msg("[%lld, %lld) by %lld: %s", (long long)from, (long long)to, (long long)bucket, err.msg);
    }
    assert_int_equal(l.count, n);
    for (i = 0; i < n; i++) {
        assert_string_equal(l.keys[i], expected[i]);
        assert_int_equal(l.lens[i], strlen(expected[i]));
        assert_true(sl_key_valid(PFX, strlen(PFX), l.keys[i], l.lens[i]));
    }
    sl_keylist_free(&l);
}

static void test_resource_keys(void **state)
{
    static const char *const hour[] = {"slot_lock:c1:r7:b202511241400", "slot_lock:c1:r7:b202511241415",
                                       "slot_lock:c1:r7:b202511241430", "slot_lock:c1:r7:b202511241445"};
    static const char *const unaligned[] = {"slot_lock:c1:r7:b202511241400", "slot_lock:c1:r7:b202511241415"};
    static const char *const next[] = {"slot_lock:c1:r7:b202511241500", "slot_lock:c1:r7:b202511241515"};
    static const char *const one[] = {"slot_lock:c1:r7:b202511241400"};
    static const char *const before_epoch[] = {"slot_lock:c1:r7:b196912312345", "slot_lock:c1:r7:b197001010000"};
    static const char *const day[] = {"slot_lock:c1:r7:b202511240000"};
    static const char *const last[] = {"slot_lock:c1:r7:b999912312345"};
    static const char *const first[] = {"slot_lock:c1:r7:b100001010000"};

    (void)state;
    expect_buckets(T_20251124_1400, T_20251124_1400 + 3600, 900, hour, 4);
    /* Unaligned ends take every bucket they touch, and no more. */
    expect_buckets(T_20251124_1400 + 300, T_20251124_1400 + 1200, 900, unaligned, 2);
    expect_buckets(T_20251124_1400 + 899, T_20251124_1400 + 901, 900, unaligned, 2);
    expect_buckets(T_20251124_1400, T_20251124_1400 + 1, 900, one, 1);
    /* Intervals that only touch at a boundary share no bucket. */
    expect_buckets(T_20251124_1400 + 3600, T_20251124_1400 + 5400, 900, next, 2);
    /* Floor division before 1970. */
    expect_buckets(-900, 60, 900, before_epoch, 2);
    /* A day bucket is aligned to UTC midnight. */
    expect_buckets(T_20251124_1400, T_20251124_1400 + 60, 86400, day, 1);
    /* The year range ends. */
    expect_buckets(INT64_C(253402299900), INT64_C(253402299960), 900, last, 1);
    expect_buckets(INT64_C(-30610224000), INT64_C(-30610223940), 900, first, 1);
}

static void expect_resource_error(int64_t from, int64_t to, int64_t bucket, const char *msg_part)
{
    sl_keylist l;
    sl_error err;

    sl_keylist_init(&l);
    sl_error_clear(&err);
    if (sl_resource_keys(&l, PFX, "1", "7", from, to, bucket, &err) != SL_ERR_ARG) {
        fail_msg("[%lld, %lld) by %lld accepted", (long long)from, (long long)to, (long long)bucket);
    }
    assert_int_equal(err.code, SL_ERR_ARG);
    assert_contains(err.msg, msg_part);
    sl_keylist_free(&l);
}

static void test_resource_keys_errors(void **state)
{
    sl_keylist l;
    sl_error err;

    (void)state;
    expect_resource_error(T_20251124_1400, T_20251124_1400 + 60, 0, "whole number of minutes");
    expect_resource_error(T_20251124_1400, T_20251124_1400 + 60, 59, "whole number of minutes");
    expect_resource_error(T_20251124_1400, T_20251124_1400 + 60, 61, "whole number of minutes");
    expect_resource_error(T_20251124_1400, T_20251124_1400 + 60, -60, "whole number of minutes");
    expect_resource_error(T_20251124_1400, T_20251124_1400, 900, "$end must be after $start");
    expect_resource_error(T_20251124_1400, T_20251124_1400 - 60, 900, "$end must be after $start");
    /* 64 buckets are fine, 65 are not. */
    sl_keylist_init(&l);
    assert_int_equal(sl_resource_keys(&l, PFX, "1", "7", T_20251124_1400, T_20251124_1400 + 64 * 60, 60, &err),
                     SL_OK);
    assert_int_equal(l.count, SL_MAX_LOCK_KEYS);
    sl_keylist_free(&l);
    expect_resource_error(T_20251124_1400, T_20251124_1400 + 64 * 60 + 1, 60, "more than 64 buckets");
    expect_resource_error(T_20251124_1400 + 30, T_20251124_1400 + 64 * 60 + 1, 60, "more than 64 buckets");
    /* Years outside 1000..9999. */
    expect_resource_error(INT64_C(253402300800), INT64_C(253402300860), 60, "out of range");
    expect_resource_error(INT64_C(-30610224060), INT64_C(-30610224000), 60, "out of range");
    expect_resource_error(INT64_C(253402300740), INT64_C(253402300860), 60, "out of range");
}

static void test_resource_keys_tagged(void **state)
{
    sl_keylist l;
    sl_error err;

    (void)state;
    sl_keylist_init(&l);
    assert_int_equal(sl_resource_keys_ex(&l, PFX, 1, "1", "7", T_20251124_1400, T_20251124_1400 + 1800, 900, &err),
                     SL_OK);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.keys[0], "slot_lock:{c1}:r7:b202511241400");
    assert_string_equal(l.keys[1], "slot_lock:{c1}:r7:b202511241415");
    assert_true(sl_key_valid(PFX, strlen(PFX), l.keys[1], l.lens[1]));
    sl_keylist_free(&l);
}

/* Appends to what the list already holds. */
static void test_resource_keys_append(void **state)
{
    sl_keylist l;
    sl_error err;

    (void)state;
    sl_keylist_init(&l);
    assert_int_equal(sl_keylist_push(&l, LIT("x")), SL_OK);
    assert_int_equal(sl_resource_keys(&l, "p", "c", "r", T_20251124_1400, T_20251124_1400 + 60, 900, &err), SL_OK);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.keys[0], "x");
    assert_string_equal(l.keys[1], "p:cc:rr:b202511241400");
    sl_keylist_free(&l);
}

static void test_handle_single(void **state)
{
    sl_keylist l;
    sl_error err;

    (void)state;
    sl_keylist_init(&l);
    assert_int_equal(sl_handle_parse(PFX, LIT("slot_lock:c1:s31:t202511241400"), &l, &err), SL_OK);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.keys[0], "slot_lock:c1:s31:t202511241400");
    assert_int_equal(l.lens[0], 30);
    sl_keylist_free(&l);
    assert_int_equal(l.count, 0);
    assert_null(l.keys);
}

static void test_handle_multi_and_join(void **state)
{
    static const char handle[] = "slot_lock:c1:s31:t202511241400,slot_lock:c1:s32:t202511241430,"
                                 "slot_lock:c2:sx:t202511241500";
    sl_keylist l, again;
    sl_error err;
    size_t len = 0;
    char *joined;

    (void)state;
    sl_keylist_init(&l);
    assert_int_equal(sl_handle_parse(PFX, LIT(handle), &l, &err), SL_OK);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.keys[0], "slot_lock:c1:s31:t202511241400");
    assert_string_equal(l.keys[1], "slot_lock:c1:s32:t202511241430");
    assert_string_equal(l.keys[2], "slot_lock:c2:sx:t202511241500");
    assert_int_equal(sl_keylist_find(&l, 0, l.count, LIT("slot_lock:c1:s32:t202511241430")), 1);
    assert_int_equal(sl_keylist_find(&l, 2, l.count, LIT("slot_lock:c1:s32:t202511241430")), -1);
    assert_int_equal(sl_keylist_find(&l, 0, 99, LIT("slot_lock:c2:sx:t202511241500")), 2);
    assert_int_equal(sl_keylist_find(&l, 0, l.count, LIT("slot_lock:c2:sx:t20251124150")), -1);

    joined = sl_handle_join(&l, 0, l.count, &len);
    assert_non_null(joined);
    assert_string_equal(joined, handle);
    assert_int_equal(len, strlen(handle));

    sl_keylist_init(&again);
    assert_int_equal(sl_handle_parse(PFX, joined, len, &again, &err), SL_OK);
    assert_int_equal(again.count, l.count);
    free(joined);

    /* Sub-ranges and the empty range. */
    joined = sl_handle_join(&l, 1, 2, &len);
    assert_string_equal(joined, "slot_lock:c1:s32:t202511241430");
    assert_int_equal(len, 30);
    free(joined);
    joined = sl_handle_join(&l, 1, 3, NULL);
    assert_string_equal(joined, "slot_lock:c1:s32:t202511241430,slot_lock:c2:sx:t202511241500");
    free(joined);
    joined = sl_handle_join(&l, 2, 2, &len);
    assert_string_equal(joined, "");
    assert_int_equal(len, 0);
    free(joined);

    sl_keylist_free(&again);
    sl_keylist_free(&l);
}

static void expect_handle_error(const char *prefix, const char *handle, size_t len, const char *msg_part)
{
    sl_keylist l;
    sl_error err;

    sl_keylist_init(&l);
    sl_error_clear(&err);
    assert_int_equal(sl_handle_parse(prefix, handle, len, &l, &err), SL_ERR_ARG);
    assert_int_equal(err.code, SL_ERR_ARG);
    assert_contains(err.msg, msg_part);
    /* On failure the list is left empty (and freed). */
    assert_int_equal(l.count, 0);
    assert_null(l.keys);
}

static void test_handle_errors(void **state)
{
    (void)state;
    expect_handle_error(PFX, "", 0, "must not be empty");
    expect_handle_error(PFX, LIT("slot_lock:c1:s31:t202511241400,slot_lock:c1:s31:t202511241400"), "twice");
    expect_handle_error(PFX, LIT("slot_lock:c1:s31:t202511241400,slot_lock:c1:s32:t202511241400,"
                                 "slot_lock:c1:s31:t202511241400"),
                        "twice");
    expect_handle_error(PFX, LIT("other:c1:s31:t202511241400"), "prefix \"slot_lock\"");
    expect_handle_error(PFX, LIT("slot_lock:c1:s31:t202511241400,other:c1:s31:t202511241400"), "not a lock key");
    expect_handle_error("other", LIT("slot_lock:c1:s31:t202511241400"), "prefix \"other\"");
    expect_handle_error(PFX, LIT("slot_lock:c1:s31:t202511241400,"), "not a lock key");
    expect_handle_error(PFX, LIT(",slot_lock:c1:s31:t202511241400"), "not a lock key");
    expect_handle_error(PFX, LIT("slot_lock:c1:s31:t202511241400,,slot_lock:c1:s32:t202511241400"),
                        "not a lock key");
    expect_handle_error(PFX, LIT(","), "not a lock key");
    expect_handle_error(PFX, LIT("slot_lock:c1:s31:t202511241400 "), "not a lock key");
    expect_handle_error(PFX, LIT("slot_lock:c1:s31:t202511241400\0"), "not a lock key");
}

/* Builds a handle of n distinct keys. */
static char *many_keys(size_t n, size_t *len)
{
    size_t cap = n * 40 + 1, off = 0, i;
    char *s = malloc(cap);

    assert_non_null(s);
    for (i = 0; i < n; i++) {
        off += (size_t)snprintf(s + off, cap - off, "%sslot_lock:c1:s%zu:t202511241400", i ? "," : "", i);
    }
    *len = off;
    return s;
}

static void test_handle_max_keys(void **state)
{
    sl_keylist l;
    sl_error err;
    size_t len;
    char *h;

    (void)state;
    h = many_keys(SL_MAX_LOCK_KEYS, &len);
    sl_keylist_init(&l);
    assert_int_equal(sl_handle_parse(PFX, h, len, &l, &err), SL_OK);
    assert_int_equal(l.count, SL_MAX_LOCK_KEYS);
    assert_string_equal(l.keys[63], "slot_lock:c1:s63:t202511241400");
    sl_keylist_free(&l);
    free(h);

    h = many_keys(SL_MAX_LOCK_KEYS + 1, &len);
    expect_handle_error(PFX, h, len, "more than 64 keys");
    free(h);
}

static void test_keylist_growth(void **state)
{
    sl_keylist l;
    char key[32];
    size_t i;

    (void)state;
    sl_keylist_init(&l);
    for (i = 0; i < 1000; i++) {
        int n = snprintf(key, sizeof(key), "k%zu", i);
        assert_int_equal(sl_keylist_push(&l, key, (size_t)n), SL_OK);
    }
    assert_int_equal(l.count, 1000);
    assert_true(l.cap >= 1000);
    assert_string_equal(l.keys[999], "k999");
    assert_int_equal(sl_keylist_find(&l, 0, l.count, LIT("k500")), 500);
    assert_int_equal(sl_keylist_find(&l, 501, l.count, LIT("k500")), -1);
    /* Binary-safe: a key holding a NUL byte is kept whole. */
    assert_int_equal(sl_keylist_push(&l, LIT("a\0b")), SL_OK);
    assert_int_equal(l.lens[1000], 3);
    assert_memory_equal(l.keys[1000], "a\0b", 4);
    assert_int_equal(sl_keylist_find(&l, 0, l.count, LIT("a\0b")), 1000);
    assert_int_equal(sl_keylist_find(&l, 0, l.count, LIT("a\0c")), -1);
    sl_keylist_free(&l);
    assert_int_equal(l.count, 0);
    assert_int_equal(l.cap, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_check),        cmocka_unit_test(test_prefix_check),
        cmocka_unit_test(test_slot_time_check), cmocka_unit_test(test_key_build),
        cmocka_unit_test(test_key_valid),       cmocka_unit_test(test_resource_key_valid),
        cmocka_unit_test(test_resource_keys),   cmocka_unit_test(test_resource_keys_errors),
        cmocka_unit_test(test_resource_keys_append), cmocka_unit_test(test_tagged_key_valid_and_tag),
        cmocka_unit_test(test_resource_keys_tagged), cmocka_unit_test(test_handle_single),
        cmocka_unit_test(test_handle_multi_and_join), cmocka_unit_test(test_handle_errors),
        cmocka_unit_test(test_handle_max_keys), cmocka_unit_test(test_keylist_growth),
    };

    return cmocka_run_group_tests_name("key", tests, NULL, NULL);
}
