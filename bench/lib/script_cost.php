<?php
/*
 * What the wire format costs Redis: server CPU (INFO cpu, user + sys) and
 * client wall time per acquire + release pair of one slot, for the scripts
 * in src/sl_scripts.c and for variants of them, sent by one phpredis client
 * exactly as the extension sends them (EVALSHA, same KEYS / ARGV).
 *
 *   php script_cost.php --host H --port P [--case pair|anyof] [--pairs 3000] [--rounds 5]
 *
 * --case pair: one slot; --case anyof: 8 candidates, the first 7 held by
 * another owner (taken once, before the rounds).
 * Variants (rounds interleave them):
 *   current      acquire + release from src/sl_scripts.c
 *   no-index     the same without the <prefix>:active sorted set (no TIME,
 *                ZADD, ZREMRANGEBYSCORE, ZREM): what activeLocks() costs
 *   lean         no index, and PTTL of the blockers only when no candidate
 *                is free (a second pass); same reply shape (why/booking 0)
 *   empty        two EVALSHA of "return 1": the fixed cost of a script call
 *   set-nx       SET NX PX (per candidate) + EVALSHA of GET/DEL: "phpredis by hand"
 * Prints one JSON object: variant => [server_us, wall_us] (medians).
 */

declare(strict_types=1);

$o = getopt('', ['host:', 'port:', 'pairs:', 'rounds:', 'src:', 'case:']);
$case = $o['case'] ?? 'pair';
$host = $o['host'] ?? '127.0.0.1';
$port = (int) ($o['port'] ?? 6379);
$pairs = (int) ($o['pairs'] ?? 3000);
$rounds = (int) ($o['rounds'] ?? 5);
$srcFile = $o['src'] ?? __DIR__ . '/../../src/sl_scripts.c';

/** The Lua scripts of sl_scripts.c: name => text (C string literals joined). */
function c_scripts(string $file): array
{
    $src = (string) @file_get_contents($file);
    preg_match_all('/static const char (\w+)_lua\[\]\s*=\s*((?:"(?:[^"\\\\]|\\\\.)*"\s*)+);/s', $src, $m, PREG_SET_ORDER);
    $out = [];
    foreach ($m as [, $name, $lits]) {
        preg_match_all('/"((?:[^"\\\\]|\\\\.)*)"/s', $lits, $parts);
        $out[$name] = implode('', array_map('stripcslashes', $parts[1]));
    }
    return $out;
}

$c = c_scripts($srcFile);
if (!isset($c['acquire'], $c['release'])) {
    fwrite(STDERR, "script_cost: no acquire/release script found in $srcFile\n");
    exit(1);
}

$leanAcquire = <<<'LUA'
local owner, ttl = ARGV[1], tonumber(ARGV[2])
local first, wait = 3, -1
for g = 3, #ARGV do
  local last = first + tonumber(ARGV[g]) - 1
  local free, mine, fence = true, true, false
  for i = first, last do
    local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence', 'booked')
    if v.err or (v[1] and v[1] ~= owner) or v[3] then
      free = false
      local p = redis.call('PTTL', KEYS[i])
      if p >= 0 and (wait < 0 or p < wait) then wait = p end
      break
    end
    if not v[1] or (fence and fence ~= v[2]) then mine = false end
    fence = v[2]
  end
  if free then
    if mine and fence then fence = tonumber(fence) else fence = redis.call('INCR', KEYS[1]) end
    for i = first, last do
      redis.call('HSET', KEYS[i], 'owner', owner, 'fence', fence)
      redis.call('PEXPIRE', KEYS[i], ttl)
    end
    return {g - 2, fence, ttl, (mine and 0) or 1, 0, ''}
  end
  first = last + 1
end
return {0, 0, wait, 0, 0, ''}
LUA;
$leanDeferred = <<<'LUA'
local owner, ttl = ARGV[1], tonumber(ARGV[2])
local first = 3
for g = 3, #ARGV do
  local last = first + tonumber(ARGV[g]) - 1
  local free, mine, fence = true, true, false
  for i = first, last do
    local v = redis.pcall('HMGET', KEYS[i], 'owner', 'fence', 'booked')
    if v.err or (v[1] and v[1] ~= owner) or v[3] then
      free = false
      break
    end
    if not v[1] or (fence and fence ~= v[2]) then mine = false end
    fence = v[2]
  end
  if free then
    if mine and fence then fence = tonumber(fence) else fence = redis.call('INCR', KEYS[1]) end
    for i = first, last do
      redis.call('HSET', KEYS[i], 'owner', owner, 'fence', fence)
      redis.call('PEXPIRE', KEYS[i], ttl)
    end
    return {g - 2, fence, ttl, (mine and 0) or 1, 0, ''}
  end
  first = last + 1
end
local wait = -1
first = 3
for g = 3, #ARGV do
  local last = first + tonumber(ARGV[g]) - 1
  for i = first, last do
    local v = redis.pcall('HMGET', KEYS[i], 'owner', 'booked')
    if v.err or (v[1] and v[1] ~= owner) or v[2] then
      local p = redis.call('PTTL', KEYS[i])
      if p >= 0 and (wait < 0 or p < wait) then wait = p end
      break
    end
  end
  first = last + 1
end
return {0, 0, wait, 0, 0, ''}
LUA;
$leanRelease = <<<'LUA'
local n = 0
for i = 2, #KEYS do
  local v = redis.pcall('HMGET', KEYS[i], 'owner', 'booked')
  if not v.err and v[1] == ARGV[1] and not v[2] then
    redis.call('DEL', KEYS[i])
    n = n + 1
  end
end
return n
LUA;
$getDel = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

$r = new Redis();
$r->connect($host, $port, 2.0);
$sha = [];
foreach (['acq' => $c['acquire'], 'rel' => $c['release'], 'lacq' => $leanAcquire, 'lrel' => $leanRelease,
          'dacq' => $leanDeferred,
          'one' => 'return 1', 'getdel' => $getDel] as $k => $body) {
    $sha[$k] = $r->script('load', $body);
    if (!is_string($sha[$k])) {
        fwrite(STDERR, "script_cost: SCRIPT LOAD $k failed: " . $r->getLastError() . "\n");
        exit(1);
    }
}
$p = 'bench_sc' . getmypid();
$fence = "$p:fence";
$active = "$p:active";
$n = $case === 'anyof' ? 8 : 1;
$slots = [];
for ($i = 0; $i < $n; $i++) {
    $slots[] = sprintf('%s:c1:s1:t20300101%02d%02d', $p, 12 + intdiv(30 * $i, 60), 30 * $i % 60);
}
$ttl = '300000';
$blocked = $n - 1;
// the blockers: another owner's holds (hash format; SET NX sees them taken too)
for ($i = 0; $i < $blocked; $i++) {
    $r->evalSha($sha['acq'], [$fence, $active, $slots[$i], 'bench-blocker', $ttl, '1'], 3);
}
$win = $slots[$n - 1];
$keysAcq = array_merge([$fence, $active], $slots);
$groups = array_fill(0, $n, '1');

$script = function (string $acq, string $rel) use ($r, $sha, $keysAcq, $groups, $ttl, $active, $win, $n) {
    return function (string $owner) use ($r, $sha, $keysAcq, $groups, $ttl, $active, $win, $n, $acq, $rel) {
        $a = $r->evalSha($sha[$acq], array_merge($keysAcq, [$owner, $ttl], $groups), $n + 2);
        $b = $r->evalSha($sha[$rel], [$active, $win, $owner], 2);
        return ($a[0] ?? 0) === $n && $b === 1;
    };
};
$variants = [
    'current' => $script('acq', 'rel'),
    'no-index' => $script('lacq', 'lrel'),
    'lean' => $script('dacq', 'lrel'),
    'empty' => function (string $owner) use ($r, $sha, $keysAcq, $groups, $ttl, $active, $win, $n) {
        $a = $r->evalSha($sha['one'], array_merge($keysAcq, [$owner, $ttl], $groups), $n + 2);
        $b = $r->evalSha($sha['one'], [$active, $win, $owner], 2);
        return $a === 1 && $b === 1;
    },
    'set-nx' => function (string $owner) use ($r, $sha, $slots, $n) {
        for ($i = 0; $i < $n; $i++) {
            if ($r->set($slots[$i], $owner, ['nx', 'px' => 300000]) === true) {
                return $i === $n - 1 && $r->evalSha($sha['getdel'], [$slots[$i], $owner], 1) === 1;
            }
        }
        return false;
    },
];

$cpu = static function () use ($r): float {
    $i = $r->info('cpu');
    return ((float) $i['used_cpu_user'] + (float) $i['used_cpu_sys']) * 1e6;
};
$res = [];
$names = array_keys($variants);
for ($round = 0; $round < $rounds; $round++) {
    $order = array_merge(array_slice($names, $round % count($names)), array_slice($names, 0, $round % count($names)));
    foreach ($order as $name) {
        $fn = $variants[$name];
        for ($i = 0; $i < 50; $i++) {
            $fn(bin2hex(random_bytes(16)));
        }
        $c0 = $cpu();
        $t0 = hrtime(true);
        for ($i = 0; $i < $pairs; $i++) {
            if (!$fn(bin2hex(random_bytes(16)))) {
                fwrite(STDERR, "script_cost: $name failed: " . $r->getLastError() . "\n");
                exit(1);
            }
        }
        $wall = (hrtime(true) - $t0) / 1e3 / $pairs;
        $res[$name]['server'][] = ($cpu() - $c0) / $pairs;
        $res[$name]['wall'][] = $wall;
    }
}
$r->del(array_merge([$fence, $active], $slots));

function med(array $xs): float
{
    sort($xs);
    $n = count($xs);
    return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

$out = [];
foreach ($res as $name => $v) {
    $out[$name] = [round(med($v['server']), 3), round(med($v['wall']), 3)];
}
echo json_encode($out), "\n";
