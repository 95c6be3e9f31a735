/* DSN parsing, masking and endpoint bookkeeping (src/sl_dsn.c). */
#include <math.h>
#include <stdlib.h>

#include "test_util.h"

#include "sl_dsn.h"

#define SECRET "S3cr3tPw"

/* An endpoint as the extension prepares it before applying a DSN. */
static void ep_default(sl_endpoint *ep)
{
    sl_error err;

    sl_endpoint_init(ep);
    assert_int_equal(sl_endpoint_set(&ep->host, LIT(SL_DEFAULT_HOST), "host", &err), SL_OK);
}

static sl_status parse_len(const char *dsn, size_t len, sl_endpoint *ep, sl_error *err)
{
    sl_error_clear(err);
    return sl_dsn_parse(dsn, len, ep, err);
}

static sl_status parse(const char *dsn, sl_endpoint *ep, sl_error *err)
{
    return parse_len(dsn, strlen(dsn), ep, err);
}

/* Parses a good DSN into a fresh default endpoint (caller frees). */
static void parse_ok(const char *dsn, sl_endpoint *ep)
{
    sl_error err;
    sl_status rc;

    ep_default(ep);
    rc = parse(dsn, ep, &err);
    if (rc != SL_OK) {
        fail_msg("%s: %d %s", dsn, rc, err.msg);
    }
    assert_int_equal(sl_endpoint_check(ep, &err), SL_OK);
}

#define assert_str_or_null(actual, expected)                                                      \
    do {                                                                                          \
        if ((expected) == NULL) {                                                                 \
            assert_null(actual);                                                                  \
        } else {                                                                                  \
            assert_non_null(actual);                                                              \
            assert_string_equal((actual), (expected));                                            \
        }                                                                                         \
    } while (0)

static void expect_tcp(const char *dsn, const char *host, int port, int db, const char *user, const char *pass)
{
    sl_endpoint ep;

    parse_ok(dsn, &ep);
    assert_str_or_null(ep.host, host);
    assert_null(ep.socket);
    assert_int_equal(ep.port, port);
    assert_int_equal(ep.database, db);
    assert_str_or_null(ep.username, user);
    assert_str_or_null(ep.password, pass);
    sl_endpoint_free(&ep);
}

static void test_tcp(void **state)
{
    (void)state;
    expect_tcp("redis://localhost", "localhost", 6379, 0, NULL, NULL);
    expect_tcp("redis://10.0.0.1:6380", "10.0.0.1", 6380, 0, NULL, NULL);
    expect_tcp("redis://h:1", "h", 1, 0, NULL, NULL);
    expect_tcp("redis://h:65535", "h", 65535, 0, NULL, NULL);
    expect_tcp("redis://h:06380", "h", 6380, 0, NULL, NULL);
    expect_tcp("redis://redis.example.com:6380/3", "redis.example.com", 6380, 3, NULL, NULL);
    expect_tcp("redis://h/", "h", 6379, 0, NULL, NULL);
    expect_tcp("redis://h/0", "h", 6379, 0, NULL, NULL);
    expect_tcp("redis://h/15", "h", 6379, 15, NULL, NULL);
    expect_tcp("redis://h/2147483647", "h", 6379, 2147483647, NULL, NULL);
}

static void test_ipv6(void **state)
{
    (void)state;
    expect_tcp("redis://[::1]", "::1", 6379, 0, NULL, NULL);
    expect_tcp("redis://[::1]:6390", "::1", 6390, 0, NULL, NULL);
    expect_tcp("redis://[2001:db8::7]:6390/2", "2001:db8::7", 6390, 2, NULL, NULL);
    expect_tcp("redis://u:p@[::1]:7000/1", "::1", 7000, 1, "u", "p");
}

static void test_credentials(void **state)
{
    (void)state;
    expect_tcp("redis://user:pass@h", "h", 6379, 0, "user", "pass");
    /* Percent escapes in user and password, upper and lower case hex. */
    expect_tcp("redis://us%65r:p%40ss%3aw%2F0rd%25@h:6380/1", "h", 6380, 1, "user", "p@ss:w/0rd%");
    expect_tcp("redis://%41%42:%7e@h", "h", 6379, 0, "AB", "~");
    /* ":password" and a lone "password" are both just a password (as in redis-cli). */
    expect_tcp("redis://:" SECRET "@h", "h", 6379, 0, NULL, SECRET);
    expect_tcp("redis://" SECRET "@h", "h", 6379, 0, NULL, SECRET);
    /* "user:" has no password; ":" has neither. */
    expect_tcp("redis://user:@h", "h", 6379, 0, "user", NULL);
    expect_tcp("redis://:@h", "h", 6379, 0, NULL, NULL);
    /* The last '@' ends the userinfo: '@' and '/' may appear raw in a password. */
    expect_tcp("redis://u:a@b@h", "h", 6379, 0, "u", "a@b");
    expect_tcp("redis://u:p/x@h/2", "h", 6379, 2, "u", "p/x");
    /* The first ':' splits user from password. */
    expect_tcp("redis://u:p:q@h", "h", 6379, 0, "u", "p:q");
}

static void test_query(void **state)
{
    sl_endpoint ep;

    (void)state;
    parse_ok("redis://h?database=5&timeout=0.25", &ep);
    assert_int_equal(ep.database, 5);
    assert_true(ep.timeout == 0.25);
    sl_endpoint_free(&ep);

    /* The query wins over the path. */
    parse_ok("redis://h:7/1?database=7", &ep);
    assert_int_equal(ep.database, 7);
    assert_int_equal(ep.port, 7);
    sl_endpoint_free(&ep);

    parse_ok("redis://h?timeout=3600", &ep);
    assert_true(ep.timeout == 3600.0);
    sl_endpoint_free(&ep);

    /* An empty query and a trailing '&' are harmless. */
    parse_ok("redis://h?", &ep);
    assert_true(ep.timeout == SL_DEFAULT_TIMEOUT);
    sl_endpoint_free(&ep);
    parse_ok("redis://h?timeout=2&", &ep);
    assert_true(ep.timeout == 2.0);
    sl_endpoint_free(&ep);
}

static void test_unix(void **state)
{
    sl_endpoint ep;

    (void)state;
    parse_ok("unix:///tmp/redis.sock", &ep);
    assert_null(ep.host);
    assert_string_equal(ep.socket, "/tmp/redis.sock");
    assert_int_equal(ep.database, 0);
    sl_endpoint_free(&ep);

    parse_ok("unix:///var/run/redis/redis.sock?database=3&timeout=2.5", &ep);
    assert_null(ep.host);
    assert_string_equal(ep.socket, "/var/run/redis/redis.sock");
    assert_int_equal(ep.database, 3);
    assert_true(ep.timeout == 2.5);
    sl_endpoint_free(&ep);

    parse_ok("unix://app:p%40w@/tmp/r.sock?database=1", &ep);
    assert_string_equal(ep.socket, "/tmp/r.sock");
    assert_string_equal(ep.username, "app");
    assert_string_equal(ep.password, "p@w");
    assert_int_equal(ep.database, 1);
    sl_endpoint_free(&ep);

    /* An '@' in the socket path is not userinfo. */
    parse_ok("unix:///tmp/a@b.sock", &ep);
    assert_string_equal(ep.socket, "/tmp/a@b.sock");
    assert_null(ep.password);
    sl_endpoint_free(&ep);
}

/* Fields a DSN does not name keep their values; tcp and unix replace each other. */
static void test_keeps_unnamed_fields(void **state)
{
    sl_endpoint ep;
    sl_error err;

    (void)state;
    ep_default(&ep);
    ep.timeout = 3.0;
    ep.database = 4;
    assert_int_equal(parse("redis://h:7000", &ep, &err), SL_OK);
    assert_true(ep.timeout == 3.0);
    assert_int_equal(ep.database, 4);
    assert_int_equal(parse("unix:///s.sock", &ep, &err), SL_OK);
    assert_null(ep.host);
    assert_string_equal(ep.socket, "/s.sock");
    assert_int_equal(parse("redis://u:p@other", &ep, &err), SL_OK);
    assert_null(ep.socket);
    assert_string_equal(ep.host, "other");
    assert_string_equal(ep.password, "p");
    /* New credentials replace the old ones as a pair. */
    assert_int_equal(parse("redis://onlypw@other", &ep, &err), SL_OK);
    assert_null(ep.username);
    assert_string_equal(ep.password, "onlypw");
    sl_endpoint_free(&ep);
}

static void expect_error_len(const char *dsn, size_t len, const char *msg_part)
{
    sl_endpoint ep;
    sl_error err;
    sl_status rc;

    ep_default(&ep);
    rc = parse_len(dsn, len, &ep, &err);
    if (rc != SL_ERR_ARG) {
        fail_msg("%s: expected SL_ERR_ARG, got %d", dsn, rc);
    }
    assert_int_equal(err.code, SL_ERR_ARG);
    assert_contains(err.msg, msg_part);
    assert_not_contains(err.msg, SECRET);
    assert_not_contains(err.msg, "S3cr");
    sl_endpoint_free(&ep);
}

static void expect_error(const char *dsn, const char *msg_part)
{
    expect_error_len(dsn, strlen(dsn), msg_part);
}

static void test_errors_scheme(void **state)
{
    (void)state;
    expect_error("", "must start with redis:// or unix://");
    expect_error("http://h", "must start with redis:// or unix://");
    expect_error("redis:/h", "must start with redis:// or unix://");
    expect_error("redis:", "must start with redis:// or unix://");
    expect_error("h:6379", "must start with redis:// or unix://");
    expect_error("tcp://h", "must start with redis:// or unix://");
    expect_error("rediss://u:" SECRET "@h:6380", "rediss:// (TLS) is not supported");
}

static void test_errors_host(void **state)
{
    (void)state;
    expect_error("redis://", "no host");
    expect_error("redis://:6379", "no host");
    expect_error("redis://u:" SECRET "@", "no host");
    expect_error("redis://u:" SECRET "@/1", "no host");
    expect_error("redis://?timeout=1", "no host");
    expect_error("redis://[]", "no host");
    expect_error("redis://[::1", "missing ']'");
    expect_error("redis://u:" SECRET "@[::1]x", "malformed");
    expect_error("redis://[::1]6379", "malformed");
}

static void test_errors_port(void **state)
{
    (void)state;
    expect_error("redis://h:0", "port must be an integer in 1..65535");
    expect_error("redis://u:" SECRET "@h:65536", "port must be an integer in 1..65535");
    expect_error("redis://h:abc", "port must be an integer in 1..65535");
    expect_error("redis://h:", "port must be an integer in 1..65535");
    expect_error("redis://h:-1", "port must be an integer in 1..65535");
    expect_error("redis://h:+1", "port must be an integer in 1..65535");
    expect_error("redis://h:6379x", "port must be an integer in 1..65535");
    expect_error("redis://h:99999999999", "port must be an integer in 1..65535");
    expect_error("redis://h:1:2", "port must be an integer in 1..65535");
    expect_error("redis://[::1]:0", "port must be an integer in 1..65535");
}

static void test_errors_database(void **state)
{
    (void)state;
    expect_error("redis://h/abc", "database must be a non-negative integer");
    expect_error("redis://h/-1", "database must be a non-negative integer");
    expect_error("redis://h/1x", "database must be a non-negative integer");
    expect_error("redis://h/1/2", "database must be a non-negative integer");
    expect_error("redis://h/2147483648", "database must be a non-negative integer");
    expect_error("redis://h?database=", "database must be a non-negative integer");
    expect_error("redis://h?database=-2", "database must be a non-negative integer");
    expect_error("redis://h?database=0x1", "database must be a non-negative integer");
}

static void test_errors_escapes(void **state)
{
    (void)state;
    expect_error("redis://u:" SECRET "%zz@h", "invalid percent escape");
    expect_error("redis://u:" SECRET "%4@h", "invalid percent escape");
    expect_error("redis://u:" SECRET "%@h", "invalid percent escape");
    expect_error("redis://u:" SECRET "%00@h", "invalid percent escape");
    expect_error("redis://u%0:" SECRET "@h", "invalid percent escape");
    expect_error("redis://%G1:" SECRET "@h", "invalid percent escape");
    expect_error("redis://" SECRET "%0@h", "invalid percent escape");
    expect_error("unix://:" SECRET "%@/tmp/s.sock", "invalid percent escape");
}

static void test_errors_query(void **state)
{
    (void)state;
    expect_error("redis://u:" SECRET "@h?foo=1", "unknown DSN option");
    expect_error("redis://h?database=1&persistent=1", "unknown DSN option");
    expect_error("redis://h?Database=1", "unknown DSN option");
    expect_error("redis://h?=1", "unknown DSN option");
    expect_error("redis://h?database", "DSN option without a value");
    expect_error("redis://h?&", "DSN option without a value");
    expect_error("redis://h?timeout=1&&", "DSN option without a value");
    expect_error("redis://h?timeout=0", "timeout must be > 0");
    expect_error("redis://h?timeout=-1", "timeout must be > 0");
    expect_error("redis://h?timeout=3600.5", "timeout must be > 0");
    expect_error("redis://h?timeout=nan", "timeout must be > 0");
    expect_error("redis://h?timeout=inf", "timeout must be > 0");
    expect_error("redis://h?timeout=1s", "timeout must be > 0");
    expect_error("redis://h?timeout=", "timeout must be a number");
    expect_error("redis://h?timeout=1.00000000000000000000000000000000", "timeout must be a number");
}

static void test_errors_unix(void **state)
{
    (void)state;
    expect_error("unix://", "absolute socket path");
    expect_error("unix://relative.sock", "absolute socket path");
    expect_error("unix://:" SECRET "@", "absolute socket path");
    expect_error("unix://:" SECRET "@tmp/s.sock", "absolute socket path");
    expect_error("unix:///tmp/s.sock?db=1", "unknown DSN option");
}

static void test_errors_nul(void **state)
{
    (void)state;
    expect_error_len(LIT("redis://h\0:6379"), "NUL");
    expect_error_len(LIT("redis://u:" SECRET "\0@h"), "NUL");
    expect_error_len(LIT("\0redis://h"), "NUL");
    expect_error_len(LIT("unix:///tmp/s\0.sock"), "NUL");
}

/* A failed parse leaves nothing that sl_endpoint_free cannot clean up, and the
 * password it may have stored is still a proper string. */
static void test_error_after_partial_parse(void **state)
{
    sl_endpoint ep;
    sl_error err;

    (void)state;
    ep_default(&ep);
    assert_int_equal(parse("redis://u:" SECRET "@h:0", &ep, &err), SL_ERR_ARG);
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_OK); /* port untouched */
    sl_endpoint_free(&ep);
    assert_null(ep.host);
    assert_null(ep.password);
    assert_int_equal(ep.port, SL_DEFAULT_PORT);
}

static void mask(const char *dsn, const char *expected)
{
    char out[256];

    memset(out, 'X', sizeof(out));
    sl_dsn_mask(dsn, out, sizeof(out));
    assert_string_equal(out, expected);
}

static void test_mask(void **state)
{
    char small[12];

    (void)state;
    mask("redis://user:" SECRET "@h:6379/1", "redis://user:***@h:6379/1");
    mask("redis://:" SECRET "@h", "redis://:***@h");
    mask("redis://" SECRET "@h", "redis://***@h");
    mask("redis://u:a@b@h?timeout=1", "redis://u:***@h?timeout=1");
    mask("unix://:" SECRET "@/tmp/s.sock?database=1", "unix://:***@/tmp/s.sock?database=1");
    mask("redis://h:6379/2?timeout=1", "redis://h:6379/2?timeout=1");
    mask("unix:///tmp/s.sock", "unix:///tmp/s.sock");
    mask("", "");
    mask("not a dsn", "not a dsn");
    mask("redis://u:@h", "redis://u:***@h");

    /* Truncated output is still a string, and never shows the password. */
    memset(small, 'X', sizeof(small));
    sl_dsn_mask("redis://user:" SECRET "@h", small, sizeof(small));
    assert_int_equal(strlen(small), sizeof(small) - 1);
    assert_string_equal(small, "redis://use");
    memset(small, 'X', sizeof(small));
    sl_dsn_mask("redis://" SECRET "@h", small, 1);
    assert_int_equal(small[0], '\0');
    assert_int_equal(small[1], 'X');
    sl_dsn_mask("redis://" SECRET "@h", small, 0);
    assert_int_equal(small[1], 'X');
}

static char *pool_key_of(const char *dsn)
{
    sl_endpoint ep;
    char *key;

    parse_ok(dsn, &ep);
    key = sl_endpoint_pool_key(&ep);
    assert_non_null(key);
    sl_endpoint_free(&ep);
    return key;
}

static void test_pool_key(void **state)
{
    static const char *const dsns[] = {
        "redis://h",          "redis://h:6380",      "redis://h/1",        "redis://other",
        "redis://u:p@h",      "redis://u:q@h",       "redis://v:p@h",      "redis://p@h",
        "redis://:@h",        "redis://u:@h",        "redis://ab:c@h",     "redis://a:bc@h",
        "unix:///h",          "unix:///tmp/s.sock",  "unix:///tmp/s.sock?database=1",
        "unix://:p@/tmp/s.sock",
    };
    char *keys[ARRAY_LEN(dsns)], *again;
    size_t i, j;

    (void)state;
    for (i = 0; i < ARRAY_LEN(dsns); i++) {
        keys[i] = pool_key_of(dsns[i]);
    }
    for (i = 0; i < ARRAY_LEN(dsns); i++) {
        for (j = 0; j < i; j++) {
            /* "redis://h" and "redis://:@h" are the same endpoint. */
            if (strcmp(dsns[j], "redis://h") == 0 && strcmp(dsns[i], "redis://:@h") == 0) {
                assert_string_equal(keys[i], keys[j]);
                continue;
            }
            if (strcmp(keys[i], keys[j]) == 0) {
                fail_msg("pool keys of %s and %s are equal: %s", dsns[i], dsns[j], keys[i]);
            }
        }
    }
    /* The same endpoint always gives the same key. */
    again = pool_key_of("redis://u:p@h");
    assert_string_equal(again, keys[4]);
    free(again);
    for (i = 0; i < ARRAY_LEN(dsns); i++) {
        free(keys[i]);
    }
}

static void test_endpoint_check(void **state)
{
    sl_endpoint ep;
    sl_error err;

    (void)state;
    ep_default(&ep);
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_OK);

    ep.port = 0;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    assert_contains(err.msg, "port must be in 1..65535");
    ep.port = 65536;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    ep.port = -1;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    ep.port = 1;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_OK);
    ep.port = 65535;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_OK);

    ep.database = -1;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    assert_contains(err.msg, "database must be >= 0");
    ep.database = 2147483647;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_OK);

    ep.timeout = 0.0;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    assert_contains(err.msg, "timeout must be > 0 and <= 3600 seconds");
    ep.timeout = -1.0;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    ep.timeout = NAN;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    ep.timeout = INFINITY;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    ep.timeout = SL_MAX_TIMEOUT + 0.001;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    ep.timeout = SL_MAX_TIMEOUT;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_OK);
    ep.timeout = 0.001;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_OK);

    /* A TCP endpoint needs a host; a unix one ignores host and port. */
    free(ep.host);
    ep.host = NULL;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    assert_contains(err.msg, "host must not be empty");
    assert_int_equal(sl_endpoint_set(&ep.host, "", 0, "host", &err), SL_OK);
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_ERR_ARG);
    assert_int_equal(sl_endpoint_set(&ep.socket, LIT("/tmp/s.sock"), "socket", &err), SL_OK);
    ep.port = 0;
    assert_int_equal(sl_endpoint_check(&ep, &err), SL_OK);
    sl_endpoint_free(&ep);
}

static void test_endpoint_copy_set_describe(void **state)
{
    sl_endpoint a, b;
    sl_error err;
    char buf[128];

    (void)state;
    parse_ok("redis://u:" SECRET "@h:6380/2?timeout=0.5", &a);
    assert_int_equal(sl_endpoint_copy(&b, &a), SL_OK);
    assert_ptr_not_equal(a.host, b.host);
    assert_ptr_not_equal(a.password, b.password);
    assert_string_equal(b.host, "h");
    assert_string_equal(b.username, "u");
    assert_string_equal(b.password, SECRET);
    assert_int_equal(b.port, 6380);
    assert_int_equal(b.database, 2);
    assert_true(b.timeout == 0.5);
    assert_null(b.socket);

    sl_endpoint_describe(&b, buf, sizeof(buf));
    assert_string_equal(buf, "tcp://h:6380/2");
    sl_endpoint_free(&a);
    assert_string_equal(b.password, SECRET); /* deep copy survives */

    assert_int_equal(sl_endpoint_set(&b.host, LIT("new-host"), "host", &err), SL_OK);
    assert_string_equal(b.host, "new-host");
    sl_error_clear(&err);
    assert_int_equal(sl_endpoint_set(&b.host, LIT("bad\0host"), "host", &err), SL_ERR_ARG);
    assert_string_equal(err.msg, "host must not contain NUL bytes");
    assert_string_equal(b.host, "new-host"); /* unchanged on error */
    assert_int_equal(sl_endpoint_set(&b.password, LIT(SECRET "\0"), "password", &err), SL_ERR_ARG);
    assert_not_contains(err.msg, SECRET);
    sl_endpoint_free(&b);

    parse_ok("unix://:" SECRET "@/tmp/s.sock?database=4", &a);
    sl_endpoint_describe(&a, buf, sizeof(buf));
    assert_string_equal(buf, "unix:///tmp/s.sock/4");
    assert_not_contains(buf, SECRET);
    sl_endpoint_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_unix),
        cmocka_unit_test(test_keeps_unnamed_fields),
        cmocka_unit_test(test_errors_scheme),
        cmocka_unit_test(test_errors_host),
        cmocka_unit_test(test_errors_port),
        cmocka_unit_test(test_errors_database),
        cmocka_unit_test(test_errors_escapes),
        cmocka_unit_test(test_errors_query),
        cmocka_unit_test(test_errors_unix),
        cmocka_unit_test(test_errors_nul),
        cmocka_unit_test(test_error_after_partial_parse),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_pool_key),
        cmocka_unit_test(test_endpoint_check),
        cmocka_unit_test(test_endpoint_copy_set_describe),
    };

    return cmocka_run_group_tests_name("dsn", tests, NULL, NULL);
}
