/*
 * TLS: the options of an encrypted endpoint, and the transport that speaks
 * TLS over a connected socket (OpenSSL).
 *
 * Options follow the names of PHP's "ssl" stream context, so phpredis and
 * predis users write one configuration for both (sl_options.c validates them;
 * sl_tls_opts.c keeps them; sl_tls.c is the transport). The transport is compiled
 * only when the build found OpenSSL (SL_HAVE_OPENSSL); without it every
 * endpoint is plain and asking for TLS is a clear error.
 *
 * A session never writes on its own: freeing one sends nothing (no
 * close_notify), so a forked child that drops its inherited copy cannot
 * disturb the parent's session on the shared socket.
 */
#ifndef SL_TLS_H
#define SL_TLS_H

#include <stdint.h>
#include <sys/types.h>

#include "sl_common.h"

typedef struct {
    char *cafile;       /* PEM bundle of trusted CAs; NULL: capath, else the system's */
    char *capath;       /* directory of hashed CA certificates */
    char *local_cert;   /* client certificate (PEM; may hold the key too) */
    char *local_pk;     /* client key (PEM); NULL: in local_cert */
    char *passphrase;   /* of the client key; a secret */
    char *peer_name;    /* SNI and the name checked; NULL: the host */
    char *ciphers;      /* OpenSSL cipher list (TLS 1.2 and older) */
    int verify_peer;    /* check the chain (default 1) */
    int verify_peer_name; /* check the name (default 1) */
    int security_level; /* OpenSSL security level 0..5; -1: OpenSSL's default */
    int min_proto;      /* minimum protocol: 0 default, 12 TLS 1.2, 13 TLS 1.3 */
} sl_tls_opts;

/* Is TLS compiled in? The OpenSSL version text, or NULL when not. */
const char *sl_tls_library(void);

/* A new set of options with the defaults (verify on); NULL on out of memory. */
sl_tls_opts *sl_tls_opts_new(void);
/* Deep copy (NULL for NULL); *failed set on out of memory. */
sl_tls_opts *sl_tls_opts_copy(const sl_tls_opts *src, int *failed);
void sl_tls_opts_free(sl_tls_opts *o);

/* A stable text of everything that makes two sessions different (the pool
 * key part); "" for NULL. Caller frees; NULL on out of memory. */
char *sl_tls_opts_key(const sl_tls_opts *o);

typedef struct sl_tls sl_tls;

/*
 * Runs the handshake on the connected socket fd, for host (SNI and the name
 * checked unless peer_name is set), until deadline_ms (CLOCK_MONOTONIC
 * milliseconds). The socket is left non-blocking: every later read and write
 * waits with poll() against the caller's deadline. On failure *out is NULL,
 * err says why (the OpenSSL reason, never a secret) and the socket is the
 * caller's to close.
 */
sl_status sl_tls_open(sl_tls **out, int fd, const sl_tls_opts *o, const char *host, int64_t deadline_ms,
                      sl_error *err);

/* Frees the session without writing anything on the socket (not closed). */
void sl_tls_free(sl_tls *t);

/* Writes all of buf before deadline_ms: 0, or -1 with a reason in msg. */
int sl_tls_write(sl_tls *t, const char *buf, size_t len, int64_t deadline_ms, char *msg, size_t msg_size);

/*
 * Reads what is there into buf: > 0 bytes, 0 when nothing arrived by
 * deadline_ms (a deadline in the past only looks), -1 when the connection
 * failed or closed (msg says which; *eof set when the peer closed).
 */
ssize_t sl_tls_read(sl_tls *t, char *buf, size_t size, int64_t deadline_ms, int *eof, char *msg, size_t msg_size);

/* Decrypted bytes waiting in the session (readable without the socket). */
int sl_tls_pending(const sl_tls *t);


#endif
