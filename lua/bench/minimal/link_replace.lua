-- minimal link_replace
local cur = redis.call('GET', KEYS[1])
if cur then
  if redis.call('PTTL', KEYS[1]) == -1 then
    return {0, tonumber(cur), 1}
  end
  if cur ~= ARGV[1] then
    return {0, tonumber(cur), 0}
  end
end
if ARGV[3] == '-1' then
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[2])
  redis.call('SET', KEYS[1], ARGV[2])
else
  redis.call('HDEL', KEYS[2], ARGV[4])
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
if cur then
  redis.call('DEL', KEYS[3])
end
if cur ~= ARGV[2] and ARGV[5] ~= '' then
  local t = redis.call('TIME')
  redis.call('PUBLISH', ARGV[5], 'v' .. t[1] .. string.format('%06d', t[2]) .. ':s:' .. ARGV[2] .. ':' .. ARGV[6])
end
return {1, tonumber(ARGV[2]), 0}
