#include "sl_stats.h"

const char *const sl_stats_names[] = {
#define SL_STATS_NAME(name) #name,
    SL_STATS(SL_STATS_NAME)
#undef SL_STATS_NAME
};
