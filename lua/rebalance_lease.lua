-- rebalance_lease.lua: a client acquires, or renews, the service's rebalancer lease, so that
-- one client of a fleet runs the rebalancing cycle at a time. Nothing is written while
-- rebalancing of the service is suspended (the marker :rs, set and deleted by plain SET NX / DEL).
--
-- KEYS[1]  string  the lease      <prefix>:{<ns>:<svc>}:rb   value = owner
-- KEYS[2]  string  the suspension <prefix>:{<ns>:<svc>}:rs
-- ARGV[1]  string  owner (1 to 64 characters)
-- ARGV[2]  int     lease ttl in milliseconds, > 0
--
-- Reply:   integer: 1 held by the caller now (SET ... PX ttl), 0 held by another owner (nothing
--          written), 2 suspended (nothing written)
-- Errors:  SR_ARG <text>  invalid argument (nothing written)
--          WRONGTYPE      the lease key holds a foreign Redis type (nothing written)

local owner = ARGV[1]
if type(owner) ~= 'string' or #owner == 0 or #owner > 64 then
  sr_fail('SR_ARG', 'owner must be 1 to 64 characters')
end
local ttl = sr_index(ARGV[2])
if not ttl or ttl == '0' then
  sr_fail('SR_ARG', 'ttl must be a positive integer (milliseconds)')
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return 2
end
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= owner then
  return 0
end
redis.call('SET', KEYS[1], owner, 'PX', ttl)
return 1
