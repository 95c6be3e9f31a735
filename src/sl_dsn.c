/* DSN parsing and endpoint bookkeeping. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_dsn.h"

void sl_error_set(sl_error *err, sl_status code, const char *fmt, ...)
{
    va_list ap;

    if (!err) {
        return;
    }
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
}

void sl_error_clear(sl_error *err)
{
    err->code = SL_OK;
    err->msg[0] = '\0';
}

void sl_endpoint_init(sl_endpoint *ep)
{
    memset(ep, 0, sizeof(*ep));
    ep->port = SL_DEFAULT_PORT;
    ep->timeout = SL_DEFAULT_TIMEOUT;
}

void sl_endpoint_free(sl_endpoint *ep)
{
    free(ep->host);
    free(ep->socket);
    free(ep->username);
    sl_free_secret(ep->password);
    sl_tls_opts_free(ep->tls);
    sl_endpoint_init(ep);
}

sl_status sl_endpoint_copy(sl_endpoint *dst, const sl_endpoint *src)
{
    int failed = 0;

    *dst = *src;
    dst->host = sl_strdup_or_null(src->host, &failed);
    dst->socket = sl_strdup_or_null(src->socket, &failed);
    dst->username = sl_strdup_or_null(src->username, &failed);
    dst->password = sl_strdup_or_null(src->password, &failed);
    dst->tls = sl_tls_opts_copy(src->tls, &failed);
    if (failed) {
        sl_endpoint_free(dst);
        return SL_ERR_NOMEM;
    }
    return SL_OK;
}

sl_status sl_endpoint_set(char **field, const char *s, size_t len, const char *name, sl_error *err)
{
    char *copy;

    if (memchr(s, '\0', len)) {
        sl_error_set(err, SL_ERR_ARG, "%s must not contain NUL bytes", name);
        return SL_ERR_ARG;
    }
    copy = malloc(len + 1);
    if (!copy) {
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    if (field == NULL) {
        free(copy);
        return SL_OK;
    }
    if (*field) {
        sl_free_secret(*field);
    }
    *field = copy;
    return SL_OK;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = tolower(c);
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* Percent-decodes [s, s+len) into a new string; NULL on a bad escape or %00. */
static char *pct_decode(const char *s, size_t len, int *bad)
{
    char *out = malloc(len + 1), *o = out;
    size_t i;

    if (!out) {
        return NULL;
    }
    for (i = 0; i < len; i++) {
        if (s[i] == '%') {
            int hi, lo;
            if (i + 2 >= len) {
                goto bad_escape;
            }
            hi = hexval((unsigned char)s[i + 1]);
            lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                goto bad_escape;
            }
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;

bad_escape:
    free(out);
    *bad = 1;
    return NULL;
}

/* Parses an integer in [min, max] from [s, s+len); -1 on failure. */
static int parse_int(const char *s, size_t len, long min, long max, long *out)
{
    long v = 0;
    size_t i;

    if (len == 0 || len > 10) {
        return -1;
    }
    for (i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    if (v < min || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

static sl_status parse_query(const char *q, size_t len, sl_endpoint *ep, sl_error *err)
{
    const char *end = q + len;

    while (q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        const char *pair_end = amp ? amp : end;
        const char *eq = memchr(q, '=', (size_t)(pair_end - q));
        size_t klen, vlen;
        const char *v;

        if (!eq) {
            sl_error_set(err, SL_ERR_ARG, "DSN option without a value");
            return SL_ERR_ARG;
        }
        klen = (size_t)(eq - q);
        v = eq + 1;
        vlen = (size_t)(pair_end - v);
        if (klen == 8 && memcmp(q, "database", 8) == 0) {
            long db;
            if (parse_int(v, vlen, 0, 2147483647L, &db) < 0) {
                sl_error_set(err, SL_ERR_ARG, "DSN database must be a non-negative integer");
                return SL_ERR_ARG;
            }
            ep->database = (int)db;
        } else if (klen == 7 && memcmp(q, "timeout", 7) == 0) {
            char buf[32], *num_end;
            double t;
            if (vlen == 0 || vlen >= sizeof(buf)) {
                sl_error_set(err, SL_ERR_ARG, "DSN timeout must be a number of seconds");
                return SL_ERR_ARG;
            }
            memcpy(buf, v, vlen);
            buf[vlen] = '\0';
            errno = 0;
            t = strtod(buf, &num_end);
            if (*num_end != '\0' || errno || !(t > 0.0) || t > SL_MAX_TIMEOUT) {
                sl_error_set(err, SL_ERR_ARG, "DSN timeout must be > 0 and <= %g seconds", SL_MAX_TIMEOUT);
                return SL_ERR_ARG;
            }
            ep->timeout = t;
        } else {
            /* never echo it: a '?' in an unescaped password lands here */
            sl_error_set(err, SL_ERR_ARG, "unknown DSN option (allowed: database, timeout)");
            return SL_ERR_ARG;
        }
        q = amp ? amp + 1 : end;
    }
    return SL_OK;
}

/* user[:password] in [s, s+len), already without the '@'. */
static sl_status parse_userinfo(const char *s, size_t len, sl_endpoint *ep, sl_error *err)
{
    const char *colon = memchr(s, ':', len);
    size_t ulen = colon ? (size_t)(colon - s) : len;
    int bad = 0;
    char *user = NULL, *pass = NULL;

    if (ulen > 0) {
        user = pct_decode(s, ulen, &bad);
        if (!user) {
            goto fail;
        }
    }
    if (colon) {
        pass = pct_decode(colon + 1, len - ulen - 1, &bad);
        if (!pass) {
            goto fail;
        }
        if (!*pass) {
            free(pass);
            pass = NULL;
        }
    } else if (user) {
        /* "redis://secret@host": a lone userinfo is the password, as in redis-cli. */
        pass = user;
        user = NULL;
    }
    free(ep->username);
    ep->username = user;
    sl_free_secret(ep->password);
    ep->password = pass;
    return SL_OK;

fail:
    free(user);
    sl_free_secret(pass);
    if (bad) {
        sl_error_set(err, SL_ERR_ARG, "DSN credentials hold an invalid percent escape");
        return SL_ERR_ARG;
    }
    sl_error_set(err, SL_ERR_NOMEM, "out of memory");
    return SL_ERR_NOMEM;
}

sl_status sl_dsn_parse(const char *dsn, size_t len, sl_endpoint *ep, sl_error *err)
{
    const char *p, *end = dsn + len, *at, *path_end, *query;
    int is_unix;
    sl_status rc;

    if (memchr(dsn, '\0', len)) {
        sl_error_set(err, SL_ERR_ARG, "DSN must not contain NUL bytes");
        return SL_ERR_ARG;
    }
    if (len >= 8 && strncmp(dsn, "redis://", 8) == 0) {
        is_unix = 0;
        p = dsn + 8;
    } else if (len >= 7 && strncmp(dsn, "unix://", 7) == 0) {
        is_unix = 1;
        p = dsn + 7;
    } else if (len >= 9 && strncmp(dsn, "rediss://", 9) == 0) {
        if (!sl_tls_library()) {
            sl_error_set(err, SL_ERR_ARG, "DSN scheme rediss:// (TLS) is not supported by this build");
            return SL_ERR_ARG;
        }
        if (!ep->tls && !(ep->tls = sl_tls_opts_new())) {
            sl_error_set(err, SL_ERR_NOMEM, "out of memory");
            return SL_ERR_NOMEM;
        }
        is_unix = 0;
        p = dsn + 9;
    } else {
        sl_error_set(err, SL_ERR_ARG, "DSN must start with redis:// or unix://");
        return SL_ERR_ARG;
    }

    query = memchr(p, '?', (size_t)(end - p));
    path_end = query ? query : end;

    /* Userinfo ends at the last '@' before the path (unix) or the query (tcp):
     * a password may hold '/' but a socket path rarely holds '@'. */
    at = NULL;
    {
        const char *q;
        for (q = p; q < path_end && !(is_unix && *q == '/'); q++) {
            if (*q == '@') {
                at = q;
            }
        }
    }
    if (at) {
        rc = parse_userinfo(p, (size_t)(at - p), ep, err);
        if (rc != SL_OK) {
            return rc;
        }
        p = at + 1;
    }

    if (is_unix) {
        if (p >= path_end || *p != '/') {
            sl_error_set(err, SL_ERR_ARG, "unix DSN needs an absolute socket path (unix:///path/to.sock)");
            return SL_ERR_ARG;
        }
        rc = sl_endpoint_set(&ep->socket, p, (size_t)(path_end - p), "socket path", err);
        if (rc != SL_OK) {
            return rc;
        }
        free(ep->host);
        ep->host = NULL;
    } else {
        const char *host = p, *host_end, *slash;
        slash = p < path_end ? memchr(p, '/', (size_t)(path_end - p)) : NULL;
        host_end = slash ? slash : path_end;

        if (host < host_end && *host == '[') {
            size_t hlen = (size_t)(host_end - host);
            const char *rb = memchr(host, ']', hlen);
            if (!rb) {
                sl_error_set(err, SL_ERR_ARG, "DSN IPv6 host is missing ']'");
                return SL_ERR_ARG;
            }
            rc = sl_endpoint_set(&ep->host, host + 1, (size_t)(rb - host - 1), "host", err);
            if (rc != SL_OK) {
                return rc;
            }
            p = rb + 1;
        } else {
            const char *colon = memchr(host, ':', (size_t)(host_end - host));
            const char *hend = colon ? colon : host_end;
            rc = sl_endpoint_set(&ep->host, host, (size_t)(hend - host), "host", err);
            if (rc != SL_OK) {
                return rc;
            }
            p = hend;
        }
        if (!ep->host[0]) {
            sl_error_set(err, SL_ERR_ARG, "DSN has no host");
            return SL_ERR_ARG;
        }
        if (p < host_end && *p == ':') {
            long port;
            if (parse_int(p + 1, (size_t)(host_end - p - 1), 1, 65535, &port) < 0) {
                sl_error_set(err, SL_ERR_ARG, "DSN port must be an integer in 1..65535");
                return SL_ERR_ARG;
            }
            ep->port = (int)port;
        } else if (p != host_end) {
            sl_error_set(err, SL_ERR_ARG, "DSN host is malformed");
            return SL_ERR_ARG;
        }
        if (slash && slash + 1 < path_end) {
            long db;
            if (parse_int(slash + 1, (size_t)(path_end - slash - 1), 0, 2147483647L, &db) < 0) {
                sl_error_set(err, SL_ERR_ARG, "DSN database must be a non-negative integer");
                return SL_ERR_ARG;
            }
            ep->database = (int)db;
        }
        free(ep->socket);
        ep->socket = NULL;
    }
    if (query) {
        return parse_query(query + 1, (size_t)(end - query - 1), ep, err);
    }
    return SL_OK;
}

sl_status sl_endpoint_check(const sl_endpoint *ep, sl_error *err)
{
    if (!ep->socket && (ep->port < 1 || ep->port > 65535)) {
        sl_error_set(err, SL_ERR_ARG, "port must be in 1..65535");
        return SL_ERR_ARG;
    }
    if (!ep->socket && (!ep->host || !ep->host[0])) {
        sl_error_set(err, SL_ERR_ARG, "host must not be empty");
        return SL_ERR_ARG;
    }
    if (ep->socket && ep->tls) {
        sl_error_set(err, SL_ERR_ARG, "TLS needs a host and port, not a unix socket");
        return SL_ERR_ARG;
    }
    if (ep->database < 0) {
        sl_error_set(err, SL_ERR_ARG, "database must be >= 0");
        return SL_ERR_ARG;
    }
    if (!(ep->timeout > 0.0) || ep->timeout > SL_MAX_TIMEOUT || isnan(ep->timeout)) {
        sl_error_set(err, SL_ERR_ARG, "timeout must be > 0 and <= %g seconds", SL_MAX_TIMEOUT);
        return SL_ERR_ARG;
    }
    return SL_OK;
}

void sl_endpoint_describe(const sl_endpoint *ep, char *buf, size_t size)
{
    if (ep->socket) {
        snprintf(buf, size, "unix://%s/%d", ep->socket, ep->database);
    } else {
        snprintf(buf, size, "%s://%s:%d/%d", ep->tls ? "tls" : "tcp", ep->host ? ep->host : "", ep->port, ep->database);
    }
}

char *sl_endpoint_pool_key(const sl_endpoint *ep)
{
    /* Fields are NUL-free, so '\n' separates them without ambiguity only if
     * they hold no '\n' either; length prefixes make it exact. */
    const char *parts[5];
    size_t total = 64, i, off = 0;
    char *key, *tls = sl_tls_opts_key(ep->tls);

    if (!tls) {
        return NULL;
    }
    parts[0] = ep->socket ? ep->socket : (ep->host ? ep->host : "");
    parts[1] = ep->username ? ep->username : "";
    parts[2] = ep->password ? ep->password : "";
    parts[3] = ep->password ? "p" : "-";
    parts[4] = tls;
    for (i = 0; i < 5; i++) {
        total += strlen(parts[i]) + 24;
    }
    key = malloc(total);
    if (!key) {
        free(tls);
        return NULL;
    }
    off += (size_t)snprintf(key + off, total - off, "%s|%d|%d", ep->socket ? "u" : "t", ep->port, ep->database);
    for (i = 0; i < 5; i++) {
        off += (size_t)snprintf(key + off, total - off, "|%zu:%s", strlen(parts[i]), parts[i]);
    }
    free(tls);
    return key;
}

void sl_dsn_mask(const char *dsn, char *out, size_t size)
{
    const char *scheme_end = strstr(dsn, "://");
    const char *user, *at, *colon = NULL, *q;

    if (size == 0) {
        return;
    }
    if (!scheme_end) {
        snprintf(out, size, "%s", dsn);
        return;
    }
    /* Mask everything up to the last '@': masking too much is harmless,
     * too little shows a password. Keep "user:" only when its ':' comes
     * before any '/' or '?'. */
    user = scheme_end + 3;
    at = strrchr(user, '@');
    if (!at) {
        snprintf(out, size, "%s", dsn);
        return;
    }
    for (q = user; q < at && *q != '/' && *q != '?'; q++) {
        if (*q == ':') {
            colon = q;
            break;
        }
    }
    if (colon) {
        snprintf(out, size, "%.*s:***%s", (int)(colon - dsn), dsn, at);
    } else {
        snprintf(out, size, "%.*s***%s", (int)(user - dsn), dsn, at);
    }
}
