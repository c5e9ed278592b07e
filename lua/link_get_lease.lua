-- link_get_lease.lua: read a link with its remaining life, so that a cache never keeps it longer
-- than the store does (a temporary lease, or a link in delayed removal, ends unannounced).
--
-- KEYS[1]  string  the link <prefix>:{<ns>:<uid>}:lk:<svc>
--
-- Reply:   nil when there is no link; else array {pod, pttl}: the pod index (bulk string) and
--          the remaining life in milliseconds (integer; -1 = persistent)
-- Errors:  SR_CORRUPT <text>  the stored link is not a pod index
--          WRONGTYPE          the key holds a foreign Redis type

local current = sr_current(KEYS[1])
if not current then
  return false
end
return {current, redis.call('PTTL', KEYS[1])}
