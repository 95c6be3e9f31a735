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
    /** The parser of slot values every script that reads owners starts with (docs/WIRE.md, "Slot values"). */
    private const WHO =
        "local function who(v)\n" .
        "  local k, p = string.sub(v, 1, 2), string.find(v, ':', 3, true)\n" .
        "  if not p then return nil end\n" .
        "  local f = tonumber(string.sub(v, 3, p - 1))\n" .
        "  if k == 'h:' then return string.sub(v, p + 1), f, nil end\n" .
        "  if k ~= 'b:' then return nil end\n" .
        "  local q = string.find(v, ':', p + 1, true)\n" .
        "  local n = q and tonumber(string.sub(v, p + 1, q - 1))\n" .
        "  if not n then return nil end\n" .
        "  return string.sub(v, q + n + 2), f, string.sub(v, q + 1, q + n)\n" .
        "end\n";

    /** name => body: each block of docs/WIRE.md, "Commands", with WHO spliced in where it says so. */
    public const SCRIPTS = [
        'acquire' => self::WHO .
            "local owner, ttl, fencing = ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1'\n" .
            "local first, wait, why, booking, blockers = 2, -1, 0, '', {}\n" .
            "for g = 4, #ARGV do\n" .
            "  local last = first + tonumber(ARGV[g]) - 1\n" .
            "  local free, mine, fence = true, true, false\n" .
            "  for i = first, last do\n" .
            "    local v = redis.pcall('GET', KEYS[i])\n" .
            "    if type(v) == 'table' then\n" .
            "      if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n" .
            "      v = ''\n" .
            "    end\n" .
            "    if v then\n" .
            "      local o, f, b = who(v)\n" .
            "      if o ~= owner or b then\n" .
            "        free = false\n" .
            "        blockers[#blockers + 1] = KEYS[i]\n" .
            "        if why == 0 then\n" .
            "          if not b then why = 1\n" .
            "          elseif o == owner then why, booking = 3, b\n" .
            "          else why = 2 end\n" .
            "        end\n" .
            "        break\n" .
            "      end\n" .
            "      if fence and fence ~= f then mine = false end\n" .
            "      fence = f\n" .
            "    else\n" .
            "      mine = false\n" .
            "    end\n" .
            "  end\n" .
            "  if free then\n" .
            "    if not (mine and fence) then\n" .
            "      fence = fencing and redis.call('INCR', KEYS[1]) or 0\n" .
            "    end\n" .
            "    local h = 'h:' .. fence .. ':' .. owner\n" .
            "    for i = first, last do\n" .
            "      redis.call('SET', KEYS[i], h, 'PX', ttl)\n" .
            "    end\n" .
            "    return {g - 3, fence, ttl, (mine and 0) or 1, 0, ''}\n" .
            "  end\n" .
            "  first = last + 1\n" .
            "end\n" .
            "for _, k in ipairs(blockers) do\n" .
            "  local p = redis.call('PTTL', k)\n" .
            "  if p >= 0 and (wait < 0 or p < wait) then wait = p end\n" .
            "end\n" .
            "return {0, 0, wait, 0, why, booking}\n",
        'release1' =>
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n" .
            "return 0\n",
        'release' => self::WHO .
            "local n = 0\n" .
            "for i = 1, #KEYS do\n" .
            "  local v = redis.pcall('GET', KEYS[i])\n" .
            "  if type(v) == 'table' then\n" .
            "    if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n" .
            "  elseif v and string.sub(v, 1, 2) == 'h:' and who(v) == ARGV[1] then\n" .
            "    redis.call('DEL', KEYS[i])\n" .
            "    n = n + 1\n" .
            "  end\n" .
            "end\n" .
            "return n\n",
        'extend' => self::WHO .
            "local fence = false\n" .
            "for i = 1, #KEYS do\n" .
            "  local v = redis.pcall('GET', KEYS[i])\n" .
            "  if type(v) == 'table' then\n" .
            "    if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n" .
            "    return {-1, 0, 0}\n" .
            "  end\n" .
            "  if not v then return {0, 0, 0} end\n" .
            "  local o, f, b = who(v)\n" .
            "  if o ~= ARGV[1] or b then return {-1, 0, 0} end\n" .
            "  fence = fence or f\n" .
            "end\n" .
            "for i = 1, #KEYS do\n" .
            "  redis.call('PEXPIRE', KEYS[i], ARGV[2])\n" .
            "end\n" .
            "return {1, fence, tonumber(ARGV[2])}\n",
        'validate' => self::WHO .
            "for i = 1, #KEYS do\n" .
            "  local v = redis.pcall('GET', KEYS[i])\n" .
            "  if type(v) == 'table' then\n" .
            "    if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n" .
            "    return 0\n" .
            "  end\n" .
            "  if not v then return 0 end\n" .
            "  local o, f, b = who(v)\n" .
            "  if o ~= ARGV[1] or b then return 0 end\n" .
            "end\n" .
            "return 1\n",
        'status' =>
            "local locked, ttl, booked = 0, -1, 0\n" .
            "for i = 1, #KEYS do\n" .
            "  local v = redis.pcall('GET', KEYS[i])\n" .
            "  if type(v) == 'table' then\n" .
            "    if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n" .
            "    v = ''\n" .
            "  end\n" .
            "  if v then\n" .
            "    locked = 1\n" .
            "    local p = redis.call('PTTL', KEYS[i])\n" .
            "    if p > ttl then ttl = p end\n" .
            "    if string.sub(v, 1, 2) == 'b:' then booked = 1 end\n" .
            "  end\n" .
            "end\n" .
            "return {locked, ttl, booked}\n",
        'commit' => self::WHO .
            "local owner, ttl, id, fencing = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4] == '1'\n" .
            "local fence, keep = false, {}\n" .
            "for i = 2, #KEYS do\n" .
            "  local v = redis.pcall('GET', KEYS[i])\n" .
            "  if type(v) == 'table' then\n" .
            "    if not string.find(v.err, 'WRONGTYPE', 1, true) then return v end\n" .
            "    return {-1, 0}\n" .
            "  end\n" .
            "  if v then\n" .
            "    local o, f, b = who(v)\n" .
            "    if o ~= owner then return {-1, 0} end\n" .
            "    fence = fence or f\n" .
            "    if b then keep[i] = v end\n" .
            "  end\n" .
            "end\n" .
            "if not fence then\n" .
            "  fence = fencing and redis.call('INCR', KEYS[1]) or 0\n" .
            "end\n" .
            "local m = 'b:' .. fence .. ':' .. #id .. ':' .. id .. ':' .. owner\n" .
            "for i = 2, #KEYS do\n" .
            "  redis.call('SET', KEYS[i], keep[i] or m, 'PX', ttl)\n" .
            "end\n" .
            "return {1, fence}\n",
    ];

    /** @var array<string,string> script name => SHA1 */
    private static array $sha = [];

    /** Runs a script by digest on $conn, sending its body on NOSCRIPT (after SCRIPT FLUSH, a restart or a failover). */
    public static function run(Connection $conn, string $name, array $keys, array $args): mixed
    {
        $argv = array_merge($keys, $args);
        $nkeys = count($keys);
        return $conn->command(static fn (\Redis $redis) => self::evalOn($redis, $name, $argv, $nkeys));
    }

    /** The body of run(), for a caller already inside Connection::command(): false on an error reply. */
    public static function evalOn(\Redis $redis, string $name, array $argv, int $nkeys): mixed
    {
        if (self::$sha === []) {
            foreach (self::SCRIPTS as $n => $body) {
                self::$sha[$n] = sha1($body);
            }
        }
        Stats::$c['commands']++;
        $r = $redis->evalSha(self::$sha[$name], $argv, $nkeys);
        if ($r === false && str_starts_with((string) $redis->getLastError(), 'NOSCRIPT')) {
            Stats::$c['script_loads']++;
            Stats::$c['commands']++;
            $redis->clearLastError();
            $r = $redis->eval(self::SCRIPTS[$name], $argv, $nkeys);
        }
        return $r;
    }
}
