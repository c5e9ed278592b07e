-- minimal link_get_pin
local cur = redis.call('GET', KEYS[1])
if cur and redis.call('GET', KEYS[2]) == cur and redis.call('PTTL', KEYS[1]) == -1 then
  return cur
end
return false
