/* Fleet-wide metrics (src/sl_metrics.c): counting, the batch, reading, quantiles. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"

#include "redis_util.h"
#include "sl_metrics.h"
#include "sl_topology.h"

/* 2026-12-06 00:34:56 UTC */
#define T0 1796517296LL

static void test_fields(void **state)
{
    size_t i, j;

    (void)state;
    assert_int_equal(SL_METRICS_FIELDS, SL_M_COUNTERS + SL_METRICS_BUCKETS + 1);
    assert_string_equal(sl_metrics_fields[SL_M_slot_locked], "slot_locked");
    assert_string_equal(sl_metrics_fields[SL_M_already_booked], "already_booked");
    assert_string_equal(sl_metrics_fields[SL_M_BUCKET(0)], "le_100us");
    assert_string_equal(sl_metrics_fields[SL_M_BUCKET(SL_METRICS_BOUNDS)], "le_inf");
    assert_string_equal(sl_metrics_fields[SL_M_LAT_SUM], "lat_sum_us");
    for (i = 0; i < SL_METRICS_FIELDS; i++) {
        assert_true(strlen(sl_metrics_fields[i]) < SL_METRICS_FIELD_MAX);
        for (j = 0; j < i; j++) {
            assert_string_not_equal(sl_metrics_fields[i], sl_metrics_fields[j]);
        }
    }
    /* the bucket bounds grow, and the field names say them */
    for (i = 0; i < SL_METRICS_BOUNDS; i++) {
        char name[32];
        snprintf(name, sizeof(name), "le_%uus", (unsigned)sl_metrics_bounds_us[i]);
        assert_string_equal(sl_metrics_fields[SL_M_BUCKET(i)], name);
        if (i) {
            assert_true(sl_metrics_bounds_us[i] > sl_metrics_bounds_us[i - 1]);
        }
    }
}

static void test_observe_buckets(void **state)
{
    sl_metrics m;

    (void)state;
    sl_metrics_init(&m);
    sl_metrics_observe(&m, 0);
    sl_metrics_observe(&m, 100);     /* the bound belongs to its bucket */
    sl_metrics_observe(&m, 101);
    sl_metrics_observe(&m, 4999);
    sl_metrics_observe(&m, 250001);  /* beyond the last bound */
    assert_int_equal(m.pending.v[SL_M_BUCKET(0)], 2);
    assert_int_equal(m.pending.v[SL_M_BUCKET(1)], 1);
    assert_int_equal(m.pending.v[SL_M_BUCKET(5)], 1);
    assert_int_equal(m.pending.v[SL_M_BUCKET(SL_METRICS_BOUNDS)], 1);
    assert_int_equal(m.pending.v[SL_M_LAT_SUM], 100 + 101 + 4999 + 250001);
    assert_int_equal(sl_metrics_samples(&m.pending), 5);
}

static void test_sync_takes_deltas(void **state)
{
    sl_metrics m;
    sl_stats s;

    (void)state;
    memset(&s, 0, sizeof(s));
    sl_metrics_init(&m);
    s.acquired = 5;
    s.expired_before_booking = 2;
    s.commands = 99; /* not a metric */
    sl_metrics_sync(&m, &s);
    assert_int_equal(m.pending.v[SL_M_acquired], 5);
    assert_int_equal(m.pending.v[SL_M_expired], 2);
    /* only the growth since the last sync */
    s.acquired = 7;
    s.released = 3;
    sl_metrics_sync(&m, &s);
    assert_int_equal(m.pending.v[SL_M_acquired], 7);
    assert_int_equal(m.pending.v[SL_M_released], 3);
    sl_metrics_sync(&m, &s);
    assert_int_equal(m.pending.v[SL_M_acquired], 7);
    /* counted by the callers, never from sl_stats */
    assert_int_equal(m.pending.v[SL_M_slot_locked], 0);
    sl_metrics_add(&m, SL_M_slot_locked, 2);
    assert_int_equal(m.pending.v[SL_M_slot_locked], 2);
}

static void test_own_after_fork(void **state)
{
    sl_metrics m;
    sl_stats s;

    (void)state;
    memset(&s, 0, sizeof(s));
    sl_metrics_init(&m);
    /* the first owner: nothing is dropped */
    sl_metrics_add(&m, SL_M_slot_locked, 2);
    sl_metrics_own(&m, &s, 100);
    assert_int_equal(m.pending.v[SL_M_slot_locked], 2);
    sl_metrics_own(&m, &s, 100);
    assert_int_equal(m.pending.v[SL_M_slot_locked], 2);
    /* a child: the parent's unflushed counts and stats are not its own */
    s.acquired = 9;
    m.flushes = 4;
    sl_metrics_own(&m, &s, 101);
    assert_false(sl_metrics_has_pending(&m));
    assert_int_equal(m.pid, 101);
    assert_int_equal(m.flushes, 0);
    s.acquired = 10;
    sl_metrics_sync(&m, &s);
    assert_int_equal(m.pending.v[SL_M_acquired], 1);
}

static void test_due(void **state)
{
    sl_metrics m;

    (void)state;
    sl_metrics_init(&m);
    assert_false(sl_metrics_has_pending(&m));
    assert_false(sl_metrics_due(&m, 1000, 10000)); /* starts the interval */
    assert_false(sl_metrics_due(&m, 10999, 10000));
    assert_true(sl_metrics_due(&m, 11000, 10000));
    sl_metrics_add(&m, SL_M_errors, 1);
    assert_true(sl_metrics_has_pending(&m));
}

static void test_key(void **state)
{
    char key[128];

    (void)state;
    assert_int_equal(sl_metrics_key(key, sizeof(key), "slot_lock", T0), strlen("slot_lock_metrics:m202612060034"));
    assert_string_equal(key, "slot_lock_metrics:m202612060034");
    sl_metrics_key(key, sizeof(key), "p", T0 + 4);
    assert_string_equal(key, "p_metrics:m202612060035");
}

static void test_quantile(void **state)
{
    sl_metrics_counts c;

    (void)state;
    memset(&c, 0, sizeof(c));
    assert_true(sl_metrics_quantile(&c, 0.5) < 0);
    /* 100 samples: 50 in (0, 100us], 49 in (250, 500us], 1 in (2500, 5000us] */
    c.v[SL_M_BUCKET(0)] = 50;
    c.v[SL_M_BUCKET(2)] = 49;
    c.v[SL_M_BUCKET(5)] = 1;
    assert_float_equal(sl_metrics_quantile(&c, 0.5), 0.100, 1e-9);
    assert_float_equal(sl_metrics_quantile(&c, 0.99), 0.500, 1e-9);
    assert_float_equal(sl_metrics_quantile(&c, 1.0), 5.0, 1e-9);
    assert_float_equal(sl_metrics_quantile(&c, 0.25), 0.050, 1e-9);
    /* all beyond the last bound: at least that bound */
    memset(&c, 0, sizeof(c));
    c.v[SL_M_BUCKET(SL_METRICS_BOUNDS)] = 3;
    assert_float_equal(sl_metrics_quantile(&c, 0.5), 250.0, 1e-9);
}

/* ---- against Redis ---------------------------------------------------------------------- */

typedef struct {
    sl_endpoint ep;
    sl_topology topo;
    char prefix[64];
} fx;

static int fx_setup(void **state)
{
    static unsigned seq;
    fx *f = calloc(1, sizeof(*f));
    sl_error err;

    if (!f) {
        return -1;
    }
    snprintf(f->prefix, sizeof(f->prefix), "slmtest.%ld.%u", (long)getpid(), ++seq);
    test_endpoint(&f->ep, 2.0);
    if (sl_topology_init(&f->topo, SL_MODE_SINGLE, &f->ep, NULL, 0, NULL, NULL, NULL, &err) != SL_OK) {
        sl_endpoint_free(&f->ep);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    char key[128];
    int i;

    for (i = 0; i < 3; i++) {
        sl_metrics_key(key, sizeof(key), f->prefix, T0 - i * 60);
        freeReplyObject(redisCommand(t_admin, "DEL %s", key));
    }
    sl_topology_free(&f->topo);
    sl_endpoint_free(&f->ep);
    free(f);
    return 0;
}

static void test_flush_and_read(void **state)
{
    fx *f = *state;
    sl_metrics a, b;
    sl_metrics_counts sum;
    sl_error err;
    char key[128];

    sl_metrics_init(&a);
    sl_metrics_init(&b);
    /* nothing to write: no command, no key */
    assert_int_equal(sl_metrics_flush(&a, &f->topo, f->prefix, T0, 120, &err), SL_OK);
    assert_int_equal(a.flushes, 0);
    sl_metrics_key(key, sizeof(key), f->prefix, T0);
    assert_int_equal(admin_int("EXISTS %s", key), 0);

    /* two processes flush into the same minute; one more a minute earlier */
    sl_metrics_add(&a, SL_M_slot_locked, 3);
    sl_metrics_observe(&a, 150);
    sl_metrics_observe(&a, 3000);
    assert_int_equal(sl_metrics_flush(&a, &f->topo, f->prefix, T0, 120, &err), SL_OK);
    assert_int_equal(a.flushes, 1);
    assert_false(sl_metrics_has_pending(&a));
    sl_metrics_add(&b, SL_M_slot_locked, 1);
    sl_metrics_add(&b, SL_M_acquired, 4);
    assert_int_equal(sl_metrics_flush(&b, &f->topo, f->prefix, T0, 120, &err), SL_OK);
    sl_metrics_add(&b, SL_M_already_booked, 2);
    assert_int_equal(sl_metrics_flush(&b, &f->topo, f->prefix, T0 - 60, 120, &err), SL_OK);

    /* only the non-zero fields were written, and the key expires */
    assert_int_equal(admin_int("HLEN %s", key), 5);
    {
        redisReply *r = admin("HGET %s slot_locked", key);
        assert_int_equal(r->type, REDIS_REPLY_STRING);
        assert_string_equal(r->str, "4");
        freeReplyObject(r);
    }
    assert_true(admin_int("TTL %s", key) > 0 && admin_int("TTL %s", key) <= 120);

    assert_int_equal(sl_metrics_read(&f->topo, f->prefix, T0, 1, &sum, &err), SL_OK);
    assert_int_equal(sum.v[SL_M_slot_locked], 4);
    assert_int_equal(sum.v[SL_M_acquired], 4);
    assert_int_equal(sum.v[SL_M_already_booked], 0);
    assert_int_equal(sl_metrics_samples(&sum), 2);
    assert_int_equal(sum.v[SL_M_LAT_SUM], 3150);
    /* two minutes (and a third with no key) */
    assert_int_equal(sl_metrics_read(&f->topo, f->prefix, T0, 3, &sum, &err), SL_OK);
    assert_int_equal(sum.v[SL_M_already_booked], 2);
    assert_int_equal(sum.v[SL_M_slot_locked], 4);
    /* the window is checked */
    assert_int_equal(sl_metrics_read(&f->topo, f->prefix, T0, 0, &sum, &err), SL_ERR_ARG);
    assert_int_equal(sl_metrics_read(&f->topo, f->prefix, T0, 1441, &sum, &err), SL_ERR_ARG);
}

static void test_flush_failure_keeps_pending(void **state)
{
    sl_endpoint ep;
    sl_topology topo;
    sl_metrics m;
    sl_error err;

    (void)state;
    test_endpoint(&ep, 0.5);
    ep.port = free_port();
    assert_int_equal(sl_topology_init(&topo, SL_MODE_SINGLE, &ep, NULL, 0, NULL, NULL, NULL, &err), SL_OK);
    sl_metrics_init(&m);
    sl_metrics_add(&m, SL_M_relocked, 1);
    assert_int_equal(sl_metrics_flush(&m, &topo, "p", T0, 60, &err), SL_ERR_CONNECT);
    assert_int_equal(m.flush_errors, 1);
    assert_int_equal(m.flushes, 0);
    /* the counts wait for the next batch */
    assert_int_equal(m.pending.v[SL_M_relocked], 1);
    sl_topology_free(&topo);
    sl_endpoint_free(&ep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_observe_buckets),
        cmocka_unit_test(test_sync_takes_deltas),
        cmocka_unit_test(test_own_after_fork),
        cmocka_unit_test(test_due),
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_quantile),
        cmocka_unit_test_setup_teardown(test_flush_and_read, fx_setup, fx_teardown),
        cmocka_unit_test(test_flush_failure_keeps_pending),
    };

    return cmocka_run_group_tests_name("metrics", tests, redis_group_setup, redis_group_teardown);
}
