/*
 * The key grammar: sl_prefix_check, sl_id_check and sl_key_valid on pieces of
 * the input, compared with a straightforward reference implementation of
 * docs/WIRE.md; then sl_key_build from checked pieces must give a valid key.
 *
 * Input: byte 0 = prefix length (mod 80), then the prefix, then the key; the
 * key is also split at its first '|' into two ids for sl_key_build.
 */
#include "fuzz_common.h"

#include "sl_key.h"

static int ref_id_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* [A-Za-z0-9_-]{1,64} */
static int ref_id(const char *s, size_t n)
{
    size_t i;

    if (n < 1 || n > 64) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!ref_id_char((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

/* [A-Za-z0-9_.-]{1,64} */
static int ref_prefix(const char *s, size_t n)
{
    size_t i;

    if (n < 1 || n > 64) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!ref_id_char((unsigned char)s[i]) && s[i] != '.') {
            return 0;
        }
    }
    return 1;
}

/* <prefix>:c<id>:s<id>:t<12 digits> or <prefix>:c<id>:r<id>:b<12 digits>, the
 * company optionally as "{c<id>}", by splitting at ':' (ids hold no ':'). */
static int ref_key(const char *prefix, size_t plen, const char *key, size_t klen)
{
    const char *p, *end = key + klen, *c1, *c2;
    size_t i;
    char kind;

    if (klen < plen + 1 || memcmp(key, prefix, plen) != 0 || key[plen] != ':') {
        return 0;
    }
    p = key + plen + 1;
    if (p < end && *p == '{') {
        /* Cluster mode: the company as a hash tag, "{c<id>}:" */
        const char *cb = memchr(p, '}', (size_t)(end - p));
        if (!cb || cb - p < 2 || p[1] != 'c' || !ref_id(p + 2, (size_t)(cb - p - 2)) || end - cb < 2 ||
            cb[1] != ':') {
            return 0;
        }
        p = cb + 2;
    } else {
        c1 = memchr(p, ':', (size_t)(end - p));
        if (!c1 || *p != 'c' || !ref_id(p + 1, (size_t)(c1 - p - 1))) {
            return 0;
        }
        p = c1 + 1;
    }
    c2 = memchr(p, ':', (size_t)(end - p));
    if (!c2 || (*p != 's' && *p != 'r') || !ref_id(p + 1, (size_t)(c2 - p - 1))) {
        return 0;
    }
    kind = *p == 's' ? 't' : 'b';
    p = c2 + 1;
    if (end - p != 13 || *p != kind) {
        return 0;
    }
    for (i = 1; i < 13; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *prefix, *key, *bar;
    size_t plen, klen;
    sl_error err;
    int valid, pok;

    if (size < 1) {
        return 0;
    }
    plen = data[0] % 80;
    if (plen > size - 1) {
        plen = size - 1;
    }
    prefix = (const char *)data + 1;
    key = prefix + plen;
    klen = size - 1 - plen;

    pok = sl_prefix_check(prefix, plen, &err) == SL_OK;
    CHECK(pok == ref_prefix(prefix, plen));
    CHECK(pok || err.code == SL_ERR_ARG);
    CHECK((sl_id_check(key, klen, "$id", &err) == SL_OK) == ref_id(key, klen));

    valid = sl_key_valid(prefix, plen, key, klen);
    CHECK(valid == ref_key(prefix, plen, key, klen));
    if (valid && pok) {
        CHECK(klen < SL_KEY_MAX);
    }

    /* Build a key from checked pieces: it must be valid and parse as a handle. */
    bar = memchr(key, '|', klen);
    if (pok && bar) {
        size_t clen = (size_t)(bar - key), slen = klen - clen - 1;
        char p[SL_PREFIX_MAX + 1], c[SL_ID_MAX + 1], s[SL_ID_MAX + 1], out[SL_KEY_MAX];
        sl_slot_time t = {1000 + (int)(klen * 37 % 9000), 1 + (int)(klen % 12), 1 + (int)(clen % 31),
                          (int)(slen % 24), (int)((clen * 7 + slen) % 60)};

        if (sl_id_check(key, clen, "$companyId", &err) == SL_OK &&
            sl_id_check(bar + 1, slen, "$serviceId", &err) == SL_OK) {
            size_t n;
            sl_keylist l;

            memcpy(p, prefix, plen);
            p[plen] = '\0';
            memcpy(c, key, clen);
            c[clen] = '\0';
            memcpy(s, bar + 1, slen);
            s[slen] = '\0';
            if (sl_slot_time_check(&t, "$start", &err) != SL_OK) {
                t.day = 28; /* every month has it */
                CHECK(sl_slot_time_check(&t, "$start", &err) == SL_OK);
            }
            n = sl_key_build(out, p, c, s, &t);
            CHECK(n > 0 && n < SL_KEY_MAX && strlen(out) == n);
            CHECK(sl_key_valid(p, plen, out, n));
            CHECK(ref_key(p, plen, out, n));
            {
                /* The Cluster form: two bytes longer, valid, its tag is "{c<company>}". */
                char tagged[SL_KEY_MAX];
                size_t tn = sl_key_build_ex(tagged, p, 1, c, s, &t), tag_len = 0;
                const char *tag = sl_key_tag(tagged, tn, &tag_len);
                CHECK(tn == n + 2 && strlen(tagged) == tn);
                CHECK(sl_key_valid(p, plen, tagged, tn) && ref_key(p, plen, tagged, tn));
                CHECK(tag && tag_len == clen + 3 && tag[1] == 'c' && memcmp(tag + 2, c, clen) == 0);
            }
            sl_keylist_init(&l);
            CHECK(sl_handle_parse(p, out, n, &l, &err) == SL_OK && l.count == 1);
            sl_keylist_free(&l);
        }
    }

    /* Slot times straight from the input: checked, never a crash. */
    if (size >= 1 + 5 * 4) {
        sl_slot_time t;
        const uint8_t *q = data + size - 20;
        int *f[5] = {&t.year, &t.month, &t.day, &t.hour, &t.minute};
        int i;

        for (i = 0; i < 5; i++) {
            uint32_t v = (uint32_t)q[4 * i] | (uint32_t)q[4 * i + 1] << 8 | (uint32_t)q[4 * i + 2] << 16 |
                         (uint32_t)q[4 * i + 3] << 24;
            *f[i] = (int)(v % 20000) - 5000;
        }
        if (sl_slot_time_check(&t, "$start", &err) == SL_OK) {
            CHECK(t.year >= 1000 && t.year <= 9999 && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
                  t.day <= 31 && t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59);
        }
    }
    return 0;
}
