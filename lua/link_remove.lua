-- link_remove.lua: remove a link now, or keep it answering for a delay (delayed removal). The
-- index entry is removed at once; a link already expiring sooner keeps its earlier expiry.
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  hash    the uid's link index <prefix>:{<ns>:<uid>}:lk
-- KEYS[3]  string  the removal marker   <prefix>:{<ns>:<uid>}:lr:<svc>  (delayed removal)
-- KEYS[4]  string  the pin marker       <prefix>:{<ns>:<uid>}:pn:<svc>  (operator pin)
-- ARGV[1]  int     delay in milliseconds: 0 = delete now; > 0 = expire after that long
-- ARGV[2]  string  service name (the index field)
-- ARGV[3]  string  link-change channel ('' = no announcement), see sr_announce
-- ARGV[4]  string  announcement subject: '<svc>:<uid>', both escaped as in keys
--
-- Reply:   bulk string: the pod the link pointed at; nil when there was no link (or its value
--          was not a pod index: such a value is removed too)
-- Publishes 'v<version>:r:<delayMs>:<subject>' on ARGV[3] when a link was there.
-- Errors:  SR_ARG <text>  invalid argument (nothing written)
--          WRONGTYPE      a key holds a foreign Redis type (nothing written)

local delay = sr_arg_delay(ARGV[1])
local raw = redis.call('GET', KEYS[1])
if not raw then
  return false
end
local effective = sr_delete(KEYS[1], KEYS[2], ARGV[2], delay, KEYS[3], KEYS[4])
sr_announce(ARGV[3], 'r', effective, ARGV[4])
return sr_index(raw) or false
