/*
 * The Cluster helpers of src/sl_topology.c on arbitrary bytes: a Redis error
 * reply as parse_redirect() and err_is() see it ("MOVED <slot> <host>:<port>",
 * "ASK ..."), the hash slot of a key (sl_cluster_slot, compared with a reference
 * implementation of Redis' hash tag rule) and sl_key_tag.
 *
 * White-box: the file is included to reach its static helpers; this target
 * does not link sl_topology.o.
 */
#include "fuzz_common.h"

#include "sl_key.h"
#include "sl_topology.c"

static uint16_t ref_crc16(const uint8_t *p, size_t n)
{
    uint16_t crc = 0;
    size_t i;
    int b;

    for (i = 0; i < n; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (b = 0; b < 8; b++) {
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
        }
    }
    return crc;
}

/* Redis: hash the part between the first '{' and the next '}', if not empty. */
static uint16_t ref_slot(const uint8_t *key, size_t n)
{
    size_t s, e;

    for (s = 0; s < n && key[s] != '{'; s++) {
    }
    if (s < n) {
        for (e = s + 1; e < n && key[e] != '}'; e++) {
        }
        if (e < n && e != s + 1) {
            return ref_crc16(key + s + 1, e - s - 1) & 16383;
        }
    }
    return ref_crc16(key, n) & 16383;
}

static size_t spaces(const char *s)
{
    size_t n = 0;

    for (; *s; s++) {
        n += *s == ' ';
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *cstr = fuzz_cstr(data, size);
    const char *host = NULL, *tag;
    size_t host_len = 0, tag_len = 0, msg_len;
    sl_error err;
    int port = 0;

    /* As sl_node_read() reports an error reply. */
    sl_error_set(&err, SL_ERR_REPLY, "Redis error: %s", cstr);
    msg_len = strlen(err.msg);
    CHECK(err_is(&err, "MOVED ") == (strncmp(cstr, "MOVED ", 6) == 0));
    CHECK(err_is(&err, "ASK ") == (strncmp(cstr, "ASK ", 4) == 0));
    if (parse_redirect(&err, &host, &host_len, &port)) {
        CHECK(host >= err.msg && host + host_len <= err.msg + msg_len);
        CHECK(host_len >= 1);
        CHECK(port > 0 && port < 65536);
        CHECK(host[host_len] == ':');
        /* The slot number is never taken into the host of a well-formed
         * "MOVED <slot> <host>:<port>" (regression: tests/unit/test_regressions.c). */
        if ((err_is(&err, "MOVED ") || err_is(&err, "ASK ")) && spaces(cstr) == 2) {
            CHECK(memchr(host, ' ', host_len) == NULL);
        }
    }
    err.code = SL_ERR_IO;
    CHECK(!err_is(&err, "MOVED ") && !err_is(&err, "ASK "));

    CHECK(sl_cluster_slot((const char *)data, size) == ref_slot(data, size));
    CHECK(sl_cluster_slot((const char *)data, size) < SL_CLUSTER_SLOTS);

    tag = sl_key_tag((const char *)data, size, &tag_len);
    if (tag) {
        CHECK(tag >= (const char *)data && tag + tag_len <= (const char *)data + size);
        CHECK(tag_len >= 2 && tag[0] == '{' && tag[tag_len - 1] == '}');
        CHECK(memchr(data, '{', size) == tag);
        CHECK(memchr(tag, '}', tag_len) == tag + tag_len - 1);
    } else {
        const char *open = memchr(data, '{', size);
        CHECK(!open || !memchr(open, '}', size - (size_t)(open - (const char *)data)));
    }
    free(cstr);
    return 0;
}
