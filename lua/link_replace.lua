-- link_replace.lua: compare-and-set. Points the link at the new pod only when it is absent or
-- points at the expected pod, and never moves a PERSISTENT link (only an explicit set, claim or
-- removal changes one). Clients use it to move a temporary link off a dead pod: of many
-- concurrent callers expecting the dead pod, exactly one moves the link and all see its pod. A
-- link in delayed removal that points at the expected pod is moved (the removal ends).
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  hash    the uid's link index <prefix>:{<ns>:<uid>}:lk
-- KEYS[3]  string  the removal marker   <prefix>:{<ns>:<uid>}:lr:<svc>  (delayed removal)
-- KEYS[4]  string  the pin marker       <prefix>:{<ns>:<uid>}:pn:<svc>  (operator pin)
-- ARGV[1]  int     expected current pod index, >= 0
-- ARGV[2]  int     new pod index, >= 0
-- ARGV[3]  int     TTL of the new link: -1 = persistent; > 0 = lease seconds
-- ARGV[4]  string  service name (the index field)
-- ARGV[5]  string  link-change channel ('' = no announcement), see sr_announce
-- ARGV[6]  string  announcement subject: '<svc>:<uid>', both escaped as in keys
--
-- Reply:   array {replaced (1|0), pod the link points at after the call, persistent (1|0)}:
--          persistent = 1 when the link was persistent and so was left alone (replaced = 0,
--          whatever pod it points at)
-- Publishes 'v<version>:s:<pod>:<subject>' on ARGV[5] when the link moved or was created.
-- Errors:  SR_ARG <text>      invalid argument (nothing written)
--          SR_CORRUPT <text>  the stored link is not a pod index (left untouched)
--          WRONGTYPE          a key holds a foreign Redis type (nothing written)

local expected = sr_arg_pod(ARGV[1], 'expected pod')
local pod = sr_arg_pod(ARGV[2], 'pod')
local ttl = sr_arg_ttl(ARGV[3])
local current = sr_current(KEYS[1])
if current then
  local persistent = redis.call('PTTL', KEYS[1]) == -1
  if persistent then
    return {0, tonumber(current), 1}
  end
  if current ~= expected then
    return {0, tonumber(current), 0}
  end
end
-- no pin key for sr_write: a pin marker exists only beside a persistent link, never moved here
sr_write(KEYS[1], KEYS[2], ARGV[4], pod, ttl, current, KEYS[3])
if current ~= pod then
  sr_announce(ARGV[5], 's', pod, ARGV[6])
end
return {1, tonumber(pod), 0}
