-- minimal link_pin
local prev = redis.call('GET', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
redis.call('SET', KEYS[1], ARGV[1])
if prev then
  redis.call('DEL', KEYS[3])
end
redis.call('SET', KEYS[4], ARGV[1])
if prev ~= ARGV[1] and ARGV[3] ~= '' then
  local t = redis.call('TIME')
  redis.call('PUBLISH', ARGV[3], 'v' .. t[1] .. string.format('%06d', t[2]) .. ':s:' .. ARGV[1] .. ':' .. ARGV[4])
end
return prev
