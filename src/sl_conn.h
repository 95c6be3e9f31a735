/*
 * Connections to one Redis node.
 *
 * A node is an endpoint plus at most one live hiredis context. Commands are
 * split into append and read so that a lock operation can write to several
 * nodes before it waits for any of them (the quorum layer's fan-out).
 *
 * A context is dropped, never reused, after any I/O error, timeout or
 * half-read reply, and when it was opened by another process (fork).
 * Persistent contexts live in an sl_pool, one per endpoint identity, shared by
 * all the nodes of the process on that endpoint (a PHP worker is
 * single-threaded: commands on a shared socket never interleave).
 */
#ifndef SL_CONN_H
#define SL_CONN_H

#include <sys/types.h>

#include <hiredis/hiredis.h>

#include "sl_common.h"
#include "sl_dsn.h"
#include "sl_stats.h"
#include "sl_tls.h"

typedef struct sl_conn {
    redisContext *ctx;
    sl_tls *tls;        /* TLS session over ctx's socket, or NULL: plain */
    pid_t pid;          /* the process that opened it */
    char *pool_key;     /* endpoint identity, for the pool */
    int pending;        /* replies appended but not yet read */
    uint64_t uses;      /* commands completed on it */
    int caps;           /* what the server was found to support (SL_CAP_*), 0: not asked yet */
    int refs;           /* nodes using it now */
    int in_pool;        /* listed in its pool (persistent) */
    int idle;           /* in the pool with no node using it (counted in sl_pool.count) */
    double timeout;     /* the timeout set on ctx, seconds */
    struct sl_conn *next;
} sl_conn;

/* The persistent connections of one process (one thread under ZTS): one per
 * endpoint identity (address, database, credentials), shared by every node
 * that uses it, as phpredis' pconnect shares a socket. Kept idle between uses. */
typedef struct {
    sl_conn *conns;     /* in use or idle */
    size_t count;       /* idle ones */
    size_t max_idle;
} sl_pool;

typedef struct {
    sl_endpoint ep;
    char *pool_key;
    sl_pool *pool;      /* NULL: not persistent */
    sl_conn *conn;
    sl_stats *stats;    /* may be NULL */
    int skip_pool;      /* the retry after a dead pooled connection opens a fresh one */
} sl_node;

void sl_pool_init(sl_pool *pool, size_t max_idle);
/* Closes every idle connection. */
void sl_pool_clear(sl_pool *pool);

/* Takes a copy of ep. pool NULL means a private connection closed with the node. */
sl_status sl_node_init(sl_node *node, const sl_endpoint *ep, sl_pool *pool, sl_stats *stats, sl_error *err);
/* Gives a clean connection back to the pool (or closes it) and frees the node. */
void sl_node_free(sl_node *node);
/* Closes the connection for good, pooled or not. */
void sl_node_close(sl_node *node);

/* Opens the connection if there is none (or it belongs to another process). */
sl_status sl_node_connect(sl_node *node, sl_error *err);

/* RESP encoding of a command: an upper bound of its size, and the encoder
 * (returns the bytes written). */
size_t sl_resp_size(int argc, const size_t *lens);
size_t sl_resp_format(char *out, int argc, const char **argv, const size_t *lens);

/* A whole reply of one of the hot path's shapes (nil, integer, status, bulk string) and
 * nothing else in buf[0, n): 1 with *out (freeReplyObject frees it), else 0. The first read
 * of a reply uses it before hiredis' reader (exposed for tests). */
int sl_parse_simple(const char *buf, size_t n, redisReply **out);

/* Queues one command (binary-safe argv); connects first if needed. */
sl_status sl_node_append(sl_node *node, int argc, const char **argv, const size_t *lens, sl_error *err);
/* Reads the next queued reply. An error reply is SL_ERR_REPLY with *reply set
 * (the connection stays usable); the caller frees *reply on SL_OK and SL_ERR_REPLY. */
sl_status sl_node_read(sl_node *node, redisReply **reply, sl_error *err);

/* One command, one reply, with a single transparent retry on a fresh
 * connection when a reused connection turned out to be dead. Only for
 * commands that are safe to repeat. */
sl_status sl_node_command(sl_node *node, int argc, const char **argv, const size_t *lens, redisReply **reply,
                          sl_error *err);

/*
 * Sends one command to every node, then waits for all the replies at once
 * (poll), so the whole fan-out takes about the slowest node's time, bounded
 * by timeout seconds. replies[i] and errs[i] are set per node as
 * sl_node_read() would (an error reply: SL_ERR_REPLY/SL_ERR_AUTH with the
 * reply kept). Nodes that time out or fail lose their connection.
 */
void sl_nodes_command(sl_node **nodes, size_t n, int argc, const char **argv, const size_t *lens,
                      redisReply **replies, sl_error *errs, double timeout);

#endif
