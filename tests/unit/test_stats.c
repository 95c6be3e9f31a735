/* The counters: names, order, SL_STAT_INC. */
#include "test_util.h"

#include "sl_stats.h"

/* A second copy of src/sl_stats.c under another name: its array has a
 * complete type here, so its real length can be measured. */
#define sl_stats_names names_copy
#include "sl_stats.c" /* from -I$(SRC) */
#undef sl_stats_names

static long name_index(const char *name)
{
    size_t i;

    for (i = 0; i < SL_STATS_COUNT; i++) {
        if (strcmp(sl_stats_names[i], name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

/* Counts the X-macro entries independently of sizeof(sl_stats). */
#define COUNT_ONE(name) +1
enum { N_MACRO = 0 SL_STATS(COUNT_ONE) };
#undef COUNT_ONE

static void test_count(void **state)
{
    (void)state;
    /* The struct holds exactly the X-macro's counters, all uint64_t. */
    assert_int_equal(SL_STATS_COUNT, N_MACRO);
    assert_int_equal(sizeof(sl_stats), N_MACRO * sizeof(uint64_t));
    /* The names array as defined in src/sl_stats.c has one entry per counter. */
    assert_int_equal(ARRAY_LEN(names_copy), SL_STATS_COUNT);
}

static void test_names(void **state)
{
    size_t i, j;

    (void)state;
    for (i = 0; i < SL_STATS_COUNT; i++) {
        assert_non_null(sl_stats_names[i]);
        assert_true(strlen(sl_stats_names[i]) > 0);
        assert_string_equal(sl_stats_names[i], names_copy[i]);
        for (j = 0; j < i; j++) {
            assert_string_not_equal(sl_stats_names[i], sl_stats_names[j]);
        }
    }
    /* Counters the lock layer and the connection layer rely on. */
    assert_true(name_index("acquired") >= 0);
    assert_true(name_index("conflicts") >= 0);
    assert_true(name_index("reconnects") >= 0);
    assert_true(name_index("pool_hits") >= 0);
    assert_true(name_index("script_loads") >= 0);
    assert_int_equal(name_index("no_such_counter"), -1);
}

/* sl_stats_names[i] names the field that sl_stats_get(i) reads. */
static void test_names_match_fields(void **state)
{
    (void)state;
#define CHECK_FIELD(name) assert_int_equal(name_index(#name), offsetof(sl_stats, name) / sizeof(uint64_t));
    SL_STATS(CHECK_FIELD)
#undef CHECK_FIELD
}

/* sl_stats_get(i) reads the field named sl_stats_names[i]. */
static void test_get_matches_field(void **state)
{
    sl_stats s;
    size_t i = 0;

    (void)state;
    memset(&s, 0, sizeof(s));
#define SET_FIELD(name) s.name = 1000 + i++;
    SL_STATS(SET_FIELD)
#undef SET_FIELD
    for (i = 0; i < SL_STATS_COUNT; i++) {
        assert_int_equal(sl_stats_get(&s, i), 1000 + i);
    }
}

static void test_inc(void **state)
{
    sl_stats s, *ps = &s, *none = NULL;

    (void)state;
    memset(&s, 0, sizeof(s));
    SL_STAT_INC(ps, conflicts, 1);
    SL_STAT_INC(ps, conflicts, 1);
    SL_STAT_INC(ps, released, 5);
    SL_STAT_INC(ps, commands, 0);
    assert_int_equal(s.conflicts, 2);
    assert_int_equal(s.released, 5);
    assert_int_equal(s.commands, 0);
    assert_int_equal(s.acquired, 0);
    /* A NULL stats pointer is allowed (a node without counters). */
    SL_STAT_INC(none, acquired, 1);
    assert_null(none);
    /* Unsigned 64-bit: wraps, never UB. */
    s.errors = UINT64_MAX;
    SL_STAT_INC(ps, errors, 1);
    assert_int_equal(s.errors, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_names_match_fields),
        cmocka_unit_test(test_get_matches_field),
        cmocka_unit_test(test_inc),
    };

    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
