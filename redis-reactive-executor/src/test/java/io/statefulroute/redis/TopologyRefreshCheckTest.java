package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.statefulroute.redis.internal.LettuceBinding;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The check behind the executor's warning at start: without periodic topology refresh a failover is
 * seen only when a command runs into it, and caches are re-verified only then.
 */
class TopologyRefreshCheckTest {

  @Test
  @SuppressWarnings(
      "deprecation") // Lettuce 7 deprecates the adaptive triggers; tests still want them
  void periodicTopologyRefresh_lettuceDefaultsAreNot_periodicRefreshIs() {
    RedisClusterClient client = RedisClusterClient.create("redis://127.0.0.1:1"); // not connected
    try {
      assertThat(LettuceBinding.periodicTopologyRefresh(client))
          .as("Lettuce's defaults: adaptive triggers only")
          .isFalse();
      client.setOptions(
          ClusterClientOptions.builder()
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enableAllAdaptiveRefreshTriggers()
                      .build())
              .build());
      assertThat(LettuceBinding.periodicTopologyRefresh(client)).isFalse();
      client.setOptions(
          ClusterClientOptions.builder()
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enablePeriodicRefresh(Duration.ofSeconds(5))
                      .build())
              .build());
      assertThat(LettuceBinding.periodicTopologyRefresh(client)).isTrue();
    } finally {
      client.shutdown();
    }
  }
}
