/*
 * Fleet-wide metrics, the process's batch: the hook after each acquire
 * (latency, refusals, and the flush when slotlock.metrics_flush_interval has
 * passed), the flush itself, and what a service writes when it goes on the
 * CLI. Below the lock operations (slotlock_ops.c calls the hook); the
 * methods that read the metrics are in slotlock_metrics.c. The counting, the
 * batch and the reading are src/sl_metrics.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "php.h"
#include "SAPI.h"

#include "slotlock_private.h"

/* A forked child starts with its parent's unflushed counts, which the parent
 * writes: they are dropped at the fork (in the forking thread, whose globals
 * these are), so every process writes only what it counted itself. */
static pthread_once_t metrics_fork_once = PTHREAD_ONCE_INIT;

static void metrics_after_fork(void)
{
    sl_metrics_own(&SLOTLOCK_G(metrics), &SLOTLOCK_G(stats), (long)getpid());
}

static void metrics_fork_init(void)
{
    pthread_atfork(NULL, NULL, metrics_after_fork);
}

sl_metrics *slotlock_metrics_own(void)
{
    sl_metrics *m = &SLOTLOCK_G(metrics);

    if (m->pid == 0) {
        pthread_once(&metrics_fork_once, metrics_fork_init);
        m->pid = (long)getpid();
    }
    return m;
}

/* Takes the process's counters in and writes the batch; false with err set on failure. */
bool slotlock_metrics_flush(slotlock_service_obj *intern, sl_error *err)
{
    sl_metrics *m = slotlock_metrics_own();

    sl_metrics_sync(m, &SLOTLOCK_G(stats));
    m->since_ms = sl_now_ms();
    return sl_metrics_flush(m, &intern->topo, intern->locker.prefix, (int64_t)time(NULL),
                            (long)SLOTLOCK_G(metrics_retention), err) == SL_OK;
}

void slotlock_metrics_acquired(slotlock_service_obj *intern, sl_status rc, const sl_acquire_result *res,
                               int64_t started_us)
{
    sl_metrics *m = slotlock_metrics_own();
    int64_t now_us = sl_now_us();
    sl_error err;

    if (rc == SL_OK) {
        sl_metrics_observe(m, (uint64_t)(now_us - started_us));
        /* (booked by the same owner is a retry, not a conflict: start_booking counts already_booked) */
        if (res->candidate < 0 && res->blocked != SL_BLOCKED_BOOKED_SELF) {
            sl_metrics_add(m, res->blocked == SL_BLOCKED_LOCKED ? SL_M_slot_locked : SL_M_slot_booked, 1);
        }
    }
    /* only right after a command that worked: a failing Redis must not cost the caller a second timeout */
    if (rc == SL_OK && SLOTLOCK_G(metrics_flush_interval) > 0 &&
        sl_metrics_due(m, now_us / 1000, (int64_t)SLOTLOCK_G(metrics_flush_interval) * 1000)) {
        /* a failed batch is kept for the next one; the lock operation already happened */
        slotlock_metrics_flush(intern, &err);
    }
}

void slotlock_metrics_service_gone(slotlock_service_obj *intern)
{
    sl_error err;

    /* Under FPM a worker keeps its counts across requests and writes them
     * every interval; a CLI process (a cron job, an artisan command) may end
     * before that, so it writes what it has when its service goes. */
    size_t i;
    bool connected = false;

    /* never a new connection just for this (a closed or failed service stays so) */
    for (i = 0; i < intern->topo.n_nodes; i++) {
        connected = connected || (intern->topo.nodes[i] && intern->topo.nodes[i]->conn);
    }
    if (connected && SLOTLOCK_G(metrics_flush_interval) > 0 && strcmp(sapi_module.name, "cli") == 0) {
        sl_metrics_sync(slotlock_metrics_own(), &SLOTLOCK_G(stats));
        if (sl_metrics_has_pending(&SLOTLOCK_G(metrics))) {
            slotlock_metrics_flush(intern, &err);
        }
    }
}
