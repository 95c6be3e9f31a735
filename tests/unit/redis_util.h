/* Helpers of the tests that talk to a real Redis (test_lock_redis, test_regressions). */
#ifndef SL_TEST_REDIS_UTIL_H
#define SL_TEST_REDIS_UTIL_H

#include <hiredis/hiredis.h>

#include "sl_conn.h"
#include "sl_lock.h"

/* From SLOTLOCK_TEST_HOST / SLOTLOCK_TEST_PORT (set by redis_env_load). */
extern const char *t_host;
extern int t_port;
/* A plain hiredis connection for setting up and inspecting state. */
extern redisContext *t_admin;

/* Reads the environment and opens t_admin; on failure prints why and returns -1
 * (a cmocka group setup then fails every test of the group). */
int redis_env_load(void);
void redis_env_unload(void);
/* The same as a cmocka group setup / teardown. */
int redis_group_setup(void **state);
int redis_group_teardown(void **state);

/* Runs a command on t_admin (hiredis format); fails the test on a NULL reply. */
redisReply *admin(const char *fmt, ...);
/* Same, for commands whose reply is not needed (fails on an error reply). */
void admin_ok(const char *fmt, ...);
long long admin_int(const char *fmt, ...);

/* A fresh endpoint for the test server (caller frees). */
void test_endpoint(sl_endpoint *ep, double timeout);

/* One command through a node, argv given as strings. */
sl_status node_cmd(sl_node *node, redisReply **reply, sl_error *err, int argc, ...);
/* CLIENT ID of the node's connection (fails the test on error). */
long long node_client_id(sl_node *node);

/* A loopback port nothing listens on (bound, then closed). */
int free_port(void);
/* A listening socket on loopback that never accepts; *port gets its port. */
int silent_listener(int *port);

/* Makes the server busy (a Lua loop) for ms milliseconds without waiting for it:
 * returns the context that sent it; busy_wait collects the reply and frees it. */
redisContext *busy_start(int ms);
void busy_wait(redisContext *c);

double now_s(void);
void sleep_ms(int ms);

#endif
