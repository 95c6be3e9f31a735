/* SlotLockService options into sl_config (src/sl_options.c), event names
 * (src/sl_event.c) and the fast start-time shape (sl_slot_time_parse). */
#include <stdlib.h>

#include "test_util.h"

#include "sl_event.h"
#include "sl_options.h"

static sl_optval opt_int(int64_t i)
{
    sl_optval v = {SL_OPT_INT, "int", i, 0.0, NULL, 0};
    return v;
}

static sl_optval opt_str(const char *s)
{
    sl_optval v = {SL_OPT_STRING, "string", 0, 0.0, s, strlen(s)};
    return v;
}

static sl_optval opt_float(double d)
{
    sl_optval v = {SL_OPT_FLOAT, "float", 0, d, NULL, 0};
    return v;
}

static sl_optval opt_bool(int b)
{
    sl_optval v = {SL_OPT_BOOL, "bool", b, 0.0, NULL, 0};
    return v;
}

static sl_optval opt_list(size_t n)
{
    sl_optval v = {SL_OPT_LIST, "array", 0, 0.0, NULL, n};
    return v;
}

static sl_status set(sl_config *c, const char *name, sl_optval v, sl_error *err)
{
    sl_error_clear(err);
    return sl_config_set(c, name, strlen(name), &v, err);
}

static void test_defaults(void **state)
{
    sl_config c;
    sl_error err;

    (void)state;
    assert_int_equal(sl_config_init(&c, &err), SL_OK);
    assert_string_equal(c.ep.host, "127.0.0.1");
    assert_int_equal(c.ep.port, 6379);
    assert_string_equal(c.prefix, "slot_lock");
    assert_string_equal(c.tz_name, "UTC");
    assert_int_equal(c.ttl, 300);
    assert_int_equal(c.hash_tag, -1);
    assert_int_equal(c.mode, SL_MODE_SINGLE);
    assert_int_equal(sl_config_tagged(&c), 0);
    assert_int_equal(sl_config_check(&c, &err), SL_OK);
    sl_config_free(&c);
}

static void test_values_and_limits(void **state)
{
    sl_config c;
    sl_error err;

    (void)state;
    assert_int_equal(sl_config_init(&c, &err), SL_OK);
    assert_int_equal(set(&c, "port", opt_int(6380), &err), SL_OK);
    assert_int_equal(c.ep.port, 6380);
    assert_int_equal(set(&c, "port", opt_int(0), &err), SL_ERR_ARG);
    assert_string_equal(err.msg, "SlotLockService::__construct(): Option \"port\" must be between 1 and 65535");
    assert_int_equal(set(&c, "port", opt_str("6380"), &err), SL_ERR_TYPE);
    assert_string_equal(err.msg, "SlotLockService::__construct(): Option \"port\" must be of type int, string given");
    assert_int_equal(set(&c, "timeout", opt_int(2), &err), SL_OK);
    assert_true(c.ep.timeout == 2.0);
    assert_int_equal(set(&c, "timeout", opt_float(0.0), &err), SL_ERR_ARG);
    assert_int_equal(set(&c, "ttl", opt_int(86401), &err), SL_ERR_ARG);
    assert_int_equal(set(&c, "booked_ttl", opt_int(900), &err), SL_OK);
    assert_int_equal(c.booked_ttl, 900);
    assert_int_equal(set(&c, "drift_factor", opt_float(0.6), &err), SL_ERR_ARG);
    assert_string_equal(err.msg, "SlotLockService::__construct(): Option \"drift_factor\" must be 0 to 0.5");
    assert_int_equal(set(&c, "wait_timeout", opt_float(2.5), &err), SL_OK);
    assert_true(c.wait_timeout == 2.5);
    assert_int_equal(set(&c, "persistent", opt_int(1), &err), SL_ERR_TYPE);
    assert_int_equal(set(&c, "persistent", opt_bool(1), &err), SL_OK);
    assert_int_equal(c.persistent, 1);
    assert_int_equal(set(&c, "prefix", opt_str("bad prefix"), &err), SL_ERR_ARG);
    assert_int_equal(set(&c, "prefix", opt_str("app.locks"), &err), SL_OK);
    assert_string_equal(c.prefix, "app.locks");
    assert_int_equal(set(&c, "socket", opt_str("relative.sock"), &err), SL_ERR_ARG);
    assert_int_equal(set(&c, "key_timezone", opt_str("Europe/Berlin"), &err), SL_OK);
    assert_string_equal(c.tz_name, "Europe/Berlin");
    assert_int_equal(set(&c, "no_such_option", opt_int(1), &err), SL_ERR_ARG);
    assert_string_equal(err.msg, "SlotLockService::__construct(): Unknown option \"no_such_option\"");
    sl_config_free(&c);
}

static void test_node_lists(void **state)
{
    sl_config c;
    sl_error err;
    sl_optval node;

    (void)state;
    assert_int_equal(sl_config_init(&c, &err), SL_OK);
    assert_int_equal(set(&c, "password", opt_str("S3cr3t"), &err), SL_OK);
    assert_int_equal(set(&c, "sentinel", opt_list(0), &err), SL_ERR_ARG);
    assert_int_equal(set(&c, "sentinel", opt_list(2), &err), SL_OK);
    assert_int_equal(set(&c, "cluster", opt_list(1), &err), SL_ERR_ARG);
    assert_contains(err.msg, "exclude each other");
    node = opt_str("10.0.0.1:26379");
    assert_int_equal(sl_config_add_node(&c, &node, &err), SL_ERR_ARG);
    assert_contains(err.msg, "needs option \"master\"");
    assert_int_equal(set(&c, "master", opt_str("mymaster"), &err), SL_OK);
    assert_int_equal(sl_config_add_node(&c, &node, &err), SL_OK);
    assert_int_equal(c.n_nodes, 1);
    assert_string_equal(c.nodes[0].host, "10.0.0.1");
    assert_int_equal(c.nodes[0].port, 26379);
    assert_null(c.nodes[0].password); /* sentinels do not get the data nodes' credentials */
    node = opt_int(5);
    assert_int_equal(sl_config_add_node(&c, &node, &err), SL_ERR_TYPE);
    node = opt_str("redis://host:99999");
    assert_int_equal(sl_config_add_node(&c, &node, &err), SL_ERR_ARG);
    assert_contains(err.msg, "Node address: ");
    assert_not_contains(err.msg, "S3cr3t");
    assert_int_equal(c.n_nodes, 1);
    sl_config_free(&c);

    assert_int_equal(sl_config_init(&c, &err), SL_OK);
    assert_int_equal(set(&c, "cluster", opt_list(3), &err), SL_OK);
    assert_int_equal(sl_config_tagged(&c), 1);
    assert_int_equal(set(&c, "hash_tag", opt_bool(0), &err), SL_OK);
    assert_int_equal(sl_config_tagged(&c), 0);
    sl_config_free(&c);
}

static void test_dsn_and_check(void **state)
{
    sl_config c;
    sl_error err;

    (void)state;
    assert_int_equal(sl_config_init(&c, &err), SL_OK);
    assert_int_equal(sl_config_dsn(&c, LIT("redis://u:pw@db.example:6390/3"), &err), SL_OK);
    assert_string_equal(c.ep.host, "db.example");
    assert_int_equal(c.ep.database, 3);
    assert_int_equal(sl_config_check(&c, &err), SL_OK);
    sl_config_free(&c);
}

static void test_event_reasons(void **state)
{
    (void)state;
    assert_string_equal(sl_event_error_reason(SL_ERR_TIMEOUT), "timeout");
    assert_string_equal(sl_event_error_reason(SL_ERR_CONNECT), "connect");
    assert_string_equal(sl_event_error_reason((sl_status)-99), "error");
    assert_string_equal(sl_event_blocked_reason(SL_BLOCKED_LOCKED), "slot_locked");
    assert_string_equal(sl_event_blocked_reason(SL_BLOCKED_BOOKED_SELF), "slot_booked");
}

static void test_slot_time_parse(void **state)
{
    sl_slot_time t;

    (void)state;
    assert_int_equal(sl_slot_time_parse(LIT("2025-11-24 14:00"), &t), 1);
    assert_int_equal(t.year, 2025);
    assert_int_equal(t.month, 11);
    assert_int_equal(t.day, 24);
    assert_int_equal(t.hour, 14);
    assert_int_equal(t.minute, 0);
    assert_int_equal(sl_slot_time_parse(LIT("2025-11-24T14:30:00"), &t), 1);
    assert_int_equal(t.minute, 30);
    assert_int_equal(sl_slot_time_parse(LIT("2025-11-24 14:30:01"), &t), 0);
    assert_int_equal(sl_slot_time_parse(LIT("2025/11/24 14:30"), &t), 0);
    assert_int_equal(sl_slot_time_parse(LIT("tomorrow"), &t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values_and_limits),
        cmocka_unit_test(test_node_lists),
        cmocka_unit_test(test_dsn_and_check),
        cmocka_unit_test(test_event_reasons),
        cmocka_unit_test(test_slot_time_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
