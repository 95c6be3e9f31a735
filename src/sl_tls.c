/* The TLS transport over OpenSSL (stubs when the build has no OpenSSL). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sl_tls.h"

#ifdef SL_HAVE_OPENSSL
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <sys/socket.h>
#endif

#ifndef SL_HAVE_OPENSSL

sl_status sl_tls_open(sl_tls **out, int fd, const sl_tls_opts *o, const char *host, int64_t deadline_ms,
                      sl_error *err)
{
    (void)fd;
    (void)o;
    (void)host;
    (void)deadline_ms;
    *out = NULL;
    sl_error_set(err, SL_ERR_CONNECT, "TLS is not supported by this build");
    return SL_ERR_CONNECT;
}

void sl_tls_free(sl_tls *t)
{
    (void)t;
}

int sl_tls_write(sl_tls *t, const char *buf, size_t len, int64_t deadline_ms, char *msg, size_t msg_size)
{
    (void)t;
    (void)buf;
    (void)len;
    (void)deadline_ms;
    snprintf(msg, msg_size, "TLS is not supported by this build");
    return -1;
}

ssize_t sl_tls_read(sl_tls *t, char *buf, size_t size, int64_t deadline_ms, int *eof, char *msg, size_t msg_size)
{
    (void)t;
    (void)buf;
    (void)size;
    (void)deadline_ms;
    *eof = 0;
    snprintf(msg, msg_size, "TLS is not supported by this build");
    return -1;
}

int sl_tls_pending(const sl_tls *t)
{
    (void)t;
    return 0;
}

#else /* SL_HAVE_OPENSSL */

struct sl_tls {
    SSL *ssl;
    int fd;
    int asked_cert; /* the server asked for a client certificate and got none */
    int answered;   /* the server has sent application data */
};

static int ex_index = -1;

/* Called when the server asks for a client certificate and none is set:
 * sends none, and remembers it (TLS 1.3 servers that require one drop the
 * connection only after the handshake, at the first command). */
static int client_cert_cb(SSL *ssl, X509 **x509, EVP_PKEY **pkey)
{
    sl_tls *t = ex_index >= 0 ? SSL_get_ex_data(ssl, ex_index) : NULL;

    (void)x509;
    (void)pkey;
    if (t) {
        t->asked_cert = 1;
    }
    return 0;
}

/* The first queued OpenSSL reason (or fallback), the queue emptied. */
static void ssl_reason(char *msg, size_t size, const char *fallback)
{
    unsigned long e = ERR_get_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;

    snprintf(msg, size, "%s", r ? r : fallback);
    ERR_clear_error();
}

static int passphrase_cb(char *buf, int size, int rwflag, void *userdata)
{
    const char *pass = userdata;
    size_t len = pass ? strlen(pass) : 0;

    (void)rwflag;
    if (!pass || len >= (size_t)size) {
        return 0;
    }
    memcpy(buf, pass, len);
    return (int)len;
}

/* The socket BIO, but writing with send(MSG_NOSIGNAL): a peer that closed
 * must be an error, not a SIGPIPE that kills the PHP process (the plain
 * transport sends the same way). */
static BIO_METHOD *nosig_method;
static pthread_once_t nosig_once = PTHREAD_ONCE_INIT;

static int nosig_write(BIO *b, const char *buf, int len)
{
    int fd = -1;
    ssize_t n;

    BIO_get_fd(b, &fd);
    errno = 0;
    n = send(fd, buf, (size_t)len, MSG_NOSIGNAL);
    BIO_clear_retry_flags(b);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        BIO_set_retry_write(b);
    }
    return (int)n;
}

/* Once per process: the BIO method, and the index of the session pointer. */
static void nosig_init(void)
{
    const BIO_METHOD *sock = BIO_s_socket();
    BIO_METHOD *m = BIO_meth_new(BIO_TYPE_SOCKET, "slotlock socket");

    ex_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    if (m && BIO_meth_set_write(m, nosig_write) == 1 && BIO_meth_set_read(m, BIO_meth_get_read(sock)) == 1 &&
        BIO_meth_set_puts(m, BIO_meth_get_puts(sock)) == 1 && BIO_meth_set_ctrl(m, BIO_meth_get_ctrl(sock)) == 1 &&
        BIO_meth_set_create(m, BIO_meth_get_create(sock)) == 1 &&
        BIO_meth_set_destroy(m, BIO_meth_get_destroy(sock)) == 1) {
        nosig_method = m;
    } else if (m) {
        BIO_meth_free(m);
    }
}

/* A BIO on fd (not closed with it), or NULL. */
static BIO *nosig_bio(int fd)
{
    BIO *b;

    pthread_once(&nosig_once, nosig_init);
    if (!nosig_method || !(b = BIO_new(nosig_method))) {
        return NULL;
    }
    BIO_set_fd(b, fd, BIO_NOCLOSE);
    return b;
}

/* Waits until fd is ready for events or deadline_ms passes; signals
 * (EINTR) only recompute what is left. 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short events, int64_t deadline_ms)
{
    struct pollfd p;

    for (;;) {
        int64_t left = deadline_ms - sl_now_ms();
        int rc;

        if (left < 0) {
            left = 0;
        }
        p.fd = fd;
        p.events = events;
        p.revents = 0;
        rc = poll(&p, 1, (int)(left > 2147483647 ? 2147483647 : left));
        if (rc > 0) {
            return 1;
        }
        if (rc == 0) {
            return 0;
        }
        if (errno != EINTR) {
            return -1;
        }
    }
}

static SSL_CTX *ctx_new(const sl_tls_opts *o, sl_error *err)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    char why[160];

    if (!ctx) {
        ssl_reason(why, sizeof(why), "out of memory");
        sl_error_set(err, SL_ERR_CONNECT, "TLS setup failed: %s", why);
        return NULL;
    }
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_min_proto_version(ctx, o->min_proto == 13 ? TLS1_3_VERSION : TLS1_2_VERSION);
    if (o->security_level >= 0) {
        SSL_CTX_set_security_level(ctx, o->security_level);
    }
    if (o->ciphers && SSL_CTX_set_cipher_list(ctx, o->ciphers) != 1) {
        sl_error_set(err, SL_ERR_CONNECT, "TLS setup failed: no usable cipher in \"ciphers\"");
        goto fail;
    }
    if (o->verify_peer) {
        int ok = (o->cafile || o->capath) ? SSL_CTX_load_verify_locations(ctx, o->cafile, o->capath)
                                          : SSL_CTX_set_default_verify_paths(ctx);
        if (ok != 1) {
            ssl_reason(why, sizeof(why), "unreadable");
            sl_error_set(err, SL_ERR_CONNECT, "TLS setup failed: cannot load the CA %s (%s)",
                         o->cafile ? "file" : "path", why);
            goto fail;
        }
    }
    SSL_CTX_set_verify(ctx, o->verify_peer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
    if (!o->local_cert) {
        SSL_CTX_set_client_cert_cb(ctx, client_cert_cb);
    } else {
        SSL_CTX_set_default_passwd_cb(ctx, passphrase_cb);
        SSL_CTX_set_default_passwd_cb_userdata(ctx, o->passphrase);
        if (SSL_CTX_use_certificate_chain_file(ctx, o->local_cert) != 1) {
            ssl_reason(why, sizeof(why), "unreadable");
            sl_error_set(err, SL_ERR_CONNECT, "TLS setup failed: cannot load \"local_cert\" (%s)", why);
            goto fail;
        }
        if (SSL_CTX_use_PrivateKey_file(ctx, o->local_pk ? o->local_pk : o->local_cert, SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_check_private_key(ctx) != 1) {
            ssl_reason(why, sizeof(why), "unreadable");
            sl_error_set(err, SL_ERR_CONNECT, "TLS setup failed: cannot load the client key (%s)", why);
            goto fail;
        }
        /* the key is loaded: the passphrase is not needed any more */
        SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
    }
    return ctx;

fail:
    ERR_clear_error();
    SSL_CTX_free(ctx);
    return NULL;
}

/* The context of the last options used, kept: building one (CA store, client
 * key) costs more than the handshake, and a process uses one set of options
 * for all its endpoints. Shared by reference count; keyed by everything in the
 * options. A file changed on disk is read again when the options change or
 * the process ends (PHP-FPM recycles workers). */
static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static SSL_CTX *ctx_cached;
static char *ctx_cached_key;

static SSL_CTX *ctx_get(const sl_tls_opts *o, sl_error *err)
{
    char *key = sl_tls_opts_key(o);
    SSL_CTX *ctx = NULL;

    if (key) {
        pthread_mutex_lock(&ctx_lock);
        if (ctx_cached && strcmp(ctx_cached_key, key) == 0 && SSL_CTX_up_ref(ctx_cached) == 1) {
            ctx = ctx_cached;
        }
        pthread_mutex_unlock(&ctx_lock);
    }
    if (ctx || !(ctx = ctx_new(o, err))) {
        free(key);
        return ctx;
    }
    if (key && SSL_CTX_up_ref(ctx) == 1) {
        pthread_mutex_lock(&ctx_lock);
        SSL_CTX_free(ctx_cached);
        free(ctx_cached_key);
        ctx_cached = ctx;
        ctx_cached_key = key;
        key = NULL;
        pthread_mutex_unlock(&ctx_lock);
    }
    free(key);
    return ctx;
}

/* Why the handshake failed: the certificate check first, it says most. */
static void handshake_reason(SSL *ssl, int ret, char *msg, size_t size)
{
    long v = SSL_get_verify_result(ssl);
    int e = SSL_get_error(ssl, ret);

    if (v != X509_V_OK) {
        snprintf(msg, size, "certificate verify failed: %s", X509_verify_cert_error_string(v));
        ERR_clear_error();
    } else if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
        snprintf(msg, size, "%s", ret == 0 || errno == 0 ? "the server closed the connection" : strerror(errno));
    } else {
        ssl_reason(msg, size, "handshake failed");
    }
}

sl_status sl_tls_open(sl_tls **out, int fd, const sl_tls_opts *o, const char *host, int64_t deadline_ms,
                      sl_error *err)
{
    const char *name = o->peer_name ? o->peer_name : host;
    unsigned char ip[16];
    int is_ip = name && (inet_pton(AF_INET, name, ip) == 1 || inet_pton(AF_INET6, name, ip) == 1);
    SSL_CTX *ctx;
    SSL *ssl;
    BIO *bio = NULL;
    sl_tls *t;
    char why[200];
    int flags;

    *out = NULL;
    ERR_clear_error();
    if (!(ctx = ctx_get(o, err))) {
        return SL_ERR_CONNECT;
    }
    ssl = SSL_new(ctx);
    SSL_CTX_free(ctx); /* the session holds its own reference */
    t = calloc(1, sizeof(*t));
    if (!ssl || !t || !(bio = nosig_bio(fd))) {
        SSL_free(ssl);
        free(t);
        ERR_clear_error();
        sl_error_set(err, SL_ERR_NOMEM, "out of memory");
        return SL_ERR_NOMEM;
    }
    SSL_set_bio(ssl, bio, bio); /* the session owns it now */
    t->ssl = ssl;
    t->fd = fd;
    if (ex_index >= 0) {
        SSL_set_ex_data(ssl, ex_index, t);
    }
    if (name && !is_ip) {
        SSL_set_tlsext_host_name(ssl, name);
    }
    if (o->verify_peer && o->verify_peer_name && name) {
        X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        if ((is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, name) : X509_VERIFY_PARAM_set1_host(param, name, 0)) != 1) {
            sl_tls_free(t);
            ERR_clear_error();
            sl_error_set(err, SL_ERR_CONNECT, "TLS setup failed: cannot check the peer name");
            return SL_ERR_CONNECT;
        }
    }
    flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        sl_tls_free(t);
        sl_error_set(err, SL_ERR_CONNECT, "TLS setup failed: %s", strerror(errno));
        return SL_ERR_CONNECT;
    }
    for (;;) {
        int ret = SSL_connect(ssl), e, w;

        if (ret == 1) {
            break;
        }
        e = SSL_get_error(ssl, ret);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            w = wait_fd(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline_ms);
            if (w == 1) {
                continue;
            }
            sl_tls_free(t);
            ERR_clear_error();
            sl_error_set(err, w == 0 ? SL_ERR_TIMEOUT : SL_ERR_CONNECT, "%s",
                         w == 0 ? "the TLS handshake timed out" : strerror(errno));
            return w == 0 ? SL_ERR_TIMEOUT : SL_ERR_CONNECT;
        }
        handshake_reason(ssl, ret, why, sizeof(why));
        sl_tls_free(t);
        sl_error_set(err, SL_ERR_CONNECT, "TLS handshake failed: %s", why);
        return SL_ERR_CONNECT;
    }
    *out = t;
    return SL_OK;
}

void sl_tls_free(sl_tls *t)
{
    if (!t) {
        return;
    }
    /* No SSL_shutdown: a close_notify written here could land in another
     * process' session (fork). The caller closes the socket. */
    SSL_free(t->ssl);
    free(t);
}

/* An I/O failure of an established session, as text; *eof when the peer
 * closed. */
static void io_reason(sl_tls *t, int ret, int *eof, char *msg, size_t size)
{
    int e = SSL_get_error(t->ssl, ret);

    *eof = 0;
    if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && (ret == 0 || errno == 0))) {
        *eof = 1;
        snprintf(msg, size, "closed");
        ERR_clear_error();
    } else if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
        snprintf(msg, size, "%s", strerror(errno));
    } else {
        ssl_reason(msg, size, "TLS error");
    }
    if (t->asked_cert && !t->answered && (*eof || e == SSL_ERROR_SYSCALL)) {
        /* the alert may be lost to the reset: say what is most likely */
        size_t n = strlen(msg);
        snprintf(msg + n, size - n, " (client certificate required? none was given)");
    }
}

int sl_tls_write(sl_tls *t, const char *buf, size_t len, int64_t deadline_ms, char *msg, size_t msg_size)
{
    int eof;

    ERR_clear_error();
    while (len > 0) {
        int n = SSL_write(t->ssl, buf, len > 1 << 30 ? 1 << 30 : (int)len), e;

        if (n > 0) {
            buf += n;
            len -= (size_t)n;
            continue;
        }
        e = SSL_get_error(t->ssl, n);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            int w = wait_fd(t->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline_ms);
            if (w == 1) {
                continue;
            }
            snprintf(msg, msg_size, "%s", w == 0 ? "timed out" : strerror(errno));
            errno = w == 0 ? ETIMEDOUT : errno;
            return -1;
        }
        io_reason(t, n, &eof, msg, msg_size);
        return -1;
    }
    return 0;
}

ssize_t sl_tls_read(sl_tls *t, char *buf, size_t size, int64_t deadline_ms, int *eof, char *msg, size_t msg_size)
{
    *eof = 0;
    ERR_clear_error();
    if (!SSL_has_pending(t->ssl)) {
        /* nothing buffered: wait first, rather than try a read that would fail */
        int w = wait_fd(t->fd, POLLIN, deadline_ms);
        if (w <= 0) {
            if (w < 0) {
                snprintf(msg, msg_size, "%s", strerror(errno));
            }
            return w;
        }
    }
    for (;;) {
        int n = SSL_read(t->ssl, buf, size > 1 << 30 ? 1 << 30 : (int)size), e, w;

        if (n > 0) {
            t->answered = 1;
            return n;
        }
        e = SSL_get_error(t->ssl, n);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
            io_reason(t, n, eof, msg, msg_size);
            return -1;
        }
        w = wait_fd(t->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline_ms);
        if (w == 0) {
            return 0;
        }
        if (w < 0) {
            snprintf(msg, msg_size, "%s", strerror(errno));
            return -1;
        }
    }
}

int sl_tls_pending(const sl_tls *t)
{
    return SSL_pending(t->ssl) > 0;
}

#endif /* SL_HAVE_OPENSSL */
