/* Reply decoders, on replies parsed from raw RESP by hiredis' own reader. */
#include <stdlib.h>

#include <hiredis/hiredis.h>

#include "test_util.h"

#include "sl_conn.h"

#include "sl_lock.h"

/* Parses one complete RESP reply (caller frees with freeReplyObject). */
static redisReply *resp_n(const char *bytes, size_t len)
{
    redisReader *rd = redisReaderCreate();
    void *reply = NULL;

    assert_non_null(rd);
    assert_int_equal(redisReaderFeed(rd, bytes, len), REDIS_OK);
    assert_int_equal(redisReaderGetReply(rd, &reply), REDIS_OK);
    if (!reply) {
        redisReaderFree(rd);
        fail_msg("incomplete RESP: %s", bytes);
    }
    redisReaderFree(rd);
    return reply;
}

static redisReply *resp(const char *bytes)
{
    return resp_n(bytes, strlen(bytes));
}

/* ---- acquire ----------------------------------------------------------- */

static sl_status acquire_n(const char *bytes, size_t len, size_t n_groups, sl_acquire_result *res, sl_error *err)
{
    redisReply *r = resp_n(bytes, len);
    sl_status rc = sl_decode_acquire(r, n_groups, res, err);

    freeReplyObject(r);
    return rc;
}

static sl_status acquire(const char *bytes, size_t n_groups, sl_acquire_result *res, sl_error *err)
{
    return acquire_n(bytes, strlen(bytes), n_groups, res, err);
}

static void test_acquire_taken(void **state)
{
    sl_acquire_result res;
    sl_error err;

    (void)state;
    assert_int_equal(acquire("*6\r\n:1\r\n:7\r\n:5000\r\n:1\r\n:0\r\n$0\r\n\r\n", 1, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 0);
    assert_int_equal(res.fence, 7);
    assert_int_equal(res.ttl_ms, 5000);
    assert_int_equal(res.fresh, 1);
    assert_int_equal(res.blocked, SL_BLOCKED_NONE);
    assert_int_equal(res.booking_id_len, 0);
    assert_string_equal(res.booking_id, "");

    /* Last of three candidates, refreshed hold, a 63-bit fence. */
    assert_int_equal(
        acquire("*6\r\n:3\r\n:9223372036854775807\r\n:300000\r\n:0\r\n:0\r\n$0\r\n\r\n", 3, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 2);
    assert_int_equal(res.fence, INT64_MAX);
    assert_int_equal(res.ttl_ms, 300000);
    assert_int_equal(res.fresh, 0);

    /* Any non-zero "new" flag is fresh. */
    assert_int_equal(acquire("*6\r\n:1\r\n:1\r\n:1\r\n:5\r\n:0\r\n$0\r\n\r\n", 1, &res, &err), SL_OK);
    assert_int_equal(res.fresh, 1);
}

static void test_acquire_none_free(void **state)
{
    sl_acquire_result res;
    sl_error err;

    (void)state;
    assert_int_equal(acquire("*6\r\n:0\r\n:0\r\n:1234\r\n:0\r\n:1\r\n$0\r\n\r\n", 2, &res, &err), SL_OK);
    {
        /* Taken with fence 0: fencing is off (wire format 2). */
        sl_acquire_result r0;
        assert_int_equal(acquire("*6\r\n:1\r\n:0\r\n:5000\r\n:1\r\n:0\r\n$0\r\n\r\n", 1, &r0, &err), SL_OK);
        assert_int_equal(r0.candidate, 0);
        assert_int_equal(r0.fence, 0);
    }
    assert_int_equal(res.candidate, -1);
    assert_int_equal(res.fence, 0);
    assert_int_equal(res.ttl_ms, 1234);
    assert_int_equal(res.fresh, 0);
    assert_int_equal(res.blocked, SL_BLOCKED_LOCKED);
    assert_int_equal(acquire("*6\r\n:0\r\n:0\r\n:-1\r\n:0\r\n:2\r\n$0\r\n\r\n", 1, &res, &err), SL_OK);
    assert_int_equal(res.candidate, -1);
    assert_int_equal(res.ttl_ms, -1);
    assert_int_equal(res.blocked, SL_BLOCKED_BOOKED);

    /* The caller's own booked marker comes with its booking id (binary-safe). */
    assert_int_equal(acquire_n(LIT("*6\r\n:0\r\n:0\r\n:600000\r\n:0\r\n:3\r\n$6\r\nbk\0-42\r\n"), 1, &res, &err), SL_OK);
    assert_int_equal(res.blocked, SL_BLOCKED_BOOKED_SELF);
    assert_int_equal(res.booking_id_len, 6);
    assert_memory_equal(res.booking_id, "bk\0-42", 7);
}

static void test_acquire_booking_id_max(void **state)
{
    char bytes[512], id[SL_BOOKING_ID_MAX + 2];
    sl_acquire_result res;
    sl_error err;

    (void)state;
    memset(id, 'b', sizeof(id) - 1);
    id[SL_BOOKING_ID_MAX] = '\0';
    snprintf(bytes, sizeof(bytes), "*6\r\n:0\r\n:0\r\n:1\r\n:0\r\n:3\r\n$%d\r\n%s\r\n", SL_BOOKING_ID_MAX, id);
    assert_int_equal(acquire(bytes, 1, &res, &err), SL_OK);
    assert_int_equal(res.booking_id_len, SL_BOOKING_ID_MAX);
    assert_string_equal(res.booking_id, id);

    id[SL_BOOKING_ID_MAX] = 'b';
    id[SL_BOOKING_ID_MAX + 1] = '\0';
    snprintf(bytes, sizeof(bytes), "*6\r\n:0\r\n:0\r\n:1\r\n:0\r\n:3\r\n$%d\r\n%s\r\n", SL_BOOKING_ID_MAX + 1, id);
    sl_error_clear(&err);
    assert_int_equal(acquire(bytes, 1, &res, &err), SL_ERR_PROTOCOL);
}

static void expect_acquire_bad(const char *bytes, size_t n_groups)
{
    sl_acquire_result res;
    sl_error err;

    memset(&res, 0x5a, sizeof(res));
    sl_error_clear(&err);
    if (acquire(bytes, n_groups, &res, &err) != SL_ERR_PROTOCOL) {
        fail_msg("accepted as an acquire reply: %s", bytes);
    }
    assert_int_equal(err.code, SL_ERR_PROTOCOL);
    assert_string_equal(err.msg, "unexpected reply to acquire");
    /* Nothing is half-written. */
    assert_int_equal(res.candidate, (long)0x5a5a5a5a5a5a5a5aLL);
    assert_int_equal(res.fence, 0x5a5a5a5a5a5a5a5aLL);
    assert_int_equal(res.fresh, 0x5a5a5a5a);
    assert_int_equal(res.booking_id[0], 0x5a);
}

#define OK_TAIL ":0\r\n$0\r\n\r\n"

static void test_acquire_malformed(void **state)
{
    sl_acquire_result res;
    sl_error err;

    (void)state;
    expect_acquire_bad("*6\r\n:2\r\n:7\r\n:5000\r\n:1\r\n" OK_TAIL, 1);  /* candidate beyond n_groups */
    expect_acquire_bad("*6\r\n:-1\r\n:7\r\n:5000\r\n:1\r\n" OK_TAIL, 1); /* negative candidate */
    expect_acquire_bad("*6\r\n:1\r\n:-5\r\n:5000\r\n:1\r\n" OK_TAIL, 1);
    expect_acquire_bad("*6\r\n:1\r\n:7\r\n:5000\r\n:1\r\n:1\r\n$0\r\n\r\n", 1); /* taken, yet blocked */
    expect_acquire_bad("*6\r\n:0\r\n:0\r\n:5000\r\n:0\r\n:4\r\n$0\r\n\r\n", 1); /* unknown blocker */
    expect_acquire_bad("*6\r\n:0\r\n:0\r\n:5000\r\n:0\r\n:-1\r\n$0\r\n\r\n", 1);
    expect_acquire_bad("*6\r\n:0\r\n:0\r\n:5000\r\n:0\r\n:3\r\n:5\r\n", 1);    /* booking id not a string */
    expect_acquire_bad("*6\r\n:0\r\n:0\r\n:5000\r\n:0\r\n:3\r\n$-1\r\n", 1);
    expect_acquire_bad("*6\r\n:0\r\n:0\r\n:5000\r\n:0\r\n:3\r\n*0\r\n", 1);
    expect_acquire_bad("*6\r\n:0\r\n:0\r\n:5000\r\n:0\r\n$1\r\n3\r\n$0\r\n\r\n", 1);
    expect_acquire_bad("*4\r\n:1\r\n:7\r\n:5000\r\n:1\r\n", 1); /* the version 1 shape */
    expect_acquire_bad("*5\r\n:1\r\n:7\r\n:5000\r\n:1\r\n:0\r\n", 1);
    expect_acquire_bad("*7\r\n:1\r\n:7\r\n:5000\r\n:1\r\n" OK_TAIL ":1\r\n", 1);
    expect_acquire_bad("*0\r\n", 1);
    expect_acquire_bad("*-1\r\n", 1);
    expect_acquire_bad("*6\r\n$1\r\n1\r\n:7\r\n:5000\r\n:1\r\n" OK_TAIL, 1); /* string element */
    expect_acquire_bad("*6\r\n:1\r\n+7\r\n:5000\r\n:1\r\n" OK_TAIL, 1);
    expect_acquire_bad("*6\r\n:1\r\n:7\r\n$-1\r\n:1\r\n" OK_TAIL, 1);        /* nil element */
    expect_acquire_bad("*6\r\n:1\r\n:7\r\n:5000\r\n*1\r\n:1\r\n" OK_TAIL, 1); /* nested array */
    expect_acquire_bad("*6\r\n:1\r\n:7\r\n:5000\r\n-ERR x\r\n" OK_TAIL, 1);
    expect_acquire_bad(":1\r\n", 1);
    expect_acquire_bad("+OK\r\n", 1);
    expect_acquire_bad("$-1\r\n", 1);
    expect_acquire_bad("-NOSCRIPT No matching script\r\n", 1);
    expect_acquire_bad("$4\r\n*6\r\n\r\n", 1);
    /* n_groups bounds the candidate exactly. */
    expect_acquire_bad("*6\r\n:1\r\n:7\r\n:5000\r\n:1\r\n" OK_TAIL, 0);
    assert_int_equal(acquire("*6\r\n:5\r\n:7\r\n:5000\r\n:1\r\n" OK_TAIL, 5, &res, &err), SL_OK);
    assert_int_equal(res.candidate, 4);

    /* A NULL reply is a protocol error, not a crash. */
    sl_error_clear(&err);
    assert_int_equal(sl_decode_acquire(NULL, 1, &res, &err), SL_ERR_PROTOCOL);
    assert_int_equal(err.code, SL_ERR_PROTOCOL);
}

/* ---- commit ------------------------------------------------------------- */

static void test_commit(void **state)
{
    static const char *const bad[] = {
        "*2\r\n:0\r\n:0\r\n",  "*2\r\n:2\r\n:5\r\n",  "*3\r\n:1\r\n:5\r\n:1\r\n", "*1\r\n:1\r\n",
        "*2\r\n$1\r\n1\r\n:5\r\n", "*2\r\n:1\r\n$-1\r\n", ":1\r\n", "+OK\r\n", "*-1\r\n", "-ERR x\r\n",
    };
    redisReply *r;
    sl_error err;
    int64_t fence = 42;
    int ok = 42;
    size_t i;

    (void)state;
    r = resp("*2\r\n:1\r\n:17\r\n");
    assert_int_equal(sl_decode_commit(r, &ok, &fence, &err), SL_OK);
    assert_int_equal(ok, 1);
    assert_int_equal(fence, 17);
    freeReplyObject(r);
    r = resp("*2\r\n:-1\r\n:0\r\n");
    assert_int_equal(sl_decode_commit(r, &ok, &fence, &err), SL_OK);
    assert_int_equal(ok, 0);
    freeReplyObject(r);

    for (i = 0; i < ARRAY_LEN(bad); i++) {
        ok = 42;
        fence = 42;
        sl_error_clear(&err);
        r = resp(bad[i]);
        if (sl_decode_commit(r, &ok, &fence, &err) != SL_ERR_PROTOCOL) {
            fail_msg("accepted as a commit reply: %s", bad[i]);
        }
        assert_string_equal(err.msg, "unexpected reply to commit");
        assert_int_equal(ok, 42);
        assert_int_equal(fence, 42);
        freeReplyObject(r);
    }
    assert_int_equal(sl_decode_commit(NULL, &ok, &fence, &err), SL_ERR_PROTOCOL);
}

/* ---- integer ------------------------------------------------------------ */

static void test_integer(void **state)
{
    static const char *const bad[] = {"+1\r\n", "$1\r\n1\r\n", "$-1\r\n", "*1\r\n:1\r\n", "*-1\r\n",
                                      "-ERR no\r\n"};
    redisReply *r;
    sl_error err;
    int64_t v = 99;
    size_t i;

    (void)state;
    r = resp(":42\r\n");
    assert_int_equal(sl_decode_integer(r, &v, &err), SL_OK);
    assert_int_equal(v, 42);
    freeReplyObject(r);
    r = resp(":-3\r\n");
    assert_int_equal(sl_decode_integer(r, &v, &err), SL_OK);
    assert_int_equal(v, -3);
    freeReplyObject(r);
    r = resp(":0\r\n");
    assert_int_equal(sl_decode_integer(r, &v, &err), SL_OK);
    assert_int_equal(v, 0);
    freeReplyObject(r);

    for (i = 0; i < ARRAY_LEN(bad); i++) {
        v = 77;
        sl_error_clear(&err);
        r = resp(bad[i]);
        assert_int_equal(sl_decode_integer(r, &v, &err), SL_ERR_PROTOCOL);
        assert_string_equal(err.msg, "unexpected reply to script");
        assert_int_equal(v, 77);
        freeReplyObject(r);
    }
    assert_int_equal(sl_decode_integer(NULL, &v, &err), SL_ERR_PROTOCOL);
}

/* ---- extend ------------------------------------------------------------- */

static sl_status extend(const char *bytes, sl_extend_code *code, int64_t *fence, sl_error *err)
{
    redisReply *r = resp(bytes);
    sl_status rc = sl_decode_extend(r, code, fence, err);

    freeReplyObject(r);
    return rc;
}

static void test_extend(void **state)
{
    sl_extend_code code;
    int64_t fence;
    sl_error err;

    (void)state;
    assert_int_equal(extend("*3\r\n:1\r\n:12\r\n:10000\r\n", &code, &fence, &err), SL_OK);
    assert_int_equal(code, SL_EXTEND_OK);
    assert_int_equal(fence, 12);
    assert_int_equal(extend("*3\r\n:0\r\n:0\r\n:0\r\n", &code, &fence, &err), SL_OK);
    assert_int_equal(code, SL_EXTEND_LOST);
    assert_int_equal(extend("*3\r\n:-1\r\n:0\r\n:0\r\n", &code, &fence, &err), SL_OK);
    assert_int_equal(code, SL_EXTEND_TAKEN);
}

static void test_extend_malformed(void **state)
{
    static const char *const bad[] = {
        "*3\r\n:2\r\n:0\r\n:0\r\n",  "*3\r\n:-2\r\n:0\r\n:0\r\n",    "*2\r\n:1\r\n:12\r\n",
        "*4\r\n:1\r\n:12\r\n:1\r\n:1\r\n", "*3\r\n:1\r\n$2\r\n12\r\n:1\r\n", "*3\r\n:1\r\n:12\r\n$-1\r\n",
        "*3\r\n*0\r\n:12\r\n:1\r\n", ":1\r\n", "+OK\r\n", "$3\r\nabc\r\n", "*-1\r\n", "*0\r\n", "-ERR x\r\n",
    };
    sl_extend_code code = (sl_extend_code)42;
    int64_t fence = 42;
    sl_error err;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(bad); i++) {
        sl_error_clear(&err);
        if (extend(bad[i], &code, &fence, &err) != SL_ERR_PROTOCOL) {
            fail_msg("accepted as an extend reply: %s", bad[i]);
        }
        assert_string_equal(err.msg, "unexpected reply to extend");
        assert_int_equal(code, 42);
        assert_int_equal(fence, 42);
    }
    assert_int_equal(sl_decode_extend(NULL, &code, &fence, &err), SL_ERR_PROTOCOL);
}

/* ---- status ------------------------------------------------------------- */

static sl_status status(const char *bytes, sl_status_result *res, sl_error *err)
{
    redisReply *r = resp(bytes);
    sl_status rc = sl_decode_status(r, res, err);

    freeReplyObject(r);
    return rc;
}

static void test_status(void **state)
{
    sl_status_result res;
    sl_error err;

    (void)state;
    assert_int_equal(status("*3\r\n:1\r\n:4000\r\n:0\r\n", &res, &err), SL_OK);
    assert_int_equal(res.locked, 1);
    assert_int_equal(res.ttl_ms, 4000);
    assert_int_equal(res.booked, 0);
    assert_int_equal(status("*3\r\n:0\r\n:-1\r\n:0\r\n", &res, &err), SL_OK);
    assert_int_equal(res.locked, 0);
    assert_int_equal(res.ttl_ms, -1);
    assert_int_equal(res.booked, 0);
    assert_int_equal(status("*3\r\n:7\r\n:-1\r\n:3\r\n", &res, &err), SL_OK);
    assert_int_equal(res.locked, 1);
    assert_int_equal(res.booked, 1);
}

static void test_status_malformed(void **state)
{
    static const char *const bad[] = {
        "*2\r\n:1\r\n:4000\r\n", "*4\r\n:1\r\n:1\r\n:1\r\n:1\r\n", "*3\r\n+1\r\n:1\r\n:1\r\n",
        "*3\r\n:1\r\n:1\r\n$-1\r\n", ":1\r\n", "$5\r\nhello\r\n", "*-1\r\n", "-WRONGTYPE x\r\n",
    };
    sl_status_result res = {-5, -5, -5};
    sl_error err;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(bad); i++) {
        sl_error_clear(&err);
        if (status(bad[i], &res, &err) != SL_ERR_PROTOCOL) {
            fail_msg("accepted as a status reply: %s", bad[i]);
        }
        assert_string_equal(err.msg, "unexpected reply to status");
        assert_int_equal(res.locked, -5);
        assert_int_equal(res.ttl_ms, -5);
    }
    assert_int_equal(sl_decode_status(NULL, &res, &err), SL_ERR_PROTOCOL);
}

/* Replies are only trusted through the decoders: every decoder rejects what
 * another one accepts. */
static void test_cross_shapes(void **state)
{
    sl_acquire_result ares;
    sl_extend_code code;
    sl_status_result sres;
    int64_t v, fence;
    sl_error err;
    redisReply *six = resp("*6\r\n:1\r\n:7\r\n:5000\r\n:1\r\n:0\r\n$0\r\n\r\n");
    redisReply *three = resp("*3\r\n:1\r\n:7\r\n:5000\r\n");

    (void)state;
    assert_int_equal(sl_decode_extend(six, &code, &fence, &err), SL_ERR_PROTOCOL);
    assert_int_equal(sl_decode_status(six, &sres, &err), SL_ERR_PROTOCOL);
    assert_int_equal(sl_decode_integer(six, &v, &err), SL_ERR_PROTOCOL);
    assert_int_equal(sl_decode_acquire(three, 9, &ares, &err), SL_ERR_PROTOCOL);
    assert_int_equal(sl_decode_extend(three, &code, &fence, &err), SL_OK);
    assert_int_equal(sl_decode_status(three, &sres, &err), SL_OK);
    freeReplyObject(six);
    freeReplyObject(three);
}

/* The hot path's own decoder of simple replies (sl_conn.c). */
static void test_parse_simple(void **state)
{
    redisReply *r = NULL;
    static const char *const partial[] = {"$-1\r", ":12", ":12\r\n:1\r\n", "$5\r\nab\r\n", "$2\r\nabcd\r\n",
                                          "+OK\r\n+OK\r\n", "-ERR x\r\n", "*1\r\n:1\r\n", ":\r\n", ":1a\r\n",
                                          "$-2\r\n", "$\r\n\r\n", "$1\r\t\n\r\n", "$1\rx\n\r\n", ":-0\r\n", ":01\r\n", "$01\r\na\r\n", "_\r\n", ":-\r\n", "", "\r\n"};
    size_t i;

    (void)state;
    assert_int_equal(sl_parse_simple(LIT("$-1\r\n"), &r), 1);
    assert_int_equal(r->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    assert_int_equal(sl_parse_simple(LIT(":1\r\n"), &r), 1);
    assert_int_equal(r->type, REDIS_REPLY_INTEGER);
    assert_int_equal(r->integer, 1);
    freeReplyObject(r);
    assert_int_equal(sl_parse_simple(LIT(":-42\r\n"), &r), 1);
    assert_int_equal(r->integer, -42);
    freeReplyObject(r);
    assert_int_equal(sl_parse_simple(LIT("+OK\r\n"), &r), 1);
    assert_int_equal(r->type, REDIS_REPLY_STATUS);
    assert_string_equal(r->str, "OK");
    freeReplyObject(r);
    /* a value may hold CR LF: the length says where it ends */
    assert_int_equal(sl_parse_simple(LIT("$8\r\nh:0:a\r\nb\r\n"), &r), 1);
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    assert_int_equal(r->len, 8);
    assert_memory_equal(r->str, "h:0:a\r\nb", 8);
    freeReplyObject(r);
    assert_int_equal(sl_parse_simple(LIT("$0\r\n\r\n"), &r), 1);
    assert_int_equal(r->len, 0);
    freeReplyObject(r);
    for (i = 0; i < ARRAY_LEN(partial); i++) {
        r = NULL;
        if (sl_parse_simple(partial[i], strlen(partial[i]), &r) != 0 || r != NULL) {
            fail_msg("decoded as a whole simple reply: %s", partial[i]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_simple),
        cmocka_unit_test(test_acquire_taken),  cmocka_unit_test(test_acquire_none_free),
        cmocka_unit_test(test_acquire_booking_id_max), cmocka_unit_test(test_acquire_malformed),
        cmocka_unit_test(test_commit),         cmocka_unit_test(test_integer),
        cmocka_unit_test(test_extend),         cmocka_unit_test(test_extend_malformed),
        cmocka_unit_test(test_status),         cmocka_unit_test(test_status_malformed),
        cmocka_unit_test(test_cross_shapes),
    };

    return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
