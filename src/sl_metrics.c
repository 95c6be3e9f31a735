/* Fleet-wide metrics: per-minute counters in Redis (see sl_metrics.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sl_key.h"
#include "sl_metrics.h"

const uint32_t sl_metrics_bounds_us[SL_METRICS_BOUNDS] = {100,   250,   500,    1000,   2500,  5000,
                                                          10000, 25000, 50000, 100000, 250000};

const char *const sl_metrics_fields[SL_METRICS_FIELDS] = {
#define SL_METRIC_NAME(name, stat) #name,
    SL_METRIC_COUNTERS(SL_METRIC_NAME)
#undef SL_METRIC_NAME
    "le_100us", "le_250us", "le_500us", "le_1000us", "le_2500us", "le_5000us", "le_10000us", "le_25000us",
    "le_50000us", "le_100000us", "le_250000us", "le_inf", "lat_sum_us"};

/* Where each counter comes from in sl_stats; -1: counted by the callers. */
#define SL_METRIC_OFFSET_none -1
#define SL_METRIC_OFFSET_STAT(stat) ((long)offsetof(sl_stats, stat))
#define SL_METRIC_OFFSET_acquired SL_METRIC_OFFSET_STAT(acquired)
#define SL_METRIC_OFFSET_reacquired SL_METRIC_OFFSET_STAT(reacquired)
#define SL_METRIC_OFFSET_relocked SL_METRIC_OFFSET_STAT(relocked)
#define SL_METRIC_OFFSET_released SL_METRIC_OFFSET_STAT(released)
#define SL_METRIC_OFFSET_expired_before_booking SL_METRIC_OFFSET_STAT(expired_before_booking)
#define SL_METRIC_OFFSET_committed SL_METRIC_OFFSET_STAT(committed)
#define SL_METRIC_OFFSET_errors SL_METRIC_OFFSET_STAT(errors)

static const long stat_offset[SL_M_COUNTERS] = {
#define SL_METRIC_OFF(name, stat) SL_METRIC_OFFSET_##stat,
    SL_METRIC_COUNTERS(SL_METRIC_OFF)
#undef SL_METRIC_OFF
};

void sl_metrics_init(sl_metrics *m)
{
    memset(m, 0, sizeof(*m));
}

void sl_metrics_observe(sl_metrics *m, uint64_t us)
{
    size_t i = 0;

    while (i < SL_METRICS_BOUNDS && us > sl_metrics_bounds_us[i]) {
        i++;
    }
    m->pending.v[SL_M_BUCKET(i)]++;
    m->pending.v[SL_M_LAT_SUM] += us;
}

void sl_metrics_own(sl_metrics *m, const sl_stats *s, long pid)
{
    size_t i;

    if (m->pid == pid) {
        return;
    }
    if (m->pid != 0) {
        memset(&m->pending, 0, sizeof(m->pending));
        m->since_ms = 0;
        m->flushes = m->flush_errors = 0;
        for (i = 0; i < SL_M_COUNTERS; i++) {
            if (stat_offset[i] >= 0) {
                memcpy(&m->seen[i], (const char *)s + stat_offset[i], sizeof(m->seen[i]));
            }
        }
    }
    m->pid = pid;
}

void sl_metrics_sync(sl_metrics *m, const sl_stats *s)
{
    size_t i;

    for (i = 0; i < SL_M_COUNTERS; i++) {
        uint64_t now;

        if (stat_offset[i] < 0) {
            continue;
        }
        memcpy(&now, (const char *)s + stat_offset[i], sizeof(now));
        if (now > m->seen[i]) {
            m->pending.v[i] += now - m->seen[i];
        }
        m->seen[i] = now;
    }
}

int sl_metrics_due(sl_metrics *m, int64_t now_ms, int64_t interval_ms)
{
    if (m->since_ms == 0) {
        m->since_ms = now_ms;
        return 0;
    }
    return now_ms - m->since_ms >= interval_ms;
}

int sl_metrics_has_pending(const sl_metrics *m)
{
    size_t i;

    for (i = 0; i < SL_METRICS_FIELDS; i++) {
        if (m->pending.v[i]) {
            return 1;
        }
    }
    return 0;
}

size_t sl_metrics_key(char *out, size_t size, const char *prefix, int64_t unix_s)
{
    time_t t = (time_t)unix_s;
    struct tm tm;
    int n;

    gmtime_r(&t, &tm);
    n = snprintf(out, size, "%s_metrics:m%04d%02d%02d%02d%02d", prefix, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min);
    return n < 0 ? 0 : ((size_t)n >= size ? size - 1 : (size_t)n);
}

sl_status sl_metrics_node(sl_topology *t, const char *key, size_t len, sl_node **node, sl_error *err)
{
    sl_node *masters[SL_MAX_NODES];
    size_t n = 0;
    sl_status rc;

    if ((rc = sl_topology_masters(t, masters, &n, err)) != SL_OK) {
        return rc;
    }
    if (t->mode == SL_MODE_CLUSTER) {
        uint16_t owner = t->slots ? t->slots[sl_cluster_slot(key, len)] : 0;

        if (owner == 0 || owner > t->n_nodes) {
            sl_error_set(err, SL_ERR_CONNECT, "no cluster node serves the metrics key");
            return SL_ERR_CONNECT;
        }
        *node = t->nodes[owner - 1];
        return SL_OK;
    }
    if (n == 0) {
        sl_error_set(err, SL_ERR_CONNECT, "no node for the metrics");
        return SL_ERR_CONNECT;
    }
    *node = masters[0];
    return SL_OK;
}

/* Reads n queued replies; any error reply or failure is an error (the
 * connection is closed then: a half-read pipeline must not be reused). */
static sl_status read_replies(sl_node *node, size_t n, redisReply **last, sl_error *err)
{
    size_t i;

    *last = NULL;
    for (i = 0; i < n; i++) {
        redisReply *r = NULL;
        sl_status one = sl_node_read(node, &r, err);

        if (one != SL_OK) {
            if (r) {
                freeReplyObject(r);
            }
            sl_node_close(node);
            return one;
        }
        if (i + 1 == n) {
            *last = r;
        } else {
            freeReplyObject(r);
        }
    }
    return SL_OK;
}

sl_status sl_metrics_flush(sl_metrics *m, sl_topology *t, const char *prefix, int64_t unix_s, long retention_s,
                           sl_error *err)
{
    char key[SL_PREFIX_MAX + 32], nums[SL_METRICS_FIELDS][24], ret[24];
    const char *argv[4];
    size_t lens[4], klen, i, sent = 0;
    sl_node *node;
    redisReply *exec = NULL;
    sl_status rc;

    if (!sl_metrics_has_pending(m)) {
        return SL_OK;
    }
    klen = sl_metrics_key(key, sizeof(key), prefix, unix_s);
    if ((rc = sl_metrics_node(t, key, klen, &node, err)) != SL_OK) {
        m->flush_errors++;
        return rc;
    }
    argv[0] = "MULTI";
    lens[0] = 5;
    if ((rc = sl_node_append(node, 1, argv, lens, err)) != SL_OK) {
        goto fail;
    }
    sent++;
    argv[0] = "HINCRBY";
    lens[0] = 7;
    argv[1] = key;
    lens[1] = klen;
    for (i = 0; i < SL_METRICS_FIELDS; i++) {
        if (!m->pending.v[i]) {
            continue;
        }
        argv[2] = sl_metrics_fields[i];
        lens[2] = strlen(argv[2]);
        lens[3] = (size_t)snprintf(nums[i], sizeof(nums[i]), "%llu", (unsigned long long)m->pending.v[i]);
        argv[3] = nums[i];
        if ((rc = sl_node_append(node, 4, argv, lens, err)) != SL_OK) {
            goto fail;
        }
        sent++;
    }
    argv[0] = "EXPIRE";
    lens[0] = 6;
    argv[2] = ret;
    lens[2] = (size_t)snprintf(ret, sizeof(ret), "%ld", retention_s);
    if ((rc = sl_node_append(node, 3, argv, lens, err)) != SL_OK) {
        goto fail;
    }
    sent++;
    argv[0] = "EXEC";
    lens[0] = 4;
    if ((rc = sl_node_append(node, 1, argv, lens, err)) != SL_OK) {
        goto fail;
    }
    sent++;
    if ((rc = read_replies(node, sent, &exec, err)) != SL_OK) {
        sent = 0;
        goto fail;
    }
    if (!exec || exec->type != REDIS_REPLY_ARRAY || exec->elements != sent - 2) {
        if (exec) {
            freeReplyObject(exec);
        }
        sl_error_set(err, SL_ERR_PROTOCOL, "the metrics batch was not applied");
        m->flush_errors++;
        return SL_ERR_PROTOCOL;
    }
    freeReplyObject(exec);
    memset(&m->pending, 0, sizeof(m->pending));
    m->flushes++;
    return SL_OK;

fail:
    if (sent > 0) {
        /* commands queued on a connection that failed: never reuse it */
        sl_node_close(node);
    }
    m->flush_errors++;
    return rc;
}

static void add_hash(sl_metrics_counts *sum, const redisReply *r)
{
    size_t i, f;

    if (r->type != REDIS_REPLY_ARRAY) {
        return;
    }
    for (i = 0; i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i], *v = r->element[i + 1];

        if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING) {
            continue;
        }
        for (f = 0; f < SL_METRICS_FIELDS; f++) {
            if (k->len == strlen(sl_metrics_fields[f]) && memcmp(k->str, sl_metrics_fields[f], k->len) == 0) {
                sum->v[f] += strtoull(v->str, NULL, 10);
                break;
            }
        }
    }
}

sl_status sl_metrics_read(sl_topology *t, const char *prefix, int64_t unix_s, int minutes, sl_metrics_counts *sum,
                          sl_error *err)
{
    sl_node *nodes[1440];
    char key[SL_PREFIX_MAX + 32];
    const char *argv[2];
    size_t lens[2];
    int i, sent = 0;
    sl_status rc = SL_OK;

    memset(sum, 0, sizeof(*sum));
    if (minutes < 1 || minutes > 1440) {
        sl_error_set(err, SL_ERR_ARG, "$minutes must be 1 to 1440");
        return SL_ERR_ARG;
    }
    argv[0] = "HGETALL";
    lens[0] = 7;
    for (i = 0; i < minutes; i++) {
        lens[1] = sl_metrics_key(key, sizeof(key), prefix, unix_s - (int64_t)i * 60);
        argv[1] = key;
        if ((rc = sl_metrics_node(t, key, lens[1], &nodes[i], err)) != SL_OK ||
            (rc = sl_node_append(nodes[i], 2, argv, lens, err)) != SL_OK) {
            break;
        }
        sent++;
    }
    /* the replies come back in order on each node */
    for (i = 0; i < sent; i++) {
        redisReply *r = NULL;
        sl_error e;
        sl_status one = sl_node_read(nodes[i], &r, rc == SL_OK ? err : &e);

        if (one == SL_OK) {
            add_hash(sum, r);
        } else if (rc == SL_OK) {
            rc = one;
        }
        if (r) {
            freeReplyObject(r);
        }
        if (one != SL_OK && one != SL_ERR_REPLY) {
            sl_node_close(nodes[i]);
        }
    }
    return rc;
}

uint64_t sl_metrics_samples(const sl_metrics_counts *c)
{
    uint64_t n = 0;
    size_t i;

    for (i = 0; i < SL_METRICS_BUCKETS; i++) {
        n += c->v[SL_M_BUCKET(i)];
    }
    return n;
}

double sl_metrics_quantile(const sl_metrics_counts *c, double q)
{
    uint64_t n = sl_metrics_samples(c), cum = 0;
    double rank;
    size_t i;

    if (n == 0) {
        return -1.0;
    }
    rank = q * (double)n;
    for (i = 0; i < SL_METRICS_BUCKETS; i++) {
        uint64_t in = c->v[SL_M_BUCKET(i)];
        double lo = i == 0 ? 0.0 : (double)sl_metrics_bounds_us[i - 1];

        if (in > 0 && (double)(cum + in) >= rank) {
            if (i == SL_METRICS_BOUNDS) {
                return lo / 1000.0; /* beyond the last bound: at least that */
            }
            return (lo + ((double)sl_metrics_bounds_us[i] - lo) * ((rank - (double)cum) / (double)in)) / 1000.0;
        }
        cum += in;
    }
    return (double)sl_metrics_bounds_us[SL_METRICS_BOUNDS - 1] / 1000.0;
}
