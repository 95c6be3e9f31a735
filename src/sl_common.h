/*
 * slotlock core: shared definitions.
 *
 * The core is plain C99 + hiredis: it never includes php.h, so it can be
 * unit-tested and fuzzed on its own.
 */
#ifndef SL_COMMON_H
#define SL_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SL_VERSION "0.1.0"

/* Result codes: 0 is success, every failure is negative. */
typedef enum {
    SL_OK = 0,
    SL_ERR_ARG = -1,      /* invalid argument (becomes ValueError) */
    SL_ERR_CONNECT = -2,  /* could not connect */
    SL_ERR_TIMEOUT = -3,  /* connect or command timed out */
    SL_ERR_IO = -4,       /* connection lost mid-command */
    SL_ERR_AUTH = -5,     /* AUTH or SELECT refused */
    SL_ERR_REPLY = -6,    /* Redis answered with an error (OOM, READONLY, ...) */
    SL_ERR_PROTOCOL = -7, /* a reply of an unexpected shape */
    SL_ERR_NOMEM = -8,
    SL_ERR_FORK = -9,     /* used internally: connection belongs to another pid */
    SL_ERR_TYPE = -10     /* an argument of the wrong type (becomes TypeError) */
} sl_status;

#define SL_ERRMSG_MAX 256

/* What went wrong, for the caller to turn into an exception. Never holds a
 * password or an owner token. */
typedef struct {
    sl_status code;
    char msg[SL_ERRMSG_MAX];
} sl_error;

void sl_error_set(sl_error *err, sl_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void sl_error_clear(sl_error *err);

/* CLOCK_MONOTONIC now: every deadline, timeout and latency of the core and the glue. */
static inline int64_t sl_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline int64_t sl_now_ms(void)
{
    return sl_now_us() / 1000;
}

/* Overwrites a secret (a password, a key passphrase) with NULs, then frees it; NULL is fine. */
static inline void sl_free_secret(char *s)
{
    if (s) {
        volatile char *p = s;
        while (*p) {
            *p++ = '\0';
        }
        free(s);
    }
}

/* strdup(s), NULL for NULL; sets *failed when out of memory. */
static inline char *sl_strdup_or_null(const char *s, int *failed)
{
    char *d;

    if (!s) {
        return NULL;
    }
    d = strdup(s);
    if (!d) {
        *failed = 1;
    }
    return d;
}

/* Does the code mean the connection itself failed (vs. a refused command)? */
static inline int sl_status_is_connection(sl_status s)
{
    return s == SL_ERR_CONNECT || s == SL_ERR_TIMEOUT || s == SL_ERR_IO || s == SL_ERR_AUTH;
}

#endif /* SL_COMMON_H */
