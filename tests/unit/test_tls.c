/* TLS options: their validation (src/sl_options.c), keeping (src/sl_tls_opts.c) and what the
 * endpoint does with them (src/sl_dsn.c). Built without OpenSSL here, so the transport itself
 * is left to the phpt and suite tests; the options are set on a TLS-less build's config
 * through the same field the glue fills. */
#include <stdlib.h>

#include "test_util.h"

#include "sl_dsn.h"
#include "sl_options.h"
#include "sl_tls.h"

/* A config whose endpoint has TLS options o (sl_config_tls() refuses on a build without
 * OpenSSL: the options are put in place by hand). */
static sl_config cfg;

static sl_status set_v(sl_tls_opts *o, const char *name, sl_optval v, sl_error *err)
{
    sl_status rc;

    cfg.ep.tls = o;
    rc = sl_config_tls_set(&cfg, name, strlen(name), &v, err);
    cfg.ep.tls = NULL;
    return rc;
}

static sl_status set_s(sl_tls_opts *o, const char *name, const char *s, sl_error *err)
{
    sl_optval v = {SL_OPT_STRING, "string", 0, 0, s, strlen(s)};
    return set_v(o, name, v, err);
}

static sl_status set_i(sl_tls_opts *o, const char *name, sl_opt_type t, int64_t i, sl_error *err)
{
    sl_optval v = {t, t == SL_OPT_BOOL ? "bool" : "int", i, 0, NULL, 0};
    return set_v(o, name, v, err);
}

static void test_defaults_and_values(void **state)
{
    sl_tls_opts *o = sl_tls_opts_new();
    sl_error err;

    (void)state;
    assert_non_null(o);
    assert_int_equal(o->verify_peer, 1);
    assert_int_equal(o->verify_peer_name, 1);
    assert_int_equal(o->security_level, -1);
    assert_int_equal(set_s(o, "cafile", "/ca.pem", &err), SL_OK);
    assert_string_equal(o->cafile, "/ca.pem");
    assert_int_equal(set_s(o, "cafile", "/other.pem", &err), SL_OK); /* replaced, the old one freed */
    assert_string_equal(o->cafile, "/other.pem");
    assert_int_equal(set_s(o, "passphrase", "pp", &err), SL_OK);
    assert_int_equal(set_i(o, "verify_peer", SL_OPT_BOOL, 0, &err), SL_OK);
    assert_int_equal(o->verify_peer, 0);
    assert_int_equal(set_i(o, "security_level", SL_OPT_INT, 5, &err), SL_OK);
    assert_int_equal(o->security_level, 5);
    assert_int_equal(set_s(o, "min_proto_version", "tlsv1.3", &err), SL_OK);
    assert_int_equal(o->min_proto, 13);
    assert_int_equal(set_i(o, "min_proto_version", SL_OPT_INT, 32, &err), SL_OK);
    assert_int_equal(o->min_proto, 12);
    sl_tls_opts_free(o);
}

static void test_bad_values_name_the_option(void **state)
{
    sl_tls_opts *o = sl_tls_opts_new();
    sl_error err;

    (void)state;
    assert_int_equal(set_s(o, "cafle", "/x", &err), SL_ERR_ARG);
    assert_non_null(strstr(err.msg, "unknown key \"cafle\""));
    assert_int_equal(set_s(o, "cafile", "", &err), SL_ERR_ARG);
    assert_non_null(strstr(err.msg, "\"cafile\" must be a non-empty string"));
    assert_int_equal(set_v(o, "cafile", (sl_optval){SL_OPT_STRING, "string", 0, 0, "a\0b", 3}, &err), SL_ERR_ARG);
    assert_int_equal(set_i(o, "verify_peer_name", SL_OPT_INT, 1, &err), SL_ERR_ARG);
    assert_non_null(strstr(err.msg, "\"verify_peer_name\" must be a bool"));
    assert_int_equal(set_i(o, "security_level", SL_OPT_INT, 6, &err), SL_ERR_ARG);
    assert_int_equal(set_i(o, "min_proto_version", SL_OPT_INT, 8, &err), SL_ERR_ARG);
    assert_int_equal(set_s(o, "passphrase", "Top-Secret", &err), SL_OK);
    assert_int_equal(set_s(o, "pasphrase", "Top-Secret", &err), SL_ERR_ARG);
    assert_null(strstr(err.msg, "Top-Secret"));
    sl_tls_opts_free(o);
}

static void test_endpoint_copy_key_describe(void **state)
{
    sl_endpoint a, b;
    sl_error err;
    char *ka, *kb, *kc, buf[128];

    (void)state;
    sl_endpoint_init(&a);
    assert_int_equal(sl_endpoint_set(&a.host, LIT("h"), "host", &err), SL_OK);
    ka = sl_endpoint_pool_key(&a);
    a.tls = sl_tls_opts_new();
    kb = sl_endpoint_pool_key(&a);
    assert_string_not_equal(ka, kb); /* TLS or not: another connection */
    assert_int_equal(set_s(a.tls, "cafile", "/ca.pem", &err), SL_OK);
    kc = sl_endpoint_pool_key(&a);
    assert_string_not_equal(kb, kc); /* other trust: another connection */
    sl_endpoint_describe(&a, buf, sizeof(buf));
    assert_string_equal(buf, "tls://h:6379/0");
    assert_int_equal(sl_endpoint_copy(&b, &a), SL_OK);
    assert_non_null(b.tls);
    assert_ptr_not_equal(b.tls, a.tls);
    assert_string_equal(b.tls->cafile, "/ca.pem");
    assert_ptr_not_equal(b.tls->cafile, a.tls->cafile);
    b.socket = strdup("/tmp/s.sock");
    assert_int_equal(sl_endpoint_check(&b, &err), SL_ERR_ARG);
    assert_non_null(strstr(err.msg, "TLS needs a host"));
    free(ka);
    free(kb);
    free(kc);
    sl_endpoint_free(&a);
    sl_endpoint_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_values),
        cmocka_unit_test(test_bad_values_name_the_option),
        cmocka_unit_test(test_endpoint_copy_key_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
