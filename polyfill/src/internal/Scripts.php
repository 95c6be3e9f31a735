<?php

/*
 * slotlock polyfill, twin of src/sl_scripts.c: the Lua scripts, the exact text of the C
 * (tests/polyfill/check_scripts.php compares them, so their SHA1 digests match and EVALSHA
 * finds what the other side loaded), and how one runs: EVALSHA, the body on NOSCRIPT.
 * No user input is ever spliced into a script: it travels in KEYS and ARGV.
 */

namespace SlotLock\Polyfill;

/** @internal */
final class Scripts
{
    /** name => body */
    public const SCRIPTS = [
        'acquire' =>
            "local owner, ttl = ARGV[1], tonumber(ARGV[2])\n" .
            "local t = redis.call('TIME')\n" .
            "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n" .
            "local first, wait, why, booking, blockers = 3, -1, 0, '', {}\n" .
            "if redis.acl_check_cmd and not redis.acl_check_cmd('pexpire', KEYS[3], '1') then\n" .
            "  return redis.error_reply('NOPERM this user may not run pexpire on slotlock keys')\n" .
            "end\n" .
            "for g = 3, #ARGV do\n" .
            "  local last = first + tonumber(ARGV[g]) - 1\n" .
            "  local free, mine, fence = true, true, false\n" .
            "  for i = first, last do\n" .
            "    local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence', 'booked')\n" .
            "    if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n" .
            "    if v.err or (v[1] and v[1] ~= owner) or v[3] then\n" .
            "      free = false\n" .
            "      blockers[#blockers + 1] = KEYS[i]\n" .
            "      if why == 0 then\n" .
            "        if v.err or not v[3] then why = 1\n" .
            "        elseif v[1] == owner then why, booking = 3, v[3]\n" .
            "        else why = 2 end\n" .
            "      end\n" .
            "      break\n" .
            "    end\n" .
            "    if not v[1] or (fence and fence ~= v[2]) then mine = false end\n" .
            "    fence = v[2]\n" .
            "  end\n" .
            "  if free then\n" .
            "    if mine and fence then\n" .
            "      fence = tonumber(fence)\n" .
            "    else\n" .
            "      fence = redis.call('INCR', KEYS[1])\n" .
            "    end\n" .
            "    for i = first, last do\n" .
            "      redis.call('HSET', KEYS[i], 'owner', owner, 'fence', fence)\n" .
            "      redis.call('PEXPIRE', KEYS[i], ttl)\n" .
            "      redis.call('ZADD', KEYS[2], now + ttl, KEYS[i])\n" .
            "    end\n" .
            "    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)\n" .
            "    return {g - 2, fence, ttl, (mine and 0) or 1, 0, ''}\n" .
            "  end\n" .
            "  first = last + 1\n" .
            "end\n" .
            "for _, k in ipairs(blockers) do\n" .
            "  local p = redis.call('PTTL', k)\n" .
            "  if p >= 0 and (wait < 0 or p < wait) then wait = p end\n" .
            "end\n" .
            "return {0, 0, wait, 0, why, booking}\n",
        'commit' =>
            "local owner, ttl = ARGV[1], tonumber(ARGV[2])\n" .
            "local t = redis.call('TIME')\n" .
            "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n" .
            "local fence = false\n" .
            "if redis.acl_check_cmd and not (redis.acl_check_cmd('hsetnx', KEYS[3], 'booked', '') and\n" .
            "                                redis.acl_check_cmd('pexpire', KEYS[3], '1')) then\n" .
            "  return redis.error_reply('NOPERM this user may not run hsetnx or pexpire on slotlock keys')\n" .
            "end\n" .
            "for i = 3, #KEYS do\n" .
            "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence')\n" .
            "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n" .
            "  if v.err or (v[1] and v[1] ~= owner) then return {-1, 0} end\n" .
            "  fence = fence or v[2]\n" .
            "end\n" .
            "fence = tonumber(fence) or redis.call('INCR', KEYS[1])\n" .
            "for i = 3, #KEYS do\n" .
            "  redis.call('HSET', KEYS[i], 'owner', owner, 'fence', fence)\n" .
            "  redis.call('HSETNX', KEYS[i], 'booked', ARGV[3])\n" .
            "  redis.call('PEXPIRE', KEYS[i], ttl)\n" .
            "  redis.call('ZADD', KEYS[2], now + ttl, KEYS[i])\n" .
            "end\n" .
            "return {1, fence}\n",
        'release' =>
            "local n = 0\n" .
            "for i = 2, #KEYS do\n" .
            "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'booked')\n" .
            "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n" .
            "  if not v.err and v[1] == ARGV[1] and not v[2] then\n" .
            "    redis.call('DEL', KEYS[i])\n" .
            "    redis.call('ZREM', KEYS[1], KEYS[i])\n" .
            "    n = n + 1\n" .
            "  end\n" .
            "end\n" .
            "return n\n",
        'extend' =>
            "local t = redis.call('TIME')\n" .
            "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n" .
            "local ttl, fence = tonumber(ARGV[2]), false\n" .
            "if redis.acl_check_cmd and not redis.acl_check_cmd('pexpire', KEYS[2], '1') then\n" .
            "  return redis.error_reply('NOPERM this user may not run pexpire on slotlock keys')\n" .
            "end\n" .
            "for i = 2, #KEYS do\n" .
            "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence', 'booked')\n" .
            "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n" .
            "  if v.err then return {-1, 0, 0} end\n" .
            "  if not v[1] then return {0, 0, 0} end\n" .
            "  if v[1] ~= ARGV[1] or v[3] then return {-1, 0, 0} end\n" .
            "  fence = fence or v[2]\n" .
            "end\n" .
            "for i = 2, #KEYS do\n" .
            "  redis.call('PEXPIRE', KEYS[i], ttl)\n" .
            "  redis.call('ZADD', KEYS[1], now + ttl, KEYS[i])\n" .
            "end\n" .
            "return {1, tonumber(fence), ttl}\n",
        'validate' =>
            "for i = 1, #KEYS do\n" .
            "  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'booked')\n" .
            "  if v.err and not string.find(v.err, 'WRONGTYPE', 1, true) then return redis.error_reply(v.err) end\n" .
            "  if v.err or v[1] ~= ARGV[1] or v[2] then return 0 end\n" .
            "end\n" .
            "return 1\n",
        'status' =>
            "local locked, ttl, booked = 0, -1, 0\n" .
            "for i = 1, #KEYS do\n" .
            "  local p = redis.call('PTTL', KEYS[i])\n" .
            "  if p ~= -2 then\n" .
            "    locked = 1\n" .
            "    if p > ttl then ttl = p end\n" .
            "    local b = redis.pcall('HEXISTS', KEYS[i], 'booked')\n" .
            "    if type(b) == 'table' and b.err and not string.find(b.err, 'WRONGTYPE', 1, true) then\n" .
            "      return redis.error_reply(b.err)\n" .
            "    end\n" .
            "    if b == 1 then booked = 1 end\n" .
            "  end\n" .
            "end\n" .
            "return {locked, ttl, booked}\n",
        'count' =>
            "local t = redis.call('TIME')\n" .
            "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t[1] * 1000 + math.floor(t[2] / 1000))\n" .
            "return redis.call('ZCARD', KEYS[1])\n",
    ];

    /** @var array<string,string> script name => SHA1 */
    private static array $sha = [];

    /** Runs a script by digest on $conn, sending its body on NOSCRIPT (after SCRIPT FLUSH, a restart or a failover). */
    public static function run(Connection $conn, string $name, array $keys, array $args): mixed
    {
        if (self::$sha === []) {
            foreach (self::SCRIPTS as $n => $body) {
                self::$sha[$n] = sha1($body);
            }
        }
        $argv = array_merge($keys, $args);
        $nkeys = count($keys);
        return $conn->command(static function (\Redis $redis) use ($name, $argv, $nkeys) {
            Stats::$c['commands']++;
            $r = $redis->evalSha(self::$sha[$name], $argv, $nkeys);
            if ($r === false && str_starts_with((string) $redis->getLastError(), 'NOSCRIPT')) {
                Stats::$c['script_loads']++;
                Stats::$c['commands']++;
                $redis->clearLastError();
                $r = $redis->eval(self::SCRIPTS[$name], $argv, $nkeys);
            }
            return $r;
        });
    }
}
