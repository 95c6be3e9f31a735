/*
 * Where lock operations go: one node, a Redis Cluster (by hash slot), the
 * master a set of Sentinels names, or N independent masters (quorum).
 *
 * Lock operations (sl_lock.c) ask the topology to run a script for a key
 * (single, cluster, sentinel) or on every node at once (quorum) and combine
 * the answers themselves.
 */
#ifndef SL_TOPOLOGY_H
#define SL_TOPOLOGY_H

#include "sl_conn.h"
#include "sl_scripts.h"

#define SL_CLUSTER_SLOTS 16384
#define SL_MAX_NODES 64

typedef enum { SL_MODE_SINGLE = 0, SL_MODE_CLUSTER, SL_MODE_SENTINEL, SL_MODE_QUORUM } sl_mode;

typedef struct {
    sl_mode mode;
    sl_endpoint base;           /* credentials, database and timeout of every data node */
    sl_pool *pool;
    sl_stats *stats;
    sl_node *nodes[SL_MAX_NODES]; /* single: 1; quorum: N masters; cluster: known nodes; sentinel: the master */
    size_t n_nodes;
    sl_node *sentinels[SL_MAX_NODES]; /* sentinel mode: the sentinels, or cluster mode: the seeds */
    size_t n_sentinels;
    uint16_t *slots;            /* cluster: slot -> node index + 1, 0 unknown */
    int slots_loaded;
    char *master_name;          /* sentinel mode */
    int64_t discovered_at_ms;   /* sentinel mode: when the sentinels last named the master */
    int64_t sentinel_check_ms;  /* ask them again after this long (0: before every command) */
    int wait_replicas;          /* WAIT after writes (single, sentinel) */
    int wait_timeout_ms;
    double drift_factor;        /* quorum: clock drift allowance, fraction of the TTL */
} sl_topology;

/*
 * single:   nodes NULL, n 0; base is the node.
 * cluster:  nodes are seed nodes (host, port).
 * sentinel: nodes are the sentinels (host, port, no credentials); master_name required.
 * quorum:   nodes are the N masters, each a full endpoint.
 */
sl_status sl_topology_init(sl_topology *t, sl_mode mode, const sl_endpoint *base, const sl_endpoint *nodes,
                           size_t n, const char *master_name, sl_pool *pool, sl_stats *stats, sl_error *err);
/* Clean connections go back to the pool. */
void sl_topology_free(sl_topology *t);
/* Closes every connection. */
void sl_topology_close(sl_topology *t);

/* Majority of the quorum nodes. */
static inline size_t sl_topology_majority(const sl_topology *t)
{
    return t->n_nodes / 2 + 1;
}

/* Runs a script on the node that serves route_key (not for quorum). */
sl_status sl_topology_run(sl_topology *t, const char *route_key, size_t route_len, sl_script_id id, size_t nkeys,
                          const char *const *keys, const size_t *key_lens, size_t nargs, const char *const *args,
                          const size_t *arg_lens, redisReply **reply, sl_error *err);

/* Runs a script on every node at once; replies[i] (or errs[i]) per node. The
 * whole fan-out is bounded by one timeout. */
void sl_topology_run_all(sl_topology *t, sl_script_id id, size_t nkeys, const char *const *keys,
                         const size_t *key_lens, size_t nargs, const char *const *args, const size_t *arg_lens,
                         redisReply **replies, sl_error *errs);

/* WAIT for wait_replicas replicas after a write to route_key's node; *acked
 * gets their number (no-op, SL_OK, when wait_replicas is 0). */
sl_status sl_topology_wait(sl_topology *t, const char *route_key, size_t route_len, long long *acked,
                           sl_error *err);

/* The nodes that serve slots (cluster: every master; else all nodes). */
sl_status sl_topology_masters(sl_topology *t, sl_node **out, size_t *n, sl_error *err);

/* The Redis Cluster hash slot of a key (CRC16 of its {hash tag}). */
uint16_t sl_cluster_slot(const char *key, size_t len);

#endif
