/* TLS options of an endpoint (no OpenSSL calls but the version): what the DSN parser, the
 * endpoint copies and the pool key need. Validation of each option is sl_options.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_tls.h"

#ifdef SL_HAVE_OPENSSL
#include <openssl/crypto.h>
#endif

const char *sl_tls_library(void)
{
#ifdef SL_HAVE_OPENSSL
    return OpenSSL_version(OPENSSL_VERSION);
#else
    return NULL;
#endif
}

/* ---- Options ------------------------------------------------------------ */

sl_tls_opts *sl_tls_opts_new(void)
{
    sl_tls_opts *o = calloc(1, sizeof(*o));

    if (o) {
        o->verify_peer = 1;
        o->verify_peer_name = 1;
        o->security_level = -1;
    }
    return o;
}

void sl_tls_opts_free(sl_tls_opts *o)
{
    if (!o) {
        return;
    }
    free(o->cafile);
    free(o->capath);
    free(o->local_cert);
    free(o->local_pk);
    sl_free_secret(o->passphrase);
    free(o->peer_name);
    free(o->ciphers);
    free(o);
}

sl_tls_opts *sl_tls_opts_copy(const sl_tls_opts *src, int *failed)
{
    sl_tls_opts *o;
    int bad = 0;

    if (!src) {
        return NULL;
    }
    if (!(o = malloc(sizeof(*o)))) {
        *failed = 1;
        return NULL;
    }
    *o = *src;
    o->cafile = sl_strdup_or_null(src->cafile, &bad);
    o->capath = sl_strdup_or_null(src->capath, &bad);
    o->local_cert = sl_strdup_or_null(src->local_cert, &bad);
    o->local_pk = sl_strdup_or_null(src->local_pk, &bad);
    o->passphrase = sl_strdup_or_null(src->passphrase, &bad);
    o->peer_name = sl_strdup_or_null(src->peer_name, &bad);
    o->ciphers = sl_strdup_or_null(src->ciphers, &bad);
    if (bad) {
        sl_tls_opts_free(o);
        *failed = 1;
        return NULL;
    }
    return o;
}

char *sl_tls_opts_key(const sl_tls_opts *o)
{
    const char *parts[7];
    size_t total = 64, i, off;
    char *key;

    if (!o) {
        return strdup("");
    }
    parts[0] = o->cafile;
    parts[1] = o->capath;
    parts[2] = o->local_cert;
    parts[3] = o->local_pk;
    parts[4] = o->passphrase;
    parts[5] = o->peer_name;
    parts[6] = o->ciphers;
    for (i = 0; i < 7; i++) {
        total += (parts[i] ? strlen(parts[i]) : 0) + 24;
    }
    if (!(key = malloc(total))) {
        return NULL;
    }
    off = (size_t)snprintf(key, total, "tls%d%d%d%d", o->verify_peer, o->verify_peer_name, o->security_level,
                           o->min_proto);
    for (i = 0; i < 7; i++) {
        off += (size_t)snprintf(key + off, total - off, parts[i] ? "|%zu:%s" : "|-", parts[i] ? strlen(parts[i]) : 0,
                                parts[i] ? parts[i] : "");
    }
    return key;
}

