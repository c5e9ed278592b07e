package io.statefulroute.redis;

import io.statefulroute.test.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Rebalancing on a standalone Redis. */
class RebalancingStandaloneIT extends AbstractRebalancingIT {
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
  RedisContractTarget target() {
    return target;
  }
}
