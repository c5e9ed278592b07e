-- state_uncordon.lua: the operator lifts a pod's cordon (state_cordon.lua).
--
-- KEYS[1]  hash    the service cordons <prefix>:{<ns>:<svc>}:cd   field = pod index
-- ARGV[1]  int     pod index, >= 0
--
-- Reply:   integer: 1 when the pod was cordoned, 0 otherwise
-- Errors:  SR_ARG <text>  invalid argument (nothing written)
--          WRONGTYPE      the key holds a foreign Redis type (nothing written)

local pod = sr_arg_pod(ARGV[1], 'pod')
return redis.call('HDEL', KEYS[1], pod)
