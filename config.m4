dnl config.m4 for extension slotlock

PHP_ARG_ENABLE([slotlock],
  [whether to enable slotlock support],
  [AS_HELP_STRING([--enable-slotlock], [Enable slotlock (distributed slot locks on Redis)])],
  [no])

PHP_ARG_WITH([hiredis-dir],
  [for hiredis],
  [AS_HELP_STRING([[--with-hiredis-dir[=DIR]]], [slotlock: hiredis install prefix (default: pkg-config)])],
  [no], [no])

PHP_ARG_WITH([slotlock-openssl],
  [for OpenSSL (TLS: rediss://)],
  [AS_HELP_STRING([[--with-slotlock-openssl[=DIR]]],
    [slotlock: TLS through OpenSSL, found with pkg-config (default: when found); DIR: its install prefix])],
  [yes], [no])

if test "$PHP_SLOTLOCK" != "no"; then
  if test "$PHP_HIREDIS_DIR" != "no" && test "$PHP_HIREDIS_DIR" != "yes"; then
    if test -r "$PHP_HIREDIS_DIR/include/hiredis/hiredis.h"; then
      PHP_ADD_INCLUDE([$PHP_HIREDIS_DIR/include])
      PHP_ADD_LIBRARY_WITH_PATH([hiredis], [$PHP_HIREDIS_DIR/$PHP_LIBDIR], [SLOTLOCK_SHARED_LIBADD])
    else
      AC_MSG_ERROR([hiredis.h not found under $PHP_HIREDIS_DIR/include/hiredis])
    fi
  else
    PKG_CHECK_MODULES([HIREDIS], [hiredis >= 0.13])
    PHP_EVAL_INCLINE([$HIREDIS_CFLAGS])
    PHP_EVAL_LIBLINE([$HIREDIS_LIBS], [SLOTLOCK_SHARED_LIBADD])
  fi

  dnl TLS is optional: without OpenSSL, rediss:// stays a clear error.
  AC_MSG_CHECKING([whether slotlock speaks TLS])
  SLOTLOCK_TLS=no
  if test "$PHP_SLOTLOCK_OPENSSL" != "no"; then
    if test "$PHP_SLOTLOCK_OPENSSL" != "yes"; then
      if test -r "$PHP_SLOTLOCK_OPENSSL/include/openssl/ssl.h"; then
        PHP_ADD_INCLUDE([$PHP_SLOTLOCK_OPENSSL/include])
        PHP_ADD_LIBRARY_WITH_PATH([ssl], [$PHP_SLOTLOCK_OPENSSL/$PHP_LIBDIR], [SLOTLOCK_SHARED_LIBADD])
        PHP_ADD_LIBRARY_WITH_PATH([crypto], [$PHP_SLOTLOCK_OPENSSL/$PHP_LIBDIR], [SLOTLOCK_SHARED_LIBADD])
        SLOTLOCK_TLS=yes
      else
        AC_MSG_ERROR([openssl/ssl.h not found under $PHP_SLOTLOCK_OPENSSL/include])
      fi
    else
      PKG_CHECK_MODULES([SLOTLOCK_OPENSSL], [openssl >= 1.1.1], [
        PHP_EVAL_INCLINE([$SLOTLOCK_OPENSSL_CFLAGS])
        PHP_EVAL_LIBLINE([$SLOTLOCK_OPENSSL_LIBS], [SLOTLOCK_SHARED_LIBADD])
        SLOTLOCK_TLS=yes
      ], [SLOTLOCK_TLS=no])
    fi
  fi
  AC_MSG_RESULT([$SLOTLOCK_TLS])
  SLOTLOCK_TLS_CFLAGS=
  if test "$SLOTLOCK_TLS" = "yes"; then
    SLOTLOCK_TLS_CFLAGS=-DSL_HAVE_OPENSSL=1
  fi

  PHP_SUBST([SLOTLOCK_SHARED_LIBADD])
  AC_DEFINE([HAVE_SLOTLOCK], [1], [Have slotlock])

  SLOTLOCK_CORE="src/sl_sha1.c src/sl_dsn.c src/sl_key.c src/sl_conn.c src/sl_scripts.c src/sl_lock.c src/sl_stats.c src/sl_topology.c src/sl_options.c src/sl_event.c src/sl_metrics.c src/sl_tls_opts.c src/sl_tls.c"
  PHP_NEW_EXTENSION([slotlock],
    [slotlock.c slotlock_service.c slotlock_availability.c slotlock_metrics.c slotlock_metrics_batch.c slotlock_lock.c slotlock_ops.c slotlock_keys.c slotlock_args.c slotlock_exceptions.c $SLOTLOCK_CORE],
    [$ext_shared],, [-DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 -std=gnu99 -Wall $SLOTLOCK_TLS_CFLAGS])
  PHP_ADD_BUILD_DIR([$ext_builddir/src])
  PHP_ADD_INCLUDE([$ext_srcdir/src])
fi
