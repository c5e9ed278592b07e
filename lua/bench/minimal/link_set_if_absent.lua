-- minimal link_set_if_absent: same keys, arguments and replies, no argument or value checks
local cur = redis.call('GET', KEYS[1])
if cur then
  if redis.call('EXISTS', KEYS[3]) == 1 then
    return cur .. ':' .. redis.call('PTTL', KEYS[1])
  end
  if ARGV[2] ~= '-1' then
    if redis.call('EXPIRE', KEYS[1], ARGV[2], 'XX') == 0 then
      return cur .. ':-1'
    end
  elseif redis.call('PTTL', KEYS[1]) >= 0 then
    redis.call('HSET', KEYS[2], ARGV[3], cur)
    redis.call('SET', KEYS[1], cur)
  end
  return cur
end
if ARGV[2] == '-1' then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return ARGV[1]
