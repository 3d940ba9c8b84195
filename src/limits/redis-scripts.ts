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
