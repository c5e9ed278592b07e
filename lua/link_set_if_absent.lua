-- link_set_if_absent.lua: set a link when absent; otherwise keep the existing pod. An existing
-- TEMPORARY link gets its lease refreshed to the given TTL (made persistent when the TTL is -1);
-- an existing PERSISTENT link is never touched, and neither is a link in delayed removal: it
-- keeps answering until its delay ends, and the first call after that places the uid afresh.
--
-- KEYS[1]  string  the link             <prefix>:{<ns>:<uid>}:lk:<svc>
-- KEYS[2]  hash    the uid's link index <prefix>:{<ns>:<uid>}:lk
-- KEYS[3]  string  the removal marker   <prefix>:{<ns>:<uid>}:lr:<svc>  (delayed removal)
-- ARGV[1]  int     candidate pod index, >= 0
-- ARGV[2]  int     TTL: -1 = persistent; > 0 = lease seconds
-- ARGV[3]  string  service name (the index field)
--
-- Reply:   bulk string: the pod the link points at after the call, alone when the link now lives
--          for the given TTL (persistent for -1); '<pod>:-1' for an existing persistent link
--          left alone; '<pod>:<ms>' for a link in delayed removal, with its remaining life
-- Errors:  SR_ARG <text>      invalid argument (nothing written)
--          SR_CORRUPT <text>  the stored link is not a pod index (left untouched)
--          WRONGTYPE          a key it writes holds a foreign Redis type (nothing written); a
--                             temporary placement of an absent link writes the link alone

local pod = sr_arg_pod(ARGV[1], 'pod')
local ttl = sr_arg_ttl(ARGV[2])
-- one read for the link and its removal marker. MGET reads a key of a foreign type as nil, so
-- the writes of an absent link below never overwrite a key that exists (SET ... NX, EXISTS)
local read = redis.call('MGET', KEYS[1], KEYS[3])
local raw = read[1]
if raw then
  local current = sr_index(raw) or sr_fail('SR_CORRUPT', 'link value is not a pod index')
  if read[2] then -- in delayed removal
    return current .. ':' .. redis.call('PTTL', KEYS[1])
  end
  if ttl ~= '-1' then
    -- the hot path (a returning uid): one command; XX touches only a key that has an expiry,
    -- so a persistent link is never made temporary (EXPIRE ... XX needs Redis >= 7.0)
    if redis.call('EXPIRE', KEYS[1], ttl, 'XX') == 0 then
      return current .. ':-1'
    end
  elseif redis.call('PTTL', KEYS[1]) >= 0 then
    sr_write(KEYS[1], KEYS[2], ARGV[3], current, '-1', true, KEYS[3])
  end
  return current
end
-- absent, or a foreign type (then GET raises WRONGTYPE). A temporary placement writes the link
-- alone: the index holds persistent links only, so it has no entry for an absent link
if ttl ~= '-1' then
  if not redis.call('SET', KEYS[1], pod, 'NX', 'EX', ttl) then
    return redis.call('GET', KEYS[1])
  end
elseif redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('GET', KEYS[1])
else
  sr_write(KEYS[1], KEYS[2], ARGV[3], pod, ttl, false)
end
if read[2] then -- a marker cannot outlive its link; should one be left, the new link ends it
  redis.call('DEL', KEYS[3])
end
return pod
