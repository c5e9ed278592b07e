-- state_publish.lua: publish one pod's state record, stamped with the Redis server clock, and
-- prune the records of pods that have not published within the prune window (dead pods do not
-- accumulate). Undecodable fields are left for readers to skip and count.
--
-- KEYS[1]  hash    the service state <prefix>:{<ns>:<svc>}:st   field = pod index
-- ARGV[1]  int     pod index, >= 0
-- ARGV[2]  int     load, >= 0
-- ARGV[3]  string  routing state code: R (READY), D (DENY_NEW_CALL), S (SHUTDOWN)
-- ARGV[4]  string  incarnation id: 1-64 characters (UTF-16 code units, as the Java readers
--                   count them), no '|', no control characters
-- ARGV[5]  int     prune window in milliseconds, > 0
--
-- Record:  "1|<load>|<state code>|<server millis>|<incarnation>"
-- Reply:   integer: the server time of the publication, epoch milliseconds
-- Errors:  SR_ARG <text>  invalid argument (nothing written)
--          WRONGTYPE      the key holds a foreign Redis type (nothing written)

local pod = sr_arg_pod(ARGV[1], 'pod')
local load = sr_arg_pod(ARGV[2], 'load')
local state = ARGV[3]
if state ~= 'R' and state ~= 'D' and state ~= 'S' then
  sr_fail('SR_ARG', 'state must be R, D or S')
end
-- The readers' rule (Args.incarnation, applied by StateCodec.decode): a record whose incarnation
-- breaks it is skipped by every reader, so it is refused here. Lengths are counted as Java does,
-- in UTF-16 code units: one per UTF-8 sequence, two for a 4-byte one (outside the BMP).
local incarnation = ARGV[4]
local function utf16_units(s)
  local _, continuation = string.gsub(s, '[\128-\191]', '')
  local _, astral = string.gsub(s, '[\240-\247]', '')
  return #s - continuation + astral
end
if type(incarnation) ~= 'string' or #incarnation == 0 or utf16_units(incarnation) > 64
    or string.find(incarnation, '[|%c]') or string.find(incarnation, '\194[\128-\159]') then
  sr_fail('SR_ARG', 'incarnation must be 1-64 characters without | or control characters')
end
local prune = tonumber(sr_arg_delay(ARGV[5]))
if prune == 0 then
  sr_fail('SR_ARG', 'prune window must be > 0')
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local fields = redis.call('HGETALL', KEYS[1])
local stale = {}
for i = 1, #fields, 2 do
  local at = string.match(fields[i + 1], '^1|%d+|%a|(%d+)|')
  if at and now - tonumber(at) > prune then
    stale[#stale + 1] = fields[i]
  end
end
for i = 1, #stale, 500 do
  redis.call('HDEL', KEYS[1], unpack(stale, i, math.min(i + 499, #stale)))
end
redis.call('HSET', KEYS[1], pod,
    '1|' .. load .. '|' .. state .. '|' .. string.format('%d', now) .. '|' .. incarnation)
return now
