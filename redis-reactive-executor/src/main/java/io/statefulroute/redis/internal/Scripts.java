package io.statefulroute.redis.internal;

/**
 * The scripts of the Redis contract (see {@code lua/README.md}), each named by its file.
 *
 * <p>Internal, not API: may change.
 */
public final class Scripts {
  public static final LuaScript LINK_SET = LuaScript.load("link_set.lua");
  public static final LuaScript LINK_SET_IF_ABSENT = LuaScript.load("link_set_if_absent.lua");
  public static final LuaScript LINK_CLAIM = LuaScript.load("link_claim.lua");
  public static final LuaScript LINK_REPLACE = LuaScript.load("link_replace.lua");
  public static final LuaScript LINK_GET_IF_PERSISTENT =
      LuaScript.load("link_get_if_persistent.lua");
  public static final LuaScript LINK_GET_LEASE = LuaScript.load("link_get_lease.lua");
  public static final LuaScript LINK_REMOVE = LuaScript.load("link_remove.lua");
  public static final LuaScript LINK_REMOVE_IF_OWNER = LuaScript.load("link_remove_if_owner.lua");
  public static final LuaScript LINK_MOVE = LuaScript.load("link_move.lua");
  public static final LuaScript LINK_PIN = LuaScript.load("link_pin.lua");
  public static final LuaScript LINK_UNPIN = LuaScript.load("link_unpin.lua");
  public static final LuaScript LINK_GET_PIN = LuaScript.load("link_get_pin.lua");
  public static final LuaScript STATE_CORDON = LuaScript.load("state_cordon.lua");
  public static final LuaScript STATE_UNCORDON = LuaScript.load("state_uncordon.lua");
  public static final LuaScript STATE_PUBLISH = LuaScript.load("state_publish.lua");
  public static final LuaScript STATE_READ = LuaScript.load("state_read.lua");
  public static final LuaScript REBALANCE_LEASE = LuaScript.load("rebalance_lease.lua");
  public static final LuaScript SHED_TAKE = LuaScript.load("shed_take.lua");
  public static final LuaScript READ_VALUES = LuaScript.load("read_values.lua");

  private Scripts() {}
}
