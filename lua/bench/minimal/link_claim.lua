-- minimal link_claim
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[1] and redis.call('PTTL', KEYS[1]) == -1 then
  return {0, tonumber(cur), tonumber(cur)}
end
if ARGV[2] == '-1' then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('HDEL', KEYS[2], ARGV[3])
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
if cur then
  redis.call('DEL', KEYS[3])
  if ARGV[2] ~= '-1' or redis.call('GET', KEYS[4]) ~= ARGV[1] then
    redis.call('DEL', KEYS[4])
  end
end
if cur ~= ARGV[1] and ARGV[4] ~= '' then
  local t = redis.call('TIME')
  redis.call('PUBLISH', ARGV[4], 'v' .. t[1] .. string.format('%06d', t[2]) .. ':s:' .. ARGV[1] .. ':' .. ARGV[5])
end
return {1, tonumber(ARGV[1]), cur and tonumber(cur) or false}
