/* SHA-1, for the EVALSHA digests of the Lua scripts (not for security). */
#ifndef SL_SHA1_H
#define SL_SHA1_H

#include <stddef.h>

#define SL_SHA1_HEX_LEN 40

/* Writes the lowercase hex digest of data (41 bytes with the NUL). */
void sl_sha1_hex(const void *data, size_t len, char out[SL_SHA1_HEX_LEN + 1]);

#endif
