/* Lua scripts. Keep docs/WIRE.md and polyfill/ in step with any change here. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl_scripts.h"

/* Writing scripts check, on Redis 7, only the commands whose refusal after
 * an earlier write would leave a key without TTL (PEXPIRE; HSETNX in commit):
 * a refused INCR, HSET or ZADD either comes first or leaves a key that still
 * expires. Each check costs the server about half a microsecond.
 *
 * KEYS: fence, active, slot...  ARGV: owner, ttl_ms, n1, n2, ...
 * Takes the first candidate (n_i consecutive slot keys) whose keys are all
 * free or already held by owner, none booked. When none is free, says what
 * blocked the first candidate: 1 another owner's hold, 2 another owner's
 * booked marker, 3 owner's own booked marker (with its booking id). */
static const char acquire_lua[] =
    "local owner, ttl = ARGV[1], tonumber(ARGV[2])\n"
    "local t = redis.call('TIME')\n"
    "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
    "local first, wait, why, booking, blockers = 3, -1, 0, '', {}\n"
    "if redis.acl_check_cmd and not redis.acl_check_cmd('pexpire', KEYS[3], '1') then\n"
    "  return redis.error_reply('NOPERM this user may not run pexpire on slotlock keys')\n"
    "end\n"
    "for g = 3, #ARGV do\n"
    "  local last = first + tonumber(ARGV[g]) - 1\n"
    "  local free, mine, fence = true, true, false\n"
    "  for i = first, last do\n"
    "    local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence', 'booked')\n"
    "    if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n"
    "    if v.err or (v[1] and v[1] ~= owner) or v[3] then\n"
    "      free = false\n"
    "      blockers[#blockers + 1] = KEYS[i]\n"
    "      if why == 0 then\n"
    "        if v.err or not v[3] then why = 1\n"
    "        elseif v[1] == owner then why, booking = 3, v[3]\n"
    "        else why = 2 end\n"
    "      end\n"
    "      break\n"
    "    end\n"
    "    if not v[1] or (fence and fence ~= v[2]) then mine = false end\n"
    "    fence = v[2]\n"
    "  end\n"
    "  if free then\n"
    "    if mine and fence then\n"
    "      fence = tonumber(fence)\n"
    "    else\n"
    "      fence = redis.call('INCR', KEYS[1])\n"
    "    end\n"
    "    for i = first, last do\n"
    "      redis.call('HSET', KEYS[i], 'owner', owner, 'fence', fence)\n"
    "      redis.call('PEXPIRE', KEYS[i], ttl)\n"
    "      redis.call('ZADD', KEYS[2], now + ttl, KEYS[i])\n"
    "    end\n"
    "    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)\n"
    "    return {g - 2, fence, ttl, (mine and 0) or 1, 0, ''}\n"
    "  end\n"
    "  first = last + 1\n"
    "end\n"
    "for _, k in ipairs(blockers) do\n"
    "  local p = redis.call('PTTL', k)\n"
    "  if p >= 0 and (wait < 0 or p < wait) then wait = p end\n"
    "end\n"
    "return {0, 0, wait, 0, why, booking}\n";

/* KEYS: fence, active, slot...  ARGV: owner, ttl_ms, booking_id.
 * Turns owner's hold into a booked marker (all keys or none). A key whose
 * hold expired and is still free is marked too: the booking was written.
 * An existing marker of owner keeps its first booking id. */
static const char commit_lua[] =
    "local owner, ttl = ARGV[1], tonumber(ARGV[2])\n"
    "local t = redis.call('TIME')\n"
    "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
    "local fence = false\n"
    "if redis.acl_check_cmd and not (redis.acl_check_cmd('hsetnx', KEYS[3], 'booked', '') and\n"
    "                                redis.acl_check_cmd('pexpire', KEYS[3], '1')) then\n"
    "  return redis.error_reply('NOPERM this user may not run hsetnx or pexpire on slotlock keys')\n"
    "end\n"
    "for i = 3, #KEYS do\n"
    "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence')\n"
    "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n"
    "  if v.err or (v[1] and v[1] ~= owner) then return {-1, 0} end\n"
    "  fence = fence or v[2]\n"
    "end\n"
    "fence = tonumber(fence) or redis.call('INCR', KEYS[1])\n"
    "for i = 3, #KEYS do\n"
    "  redis.call('HSET', KEYS[i], 'owner', owner, 'fence', fence)\n"
    "  redis.call('HSETNX', KEYS[i], 'booked', ARGV[3])\n"
    "  redis.call('PEXPIRE', KEYS[i], ttl)\n"
    "  redis.call('ZADD', KEYS[2], now + ttl, KEYS[i])\n"
    "end\n"
    "return {1, fence}\n";

/* KEYS: active, slot...  ARGV: owner. Deletes the keys owner holds (not booked). */
static const char release_lua[] =
    "local n = 0\n"
    "for i = 2, #KEYS do\n"
    "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'booked')\n"
    "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n"
    "  if not v.err and v[1] == ARGV[1] and not v[2] then\n"
    "    redis.call('DEL', KEYS[i])\n"
    "    redis.call('ZREM', KEYS[1], KEYS[i])\n"
    "    n = n + 1\n"
    "  end\n"
    "end\n"
    "return n\n";

/* KEYS: active, slot...  ARGV: owner, ttl_ms. All keys or none. */
static const char extend_lua[] =
    "local t = redis.call('TIME')\n"
    "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
    "local ttl, fence = tonumber(ARGV[2]), false\n"
    "if redis.acl_check_cmd and not redis.acl_check_cmd('pexpire', KEYS[2], '1') then\n"
    "  return redis.error_reply('NOPERM this user may not run pexpire on slotlock keys')\n"
    "end\n"
    "for i = 2, #KEYS do\n"
    "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence', 'booked')\n"
    "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n"
    "  if v.err then return {-1, 0, 0} end\n"
    "  if not v[1] then return {0, 0, 0} end\n"
    "  if v[1] ~= ARGV[1] or v[3] then return {-1, 0, 0} end\n"
    "  fence = fence or v[2]\n"
    "end\n"
    "for i = 2, #KEYS do\n"
    "  redis.call('PEXPIRE', KEYS[i], ttl)\n"
    "  redis.call('ZADD', KEYS[1], now + ttl, KEYS[i])\n"
    "end\n"
    "return {1, tonumber(fence), ttl}\n";

/* KEYS: slot...  ARGV: owner. */
static const char validate_lua[] =
    "for i = 1, #KEYS do\n"
    "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'booked')\n"
    "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n"
    "  if v.err or v[1] ~= ARGV[1] or v[2] then return 0 end\n"
    "end\n"
    "return 1\n";

/* KEYS: slot...  -> {locked, max pttl or -1, booked} */
static const char status_lua[] =
    "local locked, ttl, booked = 0, -1, 0\n"
    "for i = 1, #KEYS do\n"
    "  local p = redis.call('PTTL', KEYS[i])\n"
    "  if p ~= -2 then\n"
    "    locked = 1\n"
    "    if p > ttl then ttl = p end\n"
    "    local b = redis.pcall('HEXISTS', KEYS[i], 'booked')\n"
    "    if type(b) == 'table' and b.err and not string.find(b.err, 'WRONGTYPE', 1, true) then\n"
    "      return redis.error_reply(b.err)\n"
    "    end\n"
    "    if b == 1 then booked = 1 end\n"
    "  end\n"
    "end\n"
    "return {locked, ttl, booked}\n";

/* KEYS: active. */
static const char count_lua[] =
    "local t = redis.call('TIME')\n"
    "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t[1] * 1000 + math.floor(t[2] / 1000))\n"
    "return redis.call('ZCARD', KEYS[1])\n";

static sl_script scripts[SL_SCRIPT__N] = {
    {"acquire", acquire_lua, sizeof(acquire_lua) - 1, ""},
    {"commit", commit_lua, sizeof(commit_lua) - 1, ""},
    {"release", release_lua, sizeof(release_lua) - 1, ""},
    {"extend", extend_lua, sizeof(extend_lua) - 1, ""},
    {"validate", validate_lua, sizeof(validate_lua) - 1, ""},
    {"status", status_lua, sizeof(status_lua) - 1, ""},
    {"count", count_lua, sizeof(count_lua) - 1, ""},
};

void sl_scripts_init(void)
{
    int i;

    for (i = 0; i < SL_SCRIPT__N; i++) {
        sl_sha1_hex(scripts[i].body, scripts[i].len, scripts[i].sha);
    }
}

const sl_script *sl_script_get(sl_script_id id)
{
    if (!scripts[id].sha[0]) {
        sl_sha1_hex(scripts[id].body, scripts[id].len, scripts[id].sha);
    }
    return &scripts[id];
}

/* ---- The runner ---------------------------------------------------------- */

/* Writes v in decimal + NUL into buf (>= 24 bytes); returns the length.
 * snprintf cost more than the rest of a small command's formatting. */
size_t sl_fmt_int(char *buf, int64_t v)
{
    char tmp[24];
    size_t n = 0, i = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        buf[i++] = '-';
    }
    while (n) {
        buf[i++] = tmp[--n];
    }
    buf[i] = '\0';
    return i;
}

static int reply_is_noscript(const redisReply *r)
{
    return r && r->type == REDIS_REPLY_ERROR && r->len >= 8 && strncmp(r->str, "NOSCRIPT", 8) == 0;
}

sl_status sl_script_run(sl_node *node, sl_script_id id, size_t nkeys, const char *const *keys,
                        const size_t *key_lens, size_t nargs, const char *const *args, const size_t *arg_lens,
                        redisReply **reply, sl_stats *stats, sl_error *err)
{
    const sl_script *s = sl_script_get(id);
    size_t argc = 3 + nkeys + nargs, i;
    const char **argv, *stack_argv[SL_STACK_ARGS];
    size_t *lens, stack_lens[SL_STACK_ARGS];
    char numkeys[24];
    sl_status rc;

    *reply = NULL;
    if (argc <= SL_STACK_ARGS) {
        argv = stack_argv;
        lens = stack_lens;
    } else {
        argv = malloc(argc * sizeof(*argv));
        lens = malloc(argc * sizeof(*lens));
        if (!argv || !lens) {
            free(argv);
            free(lens);
            sl_error_set(err, SL_ERR_NOMEM, "out of memory");
            return SL_ERR_NOMEM;
        }
    }
    sl_fmt_int(numkeys, (int64_t)nkeys);
    argv[0] = "EVALSHA";
    lens[0] = 7;
    argv[1] = s->sha;
    lens[1] = SL_SHA1_HEX_LEN;
    argv[2] = numkeys;
    lens[2] = strlen(numkeys);
    for (i = 0; i < nkeys; i++) {
        argv[3 + i] = keys[i];
        lens[3 + i] = key_lens[i];
    }
    for (i = 0; i < nargs; i++) {
        argv[3 + nkeys + i] = args[i];
        lens[3 + nkeys + i] = arg_lens[i];
    }

    rc = sl_node_command(node, (int)argc, argv, lens, reply, err);
    if (rc == SL_ERR_REPLY && reply_is_noscript(*reply)) {
        /* After SCRIPT FLUSH, a restart or a failover: EVAL loads it again. */
        freeReplyObject(*reply);
        *reply = NULL;
        SL_STAT_INC(stats, script_loads, 1);
        argv[0] = "EVAL";
        lens[0] = 4;
        argv[1] = s->body;
        lens[1] = s->len;
        rc = sl_node_command(node, (int)argc, argv, lens, reply, err);
    }
    if (rc == SL_ERR_REPLY) {
        /* err carries Redis' message (OOM, READONLY, BUSY...) and its class:
         * SL_ERR_AUTH for NOAUTH/WRONGPASS/NOPERM. */
        freeReplyObject(*reply);
        *reply = NULL;
        rc = err ? err->code : SL_ERR_REPLY;
    }
    if (argv != stack_argv) {
        free(argv);
        free(lens);
    }
    return rc;
}
