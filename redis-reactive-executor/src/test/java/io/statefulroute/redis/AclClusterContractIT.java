package io.statefulroute.redis;

import io.statefulroute.test.redis.RedisClusterProcesses;
import io.statefulroute.test.redis.RedisServers;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole executor contract as the least-privilege ACL user ({@link LeastPrivilege}) on a private
 * 3-master Redis Cluster (the user is created on every node: ACLs are per node).
 */
class AclClusterContractIT extends AbstractRedisContractIT {
  private static RedisClusterProcesses cluster;
  private static RedisContractTarget target;

  @BeforeAll
  static void start() {
    cluster = RedisServers.startCluster(3, 0);
    cluster.nodes().forEach(LeastPrivilege::create);
    target =
        new RedisContractTarget(
            cluster.target(),
            cluster.nodes().stream()
                .map(n -> AclStandaloneContractIT.userUri(n.port()))
                .collect(Collectors.toList()),
            null);
  }

  @AfterAll
  static void stop() {
    if (target != null) {
      target.close();
    }
    cluster.close();
  }

  @Override
  protected RedisContractTarget target() {
    return target;
  }
}
