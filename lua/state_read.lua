-- state_read.lua: read every pod state record of a service with the Redis server clock, in one
-- atomic step, so readers compute ages on the clock that stamped the records, and the operator's
-- cordons with them (same slot), so no reader sees a record without its cordon.
--
-- KEYS[1]  hash    the service state   <prefix>:{<ns>:<svc>}:st
-- KEYS[2]  hash    the service cordons <prefix>:{<ns>:<svc>}:cd   (state_cordon.lua)
--
-- Reply:   array {server time in epoch milliseconds (integer), {field1, value1, field2, ...},
--          {cordoned pod index, server millis of the cordon, ...}}
-- Errors:  WRONGTYPE  a key holds a foreign Redis type

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return {now, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
