/* SlotLockService options: validation into an sl_config (no PHP here). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_lock.h"
#include "sl_options.h"

#define CTX "SlotLockService::__construct(): "

static int name_is(const char *name, size_t len, const char *lit)
{
    return strlen(lit) == len && memcmp(name, lit, len) == 0;
}

static sl_status type_error(const char *name, const char *expected, const sl_optval *v, sl_error *err)
{
    sl_error_set(err, SL_ERR_TYPE, CTX "Option \"%s\" must be of type %s, %s given", name, expected,
                 v->type_name ? v->type_name : "unknown");
    return SL_ERR_TYPE;
}

static sl_status opt_int(const char *name, const sl_optval *v, int64_t min, int64_t max, int64_t *out,
                         sl_error *err)
{
    if (v->type != SL_OPT_INT) {
        return type_error(name, "int", v, err);
    }
    if (v->i < min || v->i > max) {
        sl_error_set(err, SL_ERR_ARG, CTX "Option \"%s\" must be between %lld and %lld", name, (long long)min,
                     (long long)max);
        return SL_ERR_ARG;
    }
    *out = v->i;
    return SL_OK;
}

/* An int or float option, as a double. */
static sl_status opt_float(const char *name, const sl_optval *v, double *out, sl_error *err)
{
    if (v->type == SL_OPT_INT) {
        *out = (double)v->i;
    } else if (v->type == SL_OPT_FLOAT) {
        *out = v->d;
    } else {
        return type_error(name, "float", v, err);
    }
    return SL_OK;
}

static sl_status opt_bool(const char *name, const sl_optval *v, int *out, sl_error *err)
{
    if (v->type != SL_OPT_BOOL) {
        return type_error(name, "bool", v, err);
    }
    *out = v->i != 0;
    return SL_OK;
}

static sl_status opt_string(char **field, const char *name, const sl_optval *v, int nullable, sl_error *err)
{
    if (v->type == SL_OPT_NULL && nullable) {
        free(*field);
        *field = NULL;
        return SL_OK;
    }
    if (v->type != SL_OPT_STRING) {
        return type_error(name, nullable ? "?string" : "string", v, err);
    }
    return sl_endpoint_set(field, v->s, v->len, name, err);
}

static sl_status opt_range(const char *name, double d, double max, const char *what, sl_error *err)
{
    if (!(d >= 0.0 && d <= max)) {
        sl_error_set(err, SL_ERR_ARG, CTX "Option \"%s\" must be %s", name, what);
        return SL_ERR_ARG;
    }
    return SL_OK;
}

sl_status sl_config_init(sl_config *c, sl_error *err)
{
    memset(c, 0, sizeof(*c));
    sl_endpoint_init(&c->ep);
    c->ttl = SL_DEFAULT_TTL;
    c->booked_ttl = 600;
    c->bucket = 15;
    c->mode = SL_MODE_SINGLE;
    c->hash_tag = -1;
    c->wait_timeout = 0.1;
    c->drift_factor = 0.01;
    memcpy(c->prefix, SL_DEFAULT_PREFIX, sizeof(SL_DEFAULT_PREFIX));
    if (sl_endpoint_set(&c->ep.host, SL_DEFAULT_HOST, strlen(SL_DEFAULT_HOST), "host", err) != SL_OK) {
        return err->code;
    }
    return sl_config_timezone(c, "UTC", 3, err);
}

void sl_config_free(sl_config *c)
{
    size_t i;

    sl_endpoint_free(&c->ep);
    for (i = 0; i < c->n_nodes; i++) {
        sl_endpoint_free(&c->nodes[i]);
    }
    c->n_nodes = 0;
    free(c->tz_name);
    c->tz_name = NULL;
}

sl_status sl_config_timezone(sl_config *c, const char *tz, size_t len, sl_error *err)
{
    char *copy = malloc(len + 1);

    if (!copy) {
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    memcpy(copy, tz, len);
    copy[len] = '\0';
    free(c->tz_name);
    c->tz_name = copy;
    c->tz_len = len;
    return SL_OK;
}

sl_status sl_config_prefix(sl_config *c, const char *prefix, size_t len, sl_error *err)
{
    if (sl_prefix_check(prefix, len, err) != SL_OK) {
        return err->code;
    }
    memcpy(c->prefix, prefix, len);
    c->prefix[len] = '\0';
    return SL_OK;
}

sl_status sl_config_dsn(sl_config *c, const char *dsn, size_t len, sl_error *err)
{
    return sl_dsn_parse(dsn, len, &c->ep, err);
}

/* host, port, socket, database, username, password, timeout. */
static sl_status set_endpoint(sl_config *c, const char *k, size_t klen, const sl_optval *v, int *known,
                              sl_error *err)
{
    int64_t n;
    double t;

    *known = 1;
    if (name_is(k, klen, "host")) {
        if (opt_string(&c->ep.host, k, v, 0, err) != SL_OK) {
            return err->code;
        }
        free(c->ep.socket);
        c->ep.socket = NULL;
    } else if (name_is(k, klen, "port")) {
        if (opt_int(k, v, 1, 65535, &n, err) != SL_OK) {
            return err->code;
        }
        c->ep.port = (int)n;
    } else if (name_is(k, klen, "socket")) {
        if (opt_string(&c->ep.socket, k, v, 1, err) != SL_OK) {
            return err->code;
        }
        if (c->ep.socket && c->ep.socket[0] != '/') {
            sl_error_set(err, SL_ERR_ARG, CTX "Option \"socket\" must be an absolute path");
            return SL_ERR_ARG;
        }
    } else if (name_is(k, klen, "database")) {
        if (opt_int(k, v, 0, INT_MAX, &n, err) != SL_OK) {
            return err->code;
        }
        c->ep.database = (int)n;
    } else if (name_is(k, klen, "username") || name_is(k, klen, "password")) {
        return opt_string(k[0] == 'u' ? &c->ep.username : &c->ep.password, k, v, 1, err);
    } else if (name_is(k, klen, "timeout")) {
        if (opt_float(k, v, &t, err) != SL_OK) {
            return err->code;
        }
        if (!(t > 0.0) || t > SL_MAX_TIMEOUT) {
            sl_error_set(err, SL_ERR_ARG, CTX "Option \"timeout\" must be > 0 and <= %g seconds", SL_MAX_TIMEOUT);
            return SL_ERR_ARG;
        }
        c->ep.timeout = t;
    } else {
        *known = 0;
    }
    return SL_OK;
}

/* prefix, ttl, booked_ttl, bucket, persistent, hash_tag, fencing, key_timezone. */
static sl_status set_locking(sl_config *c, const char *k, size_t klen, const sl_optval *v, int *known,
                             sl_error *err)
{
    int64_t n;

    *known = 1;
    if (name_is(k, klen, "prefix")) {
        if (v->type != SL_OPT_STRING) {
            return type_error(k, "string", v, err);
        }
        return sl_config_prefix(c, v->s, v->len, err);
    } else if (name_is(k, klen, "ttl") || name_is(k, klen, "booked_ttl")) {
        if (opt_int(k, v, SL_TTL_MIN, SL_TTL_MAX, &n, err) != SL_OK) {
            return err->code;
        }
        *(k[0] == 't' ? &c->ttl : &c->booked_ttl) = (long)n;
    } else if (name_is(k, klen, "bucket")) {
        if (opt_int(k, v, 1, 1440, &n, err) != SL_OK) {
            return err->code;
        }
        c->bucket = (long)n;
    } else if (name_is(k, klen, "persistent")) {
        return opt_bool(k, v, &c->persistent, err);
    } else if (name_is(k, klen, "hash_tag")) {
        return opt_bool(k, v, &c->hash_tag, err);
    } else if (name_is(k, klen, "fencing")) {
        return opt_bool(k, v, &c->fencing, err);
    } else if (name_is(k, klen, "key_timezone")) {
        if (v->type != SL_OPT_STRING) {
            return type_error(k, "string", v, err);
        }
        return sl_config_timezone(c, v->s, v->len, err);
    } else {
        *known = 0;
    }
    return SL_OK;
}

/* cluster, sentinel, nodes, master, wait_replicas, wait_timeout, drift_factor, sentinel_check. */
static sl_status set_topology(sl_config *c, const char *k, size_t klen, const sl_optval *v, int *known,
                              sl_error *err)
{
    int64_t n;
    double d;

    *known = 1;
    if (name_is(k, klen, "cluster") || name_is(k, klen, "sentinel") || name_is(k, klen, "nodes")) {
        if (v->type != SL_OPT_LIST) {
            return type_error(k, "array", v, err);
        }
        if (c->list_len) {
            sl_error_set(err, SL_ERR_ARG, CTX "Options \"cluster\", \"sentinel\" and \"nodes\" exclude each other");
            return SL_ERR_ARG;
        }
        if (v->len < 1 || v->len > SL_MAX_NODES) {
            sl_error_set(err, SL_ERR_ARG, CTX "Option \"%s\" must list 1 to %d nodes", k, SL_MAX_NODES);
            return SL_ERR_ARG;
        }
        c->list_len = v->len;
        c->mode = k[0] == 'c' ? SL_MODE_CLUSTER : (k[0] == 's' ? SL_MODE_SENTINEL : SL_MODE_QUORUM);
    } else if (name_is(k, klen, "master")) {
        if (v->type != SL_OPT_STRING) {
            return type_error(k, "string", v, err);
        }
        if (v->len == 0 || v->len > SL_MASTER_MAX || memchr(v->s, '\0', v->len)) {
            sl_error_set(err, SL_ERR_ARG, CTX "Option \"master\" must be 1 to %d bytes", SL_MASTER_MAX);
            return SL_ERR_ARG;
        }
        memcpy(c->master, v->s, v->len);
        c->master[v->len] = '\0';
    } else if (name_is(k, klen, "wait_replicas")) {
        if (opt_int(k, v, 0, 16, &n, err) != SL_OK) {
            return err->code;
        }
        c->wait_replicas = (int)n;
    } else if (name_is(k, klen, "sentinel_check") || name_is(k, klen, "wait_timeout")) {
        if (opt_float(k, v, &d, err) != SL_OK || opt_range(k, d, 60.0, "0 to 60 seconds", err) != SL_OK) {
            return err->code;
        }
        *(k[0] == 's' ? &c->sentinel_check : &c->wait_timeout) = d;
    } else if (name_is(k, klen, "drift_factor")) {
        if (opt_float(k, v, &d, err) != SL_OK || opt_range(k, d, 0.5, "0 to 0.5", err) != SL_OK) {
            return err->code;
        }
        c->drift_factor = d;
    } else {
        *known = 0;
    }
    return SL_OK;
}

sl_status sl_config_set(sl_config *c, const char *name, size_t name_len, const sl_optval *v, sl_error *err)
{
    int known = 0;

    if ((set_endpoint(c, name, name_len, v, &known, err) != SL_OK) ||
        (!known && set_locking(c, name, name_len, v, &known, err) != SL_OK) ||
        (!known && set_topology(c, name, name_len, v, &known, err) != SL_OK)) {
        return err->code;
    }
    if (!known) {
        sl_error_set(err, SL_ERR_ARG, CTX "Unknown option \"%s\"",
                     name_len > 64 || memchr(name, '\0', name_len) ? "(too long)" : name);
        return SL_ERR_ARG;
    }
    return SL_OK;
}

static sl_status tls_on(sl_config *c, sl_error *err)
{
    if (c->ep.tls) {
        return SL_OK;
    }
    if (!sl_tls_library()) {
        sl_error_set(err, SL_ERR_ARG, CTX "Option \"tls\": TLS is not supported by this build");
        return SL_ERR_ARG;
    }
    if (!(c->ep.tls = sl_tls_opts_new())) {
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    return SL_OK;
}

sl_status sl_config_tls(sl_config *c, const sl_optval *v, sl_error *err)
{
    if (v->type != SL_OPT_BOOL) {
        return type_error("tls", "array|bool", v, err);
    }
    if (!v->i) {
        sl_tls_opts_free(c->ep.tls);
        c->ep.tls = NULL;
        return SL_OK;
    }
    return tls_on(c, err);
}

#define TLS_CTX CTX "Option \"tls\": "

static sl_status tls_bad(const char *name, const char *what, sl_error *err)
{
    sl_error_set(err, SL_ERR_ARG, TLS_CTX "\"%s\" must be %s", name, what);
    return SL_ERR_ARG;
}

/* One key of the "tls" array, by the names of PHP's ssl stream context. */
static sl_status tls_set(sl_tls_opts *o, const char *k, size_t klen, const sl_optval *v, sl_error *err)
{
    static const char *const strings[] = {"cafile", "capath", "local_cert", "local_pk", "passphrase", "peer_name",
                                          "ciphers"};
    char **fields[7];
    size_t i;

    fields[0] = &o->cafile;
    fields[1] = &o->capath;
    fields[2] = &o->local_cert;
    fields[3] = &o->local_pk;
    fields[4] = &o->passphrase;
    fields[5] = &o->peer_name;
    fields[6] = &o->ciphers;
    for (i = 0; i < 7; i++) {
        if (!name_is(k, klen, strings[i])) {
            continue;
        }
        if (v->type != SL_OPT_STRING || v->len == 0 || memchr(v->s, '\0', v->len)) {
            return tls_bad(strings[i], "a non-empty string", err);
        }
        return sl_endpoint_set(fields[i], v->s, v->len, strings[i], err);
    }
    if (name_is(k, klen, "verify_peer") || name_is(k, klen, "verify_peer_name")) {
        const char *name = klen == 11 ? "verify_peer" : "verify_peer_name";
        if (v->type != SL_OPT_BOOL) {
            return tls_bad(name, "a bool", err);
        }
        *(klen == 11 ? &o->verify_peer : &o->verify_peer_name) = v->i != 0;
        return SL_OK;
    }
    if (name_is(k, klen, "security_level")) {
        if (v->type != SL_OPT_INT || v->i < 0 || v->i > 5) {
            return tls_bad("security_level", "an int from 0 to 5", err);
        }
        o->security_level = (int)v->i;
        return SL_OK;
    }
    if (name_is(k, klen, "min_proto_version")) {
        /* PHP's STREAM_CRYPTO_PROTO_TLSv1_2 (32) / _3 (64), or their names */
        int is_str = v->type == SL_OPT_STRING;
        if ((v->type == SL_OPT_INT && v->i == 32) || (is_str && (name_is(v->s, v->len, "tlsv1.2") ||
                                                                 name_is(v->s, v->len, "TLSv1.2")))) {
            o->min_proto = 12;
            return SL_OK;
        }
        if ((v->type == SL_OPT_INT && v->i == 64) || (is_str && (name_is(v->s, v->len, "tlsv1.3") ||
                                                                 name_is(v->s, v->len, "TLSv1.3")))) {
            o->min_proto = 13;
            return SL_OK;
        }
        return tls_bad("min_proto_version",
                       "\"tlsv1.2\", \"tlsv1.3\", STREAM_CRYPTO_PROTO_TLSv1_2 or STREAM_CRYPTO_PROTO_TLSv1_3", err);
    }
    sl_error_set(err, SL_ERR_ARG,
                 TLS_CTX "unknown key \"%s\" (allowed: cafile, capath, local_cert, local_pk, passphrase, verify_peer, "
                         "verify_peer_name, peer_name, ciphers, security_level, min_proto_version)",
                 klen > 64 || memchr(k, '\0', klen) ? "(too long)" : k);
    return SL_ERR_ARG;
}

sl_status sl_config_tls_set(sl_config *c, const char *name, size_t name_len, const sl_optval *v, sl_error *err)
{
    if (tls_on(c, err) != SL_OK) {
        return err->code;
    }
    return tls_set(c->ep.tls, name, name_len, v, err);
}

sl_status sl_config_tls_default_ca(sl_config *c, const char *cafile, sl_error *err)
{
    size_t i;

    if (!cafile || !*cafile) {
        return SL_OK;
    }
    for (i = 0; i <= c->n_nodes; i++) {
        sl_endpoint *ep = i == 0 ? &c->ep : &c->nodes[i - 1];
        if (ep->tls && !ep->tls->cafile && !ep->tls->capath &&
            sl_endpoint_set(&ep->tls->cafile, cafile, strlen(cafile), "slotlock.tls_cafile", err) != SL_OK) {
            return err->code;
        }
    }
    return SL_OK;
}

sl_status sl_config_check(const sl_config *c, sl_error *err)
{
    if (sl_endpoint_check(&c->ep, err) != SL_OK) {
        char msg[SL_ERRMSG_MAX];
        snprintf(msg, sizeof(msg), "%s", err->msg);
        sl_error_set(err, SL_ERR_ARG, CTX "%s", msg);
        return SL_ERR_ARG;
    }
    return SL_OK;
}

sl_status sl_config_add_node(sl_config *c, const sl_optval *v, sl_error *err)
{
    char buf[SL_NODE_ADDR_MAX + 16];
    sl_endpoint *ep = &c->nodes[c->n_nodes];
    const char *s = v->s;
    size_t len = v->len;

    if (c->mode == SL_MODE_SENTINEL && !c->master[0]) {
        sl_error_set(err, SL_ERR_ARG, CTX "Option \"sentinel\" needs option \"master\"");
        return SL_ERR_ARG;
    }
    if (v->type != SL_OPT_STRING) {
        sl_error_set(err, SL_ERR_TYPE, CTX "Node addresses must be strings, %s given",
                     v->type_name ? v->type_name : "unknown");
        return SL_ERR_TYPE;
    }
    if (len == 0 || len > SL_NODE_ADDR_MAX) {
        sl_error_set(err, SL_ERR_ARG, CTX "A node address must be 1 to %d bytes", SL_NODE_ADDR_MAX);
        return SL_ERR_ARG;
    }
    if (c->n_nodes >= SL_MAX_NODES) {
        sl_error_set(err, SL_ERR_ARG, CTX "Option \"nodes\" must list 1 to %d nodes", SL_MAX_NODES);
        return SL_ERR_ARG;
    }
    if (!memchr(s, '/', len)) {
        len = (size_t)snprintf(buf, sizeof(buf), "redis://%.*s", (int)len, s);
        s = buf;
    }
    if (sl_endpoint_copy(ep, &c->ep) != SL_OK) {
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    if (c->mode == SL_MODE_SENTINEL) {
        /* sentinels have no data, database or (here) credentials of their own */
        free(ep->username);
        ep->username = NULL;
        free(ep->password);
        ep->password = NULL;
        ep->database = 0;
    }
    if (sl_dsn_parse(s, len, ep, err) != SL_OK || sl_endpoint_check(ep, err) != SL_OK) {
        char msg[SL_ERRMSG_MAX];
        sl_endpoint_free(ep);
        snprintf(msg, sizeof(msg), "%s", err->msg);
        sl_error_set(err, SL_ERR_ARG, CTX "Node address: %s", msg);
        return SL_ERR_ARG;
    }
    c->n_nodes++;
    return SL_OK;
}
