/* Per-process counters. */
#ifndef SL_STATS_H
#define SL_STATS_H

#include <stddef.h>
#include <stdint.h>

#define SL_STATS(X)                                                                            \
    X(acquired)     /* new holds taken */                                                     \
    X(reacquired)   /* holds the same owner already had, refreshed */                         \
    X(conflicts)    /* acquires refused: held by another owner */                             \
    X(released)     /* keys deleted by release */                                             \
    X(extended)     /* successful extends */                                                  \
    X(committed)    /* holds turned into booked markers */                                    \
    X(relocked)     /* bookings that found their hold expired and took the slot again */      \
    X(expired_before_booking) /* bookings that found their hold expired */                    \
    X(lost)         /* extends or validates that found the hold gone */                      \
    X(errors)       /* operations that failed with an exception */                            \
    X(connects)     /* connections opened */                                                  \
    X(reconnects)   /* transparent reconnect-and-retry after a dropped connection */          \
    X(pool_hits)    /* persistent connections reused */                                       \
    X(script_loads) /* NOSCRIPT answered: the script was sent in full */                      \
    X(commands)     /* commands sent */

typedef struct {
#define SL_STATS_FIELD(name) uint64_t name;
    SL_STATS(SL_STATS_FIELD)
#undef SL_STATS_FIELD
} sl_stats;

#define SL_STATS_COUNT (sizeof(sl_stats) / sizeof(uint64_t))

/* Counter names, in field order. */
extern const char *const sl_stats_names[];

static inline uint64_t sl_stats_get(const sl_stats *s, size_t i)
{
    return ((const uint64_t *)s)[i];
}

#define SL_STAT_INC(s, name, n)                                                                \
    do {                                                                                       \
        if (s) {                                                                               \
            (s)->name += (n);                                                                  \
        }                                                                                      \
    } while (0)

#endif
