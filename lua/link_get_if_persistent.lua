-- link_get_if_persistent.lua: read a link only when it is persistent (has no TTL).
--
-- KEYS[1]  string  the link <prefix>:{<ns>:<uid>}:lk:<svc>
--
-- Reply:   bulk string: the pod index; nil when there is no link or it is temporary
-- Errors:  SR_CORRUPT <text>  the stored link is not a pod index
--          WRONGTYPE          the key holds a foreign Redis type

local current = sr_current(KEYS[1])
if current and redis.call('PTTL', KEYS[1]) == -1 then
  return current
end
return false
