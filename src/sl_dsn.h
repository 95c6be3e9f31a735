/* Where a Redis server is and how to log in to it. */
#ifndef SL_DSN_H
#define SL_DSN_H

#include "sl_common.h"
#include "sl_tls.h"

#define SL_DEFAULT_HOST "127.0.0.1"
#define SL_DEFAULT_PORT 6379
#define SL_DEFAULT_TIMEOUT 1.0
#define SL_MAX_TIMEOUT 3600.0

typedef struct {
    char *host;     /* NULL when socket is set */
    int port;
    char *socket;   /* unix socket path, or NULL */
    int database;
    char *username; /* ACL user, or NULL */
    char *password; /* or NULL */
    double timeout; /* connect and command timeout, seconds */
    sl_tls_opts *tls; /* NULL: plain TCP */
} sl_endpoint;

/* Defaults: 127.0.0.1:6379, database 0, no credentials, 1 s. */
void sl_endpoint_init(sl_endpoint *ep);
void sl_endpoint_free(sl_endpoint *ep);
/* Deep copy; SL_ERR_NOMEM on failure (dst is then empty). */
sl_status sl_endpoint_copy(sl_endpoint *dst, const sl_endpoint *src);

/* Replaces *field with a copy of s (len bytes); s must not hold a NUL byte. */
sl_status sl_endpoint_set(char **field, const char *s, size_t len, const char *name, sl_error *err);

/*
 * Parses "redis://[[user]:password@]host[:port][/db][?opts]",
 * "rediss://..." (the same over TLS: turns ep->tls on with the defaults, or
 * keeps the TLS options ep already has; redis:// leaves them as they are) or
 * "unix://[[user]:password@]/path/to.sock[?opts]" into ep (fields not named
 * in the DSN keep their values). opts: database=N, timeout=F. User and
 * password are percent-decoded. Errors never echo the password.
 */
sl_status sl_dsn_parse(const char *dsn, size_t len, sl_endpoint *ep, sl_error *err);

/* Checks the ranges of port, database and timeout. */
sl_status sl_endpoint_check(const sl_endpoint *ep, sl_error *err);

/* "tcp://host:port/db", "tls://host:port/db" or "unix:///path/db", never credentials. */
void sl_endpoint_describe(const sl_endpoint *ep, char *buf, size_t size);

/* The identity of a persistent connection: endpoint, credentials and TLS options. Caller
 * frees. NULL on out of memory. */
char *sl_endpoint_pool_key(const sl_endpoint *ep);

/* Copies a DSN with its password replaced by "***" (for phpinfo). */
void sl_dsn_mask(const char *dsn, char *out, size_t size);

#endif
