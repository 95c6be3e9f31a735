/* Lua scripts. Keep docs/WIRE.md and polyfill/ in step with any change here. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl_scripts.h"

/* The scripts of wire format 2, byte for byte as docs/WIRE.md gives them
 * (with its "who" parser in place of "local function who(v) ... end").
 * Every script reads a slot with redis.pcall('GET'): WRONGTYPE (a format-1
 * hash, a foreign key) means "held by someone else"; any other error reply
 * is returned as is. Values: "h:<fence>:<owner>" (a hold) or
 * "b:<fence>:<idlen>:<booking id>:<owner>" (a booked marker). */

/* "who": the parser of a slot value that heads every script reading owners. */
#define WHO_LUA \
    "local function who(v)\n" \
    "  local k, p = string.sub(v, 1, 2), string.find(v, ':', 3, true)\n" \
    "  if not p then return nil end\n" \
    "  local f = tonumber(string.sub(v, 3, p - 1))\n" \
    "  if k == 'h:' then return string.sub(v, p + 1), f, nil end\n" \
    "  if k ~= 'b:' then return nil end\n" \
    "  local q = string.find(v, ':', p + 1, true)\n" \
    "  local n = q and tonumber(string.sub(v, p + 1, q - 1))\n" \
    "  if not n then return nil end\n" \
    "  return string.sub(v, q + n + 2), f, string.sub(v, q + 1, q + n)\n" \
    "end\n"

static const char acquire_lua[] =
    WHO_LUA
    "local owner, ttl, fencing = ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1'\n"
    "local first, wait, why, booking, blockers = 2, -1, 0, '', {}\n"
    "for g = 4, #ARGV do\n"
    "  local last = first + tonumber(ARGV[g]) - 1\n"
    "  local free, mine, fence = true, true, false\n"
    "  for i = first, last do\n"
    "    local v = redis.pcall('GET', KEYS[i])\n"
    "    if type(v) == 'table' then\n"
    "      if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n"
    "      v = ''\n"
    "    end\n"
    "    if v then\n"
    "      local o, f, b = who(v)\n"
    "      if o ~= owner or b then\n"
    "        free = false\n"
    "        blockers[#blockers + 1] = KEYS[i]\n"
    "        if why == 0 then\n"
    "          if not b then why = 1\n"
    "          elseif o == owner then why, booking = 3, b\n"
    "          else why = 2 end\n"
    "        end\n"
    "        break\n"
    "      end\n"
    "      if fence and fence ~= f then mine = false end\n"
    "      fence = f\n"
    "    else\n"
    "      mine = false\n"
    "    end\n"
    "  end\n"
    "  if free then\n"
    "    if not (mine and fence) then\n"
    "      fence = fencing and redis.call('INCR', KEYS[1]) or 0\n"
    "    end\n"
    "    local h = 'h:' .. fence .. ':' .. owner\n"
    "    for i = first, last do\n"
    "      redis.call('SET', KEYS[i], h, 'PX', ttl)\n"
    "    end\n"
    "    return {g - 3, fence, ttl, (mine and 0) or 1, 0, ''}\n"
    "  end\n"
    "  first = last + 1\n"
    "end\n"
    "for _, k in ipairs(blockers) do\n"
    "  local p = redis.call('PTTL', k)\n"
    "  if p >= 0 and (wait < 0 or p < wait) then wait = p end\n"
    "end\n"
    "return {0, 0, wait, 0, why, booking}\n";

static const char release1_lua[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
    "return 0\n";

static const char release_lua[] =
    WHO_LUA
    "local n = 0\n"
    "for i = 1, #KEYS do\n"
    "  local v = redis.pcall('GET', KEYS[i])\n"
    "  if type(v) == 'table' then\n"
    "    if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n"
    "  elseif v and string.sub(v, 1, 2) == 'h:' and who(v) == ARGV[1] then\n"
    "    redis.call('DEL', KEYS[i])\n"
    "    n = n + 1\n"
    "  end\n"
    "end\n"
    "return n\n";

static const char extend_lua[] =
    WHO_LUA
    "local fence = false\n"
    "for i = 1, #KEYS do\n"
    "  local v = redis.pcall('GET', KEYS[i])\n"
    "  if type(v) == 'table' then\n"
    "    if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n"
    "    return {-1, 0, 0}\n"
    "  end\n"
    "  if not v then return {0, 0, 0} end\n"
    "  local o, f, b = who(v)\n"
    "  if o ~= ARGV[1] or b then return {-1, 0, 0} end\n"
    "  fence = fence or f\n"
    "end\n"
    "for i = 1, #KEYS do\n"
    "  redis.call('PEXPIRE', KEYS[i], ARGV[2])\n"
    "end\n"
    "return {1, fence, tonumber(ARGV[2])}\n";

static const char validate_lua[] =
    WHO_LUA
    "for i = 1, #KEYS do\n"
    "  local v = redis.pcall('GET', KEYS[i])\n"
    "  if type(v) == 'table' then\n"
    "    if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n"
    "    return 0\n"
    "  end\n"
    "  if not v then return 0 end\n"
    "  local o, f, b = who(v)\n"
    "  if o ~= ARGV[1] or b then return 0 end\n"
    "end\n"
    "return 1\n";

static const char status_lua[] =
    "local locked, ttl, booked = 0, -1, 0\n"
    "for i = 1, #KEYS do\n"
    "  local v = redis.pcall('GET', KEYS[i])\n"
    "  if type(v) == 'table' then\n"
    "    if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n"
    "    v = ''\n"
    "  end\n"
    "  if v then\n"
    "    locked = 1\n"
    "    local p = redis.call('PTTL', KEYS[i])\n"
    "    if p > ttl then ttl = p end\n"
    "    if string.sub(v, 1, 2) == 'b:' then booked = 1 end\n"
    "  end\n"
    "end\n"
    "return {locked, ttl, booked}\n";

static const char commit_lua[] =
    WHO_LUA
    "local owner, ttl, id, fencing = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4] == '1'\n"
    "local fence, keep = false, {}\n"
    "for i = 2, #KEYS do\n"
    "  local v = redis.pcall('GET', KEYS[i])\n"
    "  if type(v) == 'table' then\n"
    "    if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n"
    "    return {-1, 0}\n"
    "  end\n"
    "  if v then\n"
    "    local o, f, b = who(v)\n"
    "    if o ~= owner then return {-1, 0} end\n"
    "    fence = fence or f\n"
    "    if b then keep[i] = v end\n"
    "  end\n"
    "end\n"
    "if not fence then\n"
    "  fence = fencing and redis.call('INCR', KEYS[1]) or 0\n"
    "end\n"
    "local m = 'b:' .. fence .. ':' .. #id .. ':' .. id .. ':' .. owner\n"
    "for i = 2, #KEYS do\n"
    "  redis.call('SET', KEYS[i], keep[i] or m, 'PX', ttl)\n"
    "end\n"
    "return {1, fence}\n";

static sl_script scripts[SL_SCRIPT__N] = {
    {"acquire", acquire_lua, sizeof(acquire_lua) - 1, ""},
    {"commit", commit_lua, sizeof(commit_lua) - 1, ""},
    {"release", release_lua, sizeof(release_lua) - 1, ""},
    {"extend", extend_lua, sizeof(extend_lua) - 1, ""},
    {"validate", validate_lua, sizeof(validate_lua) - 1, ""},
    {"status", status_lua, sizeof(status_lua) - 1, ""},
    {"release1", release1_lua, sizeof(release1_lua) - 1, ""},
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

/* Sends argv as one command; an error reply becomes its code. */
static sl_status run_argv(sl_node *node, size_t argc, const char **argv, const size_t *lens, redisReply **reply,
                          sl_error *err)
{
    sl_status rc = sl_node_command(node, (int)argc, argv, lens, reply, err);

    if (rc == SL_ERR_REPLY) {
        /* err carries Redis' message (OOM, READONLY, BUSY...) and its class:
         * SL_ERR_AUTH for NOAUTH/WRONGPASS/NOPERM. */
        freeReplyObject(*reply);
        *reply = NULL;
        rc = err ? err->code : SL_ERR_REPLY;
    }
    return rc;
}

static int err_starts(const sl_error *err, const char *what)
{
    static const char lead[] = "Redis error: ";
    return err && strncmp(err->msg, lead, sizeof(lead) - 1) == 0 &&
           strncmp(err->msg + sizeof(lead) - 1, what, strlen(what)) == 0;
}

/* verb, keys, args: the vectors of a command (on the stack for the usual sizes). */
typedef struct {
    size_t argc;
    const char **argv;
    size_t *lens;
    const char *stack_argv[SL_STACK_ARGS];
    size_t stack_lens[SL_STACK_ARGS];
} cmd_vec;

static sl_status cmd_vec_init(cmd_vec *c, size_t argc, sl_error *err)
{
    c->argc = argc;
    c->argv = c->stack_argv;
    c->lens = c->stack_lens;
    if (argc > SL_STACK_ARGS) {
        c->argv = malloc(argc * sizeof(*c->argv));
        c->lens = malloc(argc * sizeof(*c->lens));
        if (!c->argv || !c->lens) {
            free(c->argv);
            free(c->lens);
            c->argv = NULL;
            c->lens = NULL;
            sl_error_set(err, SL_ERR_NOMEM, "out of memory");
            return SL_ERR_NOMEM;
        }
    }
    return SL_OK;
}

static void cmd_vec_free(cmd_vec *c)
{
    if (c->argv != c->stack_argv) {
        free(c->argv);
        free(c->lens);
    }
}

/* Copies keys then args into c from index at. */
static void cmd_vec_fill(cmd_vec *c, size_t at, size_t nkeys, const char *const *keys, const size_t *key_lens,
                         size_t nargs, const char *const *args, const size_t *arg_lens)
{
    size_t i;

    for (i = 0; i < nkeys; i++) {
        c->argv[at + i] = keys[i];
        c->lens[at + i] = key_lens[i];
    }
    for (i = 0; i < nargs; i++) {
        c->argv[at + nkeys + i] = args[i];
        c->lens[at + nkeys + i] = arg_lens[i];
    }
}

/* Asks once per connection which compare-and-delete command the server has.
 * A refusal (NOPERM, a renamed COMMAND) means neither: the script. Fails only
 * when the connection itself failed (then the caller must not try again). */
static sl_status detect_caps(sl_node *node, sl_error *err)
{
    static const char *const argv[4] = {"COMMAND", "INFO", "DELIFEQ", "DELEX"};
    static const size_t lens[4] = {7, 4, 7, 5};
    redisReply *r = NULL;
    int caps = SL_CAP_KNOWN;
    sl_status rc;

    rc = sl_node_command(node, 4, (const char **)argv, lens, &r, err);
    if (rc == SL_OK && r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
        if (r->element[0] && r->element[0]->type == REDIS_REPLY_ARRAY) {
            caps |= SL_CAP_DELIFEQ;
        } else if (r->element[1] && r->element[1]->type == REDIS_REPLY_ARRAY) {
            caps |= SL_CAP_DELEX;
        }
    }
    if (r) {
        freeReplyObject(r);
    }
    if (!node->conn) {
        return rc != SL_OK ? rc : SL_ERR_IO; /* the connection is gone */
    }
    node->conn->caps |= caps;
    return SL_OK;
}

/* KEYS = [key], ARGV = [value]: deletes key when it holds exactly value. */
static sl_status run_delete_if_equal(sl_node *node, const char *const *keys, const size_t *key_lens,
                                     const char *const *args, const size_t *arg_lens, redisReply **reply,
                                     sl_stats *stats, sl_error *err)
{
    const char *argv[4];
    size_t lens[4];

    if (!node->conn || !(node->conn->caps & SL_CAP_KNOWN)) {
        sl_status rc = detect_caps(node, err);
        if (rc != SL_OK) {
            return rc;
        }
    }
    if (node->conn && (node->conn->caps & SL_CAP_DELIFEQ)) {
        argv[0] = "DELIFEQ";
        lens[0] = 7;
        argv[1] = keys[0];
        lens[1] = key_lens[0];
        argv[2] = args[0];
        lens[2] = arg_lens[0];
        return run_argv(node, 3, argv, lens, reply, err);
    }
    if (node->conn && (node->conn->caps & SL_CAP_DELEX)) {
        argv[0] = "DELEX";
        lens[0] = 5;
        argv[1] = keys[0];
        lens[1] = key_lens[0];
        argv[2] = "IFEQ";
        lens[2] = 4;
        argv[3] = args[0];
        lens[3] = arg_lens[0];
        return run_argv(node, 4, argv, lens, reply, err);
    }
    return sl_script_run(node, SL_SCRIPT_RELEASE1, 1, keys, key_lens, 1, args, arg_lens, reply, stats, err);
}

/* SET <key> <args...>, remembering a server that refuses NX with GET. */
static sl_status run_set(sl_node *node, size_t nkeys, const char *const *keys, const size_t *key_lens, size_t nargs,
                         const char *const *args, const size_t *arg_lens, redisReply **reply, sl_error *err)
{
    cmd_vec c;
    sl_status rc;

    if (node->conn && (node->conn->caps & SL_CAP_NO_SET_GET)) {
        sl_error_set(err, SL_ERR_REPLY, "Redis error: ERR syntax error (SET with NX and GET)");
        return SL_ERR_REPLY;
    }
    if (cmd_vec_init(&c, 1 + nkeys + nargs, err) != SL_OK) {
        return SL_ERR_NOMEM;
    }
    c.argv[0] = "SET";
    c.lens[0] = 3;
    cmd_vec_fill(&c, 1, nkeys, keys, key_lens, nargs, args, arg_lens);
    rc = run_argv(node, c.argc, c.argv, c.lens, reply, err);
    if (rc == SL_ERR_REPLY && err_starts(err, "ERR syntax error") && node->conn) {
        node->conn->caps |= SL_CAP_NO_SET_GET;
    }
    cmd_vec_free(&c);
    return rc;
}

sl_status sl_script_run(sl_node *node, sl_script_id id, size_t nkeys, const char *const *keys,
                        const size_t *key_lens, size_t nargs, const char *const *args, const size_t *arg_lens,
                        redisReply **reply, sl_stats *stats, sl_error *err)
{
    const sl_script *s;
    char numkeys[24];
    cmd_vec c;
    sl_status rc;

    *reply = NULL;
    if (id == SL_CMD_SET) {
        return run_set(node, nkeys, keys, key_lens, nargs, args, arg_lens, reply, err);
    }
    if (id == SL_CMD_DELETE_IF_EQUAL) {
        return run_delete_if_equal(node, keys, key_lens, args, arg_lens, reply, stats, err);
    }
    s = sl_script_get(id);
    if (cmd_vec_init(&c, 3 + nkeys + nargs, err) != SL_OK) {
        return SL_ERR_NOMEM;
    }
    sl_fmt_int(numkeys, (int64_t)nkeys);
    c.argv[0] = "EVALSHA";
    c.lens[0] = 7;
    c.argv[1] = s->sha;
    c.lens[1] = SL_SHA1_HEX_LEN;
    c.argv[2] = numkeys;
    c.lens[2] = strlen(numkeys);
    cmd_vec_fill(&c, 3, nkeys, keys, key_lens, nargs, args, arg_lens);

    rc = sl_node_command(node, (int)c.argc, c.argv, c.lens, reply, err);
    if (rc == SL_ERR_REPLY && reply_is_noscript(*reply)) {
        /* After SCRIPT FLUSH, a restart or a failover: EVAL loads it again. */
        freeReplyObject(*reply);
        *reply = NULL;
        SL_STAT_INC(stats, script_loads, 1);
        c.argv[0] = "EVAL";
        c.lens[0] = 4;
        c.argv[1] = s->body;
        c.lens[1] = s->len;
        rc = sl_node_command(node, (int)c.argc, c.argv, c.lens, reply, err);
    }
    if (rc == SL_ERR_REPLY) {
        freeReplyObject(*reply);
        *reply = NULL;
        rc = err ? err->code : SL_ERR_REPLY;
    }
    cmd_vec_free(&c);
    return rc;
}
