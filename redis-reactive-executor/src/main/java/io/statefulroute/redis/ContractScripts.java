package io.statefulroute.redis;

import io.statefulroute.redis.internal.LuaScript;

/**
 * The Lua scripts of the Redis data contract ({@code lua/README.md}) exactly as {@link
 * RedisStatefulExecutor} loads them: the helpers of the shared prelude that a script calls, then
 * the script's file. For tools that send a contract script themselves and must run the very text
 * the executor runs: another Redis client that shares the data, or a benchmark's raw-client
 * baseline.
 */
public final class ContractScripts {
  private ContractScripts() {}

  /**
   * The text the executor loads for {@code lua/<file>} (for example {@code
   * link_set_if_absent.lua}).
   *
   * @throws IllegalStateException when the executor's jar has no such script
   */
  public static String body(String file) {
    return LuaScript.load(file).body();
  }

  /** The lowercase hex SHA1 that EVALSHA names {@link #body(String)} by. */
  public static String sha(String file) {
    return LuaScript.load(file).sha();
  }
}
