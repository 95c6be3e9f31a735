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
    SL_SCRIPT_COUNT,
    SL_SCRIPT__N
} sl_script_id;

typedef struct {
    const char *name;
    const char *body;
    size_t len;
    char sha[SL_SHA1_HEX_LEN + 1];
} sl_script;

/* Computes the digests; call once at startup, before threads. */
void sl_scripts_init(void);
const sl_script *sl_script_get(sl_script_id id);

/* Writes v in decimal + NUL into buf (>= 24 bytes); returns the length. */
size_t sl_fmt_int(char *buf, int64_t v);

/* Runs a script by digest, sending its body on NOSCRIPT. keys/args are
 * binary-safe. The caller frees *reply on SL_OK. */
sl_status sl_script_run(sl_node *node, sl_script_id id, size_t nkeys, const char *const *keys,
                        const size_t *key_lens, size_t nargs, const char *const *args, const size_t *arg_lens,
                        redisReply **reply, sl_stats *stats, sl_error *err);

#endif
