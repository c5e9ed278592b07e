package io.statefulroute.redis;

import io.statefulroute.test.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The executor contract on a standalone Redis. */
class RedisStandaloneContractIT extends AbstractRedisContractIT {
  private static RedisContractTarget target;

  @BeforeAll
  static void connect() {
    target = new RedisContractTarget(RedisServers.standalone());
  }

  @AfterAll
  static void close() {
    target.close();
  }

  @Override
  protected RedisContractTarget target() {
    return target;
  }
}
