/* Event records (no PHP here). */
#include "sl_event.h"

const char *sl_event_error_reason(sl_status code)
{
    static const char *const reasons[] = {"ok", "argument", "connect", "timeout", "io", "auth",
                                          "reply", "protocol", "memory", "fork", "type"};
    int i = -(int)code;

    return (i >= 0 && i < (int)(sizeof(reasons) / sizeof(reasons[0]))) ? reasons[i] : "error";
}

const char *sl_event_blocked_reason(sl_blocked blocked)
{
    return blocked == SL_BLOCKED_LOCKED ? "slot_locked" : "slot_booked";
}
