/*
 * Fleet-wide metrics: per-minute counters in Redis that every process of
 * every server adds to.
 *
 * A process collects deltas in memory (a few adds per lock operation, no I/O)
 * and flushes them at most every N seconds as one pipelined batch
 *   MULTI, HINCRBY <key> <field> <delta> (non-zero fields only), EXPIRE <key> <retention>, EXEC
 * on "<prefix>_metrics:m<YmdHi>" (UTC minute of the flush), a key outside the
 * "<prefix>:*" slot keys. Readers sum the hashes of the last minutes.
 *
 * Counters: acquired, reacquired, released, committed, relocked, expired
 * (holds found expired at start_booking), errors are the deltas of the
 * process's sl_stats; slot_locked, slot_booked (acquires refused) and
 * already_booked (start_booking retries) are counted by the callers. The
 * acquisition latency is a histogram with fixed bucket bounds (le_<us>us,
 * le_inf) plus lat_sum_us, from which p50/p99 are estimated.
 */
#ifndef SL_METRICS_H
#define SL_METRICS_H

#include <stdint.h>

#include "sl_common.h"
#include "sl_conn.h"
#include "sl_stats.h"
#include "sl_topology.h"

/* name, the sl_stats counter it is the delta of (or none) */
#define SL_METRIC_COUNTERS(X)                                                                  \
    X(acquired, acquired)                                                                      \
    X(reacquired, reacquired)                                                                  \
    X(slot_locked, none)                                                                       \
    X(slot_booked, none)                                                                       \
    X(already_booked, none)                                                                    \
    X(relocked, relocked)                                                                      \
    X(released, released)                                                                      \
    X(expired, expired_before_booking)                                                         \
    X(committed, committed)                                                                    \
    X(errors, errors)

typedef enum {
#define SL_METRIC_ENUM(name, stat) SL_M_##name,
    SL_METRIC_COUNTERS(SL_METRIC_ENUM)
#undef SL_METRIC_ENUM
    SL_M_COUNTERS
} sl_metric_id;

/* Upper bounds (microseconds) of the latency buckets; one more bucket, le_inf, holds the rest. */
#define SL_METRICS_BOUNDS 11
extern const uint32_t sl_metrics_bounds_us[SL_METRICS_BOUNDS];
#define SL_METRICS_BUCKETS (SL_METRICS_BOUNDS + 1)

/* Field index: counters, then the buckets, then lat_sum_us. */
#define SL_M_BUCKET(i) (SL_M_COUNTERS + (i))
#define SL_M_LAT_SUM (SL_M_COUNTERS + SL_METRICS_BUCKETS)
#define SL_METRICS_FIELDS (SL_M_LAT_SUM + 1)
#define SL_METRICS_FIELD_MAX 24

/* The hash field names, in field order. */
extern const char *const sl_metrics_fields[SL_METRICS_FIELDS];

typedef struct {
    uint64_t v[SL_METRICS_FIELDS];
} sl_metrics_counts;

typedef struct {
    sl_metrics_counts pending; /* not flushed yet */
    uint64_t seen[SL_M_COUNTERS]; /* the sl_stats values already taken into pending */
    int64_t since_ms;          /* the interval started here (0: not started) */
    uint64_t flushes;          /* batches written */
    uint64_t flush_errors;     /* batches that failed (kept for the next one) */
    long pid;                  /* the process the counts are of (0: not yet known) */
} sl_metrics;

void sl_metrics_init(sl_metrics *m);
static inline void sl_metrics_add(sl_metrics *m, sl_metric_id id, uint64_t n)
{
    m->pending.v[id] += n;
}
/* One lock acquisition took us microseconds. */
void sl_metrics_observe(sl_metrics *m, uint64_t us);
/* In a forked child (pid differs), drops the parent's unflushed counts (the
 * parent writes them) and starts from the inherited sl_stats. */
void sl_metrics_own(sl_metrics *m, const sl_stats *s, long pid);
/* Takes the growth of the sl_stats counters since the last call into pending. */
void sl_metrics_sync(sl_metrics *m, const sl_stats *s);
/* Whether interval_ms has passed since the interval started (starts it on first call). */
int sl_metrics_due(sl_metrics *m, int64_t now_ms, int64_t interval_ms);
int sl_metrics_has_pending(const sl_metrics *m);

/* "<prefix>_metrics:m<YmdHi>" of the UTC minute of unix_s; its length. */
size_t sl_metrics_key(char *out, size_t size, const char *prefix, int64_t unix_s);

/* The node that serves key (cluster: by hash slot; quorum: the first node). */
sl_status sl_metrics_node(sl_topology *t, const char *key, size_t len, sl_node **node, sl_error *err);

/* Writes pending as one MULTI/HINCRBY.../EXPIRE/EXEC batch (one round trip);
 * on success pending is zeroed. Nothing to write: SL_OK, no command. */
sl_status sl_metrics_flush(sl_metrics *m, sl_topology *t, const char *prefix, int64_t unix_s, long retention_s,
                           sl_error *err);

/* Sums the hashes of the minutes ending with unix_s's minute (one pipelined
 * HGETALL per minute); missing minutes count as 0. */
sl_status sl_metrics_read(sl_topology *t, const char *prefix, int64_t unix_s, int minutes, sl_metrics_counts *sum,
                          sl_error *err);

/* Acquisition time (ms) under which a fraction q of the samples fell,
 * interpolated within its bucket; -1 without samples. */
double sl_metrics_quantile(const sl_metrics_counts *c, double q);
uint64_t sl_metrics_samples(const sl_metrics_counts *c);

#endif
