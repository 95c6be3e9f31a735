/* Slot keys and lock handles: building and checking them. */
#ifndef SL_KEY_H
#define SL_KEY_H

#include "sl_common.h"

#define SL_ID_MAX 64
#define SL_PREFIX_MAX 64
#define SL_DEFAULT_PREFIX "slot_lock"
/* <prefix>:c<id>:s<id>:t<YmdHi> */
#define SL_KEY_MAX (SL_PREFIX_MAX + 2 * (SL_ID_MAX + 2) + 2 + 12 + 1 + 4)
/* Keys one lock may hold, and keys one acquire may look at. */
#define SL_MAX_LOCK_KEYS 64
#define SL_MAX_ACQUIRE_KEYS 1024
/* Unix seconds of 1000-01-01 and 10000-01-01 UTC: the years keys can name. */
#define SL_UNIX_MIN INT64_C(-30610224000)
#define SL_UNIX_MAX INT64_C(253402300800)

typedef struct {
    int year, month, day, hour, minute;
} sl_slot_time;

#define SL_KEYLIST_INLINE 4

/* A growable list of keys (each NUL-terminated). The first few keys live
 * inside the struct: one slot or a short compound needs no allocation. */
typedef struct {
    size_t count, cap;
    char **keys;
    size_t *lens;
    char *inline_keys[SL_KEYLIST_INLINE];
    size_t inline_lens[SL_KEYLIST_INLINE];
    size_t arena_used;
    char arena[SL_KEYLIST_INLINE * 128];
} sl_keylist;

/* [A-Za-z0-9_.-]{1,64} */
sl_status sl_prefix_check(const char *prefix, size_t len, sl_error *err);
/* A decimal positive integer or [A-Za-z0-9_-]{1,64}; name is the argument for messages. */
sl_status sl_id_check(const char *id, size_t len, const char *name, sl_error *err);
/* Years 1000..9999 and calendar-valid fields. */
sl_status sl_slot_time_check(const sl_slot_time *t, const char *name, sl_error *err);

/* "YYYY-MM-DD HH:MM" (or 'T' for the space, optional ":00"), the common start
 * format: 1 with the fields in out (not range-checked), 0 for any other shape. */
int sl_slot_time_parse(const char *s, size_t len, sl_slot_time *out);

/* The slot key; tagged puts the company in a Cluster hash tag: "<prefix>:{c<id>}:s<id>:t<YmdHi>". */
size_t sl_key_build_ex(char *out, const char *prefix, int tagged, const char *company, const char *service,
                       const sl_slot_time *t);
sl_status sl_resource_keys_ex(sl_keylist *out, const char *prefix, int tagged, const char *company,
                              const char *resource, int64_t from, int64_t to, int64_t bucket_s, sl_error *err);
/* The hash tag of a key ("{c1}"), or NULL when it has none. */
const char *sl_key_tag(const char *key, size_t len, size_t *tag_len);

/* Writes the key into out (at least SL_KEY_MAX bytes) and returns its length, or 0 after
 * setting err. Arguments must have passed the checks above. */
size_t sl_key_build(char *out, const char *prefix, const char *company, const char *service,
                    const sl_slot_time *t);

/* Appends the bucket keys "<prefix>:c<company>:r<resource>:b<YmdHi UTC>" covering the
 * half-open interval [from, to) (Unix seconds), buckets of bucket_s seconds aligned to the
 * Unix epoch (so to UTC midnight for divisors of a day). */
sl_status sl_resource_keys(sl_keylist *out, const char *prefix, const char *company, const char *resource,
                           int64_t from, int64_t to, int64_t bucket_s, sl_error *err);

/* True when key is "<prefix>:c<id>:s<id>:t<12 digits>" or "<prefix>:c<id>:r<id>:b<12 digits>",
 * the company part optionally as a hash tag "{c<id>}". */
int sl_key_valid(const char *prefix, size_t plen, const char *key, size_t klen);

void sl_keylist_init(sl_keylist *l);
void sl_keylist_free(sl_keylist *l);
sl_status sl_keylist_push(sl_keylist *l, const char *key, size_t len);
/* Index of key in l[from, to), or -1. */
long sl_keylist_find(const sl_keylist *l, size_t from, size_t to, const char *key, size_t len);

/* Splits a handle ("key" or "key,key,...") into keys valid for prefix; no duplicates,
 * at most SL_MAX_LOCK_KEYS. */
sl_status sl_handle_parse(const char *prefix, const char *handle, size_t len, sl_keylist *out,
                          sl_error *err);
/* Joins l[from, to) with ','; caller frees; NULL on out of memory. */
char *sl_handle_join(const sl_keylist *l, size_t from, size_t to, size_t *len);

#endif
