/* Routing lock operations: single node, Cluster, Sentinel, quorum. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sl_scripts.h"
#include "sl_topology.h"

/* ---- Cluster hash slots (CRC16-CCITT/XMODEM, as Redis Cluster) ---------- */

static uint16_t crc16(const char *buf, size_t len)
{
    uint16_t crc = 0;
    size_t i;
    int b;

    for (i = 0; i < len; i++) {
        crc ^= (uint16_t)((unsigned char)buf[i] << 8);
        for (b = 0; b < 8; b++) {
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
        }
    }
    return crc;
}

uint16_t sl_cluster_slot(const char *key, size_t len)
{
    const char *open = memchr(key, '{', len), *close;

    if (open) {
        close = memchr(open + 1, '}', len - (size_t)(open + 1 - key));
        if (close && close > open + 1) {
            return crc16(open + 1, (size_t)(close - open - 1)) & (SL_CLUSTER_SLOTS - 1);
        }
    }
    return crc16(key, len) & (SL_CLUSTER_SLOTS - 1);
}

/* ---- Nodes ---------------------------------------------------------------- */

static sl_node *node_new(const sl_endpoint *ep, sl_pool *pool, sl_stats *stats, sl_error *err)
{
    sl_node *node = calloc(1, sizeof(*node));

    if (!node) {
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (sl_node_init(node, ep, pool, stats, err) != SL_OK) {
        free(node);
        return NULL;
    }
    return node;
}

static void node_delete(sl_node *node)
{
    if (node) {
        sl_node_free(node);
        free(node);
    }
}

/* The data node at host:port, added (with the base credentials) if new. */
static long node_find_or_add(sl_topology *t, const char *host, size_t host_len, int port, sl_error *err)
{
    sl_endpoint ep;
    sl_node *node;
    size_t i;

    for (i = 0; i < t->n_nodes; i++) {
        const sl_endpoint *e = &t->nodes[i]->ep;
        if (e->host && e->port == port && strlen(e->host) == host_len && memcmp(e->host, host, host_len) == 0) {
            return (long)i;
        }
    }
    if (t->n_nodes >= SL_MAX_NODES) {
        sl_error_set(err, SL_ERR_PROTOCOL, "more than %d nodes", SL_MAX_NODES);
        return -1;
    }
    if (sl_endpoint_copy(&ep, &t->base) != SL_OK) {
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return -1;
    }
    free(ep.socket);
    ep.socket = NULL;
    ep.port = port;
    if (sl_endpoint_set(&ep.host, host, host_len, "host", err) != SL_OK) {
        sl_endpoint_free(&ep);
        return -1;
    }
    node = node_new(&ep, t->pool, t->stats, err);
    sl_endpoint_free(&ep);
    if (!node) {
        return -1;
    }
    t->nodes[t->n_nodes] = node;
    return (long)t->n_nodes++;
}

sl_status sl_topology_init(sl_topology *t, sl_mode mode, const sl_endpoint *base, const sl_endpoint *nodes,
                           size_t n, const char *master_name, sl_pool *pool, sl_stats *stats, sl_error *err)
{
    size_t i;

    memset(t, 0, sizeof(*t));
    t->mode = mode;
    t->pool = pool;
    t->stats = stats;
    t->drift_factor = 0.01;
    t->sentinel_check_ms = 0;
    if (sl_endpoint_copy(&t->base, base) != SL_OK) {
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    if (n > SL_MAX_NODES) {
        sl_error_set(err, SL_ERR_ARG, "at most %d nodes", SL_MAX_NODES);
        goto fail;
    }
    switch (mode) {
        case SL_MODE_SINGLE:
            if (!(t->nodes[0] = node_new(base, pool, stats, err))) {
                goto fail;
            }
            t->n_nodes = 1;
            break;
        case SL_MODE_QUORUM:
            for (i = 0; i < n; i++) {
                if (!(t->nodes[i] = node_new(&nodes[i], pool, stats, err))) {
                    goto fail;
                }
                t->n_nodes++;
            }
            break;
        case SL_MODE_CLUSTER:
            t->slots = calloc(SL_CLUSTER_SLOTS, sizeof(*t->slots));
            if (!t->slots) {
                sl_error_set(err, SL_ERR_NOMEM, "out of memory");
                goto fail;
            }
            /* seeds are kept apart from the data nodes, like sentinels */
            /* fall through */
        case SL_MODE_SENTINEL:
            for (i = 0; i < n; i++) {
                sl_endpoint ep = nodes[i];
                if (mode == SL_MODE_CLUSTER) {
                    /* seeds are cluster nodes: same credentials */
                    ep.username = base->username;
                    ep.password = base->password;
                }
                ep.timeout = base->timeout;
                ep.database = 0;
                if (!(t->sentinels[i] = node_new(&ep, pool, stats, err))) {
                    goto fail;
                }
                t->n_sentinels++;
            }
            if (mode == SL_MODE_SENTINEL) {
                if (!master_name || !*master_name || !(t->master_name = strdup(master_name))) {
                    sl_error_set(err, SL_ERR_ARG, "sentinel mode needs a master name");
                    goto fail;
                }
            }
            break;
    }
    return SL_OK;

fail:
    sl_topology_free(t);
    return err ? err->code : SL_ERR_ARG;
}

void sl_topology_free(sl_topology *t)
{
    size_t i;

    for (i = 0; i < t->n_nodes; i++) {
        node_delete(t->nodes[i]);
    }
    for (i = 0; i < t->n_sentinels; i++) {
        node_delete(t->sentinels[i]);
    }
    free(t->slots);
    free(t->master_name);
    sl_endpoint_free(&t->base);
    memset(t, 0, sizeof(*t));
}

void sl_topology_close(sl_topology *t)
{
    size_t i;

    for (i = 0; i < t->n_nodes; i++) {
        sl_node_close(t->nodes[i]);
    }
    for (i = 0; i < t->n_sentinels; i++) {
        sl_node_close(t->sentinels[i]);
    }
}

/* ---- Script commands ------------------------------------------------------- */

typedef struct {
    const char **argv;
    size_t *lens;
    size_t argc;
    char numkeys[24];
} script_cmd;

static sl_status script_cmd_build(script_cmd *c, sl_script_id id, int eval, size_t nkeys, const char *const *keys,
                                  const size_t *key_lens, size_t nargs, const char *const *args,
                                  const size_t *arg_lens, sl_error *err)
{
    const sl_script *s;
    size_t i, head = 3;

    if (id == SL_CMD_DELETE_IF_EQUAL) {
        id = SL_SCRIPT_RELEASE1; /* the same KEYS and ARGV, on any server */
    }
    if (id == SL_CMD_SET) {
        head = 1;
    }
    s = id < SL_SCRIPT__N ? sl_script_get(id) : NULL;
    c->argc = head + nkeys + nargs;
    c->argv = malloc(c->argc * sizeof(*c->argv));
    c->lens = malloc(c->argc * sizeof(*c->lens));
    if (!c->argv || !c->lens) {
        free(c->argv);
        free(c->lens);
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    if (s) {
        snprintf(c->numkeys, sizeof(c->numkeys), "%zu", nkeys);
        c->argv[0] = eval ? "EVAL" : "EVALSHA";
        c->lens[0] = eval ? 4 : 7;
        c->argv[1] = eval ? s->body : s->sha;
        c->lens[1] = eval ? s->len : SL_SHA1_HEX_LEN;
        c->argv[2] = c->numkeys;
        c->lens[2] = strlen(c->numkeys);
    } else {
        c->argv[0] = "SET";
        c->lens[0] = 3;
    }
    for (i = 0; i < nkeys; i++) {
        c->argv[head + i] = keys[i];
        c->lens[head + i] = key_lens[i];
    }
    for (i = 0; i < nargs; i++) {
        c->argv[head + nkeys + i] = args[i];
        c->lens[head + nkeys + i] = arg_lens[i];
    }
    return SL_OK;
}

static void script_cmd_free(script_cmd *c)
{
    free(c->argv);
    free(c->lens);
}

static int err_is(const sl_error *err, const char *what)
{
    static const char lead[] = "Redis error: ";
    return err->code == SL_ERR_REPLY && strncmp(err->msg, lead, sizeof(lead) - 1) == 0 &&
           strncmp(err->msg + sizeof(lead) - 1, what, strlen(what)) == 0;
}

/* "Redis error: MOVED <slot> <host>:<port>" (or ASK) → host and port. */
static int parse_redirect(const sl_error *err, const char **host, size_t *host_len, int *port)
{
    const char *p = err->msg, *colon, *q;
    int skip;

    /* skip "Redis", "error:", "MOVED", "<slot>" */
    for (skip = 0; skip < 4; skip++) {
        p = strchr(p, ' ');
        if (!p) {
            return 0;
        }
        p++;
    }
    {
        /* the address ends at the next space (" (from tcp://...)" follows) */
        const char *end = strchr(p, ' ');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        colon = NULL;
        for (q = p; q < p + n; q++) {
            if (*q == ':') {
                colon = q;
            }
        }
    }
    if (!colon || colon == p) {
        return 0;
    }
    *host = p;
    *host_len = (size_t)(colon - p);
    *port = atoi(colon + 1);
    return *port > 0 && *port < 65536;
}

/* ---- Cluster ------------------------------------------------------------- */

static sl_status cluster_load_from(sl_topology *t, sl_node *from, sl_error *err)
{
    const char *argv[2] = {"CLUSTER", "SLOTS"};
    size_t lens[2] = {7, 5}, i;
    redisReply *r = NULL;
    sl_status rc;

    rc = sl_node_command(from, 2, argv, lens, &r, err);
    if (rc != SL_OK) {
        if (r) {
            freeReplyObject(r);
        }
        return rc;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
        freeReplyObject(r);
        sl_error_set(err, SL_ERR_PROTOCOL, "CLUSTER SLOTS answered no slots: is this a cluster?");
        return SL_ERR_PROTOCOL;
    }
    memset(t->slots, 0, SL_CLUSTER_SLOTS * sizeof(*t->slots));
    for (i = 0; i < r->elements; i++) {
        redisReply *range = r->element[i], *master;
        long long lo, hi, s;
        long idx;

        if (range->type != REDIS_REPLY_ARRAY || range->elements < 3 ||
            range->element[0]->type != REDIS_REPLY_INTEGER || range->element[1]->type != REDIS_REPLY_INTEGER) {
            continue;
        }
        master = range->element[2];
        if (master->type != REDIS_REPLY_ARRAY || master->elements < 2 ||
            master->element[0]->type != REDIS_REPLY_STRING || master->element[1]->type != REDIS_REPLY_INTEGER) {
            continue;
        }
        lo = range->element[0]->integer;
        hi = range->element[1]->integer;
        if (lo < 0 || hi >= SL_CLUSTER_SLOTS || lo > hi) {
            continue;
        }
        idx = node_find_or_add(t, master->element[0]->str, master->element[0]->len, (int)master->element[1]->integer,
                               err);
        if (idx < 0) {
            freeReplyObject(r);
            return err->code;
        }
        for (s = lo; s <= hi; s++) {
            t->slots[s] = (uint16_t)(idx + 1);
        }
    }
    freeReplyObject(r);
    t->slots_loaded = 1;
    return SL_OK;
}

/* Loads the slot map from any node that answers: known data nodes first, then the seeds. */
static sl_status cluster_load(sl_topology *t, sl_error *err)
{
    sl_status rc = SL_ERR_CONNECT;
    size_t i;

    for (i = 0; i < t->n_nodes; i++) {
        if ((rc = cluster_load_from(t, t->nodes[i], err)) == SL_OK) {
            return SL_OK;
        }
    }
    for (i = 0; i < t->n_sentinels; i++) {
        if ((rc = cluster_load_from(t, t->sentinels[i], err)) == SL_OK) {
            return SL_OK;
        }
    }
    if (t->n_nodes == 0 && t->n_sentinels == 0) {
        sl_error_set(err, SL_ERR_CONNECT, "no cluster nodes to ask");
    }
    return rc;
}

static sl_status run_on_node(sl_node *node, int asking, sl_script_id id, size_t nkeys, const char *const *keys,
                             const size_t *key_lens, size_t nargs, const char *const *args, const size_t *arg_lens,
                             redisReply **reply, sl_stats *stats, sl_error *err)
{
    script_cmd c;
    sl_status rc;

    if (!asking) {
        return sl_script_run(node, id, nkeys, keys, key_lens, nargs, args, arg_lens, reply, stats, err);
    }
    /* ASK: ASKING holds for the next command only, so send the whole script. */
    if (script_cmd_build(&c, id, 1, nkeys, keys, key_lens, nargs, args, arg_lens, err) != SL_OK) {
        return SL_ERR_NOMEM;
    }
    {
        const char *argv[1] = {"ASKING"};
        size_t lens[1] = {6};
        redisReply *r = NULL;
        rc = sl_node_command(node, 1, argv, lens, &r, err);
        if (r) {
            freeReplyObject(r);
        }
    }
    if (rc == SL_OK) {
        rc = sl_node_command(node, (int)c.argc, c.argv, c.lens, reply, err);
        if (rc == SL_ERR_REPLY) {
            freeReplyObject(*reply);
            *reply = NULL;
            rc = err->code;
        }
    }
    script_cmd_free(&c);
    return rc;
}

static sl_status cluster_run(sl_topology *t, const char *route_key, size_t route_len, sl_script_id id,
                             size_t nkeys, const char *const *keys, const size_t *key_lens, size_t nargs,
                             const char *const *args, const size_t *arg_lens, redisReply **reply, sl_error *err)
{
    uint16_t slot = sl_cluster_slot(route_key, route_len);
    int redirects, asking = 0, reloaded = 0;
    long target = -1;
    sl_status rc = SL_OK;

    if (!t->slots_loaded && (rc = cluster_load(t, err)) != SL_OK) {
        return rc;
    }
    for (redirects = 0; redirects < 6; redirects++) {
        const char *host;
        size_t host_len;
        int port;

        if (target < 0) {
            if (!t->slots[slot]) {
                if (reloaded++ || (rc = cluster_load(t, err)) != SL_OK || !t->slots[slot]) {
                    sl_error_set(err, SL_ERR_PROTOCOL, "no cluster node serves hash slot %u", (unsigned)slot);
                    return SL_ERR_PROTOCOL;
                }
            }
            target = t->slots[slot] - 1;
        }
        rc = run_on_node(t->nodes[target], asking, id, nkeys, keys, key_lens, nargs, args, arg_lens, reply, t->stats,
                         err);
        asking = 0;
        if (rc == SL_ERR_REPLY && err_is(err, "MOVED ") && parse_redirect(err, &host, &host_len, &port)) {
            /* The slot moved for good: remember it, and refresh the rest of the map later. */
            if ((target = node_find_or_add(t, host, host_len, port, err)) < 0) {
                return err->code;
            }
            t->slots[slot] = (uint16_t)(target + 1);
            t->slots_loaded = 0;
            continue;
        }
        if (rc == SL_ERR_REPLY && err_is(err, "ASK ") && parse_redirect(err, &host, &host_len, &port)) {
            /* The slot is migrating: this one command goes to the importing node. */
            if ((target = node_find_or_add(t, host, host_len, port, err)) < 0) {
                return err->code;
            }
            asking = 1;
            continue;
        }
        if (rc == SL_ERR_REPLY && err_is(err, "TRYAGAIN")) {
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
            target = -1;
            continue;
        }
        if ((rc == SL_ERR_CONNECT || rc == SL_ERR_IO || rc == SL_ERR_TIMEOUT) && !reloaded) {
            /* A node went away or froze: a failover may promote a replica.
             * Reload the map now; after a timeout this call has spent its
             * time and fails, but the next one goes where the map says. */
            sl_error first = *err;
            reloaded = 1;
            if (cluster_load(t, err) == SL_OK && t->slots[slot] && (long)t->slots[slot] - 1 != target &&
                rc != SL_ERR_TIMEOUT) {
                target = -1;
                continue;
            }
            *err = first;
        }
        break;
    }
    if (!t->slots_loaded && rc == SL_OK) {
        cluster_load(t, err); /* a refresh after MOVED; failure is harmless here */
        sl_error_clear(err);
    }
    return rc;
}

/* ---- Sentinel ------------------------------------------------------------ */

/* Asks the sentinels for the master; replaces nodes[0] when it changed.
 * *changed says whether the address differs from the one in use. */
static sl_status sentinel_discover(sl_topology *t, int *changed, sl_error *err)
{
    const char *argv[3] = {"SENTINEL", "get-master-addr-by-name", t->master_name};
    size_t lens[3] = {8, 23, strlen(t->master_name)}, i;
    sl_status rc = SL_ERR_CONNECT;

    *changed = 0;
    for (i = 0; i < t->n_sentinels; i++) {
        redisReply *r = NULL;
        const redisReply *h, *p;
        sl_endpoint ep;
        sl_node *node;
        int port;

        rc = sl_node_command(t->sentinels[i], 3, argv, lens, &r, err);
        if (rc != SL_OK || r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
            r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_STRING) {
            if (rc == SL_OK) {
                sl_error_set(err, SL_ERR_PROTOCOL, "sentinel does not know master \"%.64s\"", t->master_name);
                rc = SL_ERR_PROTOCOL;
            }
            if (r) {
                freeReplyObject(r);
            }
            continue;
        }
        h = r->element[0];
        p = r->element[1];
        port = atoi(p->str);
        if (t->n_nodes == 1 && t->nodes[0]->ep.host && t->nodes[0]->ep.port == port &&
            strlen(t->nodes[0]->ep.host) == h->len && memcmp(t->nodes[0]->ep.host, h->str, h->len) == 0) {
            freeReplyObject(r);
            return SL_OK;
        }
        if (sl_endpoint_copy(&ep, &t->base) != SL_OK) {
            freeReplyObject(r);
            sl_error_set(err, SL_ERR_NOMEM, "out of memory");
            return SL_ERR_NOMEM;
        }
        free(ep.socket);
        ep.socket = NULL;
        ep.port = port;
        rc = sl_endpoint_set(&ep.host, h->str, h->len, "host", err);
        freeReplyObject(r);
        node = rc == SL_OK ? node_new(&ep, t->pool, t->stats, err) : NULL;
        sl_endpoint_free(&ep);
        if (!node) {
            return err->code;
        }
        if (t->n_nodes == 1) {
            /* the old master: never pool a connection to it again */
            sl_node_close(t->nodes[0]);
            node_delete(t->nodes[0]);
            *changed = 1;
        }
        t->nodes[0] = node;
        t->n_nodes = 1;
        return SL_OK;
    }
    return rc;
}

static sl_status sentinel_run(sl_topology *t, sl_script_id id, size_t nkeys, const char *const *keys,
                              const size_t *key_lens, size_t nargs, const char *const *args,
                              const size_t *arg_lens, redisReply **reply, sl_error *err)
{
    int changed = 0, attempt;
    sl_status rc = SL_OK;
    int64_t now = sl_now_ms();

    if (t->n_nodes == 0) {
        if ((rc = sentinel_discover(t, &changed, err)) != SL_OK) {
            return rc;
        }
        t->discovered_at_ms = now;
    } else if (now - t->discovered_at_ms >= t->sentinel_check_ms) {
        /* A demoted master keeps accepting writes until Sentinel reconfigures
         * it (seconds): without asking again, this process and one that found
         * the new master could both hold a slot. If no sentinel answers, go
         * on with the master we know. */
        sl_error ignored;
        if (sentinel_discover(t, &changed, &ignored) == SL_OK) {
            t->discovered_at_ms = now;
        }
    }
    for (attempt = 0; attempt < 2; attempt++) {
        sl_error first;

        rc = sl_script_run(t->nodes[0], id, nkeys, keys, key_lens, nargs, args, arg_lens, reply, t->stats, err);
        if (attempt == 1 || !(sl_status_is_connection(rc) || err_is(err, "READONLY") ||
                              err_is(err, "MASTERDOWN") || err_is(err, "LOADING"))) {
            break;
        }
        /* The master went away or was demoted: ask the sentinels again. */
        first = *err;
        if (sentinel_discover(t, &changed, err) != SL_OK || (!changed && rc == SL_ERR_TIMEOUT)) {
            *err = first;
            break;
        }
        if (!changed) {
            sl_node_close(t->nodes[0]);
        }
        t->discovered_at_ms = sl_now_ms();
        SL_STAT_INC(t->stats, reconnects, 1);
    }
    return rc;
}

/* ---- Dispatch ------------------------------------------------------------ */

sl_status sl_topology_run(sl_topology *t, const char *route_key, size_t route_len, sl_script_id id, size_t nkeys,
                          const char *const *keys, const size_t *key_lens, size_t nargs, const char *const *args,
                          const size_t *arg_lens, redisReply **reply, sl_error *err)
{
    *reply = NULL;
    switch (t->mode) {
        case SL_MODE_CLUSTER:
            return cluster_run(t, route_key, route_len, id, nkeys, keys, key_lens, nargs, args, arg_lens, reply, err);
        case SL_MODE_SENTINEL:
            return sentinel_run(t, id, nkeys, keys, key_lens, nargs, args, arg_lens, reply, err);
        default:
            return sl_script_run(t->nodes[0], id, nkeys, keys, key_lens, nargs, args, arg_lens, reply, t->stats, err);
    }
}

void sl_topology_run_all(sl_topology *t, sl_script_id id, size_t nkeys, const char *const *keys,
                         const size_t *key_lens, size_t nargs, const char *const *args, const size_t *arg_lens,
                         redisReply **replies, sl_error *errs)
{
    sl_node *again[SL_MAX_NODES];
    size_t map[SL_MAX_NODES], n_again = 0, i;
    redisReply *r2[SL_MAX_NODES];
    sl_error e2[SL_MAX_NODES];
    script_cmd c;

    for (i = 0; i < t->n_nodes; i++) {
        replies[i] = NULL;
    }
    if (script_cmd_build(&c, id, 0, nkeys, keys, key_lens, nargs, args, arg_lens, &errs[0]) != SL_OK) {
        for (i = 1; i < t->n_nodes; i++) {
            errs[i] = errs[0];
        }
        return;
    }
    sl_nodes_command(t->nodes, t->n_nodes, (int)c.argc, c.argv, c.lens, replies, errs, t->base.timeout);

    /* NOSCRIPT (a restarted node) and a dead pooled connection get one more try together. */
    for (i = 0; i < t->n_nodes; i++) {
        int noscript = errs[i].code == SL_ERR_REPLY && err_is(&errs[i], "NOSCRIPT");
        if (noscript || (errs[i].code == SL_ERR_IO && t->nodes[i]->pool)) {
            if (replies[i]) {
                freeReplyObject(replies[i]);
                replies[i] = NULL;
            }
            if (!noscript) {
                SL_STAT_INC(t->stats, reconnects, 1);
            }
            map[n_again] = i;
            again[n_again++] = t->nodes[i];
        }
    }
    if (n_again) {
        script_cmd_free(&c);
        if (script_cmd_build(&c, id, 1, nkeys, keys, key_lens, nargs, args, arg_lens, &errs[map[0]]) != SL_OK) {
            return;
        }
        SL_STAT_INC(t->stats, script_loads, 1);
        sl_nodes_command(again, n_again, (int)c.argc, c.argv, c.lens, r2, e2, t->base.timeout);
        for (i = 0; i < n_again; i++) {
            replies[map[i]] = r2[i];
            errs[map[i]] = e2[i];
        }
    }
    /* Error replies are reported through errs only. */
    for (i = 0; i < t->n_nodes; i++) {
        if (errs[i].code != SL_OK && replies[i]) {
            freeReplyObject(replies[i]);
            replies[i] = NULL;
        }
    }
    script_cmd_free(&c);
}

sl_status sl_topology_wait(sl_topology *t, const char *route_key, size_t route_len, long long *acked, sl_error *err)
{
    char n[16], ms[16];
    const char *argv[3] = {"WAIT", n, ms};
    size_t lens[3];
    redisReply *r = NULL;
    sl_node *node;
    sl_status rc;

    *acked = 0;
    if (t->wait_replicas <= 0 || t->mode == SL_MODE_QUORUM) {
        return SL_OK;
    }
    if (t->mode == SL_MODE_CLUSTER) {
        uint16_t slot = sl_cluster_slot(route_key, route_len);
        if (!t->slots[slot]) {
            return SL_OK;
        }
        node = t->nodes[t->slots[slot] - 1];
    } else if (t->n_nodes) {
        node = t->nodes[0];
    } else {
        return SL_OK;
    }
    snprintf(n, sizeof(n), "%d", t->wait_replicas);
    snprintf(ms, sizeof(ms), "%d", t->wait_timeout_ms);
    lens[0] = 4;
    lens[1] = strlen(n);
    lens[2] = strlen(ms);
    rc = sl_node_command(node, 3, argv, lens, &r, err);
    if (rc == SL_OK && r->type == REDIS_REPLY_INTEGER) {
        *acked = r->integer;
    }
    if (t->mode == SL_MODE_SENTINEL && *acked < t->wait_replicas) {
        /* Too few replicas: perhaps this is no longer the master. Ask the
         * sentinels before the next command. */
        t->discovered_at_ms = INT64_MIN / 2;
    }
    if (r) {
        freeReplyObject(r);
    }
    return rc == SL_ERR_REPLY ? err->code : rc;
}

sl_status sl_topology_masters(sl_topology *t, sl_node **out, size_t *n, sl_error *err)
{
    size_t i, k = 0, s;
    sl_status rc;

    if (t->mode == SL_MODE_SENTINEL && t->n_nodes == 0) {
        int changed;
        if ((rc = sentinel_discover(t, &changed, err)) != SL_OK) {
            return rc;
        }
    }
    if (t->mode != SL_MODE_CLUSTER) {
        for (i = 0; i < t->n_nodes; i++) {
            out[i] = t->nodes[i];
        }
        *n = t->n_nodes;
        return SL_OK;
    }
    if (!t->slots_loaded && (rc = cluster_load(t, err)) != SL_OK) {
        return rc;
    }
    for (i = 0; i < t->n_nodes; i++) {
        for (s = 0; s < SL_CLUSTER_SLOTS; s++) {
            if (t->slots[s] == i + 1) {
                out[k++] = t->nodes[i];
                break;
            }
        }
    }
    *n = k;
    return SL_OK;
}
