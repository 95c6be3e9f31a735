/* Argument checks of the lock layer, the owner token generator, locker keys. */
#include <limits.h>

#include "test_util.h"

#include "sl_lock.h"

static void test_owner_check(void **state)
{
    char buf[SL_OWNER_MAX + 2];
    sl_error err;

    (void)state;
    memset(buf, 'o', sizeof(buf));
    assert_int_equal(sl_owner_check(buf, 1, &err), SL_OK);
    assert_int_equal(sl_owner_check(buf, SL_OWNER_MAX, &err), SL_OK);
    assert_int_equal(sl_owner_check(LIT("call-42 \xff\x01 any bytes"), &err), SL_OK);

    sl_error_clear(&err);
    assert_int_equal(sl_owner_check(buf, 0, &err), SL_ERR_ARG);
    assert_int_equal(err.code, SL_ERR_ARG);
    assert_contains(err.msg, "1 to 128 bytes");

    sl_error_clear(&err);
    assert_int_equal(sl_owner_check(buf, SL_OWNER_MAX + 1, &err), SL_ERR_ARG);
    assert_contains(err.msg, "$owner");

    sl_error_clear(&err);
    assert_int_equal(sl_owner_check(LIT("ab\0cd"), &err), SL_ERR_ARG);
    assert_contains(err.msg, "NUL");
    /* The owner is a secret: never echoed. */
    assert_int_equal(sl_owner_check(LIT("secret-owner\0"), &err), SL_ERR_ARG);
    assert_not_contains(err.msg, "secret-owner");
    /* A NULL err is allowed. */
    assert_int_equal(sl_owner_check(buf, 0, NULL), SL_ERR_ARG);
}

static void test_ttl_check(void **state)
{
    static const long long good[] = {SL_TTL_MIN, 2, SL_DEFAULT_TTL, SL_TTL_MAX};
    static const long long bad[] = {0, -1, SL_TTL_MAX + 1, LLONG_MAX, LLONG_MIN, 1LL << 32};
    sl_error err;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(good); i++) {
        assert_int_equal(sl_ttl_check(good[i], "$ttl", &err), SL_OK);
    }
    for (i = 0; i < ARRAY_LEN(bad); i++) {
        sl_error_clear(&err);
        assert_int_equal(sl_ttl_check(bad[i], "$extendBy", &err), SL_ERR_ARG);
        assert_int_equal(err.code, SL_ERR_ARG);
        assert_string_equal(err.msg, "$extendBy must be between 1 and 86400 seconds");
    }
}

static size_t fake_calls, fake_last_len;

static int fake_random_counting(void *buf, size_t len)
{
    unsigned char *p = buf;
    size_t i;

    fake_calls++;
    fake_last_len = len;
    for (i = 0; i < len; i++) {
        p[i] = (unsigned char)(i * 0x11);
    }
    return 0;
}

static int fake_random_ff(void *buf, size_t len)
{
    memset(buf, 0xff, len);
    return 0;
}

static int fake_random_fails(void *buf, size_t len)
{
    memset(buf, 0xab, len);
    return -1;
}

static void test_owner_generate_deterministic(void **state)
{
    char out[SL_TOKEN_LEN + 1], again[SL_TOKEN_LEN + 1];
    sl_error err;

    (void)state;
    fake_calls = 0;
    assert_int_equal(sl_owner_generate(out, fake_random_counting, &err), SL_OK);
    assert_int_equal(fake_calls, 1);
    assert_int_equal(fake_last_len, SL_TOKEN_LEN / 2);
    assert_string_equal(out, "00112233445566778899aabbccddeeff");
    assert_int_equal(sl_owner_generate(again, fake_random_counting, &err), SL_OK);
    assert_string_equal(again, out);

    assert_int_equal(sl_owner_generate(out, fake_random_ff, &err), SL_OK);
    assert_int_equal(strlen(out), SL_TOKEN_LEN);
    assert_string_equal(out, "ffffffffffffffffffffffffffffffff");
    /* A generated token is a valid owner. */
    assert_int_equal(sl_owner_check(out, strlen(out), &err), SL_OK);
}

static void test_owner_generate_failing_random(void **state)
{
    char out[SL_TOKEN_LEN + 1];
    sl_error err;

    (void)state;
    sl_error_clear(&err);
    memset(out, 'Z', sizeof(out));
    assert_int_equal(sl_owner_generate(out, fake_random_fails, &err), SL_ERR_ARG);
    assert_int_equal(err.code, SL_ERR_ARG);
    assert_contains(err.msg, "random");
    /* Nothing derived from the failed source was written. */
    assert_int_equal(out[0], 'Z');
    assert_int_equal(out[SL_TOKEN_LEN], 'Z');
}

static void test_locker_keys(void **state)
{
    char prefix[SL_PREFIX_MAX + 1], expected[SL_PREFIX_MAX + 16];
    sl_locker lk;
    sl_stats stats;

    (void)state;
    sl_locker_init(&lk, NULL, "slot_lock", 0, &stats);
    assert_string_equal(lk.prefix, "slot_lock");
    assert_string_equal(lk.fence_key, "slot_lock#fence");
    assert_int_equal(lk.fencing, 0);
    assert_ptr_equal(lk.stats, &stats);
    assert_int_equal(lk.tagged, 0);

    /* The longest prefix still fits, nothing truncated. */
    memset(prefix, 'p', SL_PREFIX_MAX);
    prefix[SL_PREFIX_MAX] = '\0';
    sl_locker_init(&lk, NULL, prefix, 1, NULL);
    assert_int_equal(lk.tagged, 1);
    assert_string_equal(lk.prefix, prefix);
    snprintf(expected, sizeof(expected), "%s#fence", prefix);
    assert_string_equal(lk.fence_key, expected);
}

static void test_error_helpers(void **state)
{
    sl_error err;

    (void)state;
    sl_error_set(&err, SL_ERR_REPLY, "x=%d %s", 7, "y");
    assert_int_equal(err.code, SL_ERR_REPLY);
    assert_string_equal(err.msg, "x=7 y");
    sl_error_clear(&err);
    assert_int_equal(err.code, SL_OK);
    assert_string_equal(err.msg, "");
    sl_error_set(NULL, SL_ERR_ARG, "ignored");

    assert_true(sl_status_is_connection(SL_ERR_CONNECT));
    assert_true(sl_status_is_connection(SL_ERR_TIMEOUT));
    assert_true(sl_status_is_connection(SL_ERR_IO));
    assert_true(sl_status_is_connection(SL_ERR_AUTH));
    assert_false(sl_status_is_connection(SL_OK));
    assert_false(sl_status_is_connection(SL_ERR_ARG));
    assert_false(sl_status_is_connection(SL_ERR_REPLY));
    assert_false(sl_status_is_connection(SL_ERR_PROTOCOL));
    assert_false(sl_status_is_connection(SL_ERR_NOMEM));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owner_check),
        cmocka_unit_test(test_ttl_check),
        cmocka_unit_test(test_owner_generate_deterministic),
        cmocka_unit_test(test_owner_generate_failing_random),
        cmocka_unit_test(test_locker_keys),
        cmocka_unit_test(test_error_helpers),
    };

    return cmocka_run_group_tests_name("lock_args", tests, NULL, NULL);
}
