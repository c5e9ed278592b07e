package io.statefulroute.test;

import io.statefulroute.redis.RedisExecutorOptions;

/**
 * A test class in a package of the test kit that breaks the kit's rule (it uses the executor
 * module): {@code ArchitectureTest.everyRuleCanFail} checks that the rule sees it.
 */
public final class TestKitArchitectureViolation {

  private TestKitArchitectureViolation() {}

  /** A use of the executor module. */
  public static RedisExecutorOptions options() {
    return RedisExecutorOptions.defaults();
  }
}
