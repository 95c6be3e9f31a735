/*
 * Event records: the names an onEvent() listener is told about one lock
 * operation (event, key, fence, ttl_ms, reason). The glue builds the PHP array.
 */
#ifndef SL_EVENT_H
#define SL_EVENT_H

#include "sl_common.h"
#include "sl_lock.h"

/* The reason of an "error" event: connect, timeout, io, auth, reply, protocol, memory, ... */
const char *sl_event_error_reason(sl_status code);
/* The reason of a "conflict" event: slot_locked or slot_booked. */
const char *sl_event_blocked_reason(sl_blocked blocked);

#endif
