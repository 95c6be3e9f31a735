/* Helpers of the tests that talk to a real Redis. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

#include "redis_util.h"

const char *t_host;
int t_port;
redisContext *t_admin;

int redis_env_load(void)
{
    const char *host = getenv("SLOTLOCK_TEST_HOST"), *port = getenv("SLOTLOCK_TEST_PORT");
    struct timeval tv = {5, 0};
    char *end;
    long p;

    if (!host || !*host || !port || !*port) {
        fprintf(stderr, "\n*** SLOTLOCK_TEST_HOST and SLOTLOCK_TEST_PORT are not set: these tests need a Redis.\n"
                        "*** Run them through ./dev test (or ./dev unit), or start one and export both, e.g.\n"
                        "***   redis-server --port 6390 --save '' --daemonize yes\n"
                        "***   SLOTLOCK_TEST_HOST=127.0.0.1 SLOTLOCK_TEST_PORT=6390 make -C tests/unit test\n\n");
        return -1;
    }
    p = strtol(port, &end, 10);
    if (*end || p < 1 || p > 65535) {
        fprintf(stderr, "\n*** SLOTLOCK_TEST_PORT=%s is not a port\n\n", port);
        return -1;
    }
    t_host = host;
    t_port = (int)p;
    t_admin = redisConnectWithTimeout(t_host, t_port, tv);
    if (!t_admin || t_admin->err) {
        fprintf(stderr, "\n*** cannot connect to Redis at %s:%d (SLOTLOCK_TEST_HOST/PORT): %s\n\n", t_host, t_port,
                t_admin ? t_admin->errstr : "out of memory");
        redis_env_unload();
        return -1;
    }
    redisSetTimeout(t_admin, tv);
    return 0;
}

void redis_env_unload(void)
{
    if (t_admin) {
        redisFree(t_admin);
        t_admin = NULL;
    }
}

static redisReply *admin_v(const char *fmt, va_list ap)
{
    redisReply *r = redisvCommand(t_admin, fmt, ap);

    if (!r) {
        fail_msg("admin command \"%s\" failed: %s", fmt, t_admin->errstr);
    }
    return r;
}

redisReply *admin(const char *fmt, ...)
{
    redisReply *r;
    va_list ap;

    va_start(ap, fmt);
    r = admin_v(fmt, ap);
    va_end(ap);
    return r;
}

void admin_ok(const char *fmt, ...)
{
    redisReply *r;
    va_list ap;

    va_start(ap, fmt);
    r = admin_v(fmt, ap);
    va_end(ap);
    if (r->type == REDIS_REPLY_ERROR) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", r->str);
        freeReplyObject(r);
        fail_msg("admin command \"%s\": %s", fmt, msg);
    }
    freeReplyObject(r);
}

long long admin_int(const char *fmt, ...)
{
    redisReply *r;
    long long v;
    va_list ap;

    va_start(ap, fmt);
    r = admin_v(fmt, ap);
    va_end(ap);
    if (r->type != REDIS_REPLY_INTEGER) {
        int type = r->type;
        freeReplyObject(r);
        fail_msg("admin command \"%s\": reply type %d, not an integer", fmt, type);
    }
    v = r->integer;
    freeReplyObject(r);
    return v;
}

void test_endpoint(sl_endpoint *ep, double timeout)
{
    sl_error err;

    sl_endpoint_init(ep);
    assert_int_equal(sl_endpoint_set(&ep->host, t_host, strlen(t_host), "host", &err), SL_OK);
    ep->port = t_port;
    ep->timeout = timeout;
}

sl_status node_cmd(sl_node *node, redisReply **reply, sl_error *err, int argc, ...)
{
    const char *argv[16];
    size_t lens[16];
    va_list ap;
    int i;

    assert_true(argc > 0 && argc <= 16);
    va_start(ap, argc);
    for (i = 0; i < argc; i++) {
        argv[i] = va_arg(ap, const char *);
        lens[i] = strlen(argv[i]);
    }
    va_end(ap);
    sl_error_clear(err);
    return sl_node_command(node, argc, argv, lens, reply, err);
}

long long node_client_id(sl_node *node)
{
    redisReply *r = NULL;
    sl_error err;
    long long id;

    if (node_cmd(node, &r, &err, 2, "CLIENT", "ID") != SL_OK) {
        if (r) {
            freeReplyObject(r);
        }
        fail_msg("CLIENT ID: %s", err.msg);
    }
    assert_int_equal(r->type, REDIS_REPLY_INTEGER);
    id = r->integer;
    freeReplyObject(r);
    return id;
}

static int loopback_socket(int *port)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

int free_port(void)
{
    int port, fd = loopback_socket(&port);

    close(fd);
    return port;
}

int silent_listener(int *port)
{
    int fd = loopback_socket(port);

    assert_int_equal(listen(fd, 8), 0);
    return fd;
}

redisContext *busy_start(int ms)
{
    static const char busy_lua[] = "local t = redis.call('TIME')\n"
                                   "local stop = t[1] * 1000000 + t[2] + tonumber(ARGV[1]) * 1000\n"
                                   "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] >= stop\n"
                                   "return 1\n";
    struct timeval tv = {5, 0};
    redisContext *c = redisConnectWithTimeout(t_host, t_port, tv);
    char arg[16];
    int done = 0;

    assert_non_null(c);
    assert_int_equal(c->err, 0);
    redisSetTimeout(c, tv);
    snprintf(arg, sizeof(arg), "%d", ms);
    assert_int_equal(redisAppendCommand(c, "EVAL %s 0 %s", busy_lua, arg), REDIS_OK);
    while (!done) {
        assert_int_equal(redisBufferWrite(c, &done), REDIS_OK);
    }
    /* Let the server start on it before the test goes on. */
    sleep_ms(100);
    return c;
}

void busy_wait(redisContext *c)
{
    void *r = NULL;

    assert_int_equal(redisGetReply(c, &r), REDIS_OK);
    assert_non_null(r);
    assert_int_equal(((redisReply *)r)->type, REDIS_REPLY_INTEGER);
    freeReplyObject(r);
    redisFree(c);
}

void sleep_ms(int ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0) {
    }
}

double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int redis_group_setup(void **state)
{
    (void)state;
    return redis_env_load();
}

int redis_group_teardown(void **state)
{
    (void)state;
    redis_env_unload();
    return 0;
}
