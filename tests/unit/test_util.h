/* Shared bits of the cmocka unit tests. Include after cmocka's prerequisites. */
#ifndef SL_TEST_UTIL_H
#define SL_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Asserts that haystack does (not) contain needle, printing both on failure. */
#define assert_contains(haystack, needle)                                                         \
    do {                                                                                          \
        const char *h_ = (haystack), *n_ = (needle);                                              \
        if (!strstr(h_, n_)) {                                                                    \
            fail_msg("\"%s\" does not contain \"%s\"", h_, n_);                                   \
        }                                                                                         \
    } while (0)

#define assert_not_contains(haystack, needle)                                                     \
    do {                                                                                          \
        const char *h_ = (haystack), *n_ = (needle);                                              \
        if (strstr(h_, n_)) {                                                                     \
            fail_msg("\"%s\" contains \"%s\"", h_, n_);                                           \
        }                                                                                         \
    } while (0)

/* A string literal with its length (for the (ptr, len) APIs). */
#define LIT(s) (s), (sizeof(s) - 1)

#endif
