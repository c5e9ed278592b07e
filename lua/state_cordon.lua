-- state_cordon.lua: the operator cordons a pod: no new links are placed on it, whatever it
-- publishes. The cordon lives in its own hash in the service's slot, which state_publish.lua
-- never writes and state_read.lua returns with the records in one atomic read.
--
-- KEYS[1]  hash    the service cordons <prefix>:{<ns>:<svc>}:cd   field = pod index
-- ARGV[1]  int     pod index, >= 0
--
-- Reply:   integer: 1 when the pod was not cordoned before (then HSET, value = server millis), 0
--          when it was (left as it is)
-- Errors:  SR_ARG <text>  invalid argument (nothing written)
--          WRONGTYPE      the key holds a foreign Redis type (nothing written)

local pod = sr_arg_pod(ARGV[1], 'pod')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local field = pod
-- HGETALL, not HEXISTS: the scripts keep to the commands of the ACL in docs/failure-model.md
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] == field then
    return 0
  end
end
redis.call('HSET', KEYS[1], field, string.format('%d', now))
return 1
