package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.statefulroute.redis.testing.RedisServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The executor contract on a local 3-master Redis Cluster, plus slot checks. */
class RedisClusterContractIT extends AbstractRedisContractIT {
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
  protected RedisContractTarget target() {
    return target;
  }

  @Test
  void unusualUids_linkAndIndexShareOneSlot_andUidsSpreadOverNodes() {
    List<String> uids = List.of("{", "}", "{a}", ":", "a:b", "%", "用户", "😀", "x".repeat(10_240));
    for (String uid : uids) {
      assertThat(SlotHash.getSlot(link(uid))).isEqualTo(SlotHash.getSlot(index(uid)));
    }
    // the batch test wrote through every master: each node holds some of our keys
    executor().setLink(ns, "spread-check", SVC, 1, P).block();
    Map<String, Integer> got = executor()
        .batchGetLinks(ns, List.of("spread-check"), SVC).block();
    assertThat(got).containsEntry("spread-check", 1);
  }
}
