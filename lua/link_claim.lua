-- link_claim.lua: claim (try-set) a link for a pod. Refused only when a PERSISTENT link to a
-- DIFFERENT pod exists; otherwise the link is set as by link_set.lua.
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  hash    the uid's link index <prefix>:{<ns>:<uid>}:lk
-- KEYS[3]  string  the removal marker   <prefix>:{<ns>:<uid>}:lr:<svc>  (delayed removal)
-- KEYS[4]  string  the pin marker       <prefix>:{<ns>:<uid>}:pn:<svc>  (operator pin)
-- ARGV[1]  int     claiming pod index, >= 0
-- ARGV[2]  int     TTL: -1 = persistent; > 0 = lease seconds
-- ARGV[3]  string  service name (the index field)
-- ARGV[4]  string  link-change channel ('' = no announcement), see sr_announce
-- ARGV[5]  string  announcement subject: '<svc>:<uid>', both escaped as in keys
--
-- Reply:   array {claimed (1|0), current pod, previous pod or nil}
-- Publishes 'v<version>:s:<pod>:<subject>' on ARGV[4] when a claim moved or created the link.
-- Errors:  SR_ARG <text>      invalid argument (nothing written)
--          SR_CORRUPT <text>  the stored link is not a pod index (left untouched)
--          WRONGTYPE          a key holds a foreign Redis type (nothing written)

local pod = sr_arg_pod(ARGV[1], 'pod')
local ttl = sr_arg_ttl(ARGV[2])
local current = sr_current(KEYS[1])
if current and current ~= pod and redis.call('PTTL', KEYS[1]) == -1 then
  local owner = tonumber(current)
  return {0, owner, owner}
end
sr_write(KEYS[1], KEYS[2], ARGV[3], pod, ttl, current, KEYS[3], KEYS[4])
if current ~= pod then
  sr_announce(ARGV[4], 's', pod, ARGV[5])
end
return {1, tonumber(pod), current and tonumber(current) or false}
