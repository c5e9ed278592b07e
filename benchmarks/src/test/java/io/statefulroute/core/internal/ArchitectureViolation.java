package io.statefulroute.core.internal;

import io.lettuce.core.RedisURI;
import io.statefulroute.redis.RedisExecutorOptions;

/**
 * A test class in a core package that breaks core's rules (it uses Lettuce and the executor
 * module): {@code ArchitectureTest.everyRuleCanFail} checks that the rules see it.
 */
public final class ArchitectureViolation {

  private ArchitectureViolation() {}

  static RedisExecutorOptions options() {
    return RedisExecutorOptions.defaults();
  }

  public static RedisURI uri() {
    return RedisURI.create("redis://localhost");
  }
}
