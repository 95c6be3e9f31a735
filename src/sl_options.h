/*
 * SlotLockService options -> a plain C config: names, types, limits, DSN and
 * node lists. The glue turns each PHP value into an sl_optval and reports
 * the sl_error this file sets (SL_ERR_TYPE: TypeError, SL_ERR_ARG:
 * ValueError); nothing here knows PHP.
 */
#ifndef SL_OPTIONS_H
#define SL_OPTIONS_H

#include "sl_common.h"
#include "sl_dsn.h"
#include "sl_key.h"
#include "sl_topology.h"

#define SL_MASTER_MAX 128
#define SL_NODE_ADDR_MAX 500

typedef enum { SL_OPT_NULL, SL_OPT_BOOL, SL_OPT_INT, SL_OPT_FLOAT, SL_OPT_STRING, SL_OPT_LIST, SL_OPT_OTHER } sl_opt_type;

/* One option value, borrowed from the caller. */
typedef struct {
    sl_opt_type type;
    const char *type_name; /* the caller's name of the type, for messages ("string", "array", ...) */
    int64_t i;             /* INT, BOOL */
    double d;              /* FLOAT */
    const char *s;         /* STRING */
    size_t len;            /* STRING: bytes; LIST: elements */
} sl_optval;

typedef struct {
    sl_endpoint ep;
    char prefix[SL_PREFIX_MAX + 1];
    long ttl;
    long booked_ttl;
    long bucket;
    int persistent;
    char *tz_name;          /* key_timezone, malloc'd */
    size_t tz_len;
    sl_mode mode;
    size_t list_len;        /* elements of the cluster/sentinel/nodes list */
    char master[SL_MASTER_MAX + 1];
    int wait_replicas;
    double wait_timeout;
    int hash_tag;           /* -1: the mode's default */
    double drift_factor;
    double sentinel_check;  /* seconds between asking the sentinels again */
    int fencing;            /* every new holder gets a fence from the counter */
    sl_endpoint nodes[SL_MAX_NODES];
    size_t n_nodes;
} sl_config;

/* Defaults of everything the INI does not set; host 127.0.0.1, prefix slot_lock, UTC. */
sl_status sl_config_init(sl_config *c, sl_error *err);
void sl_config_free(sl_config *c);

sl_status sl_config_timezone(sl_config *c, const char *tz, size_t len, sl_error *err);
sl_status sl_config_prefix(sl_config *c, const char *prefix, size_t len, sl_error *err);
sl_status sl_config_dsn(sl_config *c, const char *dsn, size_t len, sl_error *err);

/* One named option of the array form ("dsn" goes to sl_config_dsn first). */
sl_status sl_config_set(sl_config *c, const char *name, size_t name_len, const sl_optval *v, sl_error *err);

/* Option "tls": true turns TLS on with the defaults (verify on), false off.
 * SL_ERR_ARG when the build has no TLS. */
sl_status sl_config_tls(sl_config *c, const sl_optval *v, sl_error *err);
/* One key of the "tls" array (turns TLS on); names as PHP's ssl context. */
sl_status sl_config_tls_set(sl_config *c, const char *name, size_t name_len, const sl_optval *v, sl_error *err);
/* The INI CA file, for every TLS endpoint (base and nodes) that names no
 * cafile/capath itself. */
sl_status sl_config_tls_default_ca(sl_config *c, const char *cafile, sl_error *err);

/* After every option: the whole endpoint, and "sentinel" needs "master". */
sl_status sl_config_check(const sl_config *c, sl_error *err);

/* One entry of the node list: "host:port", "redis://..." or "unix://...",
 * starting from the base endpoint (sentinels drop credentials and database). */
sl_status sl_config_add_node(sl_config *c, const sl_optval *v, sl_error *err);

/* The key hash tag default: on in Cluster mode. */
static inline int sl_config_tagged(const sl_config *c)
{
    return c->hash_tag >= 0 ? c->hash_tag : c->mode == SL_MODE_CLUSTER;
}

#endif
