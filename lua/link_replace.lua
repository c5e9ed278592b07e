-- link_replace.lua: compare-and-set. Points the link at the new pod only when it is absent or
-- points at the expected pod. Clients use it to move a temporary link off a dead pod: of many
-- concurrent callers expecting the dead pod, exactly one moves the link and all see its pod.
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  hash    the uid's link index <prefix>:{<ns>:<uid>}:lk
-- ARGV[1]  int     expected current pod index, >= 0
-- ARGV[2]  int     new pod index, >= 0
-- ARGV[3]  int     TTL of the new link: -1 = persistent; > 0 = lease seconds
-- ARGV[4]  string  service name (the index field)
-- ARGV[5]  string  link-change channel ('' = no announcement), see sr_announce
-- ARGV[6]  string  announcement subject: '<svc>:<uid>', both escaped as in keys
--
-- Reply:   array {replaced (1|0), pod the link points at after the call}
-- Publishes 's:<pod>:<subject>' on ARGV[5] when the link moved or was created.
-- Errors:  SR_ARG <text>      invalid argument (nothing written)
--          SR_CORRUPT <text>  the stored link is not a pod index (left untouched)
--          WRONGTYPE          a key holds a foreign Redis type (nothing written)

local expected = sr_arg_pod(ARGV[1], 'expected pod')
local pod = sr_arg_pod(ARGV[2], 'pod')
local ttl = sr_arg_ttl(ARGV[3])
local current = sr_current(KEYS[1])
if current and current ~= expected then
  return {0, current}
end
sr_write(KEYS[1], KEYS[2], ARGV[4], pod, ttl)
if current ~= pod then
  sr_announce(ARGV[5], 's', pod, ARGV[6])
end
return {1, pod}
