-- minimal link_remove_if_owner
local cur = redis.call('GET', KEYS[1])
if cur ~= ARGV[1] then
  return 0
end
local pttl = redis.call('PTTL', KEYS[1])
if pttl == -1 and redis.call('GET', KEYS[4]) == cur then
  return 0
end
redis.call('HDEL', KEYS[2], ARGV[3])
redis.call('DEL', KEYS[4])
local delay = tonumber(ARGV[2])
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
if ARGV[4] ~= '' then
  local t = redis.call('TIME')
  redis.call('PUBLISH', ARGV[4], 'v' .. t[1] .. string.format('%06d', t[2]) .. ':r:' .. pttl .. ':' .. ARGV[5])
end
return 1
