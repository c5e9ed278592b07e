-- minimal link_get_if_persistent
local cur = redis.call('GET', KEYS[1])
if cur and redis.call('PTTL', KEYS[1]) == -1 then
  return cur
end
return false
