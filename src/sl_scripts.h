/*
 * The Lua scripts: slotlock's whole wire protocol (docs/WIRE.md).
 * No user input is ever spliced into a script: it travels in KEYS and ARGV.
 */
#ifndef SL_SCRIPTS_H
#define SL_SCRIPTS_H

#include <stddef.h>

#include "sl_sha1.h"

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

#endif
