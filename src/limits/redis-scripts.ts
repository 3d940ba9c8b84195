/**
 * Lua scripts of the Redis limiter. Each check is one script, so one round trip, and atomic:
 * no other client's command runs between its reads and writes.
 */

/**
 * KEYS[1] bucket; ARGV[1] tokens per second. A token bucket holding one second's worth, like
 * the in-process TokenBucket, on Redis's clock so that every instance refills it alike whatever
 * its own clock says. 0 when a token was taken, else ms until one will be there.
 */
export const TAKE_TOKEN = `
local rate = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = rate
  at = now
end
if now > at then
  tokens = math.min(rate, tokens + (now - at) * rate / 1000)
  at = now
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.max(1, math.ceil((1 - tokens) * 1000 / rate))
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', string.format('%d', at))
-- Idle for a second, a bucket is full again: the same as no bucket, so let it go.
redis.call('PEXPIRE', KEYS[1], 2000)
return wait
`;

/**
 * KEYS[1] address counter, KEYS[2] (address, client_id) counter; ARGV: address limit, pair
 * limit, window ms, first block ms, longest block ms. Counts one wrong passcode on both, as
 * afterFailure in src/domain/passcode-guessing.ts does, on Redis's clock. Returns, per counter,
 * the ms of a block this failure started (0: none started).
 */
export const RECORD_PASSCODE_FAILURE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local windowMs = tonumber(ARGV[3])
local firstBlockMs = tonumber(ARGV[4])
local maxBlockMs = tonumber(ARGV[5])
local function count(key, limit)
  local state = redis.call('HMGET', key, 'w', 'f', 'b', 's')
  local w = tonumber(state[1]) or now
  local f = tonumber(state[2]) or 0
  local b = tonumber(state[3]) or 0
  local s = tonumber(state[4]) or 0
  local started = 0
  if now >= w + windowMs then
    w = now
    f = 0
  end
  f = f + 1
  if f >= limit and b <= now then
    if b > 0 and now - b > maxBlockMs then s = 0 end
    s = s + 1
    started = math.min(maxBlockMs, firstBlockMs * 2 ^ math.min(30, s - 1))
    b = now + started
    f = 0
    w = now
  end
  redis.call('HSET', key, 'w', string.format('%d', w), 'f', f, 'b', string.format('%d', b), 's', s)
  local forget = w + windowMs
  if b > 0 and b + maxBlockMs > forget then forget = b + maxBlockMs end
  redis.call('PEXPIRE', key, math.max(1, forget - now))
  return started
end
return { count(KEYS[1], tonumber(ARGV[1])), count(KEYS[2], tonumber(ARGV[2])) }
`;

/** KEYS[1] address counter, KEYS[2] pair counter. 0 when neither is blocked, else ms left. */
export const CHECK_PASSCODE_ATTEMPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local left = 0
for i = 1, 2 do
  local b = tonumber(redis.call('HGET', KEYS[i], 'b')) or 0
  if b - now > left then left = b - now end
end
return left
`;

/**
 * The send admission (ADMISSION_ORDER in src/domain/send-policy.ts), on Redis's clock: every step
 * is checked first and the send is counted in all of them only when all allow, so a refused send
 * takes nothing from any limit. Windows are sliding logs, as windowsWait in
 * src/domain/send-windows.ts: a list of accepted times, newest first, trimmed to the limit.
 * KEYS: 1 client rate log, 2 daily counter (the UTC day is appended), 3 client-country cap log,
 * 4 number log, 5 global send bucket.
 * ARGV: 1 rate limit (0: none), 2 rate ms, 3 daily quota (0: none), 4 cap limit (0: none),
 * 5 cap ms, 6 global rate per s, 7 number log length (0: no window), 8 longest number window ms,
 * then a limit and a ms per number window.
 * Returns { 0, time counted } or { refusing step 1..5, ms to wait, number window 1.. or 0 }.
 */
export const ADMIT_SEND = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local function windowWait(key, limit, ms)
  local t = redis.call('LINDEX', key, limit - 1)
  if not t then return 0 end
  local wait = tonumber(t) + ms - now
  if wait > 0 then return wait end
  return 0
end
local rateLimit = tonumber(ARGV[1])
if rateLimit > 0 then
  local wait = windowWait(KEYS[1], rateLimit, tonumber(ARGV[2]))
  if wait > 0 then return { 1, wait, 0 } end
end
local quota = tonumber(ARGV[3])
local day = math.floor(now / 86400000)
local dailyKey = KEYS[2] .. ':' .. string.format('%d', day)
if quota > 0 then
  local used = tonumber(redis.call('GET', dailyKey)) or 0
  if used >= quota then return { 2, (day + 1) * 86400000 - now, 0 } end
end
local capLimit = tonumber(ARGV[4])
if capLimit > 0 then
  local wait = windowWait(KEYS[3], capLimit, tonumber(ARGV[5]))
  if wait > 0 then return { 3, wait, 0 } end
end
local longest, longestWindow = 0, 0
for i = 9, #ARGV, 2 do
  local wait = windowWait(KEYS[4], tonumber(ARGV[i]), tonumber(ARGV[i + 1]))
  if wait > longest then
    longest = wait
    longestWindow = (i - 9) / 2 + 1
  end
end
if longest > 0 then return { 4, longest, longestWindow } end
local rate = tonumber(ARGV[6])
local state = redis.call('HMGET', KEYS[5], 'tokens', 'at')
local tokens = tonumber(state[1]) or rate
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(rate, tokens + (now - at) * rate / 1000)
  at = now
end
if tokens < 1 then return { 5, math.max(1, math.ceil((1 - tokens) * 1000 / rate)), 0 } end
local stamp = string.format('%d', now)
local function log(key, keep, ms)
  redis.call('LPUSH', key, stamp)
  redis.call('LTRIM', key, 0, keep - 1)
  redis.call('PEXPIRE', key, ms)
end
if rateLimit > 0 then log(KEYS[1], rateLimit, tonumber(ARGV[2])) end
-- Counted with or without a quota, so that one set during the day counts the day's sends.
redis.call('INCR', dailyKey)
-- An hour past midnight, so a send cancelled just after it still finds its day.
redis.call('PEXPIRE', dailyKey, (day + 1) * 86400000 - now + 3600000)
if capLimit > 0 then log(KEYS[3], capLimit, tonumber(ARGV[5])) end
local numberKeep = tonumber(ARGV[7])
if numberKeep > 0 then log(KEYS[4], numberKeep, tonumber(ARGV[8])) end
redis.call('HSET', KEYS[5], 'tokens', string.format('%.6f', tokens - 1), 'at', string.format('%d', at))
redis.call('PEXPIRE', KEYS[5], 2000)
return { 0, now, 0 }
`;

/**
 * Gives back what ADMIT_SEND counted at ARGV[1]: KEYS 1 to 4 as there (a key named '' was not
 * counted). One time is taken from each log; two sends counted in the same ms are alike.
 */
export const CANCEL_SEND = `
local stamp = ARGV[1]
for _, i in ipairs({ 1, 3, 4 }) do
  if KEYS[i] ~= '' then redis.call('LREM', KEYS[i], 1, stamp) end
end
if KEYS[2] ~= '' then
  local dailyKey = KEYS[2] .. ':' .. string.format('%d', math.floor(tonumber(stamp) / 86400000))
  if (tonumber(redis.call('GET', dailyKey)) or 0) > 0 then redis.call('DECR', dailyKey) end
end
return 0
`;
