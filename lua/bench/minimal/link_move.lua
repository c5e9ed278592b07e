-- minimal link_move
local cur = redis.call('GET', KEYS[1])
if not cur then
  return false
end
if cur ~= ARGV[1] then
  return {0, tonumber(cur)}
end
local persistent = redis.call('PTTL', KEYS[1]) == -1
if persistent then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[2])
end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
if persistent and redis.call('GET', KEYS[3]) == cur then
  redis.call('SET', KEYS[3], ARGV[2])
end
if cur ~= ARGV[2] and ARGV[4] ~= '' then
  local t = redis.call('TIME')
  redis.call('PUBLISH', ARGV[4], 'v' .. t[1] .. string.format('%06d', t[2]) .. ':s:' .. ARGV[2] .. ':' .. ARGV[5])
end
return {1, tonumber(ARGV[2])}
