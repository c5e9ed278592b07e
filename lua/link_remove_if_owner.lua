-- link_remove_if_owner.lua: compare-and-delete. Removes the link (now, or after a delay as in
-- link_remove.lua) only when it points at the expected pod and no operator pin is in force on it
-- (a pod's own release and a client's release of a gone pod's links leave a pinned link alone).
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  hash    the uid's link index <prefix>:{<ns>:<uid>}:lk
-- KEYS[3]  string  the removal marker   <prefix>:{<ns>:<uid>}:lr:<svc>  (delayed removal)
-- KEYS[4]  string  the pin marker       <prefix>:{<ns>:<uid>}:pn:<svc>  (operator pin)
-- ARGV[1]  int     expected pod index, >= 0
-- ARGV[2]  int     delay in milliseconds: 0 = delete now; > 0 = expire after that long
-- ARGV[3]  string  service name (the index field)
-- ARGV[4]  string  link-change channel ('' = no announcement), see sr_announce
-- ARGV[5]  string  announcement subject: '<svc>:<uid>', both escaped as in keys
--
-- Reply:   integer: 1 when removed, 0 when the link was absent, pointed at another pod or is
--          pinned (sr_pinned)
-- Publishes 'v<version>:r:<delayMs>:<subject>' on ARGV[4] when it removed the link.
-- Errors:  SR_ARG <text>      invalid argument (nothing written)
--          SR_CORRUPT <text>  the stored link is not a pod index (left untouched)
--          WRONGTYPE          a key holds a foreign Redis type (nothing written)

local expected = sr_arg_pod(ARGV[1], 'expected pod')
local delay = sr_arg_delay(ARGV[2])
local current = sr_current(KEYS[1])
if current ~= expected or sr_pinned(KEYS[1], KEYS[4], current) then
  return 0
end
local effective = sr_delete(KEYS[1], KEYS[2], ARGV[3], delay, KEYS[3], KEYS[4])
sr_announce(ARGV[4], 'r', effective, ARGV[5])
return 1
