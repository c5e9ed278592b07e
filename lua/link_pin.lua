-- link_pin.lua: the operator pins a uid to a pod: a persistent link (as link_set.lua with TTL
-- -1) and a pin marker naming the pod. While the pin is in force (sr_pinned),
-- link_remove_if_owner.lua leaves the link alone, so a pod's own release does not undo it.
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  hash    the uid's link index <prefix>:{<ns>:<uid>}:lk
-- KEYS[3]  string  the removal marker   <prefix>:{<ns>:<uid>}:lr:<svc>  (delayed removal)
-- KEYS[4]  string  the pin marker       <prefix>:{<ns>:<uid>}:pn:<svc>  (operator pin)
-- ARGV[1]  int     pod index, >= 0
-- ARGV[2]  string  service name (the index field)
-- ARGV[3]  string  link-change channel ('' = no announcement), see sr_announce
-- ARGV[4]  string  announcement subject: '<svc>:<uid>', both escaped as in keys
--
-- Reply:   bulk string: the previous pod index; nil when there was none or it was not a pod index
-- Publishes 'v<version>:s:<pod>:<subject>' on ARGV[3] when the link pointed elsewhere or nowhere.
-- Errors:  SR_ARG <text>  invalid argument (nothing written)
--          WRONGTYPE      a key holds a foreign Redis type (nothing written)

local pod = sr_arg_pod(ARGV[1], 'pod')
local prev = redis.call('GET', KEYS[1])
redis.call('GET', KEYS[4]) -- a foreign type aborts here, before anything is written
-- no pin key for sr_write: the marker is written below whatever it held
sr_write(KEYS[1], KEYS[2], ARGV[2], pod, '-1', prev, KEYS[3])
redis.call('SET', KEYS[4], pod)
local previous = sr_index(prev)
if previous ~= pod then
  sr_announce(ARGV[3], 's', pod, ARGV[4])
end
return previous or false
