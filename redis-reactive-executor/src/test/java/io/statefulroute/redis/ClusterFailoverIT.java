package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.resource.ClientResources;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisClusterProcesses;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A Redis Cluster of 3 masters and 3 replicas; a master is killed under load. The executor connects
 * as the least-privilege ACL user. With topology refresh configured (periodic and adaptive, as
 * docs/failure-model.md recommends) operations resume once its replica is promoted; links on the
 * other shards are intact, and links of the failed shard are read from the promoted replica.
 * Replication is asynchronous, so the test first proves that every replica holds its master's data
 * (same offset, same key count) before the kill.
 */
class ClusterFailoverIT {
  private static final String SVC = "game";
  private static final int UIDS = 3000;

  /** What docs/failure-model.md recommends for a cluster client. */
  @SuppressWarnings(
      "deprecation") // Lettuce 7 deprecates the adaptive triggers; tests still want them
  static ClusterClientOptions failoverOptions() {
    return ClusterClientOptions.builder()
        .topologyRefreshOptions(
            ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(Duration.ofSeconds(5))
                .enableAllAdaptiveRefreshTriggers()
                .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                .build())
        .build();
  }

  @Test
  void masterKilledUnderLoad_replicaPromoted_operationsResume_noLinkLost() throws Exception {
    ClientResources resources = QuickReconnect.resources();
    try (RedisClusterProcesses cluster = RedisServers.startCluster(3, 1)) {
      // as the least-privilege ACL user: topology refresh works with its grants
      cluster.nodes().forEach(LeastPrivilege::create);
      RedisClusterClient client =
          RedisClusterClient.create(
              resources,
              cluster.nodes().stream()
                  .map(n -> AclStandaloneContractIT.userUri(n.port()))
                  .collect(Collectors.toList()));
      client.setOptions(failoverOptions());
      try (RedisStatefulExecutor executor =
          RedisStatefulExecutor.create(
              client,
              RedisExecutorOptions.builder().commandTimeout(Duration.ofMillis(500)).build())) {
        String ns = RedisServers.uniqueNamespace();
        KeySchema keys = KeySchema.defaults();
        List<String> uids =
            IntStream.range(0, UIDS).mapToObj(i -> "u" + i).collect(Collectors.toList());
        Map<String, Integer> expected = new HashMap<>();
        uids.forEach(u -> expected.put(u, Math.floorMod(u.hashCode(), 8)));
        Flux.fromIterable(uids)
            .flatMap(
                u ->
                    executor.setLink(ns, u, SVC, expected.get(u), u.hashCode() % 2 == 0 ? -1 : 600),
                64)
            .blockLast(Duration.ofSeconds(60));

        RedisProcess victim = cluster.masterForKey(keys.link(ns, "u0", SVC));
        awaitReplicasInSync(cluster);

        BackgroundLoad load =
            new BackgroundLoad(
                8,
                Duration.ofMillis(5),
                Duration.ofSeconds(10),
                i ->
                    i % 2 == 0
                        ? executor.getLink(
                            ns, uids.get(ThreadLocalRandom.current().nextInt(UIDS)), SVC)
                        : executor.setLinkIfAbsent(ns, "n" + i, SVC, 1, 600));
        load.awaitOk(100, Duration.ofSeconds(10)); // the load is running before the kill
        victim.kill();
        cluster.awaitHealthy(Duration.ofSeconds(40));
        RedisProcess promoted = cluster.masterForKey(keys.link(ns, "u0", SVC));
        assertThat(promoted).isNotSameAs(victim);

        Poll.until(
            Duration.ofSeconds(30),
            "writes to the failed shard to succeed",
            () ->
                executor
                    .setLinkIfAbsent(ns, "u0-after", SVC, 3, 600)
                    .onErrorResume(e -> Mono.empty())
                    .blockOptional(Duration.ofSeconds(5))
                    .isPresent());
        load.awaitOk(200, Duration.ofSeconds(20)); // the load runs on after the failover
        load.close();
        Map<String, Long> outcomes = load.outcomes();
        System.out.printf(
            "ClusterFailoverIT: slowest call %d ms (%s), outcomes %s%n",
            load.slowestMillis(), load.slowestOutcome(), outcomes);
        assertThat(outcomes.keySet())
            .as("outcomes %s", outcomes)
            .isSubsetOf(BackgroundLoad.OK, "StoreTimeoutException", "StoreUnavailableException");
        assertThat(load.calls(BackgroundLoad.OK)).isPositive();

        assertThat(load.slowestMillis())
            .as("slowest call, ms (timeout 500 ms)")
            .isLessThanOrEqualTo(2000);

        // every link is there: other shards untouched, the failed shard from its promoted replica
        // (one MGET per slot: about 2,800 here, more than 500 ms on two busy cores, so a reader
        // with a longer timeout)
        Map<String, Integer> stored;
        try (RedisStatefulExecutor reader =
            RedisStatefulExecutor.create(
                client,
                RedisExecutorOptions.builder().commandTimeout(Duration.ofSeconds(20)).build())) {
          stored = reader.batchGetLinks(ns, uids, SVC).block(Duration.ofSeconds(30));
        }
        List<String> wrong =
            uids.stream()
                .filter(u -> !expected.get(u).equals(stored.get(u)))
                .collect(Collectors.toList());
        assertThat(wrong).as("links lost or changed by the failover").isEmpty();
        int failedSlotLinks = 0;
        try (StatefulRedisConnection<String, String> direct =
            RedisClient.create(resources, promoted.uri()).connect()) {
          for (String u : uids) {
            String key = keys.link(ns, u, SVC);
            if (cluster.masterForKey(key) == promoted) {
              assertThat(direct.sync().get(key)).isEqualTo(expected.get(u).toString());
              failedSlotLinks++;
            }
          }
        }
        assertThat(failedSlotLinks).isGreaterThan(UIDS / 6);
        assertThat(SlotHash.getSlot(keys.link(ns, "u0", SVC)))
            .isEqualTo(SlotHash.getSlot(keys.linkIndex(ns, "u0")));
      } finally {
        client.shutdown();
      }
    } finally {
      var unused = resources.shutdown(); // not awaited: the JVM of the test ends
    }
  }

  /**
   * Waits until every replica has applied everything its master wrote: the same replication offset
   * and the same number of keys. ({@code WAIT} only counts the writes of its own connection: run
   * from a fresh redis-cli it returns at once, proving nothing.)
   */
  static void awaitReplicasInSync(RedisClusterProcesses cluster) {
    Poll.until(
        Duration.ofSeconds(20),
        "every replica in sync with its master",
        () -> {
          for (RedisProcess replica : cluster.replicas()) {
            String info = replica.redisCli("INFO", "replication");
            String masterPort = field(info, "master_port");
            RedisProcess master =
                cluster.nodes().stream()
                    .filter(n -> String.valueOf(n.port()).equals(masterPort))
                    .findFirst()
                    .orElse(null);
            if (master == null || !"up".equals(field(info, "master_link_status"))) {
              return false;
            }
            String masterOffset =
                field(master.redisCli("INFO", "replication"), "master_repl_offset");
            if (!masterOffset.equals(field(info, "slave_repl_offset"))
                || !master.redisCli("DBSIZE").equals(replica.redisCli("DBSIZE"))) {
              return false;
            }
          }
          return true;
        });
  }

  private static String field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return "";
  }
}
