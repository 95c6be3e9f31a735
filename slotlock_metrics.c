/*
 * Fleet-wide metrics, the methods: SlotLockService::metrics() / flushMetrics()
 * and the php --ri rows. The process's batch and the hook after each acquire
 * are in slotlock_metrics_batch.c; the counting, the batch and the reading
 * are src/sl_metrics.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <time.h>

#include "php.h"
#include "ext/standard/info.h"
#include "zend_smart_str.h"

#include "slotlock_private.h"

#define METRICS_FETCH(intern)                                                                  \
    do {                                                                                       \
        (intern) = slotlock_service_from_obj(Z_OBJ_P(ZEND_THIS));                              \
        if (!(intern)->initialized) {                                                          \
            zend_throw_error(NULL, "SlotLockService object is not initialized");               \
            RETURN_THROWS();                                                                   \
        }                                                                                      \
    } while (0)

static void add_ms(zval *arr, const char *name, double ms)
{
    if (ms < 0) {
        add_assoc_null(arr, name);
    } else {
        add_assoc_double(arr, name, ms);
    }
}

PHP_METHOD(SlotLockService, metrics)
{
    slotlock_service_obj *intern;
    zend_long minutes = 15;
    sl_metrics_counts sum;
    sl_error err;
    uint64_t attempts, conflicts, samples;
    time_t now = time(NULL), from;
    struct tm tm;
    char buf[32];
    zval latency;
    size_t i;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(minutes)
    ZEND_PARSE_PARAMETERS_END();
    METRICS_FETCH(intern);

    if (minutes < 1 || minutes > 1440) {
        zend_argument_value_error(1, "must be between 1 and 1440");
        RETURN_THROWS();
    }
    if (sl_metrics_read(&intern->topo, intern->locker.prefix, (int64_t)now, (int)minutes, &sum, &err) != SL_OK) {
        slotlock_service_fail(intern, NULL, &err);
        if (!EG(exception)) {
            slotlock_throw(&err);
        }
        RETURN_THROWS();
    }
    array_init_size(return_value, SL_METRICS_FIELDS + 12);
    add_assoc_long(return_value, "minutes", minutes);
    from = now - (time_t)(minutes - 1) * 60;
    gmtime_r(&from, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:00Z", &tm);
    add_assoc_string(return_value, "from", buf);
    gmtime_r(&now, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:59Z", &tm);
    add_assoc_string(return_value, "to", buf);
    for (i = 0; i < SL_M_COUNTERS; i++) {
        add_assoc_long(return_value, sl_metrics_fields[i], (zend_long)sum.v[i]);
    }
    attempts = sum.v[SL_M_acquired] + sum.v[SL_M_reacquired] + sum.v[SL_M_slot_locked] + sum.v[SL_M_slot_booked];
    conflicts = sum.v[SL_M_slot_locked] + sum.v[SL_M_slot_booked];
    add_assoc_long(return_value, "attempts", (zend_long)attempts);
    add_assoc_long(return_value, "conflicts", (zend_long)conflicts);
    add_assoc_double(return_value, "race_rate", attempts ? (double)conflicts / (double)attempts : 0.0);
    add_assoc_double(return_value, "conflicts_per_minute", (double)conflicts / (double)minutes);
    samples = sl_metrics_samples(&sum);
    add_assoc_long(return_value, "acquire_samples", (zend_long)samples);
    add_ms(return_value, "acquire_p50_ms", sl_metrics_quantile(&sum, 0.50));
    add_ms(return_value, "acquire_p99_ms", sl_metrics_quantile(&sum, 0.99));
    add_ms(return_value, "acquire_mean_ms", samples ? (double)sum.v[SL_M_LAT_SUM] / (double)samples / 1000.0 : -1.0);
    array_init_size(&latency, SL_METRICS_BUCKETS);
    for (i = 0; i < SL_METRICS_BUCKETS; i++) {
        add_assoc_long(&latency, sl_metrics_fields[SL_M_BUCKET(i)], (zend_long)sum.v[SL_M_BUCKET(i)]);
    }
    add_assoc_zval(return_value, "latency", &latency);
}

PHP_METHOD(SlotLockService, flushMetrics)
{
    slotlock_service_obj *intern;
    sl_error err;
    bool had;

    ZEND_PARSE_PARAMETERS_NONE();
    METRICS_FETCH(intern);

    sl_metrics_sync(slotlock_metrics_own(), &SLOTLOCK_G(stats));
    had = sl_metrics_has_pending(&SLOTLOCK_G(metrics));
    if (!slotlock_metrics_flush(intern, &err)) {
        slotlock_service_fail(intern, NULL, &err);
        if (!EG(exception)) {
            slotlock_throw(&err);
        }
        RETURN_THROWS();
    }
    RETURN_BOOL(had);
}

void slotlock_metrics_minfo(void)
{
    const sl_metrics *m = slotlock_metrics_own();
    smart_str s = {0};
    char buf[64];
    size_t i;

    /* what this process has counted and not flushed yet (its sl_stats growth included) */
    sl_metrics pending = *m;
    sl_metrics_sync(&pending, &SLOTLOCK_G(stats));
    for (i = 0; i < SL_METRICS_FIELDS; i++) {
        if (pending.pending.v[i]) {
            smart_str_append_printf(&s, "%s%s=%llu", s.s ? " " : "", sl_metrics_fields[i],
                                    (unsigned long long)pending.pending.v[i]);
        }
    }
    smart_str_0(&s);
    php_info_print_table_row(2, "Metrics unflushed (this process)", s.s ? ZSTR_VAL(s.s) : "none");
    smart_str_free(&s);
    snprintf(buf, sizeof(buf), "%llu / %llu", (unsigned long long)m->flushes, (unsigned long long)m->flush_errors);
    php_info_print_table_row(2, "Metrics batches written / failed", buf);
}
