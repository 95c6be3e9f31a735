/*
 * The Lua scripts of the wire format (docs/WIRE.md) and the runner that
 * sends them to one node: EVALSHA, and EVAL on NOSCRIPT. The layer under
 * the topology; it only talks to sl_conn.
 * No user input is ever spliced into a script: it travels in KEYS and ARGV.
 */
#ifndef SL_SCRIPTS_H
#define SL_SCRIPTS_H

#include <stddef.h>

#include <hiredis/hiredis.h>

#include "sl_conn.h"
#include "sl_sha1.h"
#include "sl_stats.h"

/* Commands of up to this many arguments are built on the stack. */
#define SL_STACK_ARGS 48

typedef enum {
    SL_SCRIPT_ACQUIRE = 0,
    SL_SCRIPT_COMMIT,
    SL_SCRIPT_RELEASE,
    SL_SCRIPT_EXTEND,
    SL_SCRIPT_VALIDATE,
    SL_SCRIPT_STATUS,
    SL_SCRIPT_RELEASE1,
    SL_SCRIPT__N,
    /* Native commands, run through the same layers as the scripts:
     * SET <key> <args...> (the hot-path acquire: args = value NX PX ttl GET), and
     * compare-and-delete of <key> if its value is <arg> (DELIFEQ, DELEX IFEQ, or the
     * release1 script, as the connection supports). */
    SL_CMD_SET = SL_SCRIPT__N,
    SL_CMD_DELETE_IF_EQUAL
} sl_script_id;

/* What a connection was found to support (sl_conn.caps). */
#define SL_CAP_KNOWN 1       /* COMMAND INFO was asked */
#define SL_CAP_DELIFEQ 2     /* Valkey >= 9 */
#define SL_CAP_DELEX 4       /* Redis >= 8.4 */
#define SL_CAP_NO_SET_GET 8  /* SET ... NX ... GET refused (Redis < 7.0) */

typedef struct {
    const char *name;
    const char *body;
    size_t len;
    char sha[SL_SHA1_HEX_LEN + 1];
} sl_script;

/* Computes the digests; call once at startup, before threads. */
void sl_scripts_init(void);
/* Only for the scripts (id < SL_SCRIPT__N). */
const sl_script *sl_script_get(sl_script_id id);

/* Writes v in decimal + NUL into buf (>= 24 bytes); returns the length. */
size_t sl_fmt_int(char *buf, int64_t v);

/* Runs a script by digest, sending its body on NOSCRIPT, or a native command
 * (SL_CMD_*). keys/args are binary-safe. An error reply is freed and turned
 * into its code (err says what Redis said). The caller frees *reply on SL_OK. */
sl_status sl_script_run(sl_node *node, sl_script_id id, size_t nkeys, const char *const *keys,
                        const size_t *key_lens, size_t nargs, const char *const *args, const size_t *arg_lens,
                        redisReply **reply, sl_stats *stats, sl_error *err);

#endif
