-- minimal link_unpin
local cur = redis.call('GET', KEYS[1])
local pinned = cur and redis.call('GET', KEYS[2]) == cur and redis.call('PTTL', KEYS[1]) == -1
redis.call('DEL', KEYS[2])
return pinned and 1 or 0
