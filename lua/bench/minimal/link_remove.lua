-- minimal link_remove
local cur = redis.call('GET', KEYS[1])
if not cur then
  return false
end
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[4])
local delay = tonumber(ARGV[1])
local pttl = redis.call('PTTL', KEYS[1])
if delay == 0 or pttl == 0 then
  redis.call('DEL', KEYS[1], KEYS[3])
  pttl = 0
else
  if pttl == -1 or pttl > delay then
    redis.call('PEXPIRE', KEYS[1], delay)
    pttl = delay
  end
  redis.call('SET', KEYS[3], '1', 'PX', pttl)
end
if ARGV[3] ~= '' then
  local t = redis.call('TIME')
  redis.call('PUBLISH', ARGV[3], 'v' .. t[1] .. string.format('%06d', t[2]) .. ':r:' .. pttl .. ':' .. ARGV[4])
end
return cur
