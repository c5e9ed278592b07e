package io.statefulroute.redis;

import io.statefulroute.test.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Rebalancing on a local 3-master Redis Cluster (the lease, the suspension and the shed requests
 * live in the service's slot).
 */
class RebalancingClusterIT extends AbstractRebalancingIT {
  private static RedisContractTarget target;

  @BeforeAll
  static void connect() {
    target = new RedisContractTarget(RedisServers.cluster());
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
