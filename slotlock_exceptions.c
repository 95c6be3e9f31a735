/*
 * The exception classes (registered by the module from the stub) and the one
 * helper that turns a core sl_error into the matching PHP exception. The
 * bottom of the glue: it calls nothing above it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "slotlock_private.h"

zend_class_entry *slotlock_exception_ce;
zend_class_entry *slotlock_connection_exception_ce;
zend_class_entry *slotlock_timeout_exception_ce;

bool slotlock_exception_is_exit(void)
{
    return EG(exception) && (zend_is_unwind_exit(EG(exception)) || zend_is_graceful_exit(EG(exception)));
}

void slotlock_throw(const sl_error *err)
{
    zend_class_entry *ce;

    switch (err->code) {
        case SL_ERR_ARG:
            zend_value_error("%s", err->msg);
            return;
        case SL_ERR_TYPE:
            zend_type_error("%s", err->msg);
            return;
        case SL_ERR_TIMEOUT:
            ce = slotlock_timeout_exception_ce;
            break;
        case SL_ERR_CONNECT:
        case SL_ERR_IO:
        case SL_ERR_AUTH:
            ce = slotlock_connection_exception_ce;
            break;
        default:
            ce = slotlock_exception_ce;
            break;
    }
    zend_throw_exception(ce, err->msg, (zend_long)-err->code);
}
