#!lua flags=no-writes,allow-cross-slot-keys
-- read_values.lua: the string values of many keys served by this node, in one call. Batch reads
-- on a Redis Cluster use it: MGET cannot cross hash slots, and the uids of one batch spread over
-- thousands of slots (one MGET per slot would be thousands of commands).
--
-- KEYS[1]  any     routing only: the first key of ARGV (the cluster client sends the call to the
--                  node that serves it); the keys read are not declared, which is what the
--                  allow-cross-slot-keys flag permits (Redis >= 7.0)
-- ARGV     string  the keys to read, each served by this node, any slots
--
-- Reply:   array, one element per ARGV key: its value; nil when absent or not a string (as MGET)
-- Errors:  ERR ... non local key  a key is not served by this node (its slot moved, or the
--                                 caller's view of the cluster is stale): nothing is returned,
--                                 the caller reads those keys slot by slot instead

local out = {}
for i = 1, #ARGV do
  local v = redis.pcall('GET', ARGV[i])
  if type(v) == 'table' and v.err then
    if string.sub(v.err, 1, 9) ~= 'WRONGTYPE' then
      return v
    end
    v = false
  end
  out[i] = v
end
return out
