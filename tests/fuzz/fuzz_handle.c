/*
 * sl_handle_parse on arbitrary bytes with the default prefix; whatever it
 * accepts must join back to the same bytes and parse again to the same keys.
 */
#include "fuzz_common.h"

#include "sl_key.h"

static const char prefix[] = SL_DEFAULT_PREFIX;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *handle = (const char *)data;
    sl_keylist l, again;
    sl_error err;
    sl_status rc;
    size_t i, j, len = 0;
    char *joined;

    sl_keylist_init(&l);
    sl_error_clear(&err);
    rc = sl_handle_parse(prefix, handle, size, &l, &err);
    if (rc != SL_OK) {
        CHECK(rc == SL_ERR_ARG && err.code == SL_ERR_ARG && err.msg[0]);
        /* A failed parse leaves nothing behind. */
        CHECK(l.count == 0 && l.keys == NULL && l.lens == NULL);
        return 0;
    }
    CHECK(l.count >= 1 && l.count <= SL_MAX_LOCK_KEYS);
    for (i = 0; i < l.count; i++) {
        CHECK(l.lens[i] < SL_KEY_MAX);
        CHECK(l.keys[i][l.lens[i]] == '\0');
        CHECK(memchr(l.keys[i], ',', l.lens[i]) == NULL);
        CHECK(sl_key_valid(prefix, strlen(prefix), l.keys[i], l.lens[i]));
        for (j = 0; j < i; j++) {
            CHECK(l.lens[i] != l.lens[j] || memcmp(l.keys[i], l.keys[j], l.lens[i]) != 0);
        }
    }

    /* Round trip: join gives back the input, which parses to the same keys. */
    joined = sl_handle_join(&l, 0, l.count, &len);
    CHECK(joined != NULL);
    CHECK(len == size && memcmp(joined, data, size) == 0);
    sl_keylist_init(&again);
    CHECK(sl_handle_parse(prefix, joined, len, &again, &err) == SL_OK);
    CHECK(again.count == l.count);
    for (i = 0; i < l.count; i++) {
        CHECK(again.lens[i] == l.lens[i] && memcmp(again.keys[i], l.keys[i], l.lens[i]) == 0);
        CHECK(sl_keylist_find(&again, 0, again.count, l.keys[i], l.lens[i]) == (long)i);
    }
    free(joined);

    /* Any sub-range joins and parses too. */
    if (l.count >= 2) {
        joined = sl_handle_join(&l, 1, l.count, &len);
        CHECK(joined != NULL);
        sl_keylist_free(&again);
        CHECK(sl_handle_parse(prefix, joined, len, &again, &err) == SL_OK);
        CHECK(again.count == l.count - 1);
        free(joined);
    }
    /* Another prefix never accepts these keys unless it is the same. */
    sl_keylist_free(&again);
    CHECK(sl_handle_parse("slot_lock2", handle, size, &again, &err) == SL_ERR_ARG);
    sl_keylist_free(&again);
    sl_keylist_free(&l);
    return 0;
}
