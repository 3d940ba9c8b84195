/**
 * Lua scripts of the Redis limiter. Each check is one script, so one round trip, and atomic:
 * no other client's command runs between its reads and writes.
 */

/** KEYS[1] number key; ARGV[1] holder; ARGV[2] interval ms. 0 when reserved, else ms left. */
export const RESERVE_NUMBER = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 1 then return 1 end
return left
`;

/** KEYS[1] number key; ARGV[1] holder. Deletes the reservation only if that holder made it. */
export const RELEASE_NUMBER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

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
