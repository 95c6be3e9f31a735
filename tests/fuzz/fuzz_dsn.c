/*
 * sl_dsn_parse on arbitrary bytes, then everything that consumes an endpoint:
 * sl_endpoint_check, sl_endpoint_pool_key, sl_endpoint_copy, sl_endpoint_describe,
 * sl_dsn_mask, sl_endpoint_free.
 */
#include "fuzz_common.h"

#include "sl_dsn.h"

/* Number of (possibly overlapping) occurrences of needle in hay. */
static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    const char *p = hay;

    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p++;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dsn = (const char *)data;
    sl_endpoint ep, copy;
    sl_error err;
    sl_status rc;
    char masked[512], tiny[8], where[SL_ERRMSG_MAX];
    char *cstr, *key;

    sl_endpoint_init(&ep);
    CHECK(sl_endpoint_set(&ep.host, "127.0.0.1", 9, "host", &err) == SL_OK);
    sl_error_clear(&err);
    rc = sl_dsn_parse(dsn, size, &ep, &err);
    CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
    if (rc == SL_OK) {
        CHECK(err.code == SL_OK);
        /* What the parser accepts, the checker accepts. */
        CHECK(sl_endpoint_check(&ep, &err) == SL_OK);
        CHECK((ep.socket == NULL) != (ep.host == NULL));
        CHECK(ep.socket == NULL || ep.socket[0] == '/');
        CHECK(ep.password == NULL || ep.password[0] != '\0');
        CHECK(size >= 7);
    } else {
        CHECK(rc == SL_ERR_ARG);
        CHECK(err.code == rc);
        CHECK(err.msg[0] != '\0');
    }

    /* A partly parsed endpoint is still safe to use and free. */
    key = sl_endpoint_pool_key(&ep);
    CHECK(key != NULL);
    if (sl_endpoint_copy(&copy, &ep) == SL_OK) {
        char *key2 = sl_endpoint_pool_key(&copy);
        CHECK(key2 != NULL && strcmp(key, key2) == 0);
        free(key2);
        sl_endpoint_free(&copy);
    }
    free(key);
    sl_endpoint_describe(&ep, where, sizeof(where));
    CHECK(strncmp(where, ep.socket ? "unix://" : "tcp://", ep.socket ? 7 : 6) == 0);

    cstr = fuzz_cstr(data, size);
    sl_dsn_mask(cstr, masked, sizeof(masked));
    CHECK(memchr(masked, '\0', sizeof(masked)) != NULL);
    sl_dsn_mask(cstr, tiny, sizeof(tiny));
    CHECK(memchr(tiny, '\0', sizeof(tiny)) != NULL);
    sl_dsn_mask(cstr, tiny, 1);
    CHECK(tiny[0] == '\0');
    /* A password taken verbatim from a valid DSN (no escapes, met only once in it,
     * no '*' to blend with the mask) never shows in the masked copy. */
    if (rc == SL_OK && ep.password && size < sizeof(masked) - 8 && !memchr(data, '%', size) &&
        !strchr(ep.password, '*') && count_of(cstr, ep.password) == 1
    ) {
        CHECK(strstr(masked, ep.password) == NULL);
    }
    free(cstr);
    sl_endpoint_free(&ep);
    CHECK(ep.host == NULL && ep.password == NULL && ep.socket == NULL && ep.username == NULL);
    return 0;
}
