package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

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

  /** Links spread over every master are all listed, and every master is scanned. */
  @Test
  @SuppressWarnings("deprecation") // the partitions the test's own cluster connection sees
  void listPersistentLinks_linksOnEveryMaster_allListedAndEveryMasterScanned() {
    RedisAdvancedClusterCommands<String, String> raw =
        (RedisAdvancedClusterCommands<String, String>) target.raw();
    Partitions partitions = raw.getStatefulConnection().getPartitions();
    List<String> owned = IntStream.range(0, 2000).mapToObj(i -> "spread-" + i).toList();
    Flux.fromIterable(owned)
        .flatMap(u -> executor().setLink(ns, u, SVC, 6, P), 128)
        .blockLast(Duration.ofSeconds(60));
    Map<String, Long> perMaster =
        owned.stream()
            .collect(
                Collectors.groupingBy(
                    u -> partitions.getPartitionBySlot(SlotHash.getSlot(index(u))).getNodeId(),
                    Collectors.counting()));
    Map<String, Long> scansBefore = scanCallsPerMaster(raw);
    assertThat(perMaster)
        .as("index keys per master")
        .hasSize(3)
        .allSatisfy((node, n) -> assertThat(n).isGreaterThan(100));

    assertThat(listed(executor(), ns, SVC, 6)).containsExactlyInAnyOrderElementsOf(owned);

    Map<String, Long> scansAfter = scanCallsPerMaster(raw);
    assertThat(scansAfter).containsOnlyKeys(scansBefore.keySet()).hasSize(3);
    scansAfter.forEach(
        (node, calls) ->
            assertThat(calls).as("SCANs on %s", node).isGreaterThan(scansBefore.get(node)));
  }

  private static Map<String, Long> scanCallsPerMaster(
      RedisAdvancedClusterCommands<String, String> raw) {
    Map<String, Long> calls = new HashMap<>();
    raw.upstream()
        .commands()
        .info("commandstats")
        .asMap()
        .forEach(
            (node, info) -> {
              long n = 0;
              for (String line : info.split("\\r?\\n")) {
                if (line.startsWith("cmdstat_scan:calls=")) {
                  n = Long.parseLong(line.substring(19, line.indexOf(',')));
                }
              }
              calls.put(node.getNodeId(), n);
            });
    return calls;
  }

  @Test
  void unusualUids_linkAndIndexShareOneSlot_andUidsSpreadOverNodes() {
    List<String> uids = List.of("{", "}", "{a}", ":", "a:b", "%", "用户", "😀", "x".repeat(10_240));
    for (String uid : uids) {
      assertThat(SlotHash.getSlot(link(uid))).isEqualTo(SlotHash.getSlot(index(uid)));
    }
    // the batch test wrote through every master: each node holds some of our keys
    executor().setLink(ns, "spread-check", SVC, 1, P).block();
    Map<String, Integer> got = executor().batchGetLinks(ns, List.of("spread-check"), SVC).block();
    assertThat(got).containsEntry("spread-check", 1);
  }
}
