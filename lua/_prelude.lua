-- _prelude.lua: helpers shared by the link and state scripts. The executor prepends this file to
-- each script before loading it, so each loaded script is self-contained (one SHA per script).
-- The one exception is read_values.lua: its shebang must be its first line, so it is loaded as
-- it is, without the prelude.
--
-- Conventions:
--   * numbers arrive as decimal strings in ARGV and are checked here, before any write;
--   * reads come first and writes last, so an error (WRONGTYPE on a foreign value, SR_CORRUPT)
--     aborts the script before it has written anything: Redis scripts do not roll back;
--   * structured errors are raised as {err = 'SR_<CODE> text'} (the Java side maps the prefix).

local function sr_fail(code, text)
  error({err = code .. ' ' .. text})
end

-- An integer >= 0 from a decimal string, or nil.
local function sr_index(s)
  if type(s) ~= 'string' or not string.match(s, '^%d+$') or #s > 10 then
    return nil
  end
  local n = tonumber(s)
  if n > 2147483647 then
    return nil
  end
  return n
end

local function sr_arg_pod(s, name)
  local n = sr_index(s)
  if not n then
    sr_fail('SR_ARG', name .. ' must be an integer >= 0')
  end
  return n
end

-- A link TTL: -1 (persistent) or a positive number of seconds.
local function sr_arg_ttl(s)
  if s == '-1' then
    return -1
  end
  local n = sr_index(s)
  if not n or n == 0 then
    sr_fail('SR_ARG', 'ttl must be -1 or a positive integer')
  end
  return n
end

-- A delay in milliseconds, >= 0.
local function sr_arg_delay(s)
  local n = sr_index(s)
  if not n then
    local big = tonumber(s)
    if not big or big < 0 or big % 1 ~= 0 then
      sr_fail('SR_ARG', 'delay must be an integer >= 0 (milliseconds)')
    end
    n = big
  end
  return n
end

-- The pod the link points at: nil when absent; SR_CORRUPT when the value is not a pod index.
-- GET raises WRONGTYPE when the key is not a string.
local function sr_current(link)
  local raw = redis.call('GET', link)
  if not raw then
    return nil, nil
  end
  local pod = sr_index(raw)
  if not pod then
    sr_fail('SR_CORRUPT', 'link value is not a pod index')
  end
  return pod, raw
end

-- Writes the link: persistent -> index HSET then SET; temporary -> index HDEL then SET EX.
-- The index command runs first so that a foreign index type aborts before the link is written.
-- A write re-creates the link: a delayed removal in progress ends (its marker is deleted), and
-- an operator pin (its marker, when the script passes one) ends unless the link stays persistent
-- on the pinned pod, so a pin marker never outlives its pin (sr_pinned).
local function sr_write(link, index, service, pod, ttl, removal, pin)
  local value = string.format('%d', pod)
  -- read first: a foreign type at the pin key aborts (WRONGTYPE) before anything is written
  local unpin = pin and (ttl ~= -1 or redis.call('GET', pin) ~= value)
  if ttl == -1 then
    redis.call('HSET', index, service, value)
    redis.call('DEL', removal) -- after the index command: a foreign index aborts before it
    redis.call('SET', link, value)
  else
    redis.call('HDEL', index, service)
    redis.call('DEL', removal)
    redis.call('SET', link, value, 'EX', ttl)
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
-- script, so TIME may come before or after the writes.
-- A channel with a hash tag ('{', which the prefix and the escaped namespace never hold) is the
-- sharded channel of the link's own slot, announced with SPUBLISH (a Redis Cluster: delivered
-- within the slot's shard, not broadcast to every node); any other channel with PUBLISH.
local function sr_announce(channel, kind, number, subject)
  if channel ~= '' then
    local now = redis.call('TIME')
    local version = now[1] .. string.format('%06d', tonumber(now[2]))
    redis.call(string.find(channel, '{', 1, true) and 'SPUBLISH' or 'PUBLISH', channel,
        'v' .. version .. ':' .. kind .. ':' .. string.format('%d', number) .. ':' .. subject)
  end
end

-- Removes the link now (delay 0) or keeps it answering for delay ms (never extends an earlier
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
  if delay == 0 or pttl == 0 then
    redis.call('DEL', link, removal)
    return 0
  end
  if pttl == -1 or pttl > delay then
    redis.call('PEXPIRE', link, delay)
    pttl = delay
  end
  redis.call('SET', removal, '1', 'PX', pttl)
  return pttl
end

-- Whether the link is in delayed removal (its marker exists).
local function sr_removing(removal)
  return redis.call('EXISTS', removal) == 1
end


-- Whether an operator pin is in force on the link: the pin marker (a string key in the link's
-- slot) names the pod the link points at and the link is persistent. A marker left behind by a
-- later unconditional write (another pod, or a temporary link) is not in force.
-- GET raises WRONGTYPE when the marker key is not a string.
local function sr_pinned(link, pin, current)
  local marker = redis.call('GET', pin)
  return marker ~= false and current ~= nil and marker == string.format('%d', current)
      and redis.call('PTTL', link) == -1
end
