import { createHash } from 'node:crypto';

/**
 * The Lua scripts of the Redis store: each read-modify-write runs inside Redis in one atomic
 * step, on keys of one hash slot (so Redis Cluster runs them too), with Redis's clock.
 *
 * A user's sessions live in one hash, `KEYS[1]`, one group of fields per session `<s>` (the
 * hash of its id): `<s>` (JSON: p digest of the principal, c created, e expires, s log label;
 * written once, as it is given, since the seal covers its bytes: redis-record.ts), `<s>:tok`
 * (sealed tokens, Taiga URL and user), `<s>:rt` (digest of the refresh token), `<s>:seen` (last
 * access) and, once expired, only `<s>:gone` (JSON: p digest of the principal, u until when it
 * answers "expired"). Every `principal` argument is the same keyed digest.
 */

const PRELUDE = `
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function drop(h, s)
  redis.call('HDEL', h, s, s .. ':tok', s .. ':rt', s .. ':seen')
end
local function expire(h, s, principal, t, tombMs)
  drop(h, s)
  redis.call('HSET', h, s .. ':gone', cjson.encode({ p = principal, u = t + tombMs }))
end
-- 'active' with its meta, 'expired' or 'unknown', as the principal may see it.
local function state(h, s, principal, t, tombMs)
  local raw = redis.call('HGET', h, s)
  if raw then
    local m = cjson.decode(raw)
    if m.e <= t then
      expire(h, s, m.p, t, tombMs)
      if m.p == principal then return 'expired' end
      return 'unknown'
    end
    if m.p ~= principal then return 'unknown' end
    return 'active', raw, m
  end
  local gone = redis.call('HGET', h, s .. ':gone')
  if gone then
    local g = cjson.decode(gone)
    if g.p == principal and g.u > t then return 'expired' end
  end
  return 'unknown'
end
`;

export interface Script {
  readonly source: string;
  readonly sha: string;
}

const script = (body: string): Script => {
  const source = PRELUDE + body;
  return { source, sha: createHash('sha1').update(source).digest('hex') };
};

/**
 * ARGV: s, meta JSON (stored as it is), sealed tokens, refresh digest, ttlMs, maxPerUser, tombMs.
 * Returns the labels of the evicted sessions.
 */
export const CREATE = script(`
local h, s = KEYS[1], ARGV[1]
local ttl, max, tombMs = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local t = now()
local all = redis.call('HGETALL', h)
local live = {}
for i = 1, #all, 2 do
  local f, v = all[i], all[i + 1]
  if not string.find(f, ':', 1, true) then
    local m = cjson.decode(v)
    if m.e <= t then expire(h, f, m.p, t, tombMs) else table.insert(live, { f = f, c = m.c, label = m.s, seq = i }) end
  elseif string.sub(f, -5) == ':gone' and cjson.decode(v).u <= t then
    redis.call('HDEL', h, f)
  end
end
local m = cjson.decode(ARGV[2])
redis.call('HSET', h, s, ARGV[2], s .. ':tok', ARGV[3], s .. ':rt', ARGV[4], s .. ':seen', m.c)
table.insert(live, { f = s, c = m.c, label = m.s, seq = #all + 1 })
table.sort(live, function(x, y) if x.c ~= y.c then return x.c < y.c end return x.seq < y.seq end)
local out = {}
for i = 1, #live - max do
  drop(h, live[i].f)
  table.insert(out, live[i].label)
end
if redis.call('PTTL', h) < ttl + tombMs then redis.call('PEXPIRE', h, ttl + tombMs) end
return out
`);

/** ARGV: s, principal, touch ('1' or '0'), tombMs. Returns { state, meta?, sealed tokens?, last access? }. */
export const LOOKUP = script(`
local h, s = KEYS[1], ARGV[1]
local t = now()
local st, raw = state(h, s, ARGV[2], t, tonumber(ARGV[4]))
if st ~= 'active' then return { st } end
if ARGV[3] == '1' then redis.call('HSET', h, s .. ':seen', t) end
local f = redis.call('HMGET', h, s .. ':tok', s .. ':seen')
return { st, raw, f[1], f[2] }
`);

/** Counts the user's sessions that have not expired (read only: expiry is left to the scripts that write). */
export const COUNT_LIVE = script(`
local t = now()
local all = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 1, #all, 2 do
  if not string.find(all[i], ':', 1, true) and cjson.decode(all[i + 1]).e > t then n = n + 1 end
end
return n
`);

/** ARGV: s, digest of the expected refresh token, sealed new tokens, digest of the new refresh token. */
export const UPDATE_TOKENS = script(`
local h, s = KEYS[1], ARGV[1]
local raw = redis.call('HGET', h, s)
if not raw or cjson.decode(raw).e <= now() then return 'gone' end
if redis.call('HGET', h, s .. ':rt') ~= ARGV[2] then return 'stale' end
redis.call('HSET', h, s .. ':tok', ARGV[3], s .. ':rt', ARGV[4])
return 'updated'
`);

/** ARGV: s, digest of the expected refresh token, tombMs. Returns 1 when it expired the session. */
export const EXPIRE = script(`
local h, s = KEYS[1], ARGV[1]
local raw = redis.call('HGET', h, s)
if not raw or redis.call('HGET', h, s .. ':rt') ~= ARGV[2] then return 0 end
local m = cjson.decode(raw)
local t = now()
if m.e <= t then return 0 end
expire(h, s, m.p, t, tonumber(ARGV[3]))
return 1
`);

/** ARGV: s, principal, tombMs. Returns the state found; an active session is deleted. */
export const DELETE = script(`
local h, s = KEYS[1], ARGV[1]
local st = state(h, s, ARGV[2], now(), tonumber(ARGV[3]))
if st == 'active' then drop(h, s) end
return st
`);

/** KEYS: lock. ARGV: owner. Deletes the lock only if this owner holds it. */
export const RELEASE_LOCK = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** KEYS: attempts (sorted set), lockout. ARGV: max, windowMs, lockoutMs, a unique member. Returns { now, locked until? }. */
export const LOGIN_ATTEMPT = script(`
local max, window, lockout = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = now()
local lockedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if lockedUntil > t then return { t, lockedUntil } end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t - window)
redis.call('ZADD', KEYS[1], t, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
if redis.call('ZCARD', KEYS[1]) <= max then return { t } end
redis.call('SET', KEYS[2], t + lockout, 'PX', lockout)
return { t, t + lockout }
`);

/** KEYS: lockout (LOGIN_ATTEMPT's second). Returns { now, locked until? }; writes nothing. */
export const LOCKOUT = script(`
local t = now()
local lockedUntil = tonumber(redis.call('GET', KEYS[1]) or '0')
if lockedUntil > t then return { t, lockedUntil } end
return { t }
`);

/** KEYS: bucket. ARGV: burst, perSecond. Returns 0 when a token was taken, else the ms until one is. */
export const TAKE_TOKEN = script(`
local burst, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = now()
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or t
tokens = math.min(burst, tokens + math.max(0, t - at) / 1000 * rate)
local ttl = math.max(3600000, math.ceil(burst / rate * 1000))
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', t)
redis.call('PEXPIRE', KEYS[1], ttl)
return wait
`);
