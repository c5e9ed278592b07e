-- link_get_pin.lua: read a uid's operator pin.
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  string  the pin marker       <prefix>:{<ns>:<uid>}:pn:<svc>  (operator pin)
--
-- Reply:   bulk string: the pinned pod while the pin is in force (sr_pinned); nil otherwise
-- Errors:  SR_CORRUPT <text>  the stored link is not a pod index
--          WRONGTYPE          a key holds a foreign Redis type

local current = sr_current(KEYS[1])
if sr_pinned(KEYS[1], KEYS[2], current) then
  return current
end
return false
