-- minimal link_get_lease
local cur = redis.call('GET', KEYS[1])
if not cur then
  return false
end
return {cur, redis.call('PTTL', KEYS[1])}
