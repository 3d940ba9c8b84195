/**
 * Lua scripts of the Redis bind coordinator: each is atomic, so a check and the write it guards
 * cannot be split by another dispatcher's command.
 */

/**
 * KEYS[1] sorted set of live dispatchers; ARGV[1] id; ARGV[2] ttl ms. Marks the caller alive and
 * answers how many are. Scores are Redis's clock, so hosts whose clocks disagree count alike; a
 * sorted set, so counting needs no SCAN over the keyspace.
 */
export const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl * 10)
return redis.call('ZCARD', KEYS[1])
`;

/** KEYS[1] sorted set; ARGV[1] id. A dispatcher stopping cleanly stops counting at once. */
export const LEAVE = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

/** KEYS[1] slot key; ARGV[1] id; ARGV[2] ttl ms. 1 when the lease was ours and is extended. */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS[1] slot key; ARGV[1] id. Deletes the lease only if it is ours. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
