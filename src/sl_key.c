/* Slot keys and lock handles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sl_key.h"

static int is_id_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

sl_status sl_prefix_check(const char *prefix, size_t len, sl_error *err)
{
    size_t i;

    if (len < 1 || len > SL_PREFIX_MAX) {
        sl_error_set(err, SL_ERR_ARG, "prefix must be 1 to %d characters", SL_PREFIX_MAX);
        return SL_ERR_ARG;
    }
    for (i = 0; i < len; i++) {
        if (!is_id_char((unsigned char)prefix[i]) && prefix[i] != '.') {
            sl_error_set(err, SL_ERR_ARG, "prefix may only contain A-Z, a-z, 0-9, '_', '-' and '.'");
            return SL_ERR_ARG;
        }
    }
    return SL_OK;
}

sl_status sl_id_check(const char *id, size_t len, const char *name, sl_error *err)
{
    size_t i;

    if (len < 1 || len > SL_ID_MAX) {
        sl_error_set(err, SL_ERR_ARG, "%s must be a positive integer or 1 to %d characters of [A-Za-z0-9_-]",
                     name, SL_ID_MAX);
        return SL_ERR_ARG;
    }
    for (i = 0; i < len; i++) {
        if (!is_id_char((unsigned char)id[i])) {
            sl_error_set(err, SL_ERR_ARG, "%s must be a positive integer or 1 to %d characters of [A-Za-z0-9_-]",
                         name, SL_ID_MAX);
            return SL_ERR_ARG;
        }
    }
    return SL_OK;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return days[m - 1];
}

sl_status sl_slot_time_check(const sl_slot_time *t, const char *name, sl_error *err)
{
    if (t->year < 1000 || t->year > 9999) {
        sl_error_set(err, SL_ERR_ARG, "%s must be in the years 1000 to 9999", name);
        return SL_ERR_ARG;
    }
    if (t->month < 1 || t->month > 12 || t->day < 1 || t->day > days_in_month(t->year, t->month) ||
        t->hour < 0 || t->hour > 23 || t->minute < 0 || t->minute > 59) {
        sl_error_set(err, SL_ERR_ARG, "%s is not a valid date and time", name);
        return SL_ERR_ARG;
    }
    return SL_OK;
}

static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);

    memcpy(p, s, n);
    return p + n;
}

static char *put_digits(char *p, int v, int width)
{
    int i;

    for (i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

size_t sl_key_build_ex(char *out, const char *prefix, int tagged, const char *company, const char *service,
                       const sl_slot_time *t)
{
    /* Hand-rolled: snprintf cost more than the rest of the key work. Callers
     * checked every part, so the key fits SL_KEY_MAX. */
    char *p = out;

    if (strlen(prefix) > SL_PREFIX_MAX || strlen(company) > SL_ID_MAX || strlen(service) > SL_ID_MAX) {
        return 0;
    }
    p = put_str(p, prefix);
    p = put_str(p, tagged ? ":{c" : ":c");
    p = put_str(p, company);
    p = put_str(p, tagged ? "}:s" : ":s");
    p = put_str(p, service);
    *p++ = ':';
    *p++ = 't';
    p = put_digits(p, t->year, 4);
    p = put_digits(p, t->month, 2);
    p = put_digits(p, t->day, 2);
    p = put_digits(p, t->hour, 2);
    p = put_digits(p, t->minute, 2);
    *p = '\0';
    return (size_t)(p - out);
}

size_t sl_key_build(char *out, const char *prefix, const char *company, const char *service,
                    const sl_slot_time *t)
{
    return sl_key_build_ex(out, prefix, 0, company, service, t);
}

const char *sl_key_tag(const char *key, size_t len, size_t *tag_len)
{
    const char *open = memchr(key, '{', len), *close;

    if (!open) {
        return NULL;
    }
    close = memchr(open, '}', len - (size_t)(open - key));
    if (!close) {
        return NULL;
    }
    *tag_len = (size_t)(close - open + 1);
    return open;
}

/* Consumes "<tag><id>" from [*p, end) where id is [A-Za-z0-9_-]{1,64}. */
static int eat_id(const char **p, const char *end, char tag)
{
    const char *s = *p;
    size_t n = 0;

    if (s >= end || *s != tag) {
        return 0;
    }
    s++;
    while (s < end && is_id_char((unsigned char)*s)) {
        s++;
        n++;
    }
    if (n < 1 || n > SL_ID_MAX) {
        return 0;
    }
    *p = s;
    return 1;
}

int sl_key_valid(const char *prefix, size_t plen, const char *key, size_t klen)
{
    const char *p = key, *end = key + klen;
    int i;

    if (klen <= plen + 1 || memcmp(key, prefix, plen) != 0 || key[plen] != ':') {
        return 0;
    }
    p += plen + 1;
    if (p < end && *p == '{') {
        p++;
        if (!eat_id(&p, end, 'c') || p >= end || *p++ != '}' || p >= end || *p++ != ':') {
            return 0;
        }
    } else if (!eat_id(&p, end, 'c') || p >= end || *p++ != ':') {
        return 0;
    }
    if (p < end && *p == 'r') {
        if (!eat_id(&p, end, 'r') || p >= end || *p++ != ':' || p >= end || *p++ != 'b' || end - p != 12) {
            return 0;
        }
    } else if (!eat_id(&p, end, 's') || p >= end || *p++ != ':' || p >= end || *p++ != 't' || end - p != 12) {
        return 0;
    }
    for (i = 0; i < 12; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return 0;
        }
    }
    return 1;
}

sl_status sl_resource_keys(sl_keylist *out, const char *prefix, const char *company, const char *resource,
                           int64_t from, int64_t to, int64_t bucket_s, sl_error *err)
{
    return sl_resource_keys_ex(out, prefix, 0, company, resource, from, to, bucket_s, err);
}

sl_status sl_resource_keys_ex(sl_keylist *out, const char *prefix, int tagged, const char *company,
                              const char *resource, int64_t from, int64_t to, int64_t bucket_s, sl_error *err)
{
    int64_t b;
    char key[SL_KEY_MAX];

    if (bucket_s < 60 || bucket_s % 60 != 0) {
        sl_error_set(err, SL_ERR_ARG, "bucket must be a whole number of minutes");
        return SL_ERR_ARG;
    }
    if (from < SL_UNIX_MIN || to > SL_UNIX_MAX) {
        sl_error_set(err, SL_ERR_ARG, "the interval is out of range (years 1000 to 9999)");
        return SL_ERR_ARG;
    }
    if (to <= from) {
        sl_error_set(err, SL_ERR_ARG, "$end must be after $start");
        return SL_ERR_ARG;
    }
    /* floor division, correct before 1970 too */
    b = from / bucket_s * bucket_s;
    if (b > from) {
        b -= bucket_s;
    }
    if ((to - b + bucket_s - 1) / bucket_s > SL_MAX_LOCK_KEYS) {
        sl_error_set(err, SL_ERR_ARG, "$start to $end (with the buffers) spans more than %d buckets", SL_MAX_LOCK_KEYS);
        return SL_ERR_ARG;
    }
    for (; b < to; b += bucket_s) {
        struct tm tm;
        time_t t = (time_t)b;
        int n;

        if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 < 1000 || tm.tm_year + 1900 > 9999) {
            sl_error_set(err, SL_ERR_ARG, "the interval is out of range");
            return SL_ERR_ARG;
        }
        n = snprintf(key, sizeof(key), tagged ? "%s:{c%s}:r%s:b%04d%02d%02d%02d%02d" : "%s:c%s:r%s:b%04d%02d%02d%02d%02d",
                     prefix, company, resource,
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
        if (n < 0 || (size_t)n >= sizeof(key) || sl_keylist_push(out, key, (size_t)n) != SL_OK) {
            sl_error_set(err, SL_ERR_NOMEM, "out of memory");
            return SL_ERR_NOMEM;
        }
    }
    return SL_OK;
}

void sl_keylist_init(sl_keylist *l)
{
    l->count = 0;
    l->cap = 0;
    l->keys = NULL;
    l->lens = NULL;
    l->arena_used = 0;
}

static int in_arena(const sl_keylist *l, const char *p)
{
    return p >= l->arena && p < l->arena + sizeof(l->arena);
}

void sl_keylist_free(sl_keylist *l)
{
    size_t i;

    for (i = 0; i < l->count; i++) {
        if (!in_arena(l, l->keys[i])) {
            free(l->keys[i]);
        }
    }
    if (l->keys != l->inline_keys) {
        free(l->keys);
        free(l->lens);
    }
    sl_keylist_init(l);
}

sl_status sl_keylist_push(sl_keylist *l, const char *key, size_t len)
{
    char *copy;

    if (l->count == l->cap) {
        if (l->cap == 0) {
            l->keys = l->inline_keys;
            l->lens = l->inline_lens;
            l->cap = SL_KEYLIST_INLINE;
        } else {
            size_t cap = l->cap * 2;
            char **keys;
            size_t *lens;

            if (l->keys == l->inline_keys) {
                keys = malloc(cap * sizeof(*keys));
                lens = malloc(cap * sizeof(*lens));
                if (!keys || !lens) {
                    free(keys);
                    free(lens);
                    return SL_ERR_NOMEM;
                }
                memcpy(keys, l->keys, l->count * sizeof(*keys));
                memcpy(lens, l->lens, l->count * sizeof(*lens));
            } else {
                keys = realloc(l->keys, cap * sizeof(*keys));
                if (!keys) {
                    return SL_ERR_NOMEM;
                }
                l->keys = keys;
                lens = realloc(l->lens, cap * sizeof(*lens));
                if (!lens) {
                    return SL_ERR_NOMEM;
                }
            }
            l->keys = keys;
            l->lens = lens;
            l->cap = cap;
        }
    }
    if (l->arena_used + len + 1 <= sizeof(l->arena)) {
        copy = l->arena + l->arena_used;
        l->arena_used += len + 1;
    } else if (!(copy = malloc(len + 1))) {
        return SL_ERR_NOMEM;
    }
    memcpy(copy, key, len);
    copy[len] = '\0';
    l->keys[l->count] = copy;
    l->lens[l->count] = len;
    l->count++;
    return SL_OK;
}

long sl_keylist_find(const sl_keylist *l, size_t from, size_t to, const char *key, size_t len)
{
    size_t i;

    for (i = from; i < to && i < l->count; i++) {
        if (l->lens[i] == len && memcmp(l->keys[i], key, len) == 0) {
            return (long)i;
        }
    }
    return -1;
}

sl_status sl_handle_parse(const char *prefix, const char *handle, size_t len, sl_keylist *out,
                          sl_error *err)
{
    size_t plen = strlen(prefix);
    const char *p = handle, *end = handle + len;

    if (len == 0) {
        sl_error_set(err, SL_ERR_ARG, "$lock must not be empty");
        return SL_ERR_ARG;
    }
    while (p <= end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *kend = comma ? comma : end;
        size_t klen = (size_t)(kend - p);

        if (!sl_key_valid(prefix, plen, p, klen)) {
            sl_error_set(err, SL_ERR_ARG, "$lock is not a lock key of prefix \"%s\"", prefix);
            goto fail;
        }
        if (sl_keylist_find(out, 0, out->count, p, klen) >= 0) {
            sl_error_set(err, SL_ERR_ARG, "$lock names a key twice");
            goto fail;
        }
        if (out->count >= SL_MAX_LOCK_KEYS) {
            sl_error_set(err, SL_ERR_ARG, "$lock holds more than %d keys", SL_MAX_LOCK_KEYS);
            goto fail;
        }
        if (sl_keylist_push(out, p, klen) != SL_OK) {
            sl_error_set(err, SL_ERR_NOMEM, "out of memory");
            goto fail;
        }
        if (!comma) {
            break;
        }
        p = comma + 1;
    }
    return SL_OK;

fail:
    sl_keylist_free(out);
    return err ? err->code : SL_ERR_ARG;
}

char *sl_handle_join(const sl_keylist *l, size_t from, size_t to, size_t *len)
{
    size_t total = 0, i, off = 0;
    char *s;

    for (i = from; i < to; i++) {
        total += l->lens[i] + 1;
    }
    s = malloc(total ? total : 1);
    if (!s) {
        return NULL;
    }
    for (i = from; i < to; i++) {
        if (i > from) {
            s[off++] = ',';
        }
        memcpy(s + off, l->keys[i], l->lens[i]);
        off += l->lens[i];
    }
    s[off] = '\0';
    if (len) {
        *len = off;
    }
    return s;
}

int sl_slot_time_parse(const char *s, size_t len, sl_slot_time *out)
{
#define SL_D(i) ((unsigned)(s[i] - '0') <= 9u)
    if (len != 16 && !(len == 19 && s[16] == ':' && s[17] == '0' && s[18] == '0')) {
        return 0;
    }
    if (!(SL_D(0) && SL_D(1) && SL_D(2) && SL_D(3) && s[4] == '-' && SL_D(5) && SL_D(6) && s[7] == '-' &&
          SL_D(8) && SL_D(9) && (s[10] == ' ' || s[10] == 'T') && SL_D(11) && SL_D(12) && s[13] == ':' &&
          SL_D(14) && SL_D(15))) {
        return 0;
    }
#undef SL_D
    out->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    out->month = (s[5] - '0') * 10 + (s[6] - '0');
    out->day = (s[8] - '0') * 10 + (s[9] - '0');
    out->hour = (s[11] - '0') * 10 + (s[12] - '0');
    out->minute = (s[14] - '0') * 10 + (s[15] - '0');
    return 1;
}
