/*
 * Whatever a server (or a man in the middle) sends: the bytes go through
 * hiredis' redisReader, fed in two chunks, and every complete reply goes
 * through every sl_decode_*. A decoder either rejects it or returns values
 * within its documented ranges.
 *
 * Byte 0 picks the split point and n_groups; the rest is RESP.
 *
 * The hot path's own decoder (sl_parse_simple) is checked against hiredis on
 * the same bytes: whatever it accepts, hiredis reads as exactly one reply of
 * the same type and value.
 */
#include <hiredis/hiredis.h>

#include "fuzz_common.h"

#include "sl_conn.h"
#include "sl_lock.h"

/* hiredis 0.14 has no limit on multi-bulk lengths: "*2000000000\r\n" would make
 * it calloc 16 GB, which libFuzzer reports as an out-of-memory crash (hiredis
 * 1.x limits this with maxelements). Refuse big arrays the way 1.x does. */
#define MAX_ELEMENTS 4096
static redisReplyObjectFunctions capped_fn;
static void *(*default_create_array)(const redisReadTask *, int);

static void *capped_create_array(const redisReadTask *task, int elements)
{
    if (elements > MAX_ELEMENTS) {
        return NULL; /* the reader reports out of memory */
    }
    return default_create_array(task, elements);
}

static void decode_all(const redisReply *r, size_t n_groups)
{
    sl_acquire_result ares;
    sl_status_result sres;
    sl_extend_code code;
    sl_error err;
    int64_t v, fence;
    int ok;

    sl_error_clear(&err);
    if (sl_decode_acquire(r, n_groups, &ares, &err) == SL_OK) {
        CHECK(r->type == REDIS_REPLY_ARRAY && r->elements == 6);
        CHECK(ares.candidate >= -1 && ares.candidate < (long)n_groups);
        CHECK(ares.candidate < 0 || ares.fence >= 0); /* 0: taken without fencing */
        CHECK(ares.fresh == 0 || ares.fresh == 1);
        CHECK(ares.blocked >= SL_BLOCKED_NONE && ares.blocked <= SL_BLOCKED_BOOKED_SELF);
        CHECK(ares.candidate < 0 || ares.blocked == SL_BLOCKED_NONE);
        CHECK(ares.booking_id_len <= SL_BOOKING_ID_MAX);
        CHECK(ares.booking_id[ares.booking_id_len] == '\0');
    } else {
        CHECK(err.code == SL_ERR_PROTOCOL);
    }
    if (sl_decode_commit(r, &ok, &fence, &err) == SL_OK) {
        CHECK(r->type == REDIS_REPLY_ARRAY && r->elements == 2);
        CHECK(ok == 0 || ok == 1);
    }
    if (sl_decode_integer(r, &v, &err) == SL_OK) {
        CHECK(r->type == REDIS_REPLY_INTEGER && v == r->integer);
    }
    if (sl_decode_extend(r, &code, &fence, &err) == SL_OK) {
        CHECK(r->type == REDIS_REPLY_ARRAY && r->elements == 3);
        CHECK(code == SL_EXTEND_OK || code == SL_EXTEND_LOST || code == SL_EXTEND_TAKEN);
    }
    if (sl_decode_status(r, &sres, &err) == SL_OK) {
        CHECK(r->type == REDIS_REPLY_ARRAY && r->elements == 3);
        CHECK((sres.locked == 0 || sres.locked == 1) && (sres.booked == 0 || sres.booked == 1));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t groups[] = {0, 1, 2, 3, 64, SL_MAX_ACQUIRE_KEYS};
    redisReader *rd;
    size_t split, n_groups;
    int replies = 0;

    if (size < 1) {
        return 0;
    }
    n_groups = groups[data[0] % (sizeof(groups) / sizeof(groups[0]))];
    data++;
    size--;
    split = size ? (size_t)(data[0] * 7) % (size + 1) : 0;

    {
        redisReply *simple = NULL;
        if (sl_parse_simple((const char *)data, size, &simple)) {
            redisReader *one = redisReaderCreate();
            void *ref = NULL, *more = NULL;
            const redisReply *h;

            CHECK(one != NULL && simple != NULL);
            CHECK(redisReaderFeed(one, (const char *)data, size) == REDIS_OK);
            CHECK(redisReaderGetReply(one, &ref) == REDIS_OK && ref != NULL);
            CHECK(redisReaderGetReply(one, &more) == REDIS_OK && more == NULL);
            h = ref;
            CHECK(h->type == simple->type);
            CHECK(h->type != REDIS_REPLY_INTEGER || h->integer == simple->integer);
            CHECK((h->type != REDIS_REPLY_STRING && h->type != REDIS_REPLY_STATUS) ||
                  (h->len == simple->len && memcmp(h->str, simple->str, h->len) == 0 && simple->str[h->len] == '\0'));
            freeReplyObject(ref);
            freeReplyObject(simple);
            redisReaderFree(one);
        }
    }

    rd = redisReaderCreate();
    CHECK(rd != NULL);
    if (!default_create_array) {
        capped_fn = *rd->fn;
        default_create_array = capped_fn.createArray;
        capped_fn.createArray = capped_create_array;
    }
    rd->fn = &capped_fn;

    if (redisReaderFeed(rd, (const char *)data, split) == REDIS_OK &&
        redisReaderFeed(rd, (const char *)data + split, size - split) == REDIS_OK) {
        for (;;) {
            void *reply = NULL;

            if (redisReaderGetReply(rd, &reply) != REDIS_OK || reply == NULL) {
                break;
            }
            decode_all(reply, n_groups);
            freeReplyObject(reply);
            replies++;
        }
    }
    /* No decoder accepts the absence of a reply. */
    {
        sl_acquire_result ares;
        sl_error err;
        CHECK(sl_decode_acquire(NULL, n_groups, &ares, &err) == SL_ERR_PROTOCOL);
    }
    CHECK(replies >= 0);
    redisReaderFree(rd);
    return 0;
}
