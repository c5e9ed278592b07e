-- link_unpin.lua: the operator removes a uid's pin; the link itself is left as it is (a plain
-- persistent link from now on). The marker is deleted whether the pin was in force or not.
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  string  the pin marker       <prefix>:{<ns>:<uid>}:pn:<svc>  (operator pin)
--
-- Reply:   integer: 1 when a pin was in force (sr_pinned), 0 otherwise
-- Errors:  SR_CORRUPT <text>  the stored link is not a pod index (nothing written)
--          WRONGTYPE          a key holds a foreign Redis type (nothing written)

local current = sr_current(KEYS[1])
local pinned = sr_pinned(KEYS[1], KEYS[2], current)
redis.call('DEL', KEYS[2])
if pinned then
  return 1
end
return 0
