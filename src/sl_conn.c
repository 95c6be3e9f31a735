/* Connections, the persistent pool, and command I/O. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "sl_conn.h"


/* getpid() is a system call on current glibc, and connections check it on
 * every command: cache it, and refresh the cache in the child of a fork. */
static pid_t cached_pid;
static pthread_once_t pid_once = PTHREAD_ONCE_INIT;

static void pid_refresh(void)
{
    cached_pid = getpid();
}

static void pid_init(void)
{
    pid_refresh();
    pthread_atfork(NULL, NULL, pid_refresh);
}

static pid_t current_pid(void)
{
    pthread_once(&pid_once, pid_init);
    return cached_pid;
}

/* ---- Transports ----------------------------------------------------------
 * One connection layer, two transports: plain TCP / unix (hiredis' socket
 * code reads, send() writes) and TLS (sl_tls reads and writes, hiredis' RESP
 * reader parses what it decrypted). Only these functions tell them apart. */

/* Closes the descriptor only: nothing is written (no TLS close_notify
 * either), so a child closing its inherited copy does not disturb the
 * parent. */
static void conn_shut(sl_conn *c)
{
    if (c->tls) {
        sl_tls_free(c->tls);
        c->tls = NULL;
    }
    if (c->ctx) {
        redisFree(c->ctx);
        c->ctx = NULL;
    }
}

/* Marks ctx failed with msg; errno says whether it was a timeout. */
static void ctx_fail(redisContext *ctx, int code, const char *msg, int timed_out)
{
    ctx->err = code;
    if (msg != ctx->errstr) {
        snprintf(ctx->errstr, sizeof(ctx->errstr), "%s", msg);
    }
    errno = timed_out ? ETIMEDOUT : 0;
}

int sl_parse_simple(const char *buf, size_t n, redisReply **out);

/* TLS: what arrives by deadline goes into the reply reader, or, when out is
 * given and the reader holds nothing, straight to *out if it is one whole
 * simple reply (the plain path's shortcut, read_simple()). 1 fed or decoded,
 * 0 nothing by the deadline (a past deadline only looks), -1 failed
 * (ctx->err set). */
static int tls_fill(sl_conn *c, int64_t deadline, void **out)
{
    char buf[16384];
    int eof;
    redisReader *rd = c->ctx->reader;
    ssize_t n = sl_tls_read(c->tls, buf, sizeof(buf), deadline, &eof, c->ctx->errstr, sizeof(c->ctx->errstr));

    if (n > 0) {
        if (out && rd->len == rd->pos && rd->ridx == -1 && sl_parse_simple(buf, (size_t)n, (redisReply **)out)) {
            return 1;
        }
        redisReaderFeed(rd, buf, (size_t)n); /* a bad reply shows when it is taken */
        return 1;
    }
    if (n < 0) {
        ctx_fail(c->ctx, eof ? REDIS_ERR_EOF : REDIS_ERR_IO, c->ctx->errstr, 0);
        return -1;
    }
    return 0;
}

/* Reads what the socket has now (poll said readable). 0 or -1 (ctx->err). */
static int conn_fill_now(sl_conn *c)
{
    if (c->tls) {
        return tls_fill(c, 0, NULL) < 0 ? -1 : 0;
    }
    return redisBufferRead(c->ctx) == REDIS_OK ? 0 : -1;
}

/* Bytes already decrypted and waiting: readable without the socket. */
static int conn_buffered(const sl_conn *c)
{
    return c->tls && sl_tls_pending(c->tls);
}

static void conn_free(sl_conn *c)
{
    if (!c) {
        return;
    }
    conn_shut(c);
    free(c->pool_key);
    free(c);
}

void sl_pool_init(sl_pool *pool, size_t max_idle)
{
    pool->conns = NULL;
    pool->count = 0;
    pool->max_idle = max_idle;
}

static void pool_unlink(sl_pool *pool, sl_conn *c)
{
    sl_conn **pp;

    for (pp = &pool->conns; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    if (c->idle) {
        pool->count--;
        c->idle = 0;
    }
    c->next = NULL;
    c->in_pool = 0;
}

/* Closes c's socket for every node sharing it; the struct goes when the last
 * of them lets go (they find ctx NULL and drop it). */
static void conn_close(sl_pool *pool, sl_conn *c)
{
    if (c->in_pool) {
        pool_unlink(pool, c);
    }
    conn_shut(c);
    if (c->refs <= 0) {
        conn_free(c);
    }
}

void sl_pool_clear(sl_pool *pool)
{
    while (pool->conns) {
        conn_close(pool, pool->conns);
    }
    pool->count = 0;
}

/* The live connection of this process to key, shared with whoever uses it. */
static sl_conn *pool_take(sl_pool *pool, const char *key)
{
    sl_conn *c = pool->conns, *next;
    pid_t pid = current_pid();

    for (; c; c = next) {
        next = c->next;
        if (c->pid != pid) {
            /* Inherited across fork: unusable here, never read from it. */
            conn_close(pool, c);
            continue;
        }
        if (c->ctx && c->ctx->err == 0 && strcmp(c->pool_key, key) == 0) {
            if (c->idle) {
                pool->count--;
                c->idle = 0;
            }
            c->refs++;
            return c;
        }
    }
    return NULL;
}

/* The node lets go of its connection. A clean pooled one stays (idle when
 * nobody else uses it, at most max_idle of those); any other is closed. */
static void conn_release(sl_node *node, int keep)
{
    sl_conn *c = node->conn, **pp;
    sl_pool *pool = node->pool;
    size_t n = 0;

    if (!c) {
        return;
    }
    node->conn = NULL;
    c->refs--;
    if (!keep || !pool || !c->in_pool || c->pending != 0 || !c->ctx || c->ctx->err != 0 || c->pid != current_pid()) {
        if (pool && c->in_pool) {
            conn_close(pool, c);
        } else {
            conn_shut(c);
            if (c->refs <= 0) {
                conn_free(c);
            }
        }
        return;
    }
    if (c->refs > 0) {
        return;
    }
    /* most recently returned first: trimming closes the least recently used */
    pool_unlink(pool, c);
    c->in_pool = 1;
    c->next = pool->conns;
    pool->conns = c;
    c->idle = 1;
    pool->count++;
    if (pool->count <= pool->max_idle) {
        return;
    }
    /* Too many idle: close the idle ones beyond the newest max_idle. */
    for (pp = &pool->conns; *pp;) {
        sl_conn *o = *pp;
        if (o->idle && ++n > pool->max_idle) {
            conn_close(pool, o);
            continue;
        }
        pp = &o->next;
    }
}

sl_status sl_node_init(sl_node *node, const sl_endpoint *ep, sl_pool *pool, sl_stats *stats, sl_error *err)
{
    memset(node, 0, sizeof(*node));
    if (sl_endpoint_copy(&node->ep, ep) != SL_OK) {
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    node->pool_key = sl_endpoint_pool_key(ep);
    if (!node->pool_key) {
        sl_endpoint_free(&node->ep);
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    node->pool = pool;
    node->stats = stats;
    return SL_OK;
}

/* Drops the connection: after an error it is never reused, by this node or
 * any other sharing it. */
static void node_drop(sl_node *node)
{
    conn_release(node, 0);
}

void sl_node_close(sl_node *node)
{
    node_drop(node);
}

void sl_node_free(sl_node *node)
{
    conn_release(node, 1);
    free(node->pool_key);
    sl_endpoint_free(&node->ep);
    memset(node, 0, sizeof(*node));
}

static struct timeval to_timeval(double seconds)
{
    struct timeval tv;

    tv.tv_sec = (time_t)seconds;
    tv.tv_usec = (suseconds_t)((seconds - (double)tv.tv_sec) * 1e6);
    if (tv.tv_sec == 0 && tv.tv_usec == 0) {
        tv.tv_usec = 1000;
    }
    return tv;
}

static int errstr_is_timeout(const redisContext *ctx, int saved_errno)
{
    if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK || saved_errno == ETIMEDOUT ||
        saved_errno == EINPROGRESS) {
        return 1;
    }
    return strstr(ctx->errstr, "timed out") != NULL || strstr(ctx->errstr, "temporarily unavailable") != NULL;
}

/* A TLS-only port drops a plain client at its first command. */
static const char *plain_hint(const sl_node *node)
{
    return !node->ep.tls && !node->ep.socket && node->conn->uses == 0
               ? " (a TLS port? use rediss:// or the \"tls\" option)"
               : "";
}

/* Turns a failed context into an sl_error and drops the connection. */
static sl_status node_io_error(sl_node *node, int saved_errno, sl_error *err)
{
    char where[SL_ERRMSG_MAX / 2];
    redisContext *ctx = node->conn->ctx;
    sl_status code;

    sl_endpoint_describe(&node->ep, where, sizeof(where));
    if (ctx->err == REDIS_ERR_IO && errstr_is_timeout(ctx, saved_errno)) {
        code = SL_ERR_TIMEOUT;
        sl_error_set(err, code, "Redis at %s did not answer within %.3f s", where, node->ep.timeout);
    } else if (ctx->err == REDIS_ERR_EOF) {
        code = SL_ERR_IO;
        /* a TLS-only port closes on the first plain command */
        sl_error_set(err, code, "Redis at %s closed the connection%s", where, plain_hint(node));
    } else if (ctx->err == REDIS_ERR_PROTOCOL) {
        code = SL_ERR_PROTOCOL;
        sl_error_set(err, code, "protocol error talking to Redis at %s: %s", where, ctx->errstr);
    } else if (ctx->err == REDIS_ERR_OOM) {
        code = SL_ERR_NOMEM;
        sl_error_set(err, code, "out of memory reading from Redis at %s", where);
    } else {
        code = SL_ERR_IO;
        sl_error_set(err, code, "connection to Redis at %s failed: %s%s", where, ctx->errstr,
                     strstr(ctx->errstr, "reset") ? plain_hint(node) : "");
    }
    node_drop(node);
    return code;
}

/* Pipelines AUTH and SELECT on a fresh context. */
static sl_status node_handshake(sl_node *node, sl_error *err)
{
    const sl_endpoint *ep = &node->ep;
    const char *argv[3];
    size_t lens[3];
    char db[16];
    int n = 0, i, expect = 0;
    redisReply *r;
    sl_status rc;

    if (ep->password) {
        argv[0] = "AUTH";
        lens[0] = 4;
        if (ep->username) {
            argv[1] = ep->username;
            lens[1] = strlen(ep->username);
            argv[2] = ep->password;
            lens[2] = strlen(ep->password);
            n = 3;
        } else {
            argv[1] = ep->password;
            lens[1] = strlen(ep->password);
            n = 2;
        }
        if (sl_node_append(node, n, argv, lens, err) != SL_OK) {
            return err->code;
        }
        expect++;
    }
    if (ep->database != 0) {
        snprintf(db, sizeof(db), "%d", ep->database);
        argv[0] = "SELECT";
        lens[0] = 6;
        argv[1] = db;
        lens[1] = strlen(db);
        if (sl_node_append(node, 2, argv, lens, err) != SL_OK) {
            return err->code;
        }
        expect++;
    }
    rc = SL_OK;
    for (i = 0; i < expect; i++) {
        sl_status one = sl_node_read(node, &r, err);
        if (one == SL_ERR_REPLY) {
            char where[SL_ERRMSG_MAX / 2];
            sl_endpoint_describe(ep, where, sizeof(where));
            /* Redis' own messages (WRONGPASS, NOAUTH, ERR DB index...) never echo the password. */
            sl_error_set(err, SL_ERR_AUTH, "Redis at %s refused the %s: %.120s", where,
                         (ep->password && i == 0) ? "credentials" : "database", r->str);
            freeReplyObject(r);
            rc = SL_ERR_AUTH;
            continue;
        }
        if (one != SL_OK) {
            return one;
        }
        freeReplyObject(r);
    }
    if (rc != SL_OK) {
        node_drop(node);
    }
    return rc;
}

sl_status sl_node_connect(sl_node *node, sl_error *err)
{
    const sl_endpoint *ep = &node->ep;
    struct timeval tv;
    redisContext *ctx;
    sl_conn *c;
    char where[SL_ERRMSG_MAX / 2];
    int saved_errno;
    int64_t deadline;
    sl_tls *tls = NULL;

    if (node->conn) {
        c = node->conn;
        if (c->pid == current_pid() && c->ctx && c->ctx->err == 0) {
            /* shared with a node of another timeout: use ours */
            if (c->timeout == ep->timeout || redisSetTimeout(c->ctx, to_timeval(ep->timeout)) == REDIS_OK) {
                c->timeout = ep->timeout;
                return SL_OK;
            }
        }
        node_drop(node);
    }
    tv = to_timeval(ep->timeout);
    if (node->pool && !node->skip_pool) {
        node->conn = pool_take(node->pool, node->pool_key);
        if (node->conn) {
            /* a shared connection carries the timeout of whoever used it last */
            if (node->conn->timeout == ep->timeout || redisSetTimeout(node->conn->ctx, tv) == REDIS_OK) {
                node->conn->timeout = ep->timeout;
                SL_STAT_INC(node->stats, pool_hits, 1);
                return SL_OK;
            }
            node_drop(node);
        }
    }

    deadline = sl_now_ms() + (int64_t)(ep->timeout * 1000.0);
    errno = 0;
    ctx = ep->socket ? redisConnectUnixWithTimeout(ep->socket, tv) : redisConnectWithTimeout(ep->host, ep->port, tv);
    saved_errno = errno;
    if (!ctx) {
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    if (ctx->err) {
        sl_status code = errstr_is_timeout(ctx, saved_errno) && saved_errno != EINPROGRESS ? SL_ERR_TIMEOUT
                                                                                           : SL_ERR_CONNECT;
        sl_endpoint_describe(ep, where, sizeof(where));
        if (code == SL_ERR_TIMEOUT) {
            sl_error_set(err, code, "connecting to Redis at %s timed out after %.3f s", where, ep->timeout);
        } else {
            sl_error_set(err, code, "cannot connect to Redis at %s: %s", where, ctx->errstr);
        }
        redisFree(ctx);
        return code;
    }
    if (redisSetTimeout(ctx, tv) != REDIS_OK) {
        sl_endpoint_describe(ep, where, sizeof(where));
        sl_error_set(err, SL_ERR_CONNECT, "cannot set the timeout on the connection to %s", where);
        redisFree(ctx);
        return SL_ERR_CONNECT;
    }
    if (!ep->socket) {
        redisEnableKeepAlive(ctx);
    }
    /* TLS: the handshake ends by the connect's own deadline */
    if (ep->tls && sl_tls_open(&tls, ctx->fd, ep->tls, ep->host, deadline, err) != SL_OK) {
        char why[SL_ERRMSG_MAX];
        snprintf(why, sizeof(why), "%.140s", err->msg);
        sl_endpoint_describe(ep, where, sizeof(where));
        if (err->code == SL_ERR_TIMEOUT) {
            sl_error_set(err, SL_ERR_TIMEOUT, "connecting to Redis at %s timed out after %.3f s in the TLS handshake (no answer: a frozen server or a plain port?)",
                         where, ep->timeout);
        } else {
            sl_error_set(err, err->code, "cannot connect to Redis at %s: %s", where, why);
        }
        redisFree(ctx);
        return err->code;
    }
    c = calloc(1, sizeof(*c));
    if (!c || !(c->pool_key = strdup(node->pool_key))) {
        free(c);
        sl_tls_free(tls);
        redisFree(ctx);
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    c->ctx = ctx;
    c->tls = tls;
    c->pid = current_pid();
    c->timeout = ep->timeout;
    c->refs = 1;
    if (node->pool) {
        /* persistent: every node of this process on the endpoint shares it */
        c->in_pool = 1;
        c->next = node->pool->conns;
        node->pool->conns = c;
    }
    node->conn = c;
    SL_STAT_INC(node->stats, connects, 1);
    return node_handshake(node, err);
}

/* Writes n in decimal at p; returns the end. */
static char *put_uint(char *p, size_t n)
{
    char tmp[24];
    int i = 0;

    do {
        tmp[i++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    while (i) {
        *p++ = tmp[--i];
    }
    return p;
}

size_t sl_resp_size(int argc, const size_t *lens)
{
    size_t total = 16;
    int i;

    for (i = 0; i < argc; i++) {
        total += lens[i] + 26;
    }
    return total;
}

/* The lengths of a lock command's arguments are mostly one or two digits. */
static inline char *put_len(char *p, size_t n)
{
    if (n < 10) {
        *p++ = (char)('0' + n);
        return p;
    }
    if (n < 100) {
        *p++ = (char)('0' + n / 10);
        *p++ = (char)('0' + n % 10);
        return p;
    }
    return put_uint(p, n);
}

size_t sl_resp_format(char *out, int argc, const char **argv, const size_t *lens)
{
    char *p = out;
    int i;

    *p++ = '*';
    p = put_len(p, (size_t)argc);
    *p++ = '\r';
    *p++ = '\n';
    for (i = 0; i < argc; i++) {
        *p++ = '$';
        p = put_len(p, lens[i]);
        *p++ = '\r';
        *p++ = '\n';
        memcpy(p, argv[i], lens[i]);
        p += lens[i];
        *p++ = '\r';
        *p++ = '\n';
    }
    return (size_t)(p - out);
}

/* Writes the whole buffer to the socket (bounded by SO_SNDTIMEO), never
 * raising SIGPIPE. */
static int send_all(redisContext *ctx, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(ctx->fd, buf, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            ctx->err = REDIS_ERR_IO;
            snprintf(ctx->errstr, sizeof(ctx->errstr), "%s", strerror(errno));
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes a whole command: plain within SO_SNDTIMEO, TLS within the node's
 * timeout. -1 with ctx->err set. */
static int conn_send(sl_node *node, const char *buf, size_t len)
{
    sl_conn *c = node->conn;

    if (c->tls) {
        if (sl_tls_write(c->tls, buf, len, sl_now_ms() + (int64_t)(node->ep.timeout * 1000.0), c->ctx->errstr,
                         sizeof(c->ctx->errstr)) != 0) {
            ctx_fail(c->ctx, REDIS_ERR_IO, c->ctx->errstr, errno == ETIMEDOUT);
            return -1;
        }
        return 0;
    }
    return send_all(c->ctx, buf, len);
}

sl_status sl_node_append(sl_node *node, int argc, const char **argv, const size_t *lens, sl_error *err)
{
    char stack[2048], *buf = stack;
    size_t need = sl_resp_size(argc, lens), len;
    sl_status rc = sl_node_connect(node, err);
    int failed;

    if (rc != SL_OK) {
        return rc;
    }
    /* RESP straight into one buffer and onto the socket: hiredis' formatter
     * and output buffer cost more than the rest of an acquire. hiredis then
     * only reads (its output buffer stays empty). */
    if (need > sizeof(stack) && !(buf = malloc(need))) {
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    len = sl_resp_format(buf, argc, argv, lens);
    failed = conn_send(node, buf, len);
    if (buf != stack) {
        free(buf);
    }
    if (failed) {
        return node_io_error(node, errno, err);
    }
    node->conn->pending++;
    SL_STAT_INC(node->stats, commands, 1);
    return SL_OK;
}

/* TLS: one reply by one deadline; every wait is a poll() on what is left of
 * it, so signals cannot stretch it. -1 with ctx->err set. */
static int tls_read_reply(sl_node *node, void **out)
{
    sl_conn *c = node->conn;
    int64_t deadline = sl_now_ms() + (int64_t)(node->ep.timeout * 1000.0);

    *out = NULL;
    for (;;) {
        int got;

        if (redisGetReplyFromReader(c->ctx, out) != REDIS_OK) {
            return -1;
        }
        if (*out) {
            return 0;
        }
        got = tls_fill(c, deadline, out);
        if (*out) {
            return 0;
        }
        if (got < 0) {
            return -1;
        }
        if (got == 0) {
            ctx_fail(c->ctx, REDIS_ERR_IO, "timed out", 1);
            return -1;
        }
    }
}

/* Reads one reply within the node's timeout. The socket's SO_RCVTIMEO bounds
 * each read(), but every signal PHP handles (pcntl, timers) interrupts a
 * read, and the restarted read would get a fresh timeout: after an EINTR
 * the socket timeout is cut to what is left of one deadline (and restored
 * afterwards), so the common path stays one read() per reply.
 * -1 with ctx->err set on failure. */
/* A whole reply of one of the hot path's shapes, and nothing else, in buf[0, n): nil
 * ("$-1"), an integer, a status, or a bulk string. 1 with *out (the usual hiredis layout,
 * freed by freeReplyObject), 0 for any other shape or a partial reply. */
int sl_parse_simple(const char *buf, size_t n, redisReply **out)
{
    const char *end = buf + n, *p = buf + 1;
    long long v = 0;
    int neg = 0;
    redisReply *r;

    if (n < 3 || end[-2] != '\r' || end[-1] != '\n') {
        return 0;
    }
    if (buf[0] == '$' && n == 5 && buf[1] == '-' && buf[2] == '1') {
        if (!(r = calloc(1, sizeof(*r)))) {
            return 0;
        }
        r->type = REDIS_REPLY_NIL;
        *out = r;
        return 1;
    }
    if (buf[0] == '+') {
        if (memchr(p, '\r', (size_t)(end - 2 - p)) || memchr(p, '\n', (size_t)(end - 2 - p))) {
            return 0;
        }
        v = end - 2 - p;
    } else if (buf[0] == ':' || buf[0] == '$') {
        if (*p == '-' && buf[0] == ':') {
            neg = 1;
            p++;
        }
        if (p >= end - 2 || end - 2 - p > 18) {
            return 0;
        }
        if (*p < '0' || *p > '9' || (*p == '0' && (neg || p[1] != '\r'))) {
            return 0; /* at least one digit; no leading zero, no "-0" (as hiredis reads numbers) */
        }
        for (; p < end && *p != '\r'; p++) {
            if (*p < '0' || *p > '9') {
                return 0;
            }
            v = v * 10 + (*p - '0');
        }
        if (buf[0] == ':' && p != end - 2) {
            return 0; /* more than one reply */
        }
        if (buf[0] == '$') {
            if (end - p < 2 || p[1] != '\n') {
                return 0;
            }
            p += 2; /* the data after "$<len>\r\n" */
            if (p > end || (size_t)(end - p) != (size_t)v + 2) {
                return 0;
            }
        }
    } else {
        return 0;
    }
    if (!(r = calloc(1, sizeof(*r)))) {
        return 0;
    }
    if (buf[0] == ':') {
        r->type = REDIS_REPLY_INTEGER;
        r->integer = neg ? -v : v;
    } else {
        r->type = buf[0] == '+' ? REDIS_REPLY_STATUS : REDIS_REPLY_STRING;
        r->len = (size_t)v;
        if (!(r->str = malloc(r->len + 1))) {
            free(r);
            return 0;
        }
        memcpy(r->str, buf[0] == '+' ? buf + 1 : p, r->len);
        r->str[r->len] = '\0';
    }
    *out = r;
    return 1;
}

/* The first read of a reply when hiredis' reader holds nothing: one recv() into a stack
 * buffer, decoded here when it is a whole simple reply (the hot path: SET's nil or value,
 * DELIFEQ's or the release script's integer), else fed to the reader. 1: *out is the reply;
 * 0: go on with the reader (*intr: the recv() was interrupted); -1: ctx->err is set. */
static int read_simple(redisContext *ctx, void **out, int *intr)
{
    char buf[512];
    ssize_t n;

    *intr = 0;
    if (ctx->reader->len != ctx->reader->pos || ctx->reader->ridx != -1) {
        return 0;
    }
    n = recv(ctx->fd, buf, sizeof(buf), 0);
    if (n < 0) {
        if (errno == EINTR) {
            *intr = 1;
            return 0;
        }
        ctx->err = REDIS_ERR_IO;
        snprintf(ctx->errstr, sizeof(ctx->errstr), "%s", strerror(errno));
        return -1;
    }
    if (n == 0) {
        ctx->err = REDIS_ERR_EOF;
        snprintf(ctx->errstr, sizeof(ctx->errstr), "Server closed the connection");
        return -1;
    }
    if (sl_parse_simple(buf, (size_t)n, (redisReply **)out)) {
        return 1;
    }
    if (redisReaderFeed(ctx->reader, buf, (size_t)n) != REDIS_OK) {
        ctx->err = ctx->reader->err;
        snprintf(ctx->errstr, sizeof(ctx->errstr), "%s", ctx->reader->errstr);
        return -1;
    }
    return 0;
}

static int read_reply(sl_node *node, void **out)
{
    redisContext *ctx = node->conn->ctx;
    int64_t deadline = sl_now_ms() + (int64_t)(node->ep.timeout * 1000.0);
    int shortened = 0, rc = 0, first = 1, intr = 0;

    if (node->conn->tls) {
        return tls_read_reply(node, out);
    }
    *out = NULL;
    for (;;) {
        if (first) {
            int got = read_simple(ctx, out, &intr);
            first = 0;
            if (got != 0) {
                rc = got > 0 ? 0 : -1;
                break;
            }
        }
        if (!intr) {
            if (redisGetReplyFromReader(ctx, out) != REDIS_OK) {
                rc = -1;
                break;
            }
            if (*out) {
                break;
            }
            errno = 0;
            if (redisBufferRead(ctx) != REDIS_OK) {
                rc = -1;
                break;
            }
        }
        intr = 0;
        if (errno == EINTR || shortened) {
            int64_t left = deadline - sl_now_ms();
            struct timeval tv;

            if (left <= 0) {
                ctx->err = REDIS_ERR_IO;
                snprintf(ctx->errstr, sizeof(ctx->errstr), "timed out");
                errno = ETIMEDOUT;
                rc = -1;
                break;
            }
            tv.tv_sec = (time_t)(left / 1000);
            tv.tv_usec = (suseconds_t)((left % 1000) * 1000);
            redisSetTimeout(ctx, tv);
            shortened = 1;
        }
    }
    if (shortened && rc == 0) {
        redisSetTimeout(ctx, to_timeval(node->ep.timeout));
    }
    return rc;
}

/* Classifies a complete reply the way sl_node_read() does; error messages
 * keep Redis' text first ("Redis error: MOVED ...") and name the node last. */
static sl_status reply_status(const sl_node *node, redisReply *r, sl_error *err)
{
    if (r->type == REDIS_REPLY_ERROR) {
        const char *e = r->str;
        /* Refused credentials or permissions are the connection's fault, not the command's. */
        sl_status code = (strncmp(e, "NOAUTH", 6) == 0 || strncmp(e, "WRONGPASS", 9) == 0 ||
                          strncmp(e, "NOPERM", 6) == 0 || strstr(e, "NOPERM ") != NULL ||
                          strstr(e, "can't run this command") != NULL)
                             ? SL_ERR_AUTH
                             : SL_ERR_REPLY;
        char where[SL_ERRMSG_MAX / 2];
        sl_endpoint_describe(&node->ep, where, sizeof(where));
        sl_error_set(err, code, "Redis error: %.140s (from %s)", e, where);
        return SL_ERR_REPLY;
    }
    return SL_OK;
}

sl_status sl_node_read(sl_node *node, redisReply **reply, sl_error *err)
{
    void *r = NULL;

    *reply = NULL;
    if (!node->conn || node->conn->pending == 0) {
        sl_error_set(err, SL_ERR_PROTOCOL, "no reply is pending");
        return SL_ERR_PROTOCOL;
    }
    if (read_reply(node, &r) != 0) {
        return node_io_error(node, errno, err);
    }
    node->conn->pending--;
    node->conn->uses++;
    *reply = r;
    return reply_status(node, *reply, err);
}

sl_status sl_node_command(sl_node *node, int argc, const char **argv, const size_t *lens, redisReply **reply,
                          sl_error *err)
{
    int attempt;
    sl_status rc = SL_OK;

    *reply = NULL;
    for (attempt = 0; attempt < 2; attempt++) {
        int reused;

        rc = sl_node_connect(node, err);
        if (rc != SL_OK) {
            return rc;
        }
        reused = node->conn->uses > 0;
        rc = sl_node_append(node, argc, argv, lens, err);
        if (rc == SL_OK) {
            rc = sl_node_read(node, reply, err);
        }
        /* Retry once when a connection that had worked before was found
         * closed or reset (server restart, idle timeout, CLIENT KILL).
         * Never after a timeout: the server may be alive but slow, and the
         * caller's time budget is spent. */
        if (rc == SL_ERR_IO && reused && attempt == 0) {
            /* a fresh connection: the pool may hold more dead ones (restart) */
            SL_STAT_INC(node->stats, reconnects, 1);
            node->skip_pool = 1;
            continue;
        }
        break;
    }
    node->skip_pool = 0;
    return rc;
}

void sl_nodes_command(sl_node **nodes, size_t n, int argc, const char **argv, const size_t *lens,
                      redisReply **replies, sl_error *errs, double timeout)
{
    struct pollfd pfd[64];
    size_t idx[64], i, waiting = 0;
    int64_t deadline;

    for (i = 0; i < n; i++) {
        int done = 0;

        replies[i] = NULL;
        sl_error_clear(&errs[i]);
        if (sl_node_append(nodes[i], argc, argv, lens, &errs[i]) != SL_OK) {
            continue;
        }
        /* Flush now: every node gets the command before we wait for any. */
        while (!done) {
            if (redisBufferWrite(nodes[i]->conn->ctx, &done) != REDIS_OK) {
                node_io_error(nodes[i], errno, &errs[i]);
                break;
            }
        }
        if (done && waiting < 64) {
            idx[waiting++] = i;
        }
    }

    /* The wait starts once every command is out: a slow connect or
     * handshake of one node must not eat the others' time. */
    deadline = sl_now_ms() + (int64_t)(timeout * 1000.0);
    while (waiting > 0) {
        size_t k, still = 0;
        int64_t left = deadline - sl_now_ms();
        int rc, last = left <= 0;

        if (last) {
            left = 0; /* one last look at what has arrived */
        }
        for (k = 0; k < waiting; k++) {
            pfd[k].fd = nodes[idx[k]]->conn->ctx->fd;
            pfd[k].events = POLLIN;
            pfd[k].revents = 0;
            if (conn_buffered(nodes[idx[k]]->conn)) {
                left = 0; /* decrypted already: no need to wait */
            }
        }
        rc = poll(pfd, (nfds_t)waiting, (int)left);
        if (rc < 0 && errno != EINTR) {
            break;
        }
        for (k = 0; k < waiting; k++) {
            sl_node *node = nodes[idx[k]];
            void *r = NULL;

            if ((rc > 0 && pfd[k].revents) || conn_buffered(node->conn)) {
                if (conn_fill_now(node->conn) != 0) {
                    node_io_error(node, errno, &errs[idx[k]]);
                    continue;
                }
                if (redisGetReplyFromReader(node->conn->ctx, &r) != REDIS_OK) {
                    node_io_error(node, errno, &errs[idx[k]]);
                    continue;
                }
            }
            if (r) {
                node->conn->pending--;
                node->conn->uses++;
                replies[idx[k]] = r;
                reply_status(node, r, &errs[idx[k]]);
            } else {
                idx[still++] = idx[k];
            }
        }
        waiting = still;
        if (last) {
            break;
        }
    }
    /* Whoever has not answered by the deadline is dropped. */
    for (i = 0; i < waiting; i++) {
        sl_node *node = nodes[idx[i]];
        char where[SL_ERRMSG_MAX / 2];

        sl_endpoint_describe(&node->ep, where, sizeof(where));
        sl_error_set(&errs[idx[i]], SL_ERR_TIMEOUT, "Redis at %s did not answer within %.3f s", where, timeout);
        sl_node_close(node);
    }
}
