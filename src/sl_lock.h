/*
 * Lock operations: each is one script, one round trip, whatever the number
 * of keys. Arguments are checked by the callers (sl_key.h, sl_owner_check,
 * sl_ttl_check); these functions only talk to Redis and decode replies.
 */
#ifndef SL_LOCK_H
#define SL_LOCK_H

#include <hiredis/hiredis.h>

#include "sl_common.h"
#include "sl_conn.h"
#include "sl_key.h"
#include "sl_scripts.h"
#include "sl_stats.h"
#include "sl_topology.h"

#define SL_OWNER_MAX 128
#define SL_TOKEN_LEN 32 /* hex chars of a generated owner */
#define SL_TTL_MIN 1
#define SL_TTL_MAX 86400
#define SL_DEFAULT_TTL 300

typedef struct {
    sl_topology *topo;
    int tagged;     /* keys carry the company as a Cluster hash tag */
    char prefix[SL_PREFIX_MAX + 1];
    char fence_key[SL_PREFIX_MAX + 8];  /* "<prefix>#fence" (untagged mode) */
    int fencing;    /* option fencing: every new holder gets a fence from the counter */
    sl_stats *stats;
} sl_locker;

#define SL_BOOKING_ID_MAX 128

/* What kept an acquire from taking its first candidate. */
typedef enum {
    SL_BLOCKED_NONE = 0,
    SL_BLOCKED_LOCKED = 1,      /* another owner holds it */
    SL_BLOCKED_BOOKED = 2,      /* booked (by another owner) */
    SL_BLOCKED_BOOKED_SELF = 3  /* booked by this owner: booking_id says which booking */
} sl_blocked;

typedef struct {
    long candidate;  /* 0-based index of the candidate taken, -1: none free */
    int64_t fence;
    int64_t ttl_ms;  /* granted TTL; when none was free: ms until a blocker expires, -1 unknown */
    int fresh;       /* 1: a new hold; 0: the owner already held it (refreshed) */
    sl_blocked blocked;
    size_t booking_id_len;
    char booking_id[SL_BOOKING_ID_MAX + 1];
} sl_acquire_result;

typedef enum { SL_EXTEND_OK = 1, SL_EXTEND_LOST = 0, SL_EXTEND_TAKEN = -1 } sl_extend_code;

typedef struct {
    int locked;
    int booked;
    int64_t ttl_ms; /* -1: no key has a TTL (or none exists) */
} sl_status_result;

/* 1..128 bytes, no NUL byte. */
sl_status sl_owner_check(const char *owner, size_t len, sl_error *err);
/* 1..86400 seconds. */
sl_status sl_ttl_check(long long ttl, const char *name, sl_error *err);
/* Fills out with 32 hex chars + NUL from 16 bytes of the random source. */
typedef int (*sl_random_fn)(void *buf, size_t len);
sl_status sl_owner_generate(char out[SL_TOKEN_LEN + 1], sl_random_fn random, sl_error *err);

/* prefix must have passed sl_prefix_check. */
void sl_locker_init(sl_locker *lk, sl_topology *topo, const char *prefix, int tagged, sl_stats *stats);

/* keys are cut into n_groups candidates of group_sizes[i] keys each. */
sl_status sl_lock_acquire(sl_locker *lk, const sl_keylist *keys, const size_t *group_sizes, size_t n_groups,
                          const char *owner, size_t owner_len, int64_t ttl_ms, sl_acquire_result *res,
                          sl_error *err);
/* Turns owner's hold into a booked marker for ttl_ms; *ok = 0 when another owner holds a key. */
sl_status sl_lock_commit(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                         const char *booking_id, size_t booking_id_len, int64_t ttl_ms, int *ok, int64_t *fence,
                         sl_error *err);
sl_status sl_lock_release(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                          long *released, sl_error *err);
sl_status sl_lock_extend(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                         int64_t ttl_ms, sl_extend_code *code, int64_t *fence, sl_error *err);
sl_status sl_lock_validate(sl_locker *lk, const sl_keylist *keys, const char *owner, size_t owner_len,
                           int *valid, sl_error *err);
sl_status sl_lock_status(sl_locker *lk, const sl_keylist *keys, sl_status_result *res, sl_error *err);
sl_status sl_lock_count(sl_locker *lk, int64_t *count, sl_error *err);

/* Reply decoders (exposed for tests and fuzzing). */
sl_status sl_decode_acquire(const redisReply *r, size_t n_groups, sl_acquire_result *res, sl_error *err);
sl_status sl_decode_commit(const redisReply *r, int *ok, int64_t *fence, sl_error *err);
sl_status sl_decode_integer(const redisReply *r, int64_t *out, sl_error *err);
sl_status sl_decode_extend(const redisReply *r, sl_extend_code *code, int64_t *fence, sl_error *err);
sl_status sl_decode_status(const redisReply *r, sl_status_result *res, sl_error *err);

#endif
