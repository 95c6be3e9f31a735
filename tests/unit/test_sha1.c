/* sl_sha1_hex against known answers (computed with coreutils sha1sum). */
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

#include "sl_scripts.h"
#include "sl_sha1.h"

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);

    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void check(const void *data, size_t len, const char *expected)
{
    char out[SL_SHA1_HEX_LEN + 1];

    memset(out, 'X', sizeof(out));
    sl_sha1_hex(data, len, out);
    assert_int_equal(out[SL_SHA1_HEX_LEN], '\0');
    assert_string_equal(out, expected);
}

static void check_repeat(char c, size_t n, const char *expected)
{
    char *s = repeat(c, n);

    check(s, n, expected);
    free(s);
}

/* printf '' | sha1sum */
static void test_empty(void **state)
{
    (void)state;
    check("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

/* printf 'abc' | sha1sum (FIPS 180 example) */
static void test_abc(void **state)
{
    (void)state;
    check(LIT("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

/* 56 bytes: the padding no longer fits in the first block. */
static void test_56_bytes(void **state)
{
    (void)state;
    check(LIT("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
          "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

/* Exactly one block of data, padding in a block of its own. */
static void test_64_bytes(void **state)
{
    (void)state;
    check_repeat('a', 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

static void test_1000_bytes(void **state)
{
    (void)state;
    check_repeat('a', 1000, "291e9a6c66994949b57ba5e650361e98fc36b1ba");
}

/* Every boundary of the tail handling: 55 (fits), 63, 65, 119, 120. */
static void test_block_boundaries(void **state)
{
    (void)state;
    check_repeat('x', 55, "cef734ba81a024479e09eb5a75b6ddae62e6abf1");
    check_repeat('x', 63, "0ddc4e0cccd9a12850deb5abb0853a4425559fec");
    check_repeat('x', 65, "78c741ddc482e4cdf8c474a0876347a0905b6233");
    check_repeat('x', 119, "4300320394f7ee239bcdce7d3b8bcee173a0cd5c");
    check_repeat('x', 120, "ceb2821639c4b6dcb10bce0e522ca2e608ce056d");
}

/* High bytes must not be sign-extended. printf '\x00\xff\x80' | sha1sum */
static void test_binary(void **state)
{
    static const unsigned char data[] = {0x00, 0xff, 0x80};

    (void)state;
    check(data, sizeof(data), "e4bc8a01806054986edd720593bc12f760eca5b9");
    check(LIT("The quick brown fox jumps over the lazy dog"), "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
}

/* The script digests are SHA-1 of the bodies, computed lazily or by init. */
static void test_script_digests(void **state)
{
    int id;

    (void)state;
    for (id = 0; id < SL_SCRIPT__N; id++) {
        const sl_script *s = sl_script_get((sl_script_id)id);
        char expected[SL_SHA1_HEX_LEN + 1];

        assert_non_null(s->name);
        assert_int_equal(strlen(s->body), s->len);
        sl_sha1_hex(s->body, s->len, expected);
        assert_string_equal(s->sha, expected);
    }
    sl_scripts_init();
    assert_string_not_equal(sl_script_get(SL_SCRIPT_ACQUIRE)->sha, sl_script_get(SL_SCRIPT_RELEASE)->sha);
}

/* The scripts are the ones docs/WIRE.md specifies: each digest and length is in its table
 * ("| name | `sha` | bytes |"), which the polyfill checks its copies against too. */
static void test_script_digests_match_wire_md(void **state)
{
    FILE *f = fopen("../../docs/WIRE.md", "r");
    char line[512];
    int id, found = 0;

    (void)state;
    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        for (id = 0; id < SL_SCRIPT__N; id++) {
            const sl_script *s = sl_script_get((sl_script_id)id);
            char want[256];
            snprintf(want, sizeof(want), "| %s | `%s` | %zu |", s->name, s->sha, s->len);
            if (strncmp(line, want, strlen(want)) == 0) {
                found |= 1 << id;
            }
        }
    }
    fclose(f);
    for (id = 0; id < SL_SCRIPT__N; id++) {
        if (!(found & (1 << id))) {
            const sl_script *s = sl_script_get((sl_script_id)id);
            fail_msg("docs/WIRE.md has no row | %s | `%s` | %zu |", s->name, s->sha, s->len);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_script_digests_match_wire_md),
        cmocka_unit_test(test_empty),          cmocka_unit_test(test_abc),
        cmocka_unit_test(test_56_bytes),       cmocka_unit_test(test_64_bytes),
        cmocka_unit_test(test_1000_bytes),     cmocka_unit_test(test_block_boundaries),
        cmocka_unit_test(test_binary),         cmocka_unit_test(test_script_digests),
    };

    return cmocka_run_group_tests_name("sha1", tests, NULL, NULL);
}
