-- state_read.lua: read every pod state record of a service with the Redis server clock, in one
-- atomic step, so readers compute ages on the clock that stamped the records.
--
-- KEYS[1]  hash    the service state <prefix>:{<ns>:<svc>}:st
--
-- Reply:   array {server time in epoch milliseconds (integer), {field1, value1, field2, ...}}
-- Errors:  WRONGTYPE  the key holds a foreign Redis type

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return {now, redis.call('HGETALL', KEYS[1])}
