/*
 * Regression tests of bugs found in src/ (Cluster redirect parsing, the
 * quorum deadline, pooled connection timeouts, retries past dead pooled
 * connections, resource interval overflow, DSN masking). Each states the
 * behaviour src/ has had since the fix.
 *
 * Needs SLOTLOCK_TEST_HOST / SLOTLOCK_TEST_PORT like test_lock_redis.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

#include "redis_util.h"
#include "sl_conn.h"
#include "sl_dsn.h"
#include "sl_key.h"
#include "sl_lock.h"
/* White-box for bug 5: its static helpers (this binary does not link sl_topology.o). */
#include "sl_topology.c"

/*
 * 1. A pooled connection keeps the timeout of the node that opened it.
 *    sl_node_connect() returns a connection from pool_take() without
 *    redisSetTimeout(ctx, node->ep.timeout), and the pool key does not hold
 *    the timeout: a service built with timeout 0.2 s that gets the connection
 *    of an earlier 3 s service waits 3 s.
 *    Fix: in sl_node_connect, after a pool hit, re-apply the node's timeout:
 *        struct timeval tv = to_timeval(ep->timeout);
 *        if (redisSetTimeout(node->conn->ctx, tv) != REDIS_OK) { node_drop(node); ... connect anew }
 */
static void test_pooled_connection_uses_own_timeout(void **state)
{
    sl_endpoint slow_ep, fast_ep;
    sl_node slow, fast;
    sl_pool pool;
    sl_stats st;
    sl_error err;
    redisReply *r = NULL;
    redisContext *busy;
    double t0, elapsed;
    sl_status rc;

    (void)state;
    memset(&st, 0, sizeof(st));
    sl_pool_init(&pool, 4);
    test_endpoint(&slow_ep, 3.0);
    test_endpoint(&fast_ep, 0.2);
    assert_int_equal(sl_node_init(&slow, &slow_ep, &pool, &st, &err), SL_OK);
    node_client_id(&slow);
    sl_node_free(&slow);
    assert_int_equal(pool.count, 1);

    assert_int_equal(sl_node_init(&fast, &fast_ep, &pool, &st, &err), SL_OK);
    node_client_id(&fast);
    assert_int_equal(st.pool_hits, 1);
    busy = busy_start(1200);
    t0 = now_s();
    rc = node_cmd(&fast, &r, &err, 2, "ECHO", "x");
    elapsed = now_s() - t0;
    busy_wait(busy);
    if (r) {
        freeReplyObject(r);
    }
    sl_node_free(&fast);
    sl_pool_clear(&pool);
    sl_endpoint_free(&slow_ep);
    sl_endpoint_free(&fast_ep);
    if (rc != SL_ERR_TIMEOUT || elapsed > 0.8) {
        fail_msg("timeout 0.2 s on a pooled connection: status %d after %.3f s (expected SL_ERR_TIMEOUT after ~0.2 s)",
                 rc, elapsed);
    }
}

/*
 * 2. The transparent reconnect gives up when the pool holds a second dead
 *    connection: after a Redis restart (or CLIENT KILL of all clients), a
 *    process with two idle pooled connections to one endpoint gets SL_ERR_IO
 *    on its next command, because the retry in sl_node_command() takes the
 *    next pooled (equally dead) connection instead of a fresh one.
 *    Fix: on the retry, skip the pool (e.g. a flag for sl_node_connect, or drop
 *    every idle connection with node->pool_key when a pooled one is found dead).
 */
static void test_reconnect_skips_dead_pooled_connections(void **state)
{
    sl_endpoint ep;
    sl_node a, b, c;
    sl_pool pool;
    sl_stats st;
    sl_error err;
    redisReply *r = NULL;
    long long id_a, id_b;
    sl_status rc;

    (void)state;
    memset(&st, 0, sizeof(st));
    sl_pool_init(&pool, 4);
    test_endpoint(&ep, 2.0);
    assert_int_equal(sl_node_init(&a, &ep, &pool, &st, &err), SL_OK);
    assert_int_equal(sl_node_init(&b, &ep, &pool, &st, &err), SL_OK);
    id_a = node_client_id(&a);
    id_b = node_client_id(&b);
    assert_int_equal(id_a, id_b); /* since wire format 2: one endpoint, one shared connection */
    sl_node_free(&a);
    sl_node_free(&b);
    assert_int_equal(pool.count, 1);
    assert_int_equal(admin_int("CLIENT KILL ID %lld", id_a), 1);

    assert_int_equal(sl_node_init(&c, &ep, &pool, &st, &err), SL_OK);
    rc = node_cmd(&c, &r, &err, 1, "PING");
    if (r) {
        freeReplyObject(r);
    }
    sl_node_free(&c);
    sl_pool_clear(&pool);
    sl_endpoint_free(&ep);
    if (rc != SL_OK) {
        fail_msg("PING after the server dropped both pooled connections: status %d (%s), reconnects %llu",
                 rc, err.msg, (unsigned long long)st.reconnects);
    }
}

/*
 * 3. sl_resource_keys() overflows int64 on a far end: (to - b + bucket_s - 1)
 *    is signed overflow (UB) when to - from is near INT64_MAX, the bucket count
 *    check then passes, and the loop pushes one key per bucket until year 9999
 *    (about 4.2e9 keys for 60 s buckets: memory exhaustion). Reachable from PHP:
 *    lockResource(1, 1, '@0', new DateTimeImmutable('@9223372036854775800')).
 *    (The glue's "from - before * 60" and "from + end * 60" overflow the same way.)
 *    Fix: reject from/to outside the years 1000..9999 first
 *    (-30610224000 <= from < to <= 253402300800), then the arithmetic cannot overflow.
 *    Run in a child with an alarm and an address-space limit.
 */
static void test_resource_keys_far_end(void **state)
{
    static const int64_t cases[][2] = {
        {0, INT64_C(9223372036854775800)},
        {INT64_C(-9223372036854775800), INT64_C(60)},
        {INT64_C(-9223372036854775807), INT64_C(-9223372036854775807) + 60},
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(cases); i++) {
        int status = 0;
        pid_t pid;

        fflush(NULL);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            struct rlimit lim = {(rlim_t)1 << 30, (rlim_t)1 << 30};
            sl_keylist l;
            sl_error err;
            sl_status rc;

            setrlimit(RLIMIT_AS, &lim);
            alarm(5);
            sl_keylist_init(&l);
            rc = sl_resource_keys(&l, "p", "1", "1", cases[i][0], cases[i][1], 60, &err);
            _exit(rc == SL_ERR_ARG ? 0 : 1);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fail_msg("sl_resource_keys(from=%lld, to=%lld, 60): %s %d (expected a quick SL_ERR_ARG)",
                     (long long)cases[i][0], (long long)cases[i][1], WIFEXITED(status) ? "exit" : "signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        }
    }
}

/*
 * 4. sl_dsn_mask() finds the userinfo by other rules than sl_dsn_parse(), and
 *    shows a password when they disagree (phpinfo prints slotlock.dsn through it):
 *    a. a raw '?' in the password: the mask looks for the '@' only before the
 *       first '?', so "redis://:pa?ss@host" is shown unmasked; sl_dsn_parse()
 *       also echoes the text after the '?' as an "unknown DSN option" name,
 *       e.g. part of "pa?ssword=1";
 *    b. (found by fuzz_dsn) unix:// with '@' and ':' in the socket path: the
 *       parser's userinfo ends at the first '/', the mask's at the last '@', so
 *       "unix://secret@/run/a:b@c.sock" is masked as "unix://secret@/run/a:***@c.sock".
 *    Fix: in sl_dsn_mask, hide everything from "://" to the last '@' of the whole
 *    string (over-masking is harmless), keeping "user:" only when the first ':'
 *    comes before any '/' and '?'; in parse_query, do not echo option names.
 */
static void test_dsn_mask_agrees_with_parser(void **state)
{
    char out[128];
    sl_endpoint ep;
    sl_error err;

    (void)state;
    sl_dsn_mask("redis://:pa?ss@host", out, sizeof(out));
    assert_not_contains(out, "pa?ss");
    sl_dsn_mask("redis://user:my?secret@host:6379/0", out, sizeof(out));
    assert_not_contains(out, "secret");
    sl_dsn_mask("unix://secret@/run/a:b@c.sock", out, sizeof(out));
    assert_not_contains(out, "secret");
    /* What already works must keep working. */
    sl_dsn_mask("redis://user:secret@host:6379/0", out, sizeof(out));
    assert_string_equal(out, "redis://user:***@host:6379/0");
    sl_dsn_mask("unix://:secret@/tmp/s.sock", out, sizeof(out));
    assert_string_equal(out, "unix://:***@/tmp/s.sock");

    sl_endpoint_init(&ep);
    sl_error_clear(&err);
    assert_int_not_equal(sl_dsn_parse(LIT("redis://u:pa?ssword=1@h"), &ep, &err), SL_OK);
    sl_endpoint_free(&ep);
    assert_not_contains(err.msg, "ssword");
}

/*
 * 5. Cluster mode never follows a redirect: parse_redirect() (sl_topology.c)
 *    skips three space-separated words of "Redis error: MOVED 3999 127.0.0.1:6381"
 *    where it must skip four, so the host it returns is "3999 127.0.0.1" (the slot
 *    number and the address), node_find_or_add() adds a node that cannot resolve,
 *    and every MOVED or ASK ends in SL_ERR_CONNECT.
 *    Fix: one more  p = p ? strchr(p + 1, ' ') : NULL;  (after the slot), and
 *    reject a port with trailing characters (strtol with an end check, not atoi).
 */
static void test_parse_redirect(void **state)
{
    static const struct {
        const char *reply, *host;
        int port;
    } cases[] = {
        {"MOVED 3999 127.0.0.1:6381", "127.0.0.1", 6381},
        {"ASK 3999 10.0.0.5:7000", "10.0.0.5", 7000},
        {"MOVED 16383 redis-7.internal:30001", "redis-7.internal", 30001},
        {"MOVED 1 ::1:6381", "::1", 6381},
    };
    const char *host;
    size_t host_len, i;
    int port;
    sl_error err;

    (void)state;
    for (i = 0; i < ARRAY_LEN(cases); i++) {
        host = NULL;
        host_len = 0;
        port = 0;
        sl_error_set(&err, SL_ERR_REPLY, "Redis error: %s", cases[i].reply);
        if (!parse_redirect(&err, &host, &host_len, &port) || host_len != strlen(cases[i].host) ||
            memcmp(host, cases[i].host, host_len) != 0 || port != cases[i].port) {
            fail_msg("\"%s\": host \"%.*s\" port %d, expected \"%s\" %d", cases[i].reply, (int)host_len,
                     host ? host : "", port, cases[i].host, cases[i].port);
        }
    }
}

/*
 * 6. Quorum mode fails when one node of three hangs after accepting the
 *    connection (or needs a connect timeout), if the nodes use AUTH or a
 *    database other than 0. sl_nodes_command() (sl_conn.c) sets its deadline
 *    before the append loop; connecting to the hung node blocks in the handshake
 *    (AUTH/SELECT) for the whole timeout, so when the poll loop starts the
 *    deadline has passed: it breaks out at once and declares every node timed
 *    out, though the healthy majority's replies are already in their sockets.
 *    Fix: take the deadline after the append loop (the connect and handshake
 *    have their own timeout), and before declaring nodes timed out, poll once
 *    with timeout 0 and read the replies that are there. (Connecting to the
 *    nodes in parallel would also bound the total to one timeout.)
 */
static void test_quorum_survives_a_hung_node(void **state)
{
    sl_endpoint base, eps[3];
    sl_topology topo;
    sl_locker lk;
    sl_keylist l;
    sl_acquire_result res;
    sl_error err;
    sl_slot_time st = {2025, 11, 24, 9, 0};
    char prefix[64], key[SL_KEY_MAX];
    size_t one = 1;
    int fd, port, i;
    double t0, elapsed;
    sl_status rc;

    (void)state;
    fd = silent_listener(&port);
    test_endpoint(&base, 0.3);
    for (i = 0; i < 3; i++) {
        test_endpoint(&eps[i], 0.3);
        eps[i].database = 10 + i;
    }
    eps[2].port = port; /* accepts, never answers: its SELECT hangs */
    assert_int_equal(sl_topology_init(&topo, SL_MODE_QUORUM, &base, eps, 3, NULL, NULL, NULL, &err), SL_OK);
    snprintf(prefix, sizeof(prefix), "slbug.%ld", (long)getpid());
    sl_locker_init(&lk, &topo, prefix, 0, NULL);
    assert_true(sl_key_build(key, prefix, "1", "1", &st) > 0);
    sl_keylist_init(&l);
    assert_int_equal(sl_keylist_push(&l, key, strlen(key)), SL_OK);
    memset(&res, 0, sizeof(res));
    sl_error_clear(&err);
    t0 = now_s();
    rc = sl_lock_acquire(&lk, &l, &one, 1, LIT("alice"), 5000, &res, &err);
    elapsed = now_s() - t0;
    sl_keylist_free(&l);
    sl_topology_free(&topo);
    for (i = 0; i < 3; i++) {
        sl_endpoint_free(&eps[i]);
    }
    sl_endpoint_free(&base);
    close(fd);
    for (i = 0; i < 2; i++) {
        admin_ok("SELECT %d", 10 + i);
        admin_ok("DEL %s %s:fence %s:active", key, prefix, prefix);
    }
    admin_ok("SELECT 0");
    if (rc != SL_OK || res.candidate != 0) {
        fail_msg("quorum of 3 with one hung node: status %d, candidate %ld after %.3f s: %s", rc, res.candidate,
                 elapsed, err.msg);
    }
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pooled_connection_uses_own_timeout),
        cmocka_unit_test(test_reconnect_skips_dead_pooled_connections),
        cmocka_unit_test(test_resource_keys_far_end),
        cmocka_unit_test(test_dsn_mask_agrees_with_parser),
        cmocka_unit_test(test_parse_redirect),
        cmocka_unit_test(test_quorum_survives_a_hung_node),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests_name("regressions", tests, group_setup, group_teardown);
}
