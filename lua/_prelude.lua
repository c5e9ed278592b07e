-- _prelude.lua: helpers shared by the link and state scripts. The executor puts in front of each
-- script the helpers of this file that the script calls, directly or through another helper (in
-- this file's order), so each loaded script is self-contained (one SHA per script) and defines
-- no function it does not call: Lua creates every local function of a script on every call.
-- The one exception is read_values.lua: its shebang must be its first line, so it is loaded as
-- it is. A helper is a comment block followed by 'local function sr_<name>(...)' and ends at the
-- first line that is exactly 'end'; nothing else in this file is loaded.
--
-- Conventions:
--   * numbers arrive as decimal strings in ARGV and are checked here, before any write, and kept
--     as strings: a pod index, a TTL and a delay go back to Redis as the caller's string, in
--     canonical form, never as a Lua number (Redis converts a number argument with "%.17g");
--   * reads come first and writes last, so an error (WRONGTYPE on a foreign value, SR_CORRUPT)
--     aborts the script before it has written anything: Redis scripts do not roll back;
--   * structured errors are raised as {err = 'SR_<CODE> text'} (the Java side maps the prefix).

-- Raises the error reply '<code> <text>'.
local function sr_fail(code, text)
  error({err = code .. ' ' .. text})
end

-- s when it is a pod index as the Java readers accept one (1 to 10 decimal digits, at most
-- 2147483647), in canonical form (no leading zero); nil otherwise (nil and false included).
local function sr_index(s)
  if not s then
    return nil
  end
  if string.find(s, '^[1-9]%d*$') then
    if #s < 10 or (#s == 10 and s <= '2147483647') then
      return s
    end
    return nil
  end
  if #s <= 10 and string.find(s, '^%d+$') then -- '0', or leading zeros
    return string.format('%d', tonumber(s))
  end
  return nil
end

-- ARGV's pod index (see sr_index), or SR_ARG naming it.
local function sr_arg_pod(s, name)
  return sr_index(s) or sr_fail('SR_ARG', name .. ' must be an integer >= 0')
end

-- A link TTL: '-1' (persistent) or a positive number of seconds (canonical, at most 2147483647).
local function sr_arg_ttl(s)
  if s == '-1' then
    return s
  end
  local n = sr_index(s)
  if not n or n == '0' then
    sr_fail('SR_ARG', 'ttl must be -1 or a positive integer')
  end
  return n
end

-- A delay in milliseconds, >= 0 (at most 15 digits): the canonical string.
local function sr_arg_delay(s)
  if s and string.find(s, '^%d+$') and #s <= 15 then
    if #s == 1 or string.byte(s) ~= 48 then
      return s
    end
    return string.format('%d', tonumber(s))
  end
  sr_fail('SR_ARG', 'delay must be an integer >= 0 (milliseconds)')
end

-- The pod the link points at (canonical string): nil when absent; SR_CORRUPT when the value is
-- not a pod index. GET raises WRONGTYPE when the key is not a string.
local function sr_current(link)
  local raw = redis.call('GET', link)
  if not raw then
    return nil
  end
  return sr_index(raw) or sr_fail('SR_CORRUPT', 'link value is not a pod index')
end

-- Writes the link to pod (a canonical string): persistent (ttl '-1') -> index HSET then SET;
-- temporary -> index HDEL then SET EX. The index command runs first so that a foreign index type
-- aborts before the link is written. A write re-creates the link: a delayed removal in progress
-- ends (its marker is deleted), and an operator pin (its marker, when the script passes one) ends
-- unless the link stays persistent on the pinned pod, so a pin marker never outlives its pin
-- (sr_pinned). existed = whether the link existed before: when it did not, neither marker can
-- exist (the removal marker lives exactly as long as its link, a pin marker only beside its
-- persistent link), so their commands are skipped. The index command always runs: it is what
-- refuses a foreign type at the index key.
local function sr_write(link, index, service, pod, ttl, existed, removal, pin)
  -- read first: a foreign type at the pin key aborts (WRONGTYPE) before anything is written
  local unpin = existed and pin and (ttl ~= '-1' or redis.call('GET', pin) ~= pod)
  if ttl == '-1' then
    redis.call('HSET', index, service, pod)
  else
    redis.call('HDEL', index, service)
  end
  if existed then
    redis.call('DEL', removal) -- after the index command: a foreign index aborts before it
  end
  if ttl == '-1' then
    redis.call('SET', link, pod)
  else
    redis.call('SET', link, pod, 'EX', ttl)
  end
  if unpin then
    redis.call('DEL', pin)
  end
end

-- Announces a link change on the namespace's link-change channel, so that clients drop or update
-- the uid's cached link (cache coherence). An empty channel means announcements are off.
-- The message is 'v<version>:<kind>:<number>:<subject>' where subject is '<svc>:<uid>' escaped as
-- in keys (so it holds exactly one ':'): 's:<pod>:...' = the link now points at pod;
-- 'r:<delayMs>:...' = the link is removed (now, or after delayMs of delayed removal: the
-- effective delay, which is shorter than the requested one when the link expires sooner).
-- version = this master's TIME in microseconds: clients never let an announcement that is not
-- newer undo a newer one, which they could otherwise hear out of order across a failover (the
-- old and the new master announce the same uid). Redis 7 replicates a script's effects, not the
-- script, so TIME may come before or after the writes. number: a canonical decimal string, or
-- an integer.
-- A channel with a hash tag ('{', which the prefix and the escaped namespace never hold) is the
-- sharded channel of the link's own slot, announced with SPUBLISH (a Redis Cluster: delivered
-- within the slot's shard, not broadcast to every node); any other channel with PUBLISH.
local function sr_announce(channel, kind, number, subject)
  if channel ~= '' then
    local now = redis.call('TIME')
    redis.call(string.find(channel, '{', 1, true) and 'SPUBLISH' or 'PUBLISH', channel,
        'v' .. now[1] .. string.sub('00000' .. now[2], -6) .. ':' .. kind .. ':' .. number
        .. ':' .. subject)
  end
end

-- Removes the link now (delay '0') or keeps it answering for delay ms (never extends an earlier
-- expiry); the index entry goes at once. During a delayed removal the removal marker (a string
-- key in the link's slot) lives exactly as long as the link: set-if-absent sees it and leaves the
-- link's expiry alone, so the removal cannot be undone by a lease refresh.
-- Returns the effective delay in ms (0 = removed now), which is what gets announced: a link
-- expiring sooner than the requested delay ends sooner.
local function sr_delete(link, index, service, delay, removal, pin)
  redis.call('HDEL', index, service)
  if pin then
    redis.call('DEL', pin) -- a removal ends an operator pin at once
  end
  local pttl = redis.call('PTTL', link)
  -- PTTL 0: the link's last millisecond (Redis still holds it): it ends now anyway
  if delay == '0' or pttl == 0 then
    redis.call('DEL', link, removal)
    return 0
  end
  if pttl == -1 or pttl > tonumber(delay) then
    redis.call('PEXPIRE', link, delay)
    redis.call('SET', removal, '1', 'PX', delay)
    return delay
  end
  redis.call('SET', removal, '1', 'PX', pttl)
  return pttl
end

-- Whether the link is in delayed removal (its marker exists).
local function sr_removing(removal)
  return redis.call('EXISTS', removal) == 1
end

-- Whether an operator pin is in force on the link: the pin marker (a string key in the link's
-- slot) names the pod the link points at (current, a canonical string, or nil) and the link is
-- persistent. A marker left behind by a later unconditional write (another pod, or a temporary
-- link) is not in force. GET raises WRONGTYPE when the marker key is not a string.
local function sr_pinned(link, pin, current)
  local marker = redis.call('GET', pin)
  return marker ~= false and current ~= nil and marker == current
      and redis.call('PTTL', link) == -1
end
