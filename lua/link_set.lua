-- link_set.lua: set a link unconditionally.
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  hash    the uid's link index <prefix>:{<ns>:<uid>}:lk   (same hash tag, same slot)
-- KEYS[3]  string  the removal marker   <prefix>:{<ns>:<uid>}:lr:<svc>  (delayed removal)
-- KEYS[4]  string  the pin marker       <prefix>:{<ns>:<uid>}:pn:<svc>  (operator pin)
-- ARGV[1]  int     pod index, >= 0
-- ARGV[2]  int     TTL: -1 = persistent (no expiry, index HSET); > 0 = lease seconds (index HDEL)
-- ARGV[3]  string  service name (the index field)
-- ARGV[4]  string  link-change channel ('' = no announcement), see sr_announce
-- ARGV[5]  string  announcement subject: '<svc>:<uid>', both escaped as in keys
--
-- Reply:   bulk string: the previous pod index; nil when there was none or it was not a pod index
--          (an undecodable value is overwritten: this is the one unconditional write)
-- Publishes 'v<version>:s:<pod>:<subject>' on ARGV[4] when the link pointed elsewhere or nowhere.
-- Errors:  SR_ARG <text>  invalid argument (nothing written)
--          WRONGTYPE      a key holds a foreign Redis type (nothing written)

local pod = sr_arg_pod(ARGV[1], 'pod')
local ttl = sr_arg_ttl(ARGV[2])
local prev = redis.call('GET', KEYS[1])
sr_write(KEYS[1], KEYS[2], ARGV[3], pod, ttl, prev, KEYS[3], KEYS[4])
local previous = sr_index(prev)
if previous ~= pod then
  sr_announce(ARGV[4], 's', pod, ARGV[5])
end
return previous or false
