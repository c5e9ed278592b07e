-- link_move.lua: the operator's compare-and-set. Points the link at the new pod only when it
-- points at the expected pod now, PERSISTENT OR NOT (clients use link_replace.lua, which never
-- moves a persistent link; this script is for an operator). The link keeps its kind and its
-- remaining life (SET ... KEEPTTL): a persistent link stays persistent and its index entry
-- follows; a temporary one keeps its lease; one in delayed removal stays in it (its marker is
-- left as it is). A pin in force on the expected pod moves with the link.
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  hash    the uid's link index <prefix>:{<ns>:<uid>}:lk
-- KEYS[3]  string  the pin marker       <prefix>:{<ns>:<uid>}:pn:<svc>  (operator pin)
-- ARGV[1]  int     expected current pod index, >= 0
-- ARGV[2]  int     new pod index, >= 0
-- ARGV[3]  string  service name (the index field)
-- ARGV[4]  string  link-change channel ('' = no announcement), see sr_announce
-- ARGV[5]  string  announcement subject: '<svc>:<uid>', both escaped as in keys
--
-- Reply:   nil when there is no link; otherwise array {moved (1|0), pod the link points at
--          after the call}
-- Publishes 'v<version>:s:<pod>:<subject>' on ARGV[4] when the link moved to another pod.
-- Errors:  SR_ARG <text>      invalid argument (nothing written)
--          SR_CORRUPT <text>  the stored link is not a pod index (left untouched)
--          WRONGTYPE          a key holds a foreign Redis type (nothing written)

local expected = sr_arg_pod(ARGV[1], 'expected pod')
local pod = sr_arg_pod(ARGV[2], 'pod')
local current = sr_current(KEYS[1])
if not current then
  return false
end
if current ~= expected then
  return {0, tonumber(current)}
end
local persistent = redis.call('PTTL', KEYS[1]) == -1
-- a pin is in force only on a persistent link (sr_pinned, without its second PTTL)
local pinned = persistent and redis.call('GET', KEYS[3]) == current
if persistent then
  redis.call('HSET', KEYS[2], ARGV[3], pod)
end
redis.call('SET', KEYS[1], pod, 'KEEPTTL')
if pinned then
  redis.call('SET', KEYS[3], pod)
end
if current ~= pod then
  sr_announce(ARGV[4], 's', pod, ARGV[5])
end
return {1, tonumber(pod)}
