/*
 * src/sl_topology.c without a server: Cluster hash slots, the reply helpers,
 * and building and freeing topologies. White-box: the file is included so its
 * static helpers can be called (this binary does not link sl_topology.o).
 */
#include "test_util.h"

#include "sl_topology.c" /* from -I$(SRC) */

static uint16_t slot_of(const char *key)
{
    return sl_cluster_slot(key, strlen(key));
}

/* Known answers: Redis' documentation (CLUSTER KEYSLOT) and CRC16/XMODEM. */
static void test_cluster_slot(void **state)
{
    (void)state;
    assert_int_equal(crc16(LIT("123456789")), 0x31C3);
    assert_int_equal(slot_of("123456789"), 12739);
    assert_int_equal(slot_of("foo"), 12182);
    assert_int_equal(slot_of("bar"), 5061);
    assert_int_equal(slot_of(""), 0);
    /* Hash tags: the first {...} with something inside. */
    assert_int_equal(slot_of("{user1000}.following"), 3443);
    assert_int_equal(slot_of("{user1000}.followers"), 3443);
    assert_int_equal(slot_of("foo{}{bar}"), 8363);     /* empty tag: the whole key */
    assert_int_equal(slot_of("foo{{bar}}zap"), 4015);  /* tag "{bar" */
    assert_int_equal(slot_of("foo{bar}{zap}"), 5061);  /* tag "bar" */
    assert_int_equal(slot_of("foo{bar"), sl_cluster_slot(LIT("foo{bar")));
    /* Every key of one company's operation shares a slot in cluster mode. */
    assert_int_equal(slot_of("slot_lock:{c1}:s31:t202511241400"), 14347);
    assert_int_equal(slot_of("slot_lock:{c1}:fence"), 14347);
    assert_int_equal(slot_of("slot_lock:{c1}:active"), 14347);
    assert_int_equal(slot_of("slot_lock:c1:s31:t202511241400"), 2243);
    /* The length bounds the key: a '}' beyond it does not close the tag. */
    assert_int_equal(sl_cluster_slot("{c1}", 3), slot_of("{c1"));
}

static void test_err_is(void **state)
{
    sl_error err;

    (void)state;
    sl_error_set(&err, SL_ERR_REPLY, "Redis error: %s", "MOVED 3999 127.0.0.1:6381");
    assert_true(err_is(&err, "MOVED "));
    assert_false(err_is(&err, "ASK "));
    sl_error_set(&err, SL_ERR_REPLY, "Redis error: %s", "READONLY You can't write against a read only replica.");
    assert_true(err_is(&err, "READONLY"));
    /* Only Redis error replies: not the same text in another kind of error. */
    sl_error_set(&err, SL_ERR_IO, "Redis error: READONLY");
    assert_false(err_is(&err, "READONLY"));
    sl_error_set(&err, SL_ERR_REPLY, "READONLY");
    assert_false(err_is(&err, "READONLY"));
}

/* What parse_redirect must refuse (see test_regressions for what it must accept). */
static void test_parse_redirect_rejects(void **state)
{
    static const char *const bad[] = {
        "MOVED", "MOVED 3999", "MOVED 3999 127.0.0.1", "MOVED 3999 127.0.0.1:0", "MOVED 3999 127.0.0.1:65536",
        "MOVED 3999 127.0.0.1:x", "OOM command not allowed when used memory > 'maxmemory'.", "",
    };
    const char *host = NULL;
    size_t host_len = 0, i;
    int port = 0;
    sl_error err;

    (void)state;
    for (i = 0; i < ARRAY_LEN(bad); i++) {
        sl_error_set(&err, SL_ERR_REPLY, "Redis error: %s", bad[i]);
        if (parse_redirect(&err, &host, &host_len, &port)) {
            fail_msg("accepted \"%s\": host \"%.*s\" port %d", bad[i], (int)host_len, host, port);
        }
    }
}

static void endpoint(sl_endpoint *ep, const char *host, int port, int db)
{
    sl_error err;

    sl_endpoint_init(ep);
    assert_int_equal(sl_endpoint_set(&ep->host, host, strlen(host), "host", &err), SL_OK);
    ep->port = port;
    ep->database = db;
}

static void test_init_single_and_quorum(void **state)
{
    sl_endpoint base, nodes[3];
    sl_topology t;
    sl_error err;
    size_t i;

    (void)state;
    endpoint(&base, "base.example", 6000, 2);
    assert_int_equal(sl_endpoint_set(&base.password, LIT("pw"), "password", &err), SL_OK);
    assert_int_equal(sl_topology_init(&t, SL_MODE_SINGLE, &base, NULL, 0, NULL, NULL, NULL, &err), SL_OK);
    assert_int_equal(t.mode, SL_MODE_SINGLE);
    assert_int_equal(t.n_nodes, 1);
    assert_string_equal(t.nodes[0]->ep.host, "base.example");
    assert_string_equal(t.nodes[0]->ep.password, "pw");
    assert_ptr_not_equal(t.nodes[0]->ep.password, base.password);
    assert_null(t.nodes[0]->conn); /* connects lazily */
    assert_int_equal(sl_topology_majority(&t), 1);
    sl_topology_free(&t);
    assert_int_equal(t.n_nodes, 0);
    assert_null(t.nodes[0]);

    for (i = 0; i < 3; i++) {
        endpoint(&nodes[i], "q.example", 7000 + (int)i, (int)i);
    }
    assert_int_equal(sl_topology_init(&t, SL_MODE_QUORUM, &base, nodes, 3, NULL, NULL, NULL, &err), SL_OK);
    assert_int_equal(t.n_nodes, 3);
    assert_int_equal(sl_topology_majority(&t), 2);
    assert_int_equal(t.nodes[2]->ep.port, 7002);
    assert_int_equal(t.nodes[2]->ep.database, 2);
    assert_true(t.drift_factor > 0.0 && t.drift_factor < 0.1);
    sl_topology_free(&t);

    t.n_nodes = 4;
    assert_int_equal(sl_topology_majority(&t), 3);
    t.n_nodes = 5;
    assert_int_equal(sl_topology_majority(&t), 3);

    for (i = 0; i < 3; i++) {
        sl_endpoint_free(&nodes[i]);
    }
    sl_endpoint_free(&base);
}

static void test_init_cluster_and_sentinel(void **state)
{
    sl_endpoint base, seeds[2];
    sl_topology t;
    sl_error err;

    (void)state;
    endpoint(&base, "unused", 6379, 5);
    base.timeout = 0.75;
    assert_int_equal(sl_endpoint_set(&base.username, LIT("app"), "username", &err), SL_OK);
    assert_int_equal(sl_endpoint_set(&base.password, LIT("pw"), "password", &err), SL_OK);
    endpoint(&seeds[0], "seed-a", 7000, 3);
    endpoint(&seeds[1], "seed-b", 7001, 0);

    /* Cluster: seeds with the data credentials, database 0, the base timeout. */
    assert_int_equal(sl_topology_init(&t, SL_MODE_CLUSTER, &base, seeds, 2, NULL, NULL, NULL, &err), SL_OK);
    assert_int_equal(t.n_nodes, 0);
    assert_int_equal(t.n_sentinels, 2);
    assert_non_null(t.slots);
    assert_false(t.slots_loaded);
    assert_string_equal(t.sentinels[0]->ep.host, "seed-a");
    assert_string_equal(t.sentinels[0]->ep.username, "app");
    assert_string_equal(t.sentinels[0]->ep.password, "pw");
    assert_int_equal(t.sentinels[0]->ep.database, 0);
    assert_true(t.sentinels[1]->ep.timeout == 0.75);
    sl_topology_free(&t);
    assert_null(t.slots);

    /* Sentinel: sentinels without the data credentials; a master name is required. */
    seeds[0].username = NULL;
    seeds[0].password = NULL;
    assert_int_equal(sl_topology_init(&t, SL_MODE_SENTINEL, &base, seeds, 2, "mymaster", NULL, NULL, &err), SL_OK);
    assert_string_equal(t.master_name, "mymaster");
    assert_int_equal(t.n_sentinels, 2);
    assert_null(t.sentinels[0]->ep.password);
    assert_int_equal(t.n_nodes, 0);
    sl_topology_free(&t);

    sl_error_clear(&err);
    assert_int_equal(sl_topology_init(&t, SL_MODE_SENTINEL, &base, seeds, 2, NULL, NULL, NULL, &err), SL_ERR_ARG);
    assert_contains(err.msg, "master name");
    assert_int_equal(t.n_sentinels, 0); /* freed on failure */
    assert_int_equal(sl_topology_init(&t, SL_MODE_SENTINEL, &base, seeds, 2, "", NULL, NULL, &err), SL_ERR_ARG);

    sl_endpoint_free(&seeds[0]);
    sl_endpoint_free(&seeds[1]);
    sl_endpoint_free(&base);
}

static void test_init_too_many_nodes(void **state)
{
    sl_endpoint base, *nodes;
    sl_topology t;
    sl_error err;
    size_t i;

    (void)state;
    nodes = calloc(SL_MAX_NODES + 1, sizeof(*nodes));
    assert_non_null(nodes);
    endpoint(&base, "h", 6379, 0);
    for (i = 0; i <= SL_MAX_NODES; i++) {
        endpoint(&nodes[i], "h", 7000 + (int)i, 0);
    }
    sl_error_clear(&err);
    assert_int_equal(sl_topology_init(&t, SL_MODE_QUORUM, &base, nodes, SL_MAX_NODES + 1, NULL, NULL, NULL, &err),
                     SL_ERR_ARG);
    assert_contains(err.msg, "at most 64 nodes");
    assert_int_equal(sl_topology_init(&t, SL_MODE_QUORUM, &base, nodes, SL_MAX_NODES, NULL, NULL, NULL, &err), SL_OK);
    assert_int_equal(t.n_nodes, SL_MAX_NODES);
    sl_topology_free(&t);
    for (i = 0; i <= SL_MAX_NODES; i++) {
        sl_endpoint_free(&nodes[i]);
    }
    free(nodes);
    sl_endpoint_free(&base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cluster_slot),
        cmocka_unit_test(test_err_is),
        cmocka_unit_test(test_parse_redirect_rejects),
        cmocka_unit_test(test_init_single_and_quorum),
        cmocka_unit_test(test_init_cluster_and_sentinel),
        cmocka_unit_test(test_init_too_many_nodes),
    };

    return cmocka_run_group_tests_name("topology", tests, NULL, NULL);
}
