-- shed_take.lua: a pod takes its pending shed request (written by the rebalancer with a plain
-- SET ... PX): read and deleted in one step, so a request is taken once.
--
-- KEYS[1]  string  the request <prefix>:{<ns>:<svc>}:sh:<pod>   value = links asked for
--
-- Reply:   integer: the links asked for, or nil when there is no request (a value that is not a
--          positive integer is deleted and reads as nil)
-- Errors:  WRONGTYPE      the key holds a foreign Redis type (nothing written)

local value = redis.call('GET', KEYS[1])
if not value then
  return nil
end
redis.call('DEL', KEYS[1])
local n = sr_index(value)
if not n or n == '0' then
  return nil
end
return tonumber(n)
