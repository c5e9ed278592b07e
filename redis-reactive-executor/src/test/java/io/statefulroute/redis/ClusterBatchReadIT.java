package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisClusterProcesses;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batch reads on a cluster go node by node ({@code read_values.lua}), not slot by slot, and stay
 * correct when a slot moves behind the client's back (its view of the cluster is stale): Redis
 * refuses the node call, the executor reads that chunk slot by slot, following redirects (which
 * make Lettuce reload its view).
 */
class ClusterBatchReadIT {
  private static final String SVC = "game";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private RedisClusterProcesses cluster;
  private RedisClusterClient client;
  private RedisStatefulExecutor executor;
  private String ns;

  @BeforeEach
  void start() {
    cluster = RedisServers.startCluster(3, 0);
    // Lettuce's defaults: no periodic topology refresh (a slot moved by hand stays in the
    // client's view until something reloads it); adaptive refresh on redirects is on
    client =
        RedisClusterClient.create(
            cluster.uris().stream().map(RedisURI::create).collect(Collectors.toList()));
    executor = RedisStatefulExecutor.create(client);
    ns = RedisServers.uniqueNamespace();
  }

  @AfterEach
  void stop() {
    executor.close();
    client.shutdown();
    cluster.close();
  }

  @Test
  void batchAcrossThousandsOfSlots_isOneScriptCallPerNodeAndBatchSize_noMget() {
    Map<String, Integer> expected = link(2_000);
    cluster.masters().forEach(m -> m.redisCli("CONFIG", "RESETSTAT"));

    Map<String, Integer> read = executor.batchGetLinks(ns, expected.keySet(), SVC).block(TIMEOUT);

    assertThat(read).isEqualTo(expected);
    int batchSize = executor.options().batchSize();
    for (RedisProcess master : cluster.masters()) {
      // only this test's links are on this fresh cluster (temporary links: no index hash)
      long keysOnNode = Long.parseLong(master.redisCli("DBSIZE"));
      assertThat(calls(master, "evalsha"))
          .as("read_values calls on %s for %d keys", master, keysOnNode)
          .isEqualTo((keysOnNode + batchSize - 1) / batchSize);
      assertThat(calls(master, "mget")).as("MGETs on %s", master).isZero();
    }
  }

  @Test
  void aKeyHoldingAHash_readsAsAbsent_asWithMget() {
    Map<String, Integer> expected = link(50);
    String uid = expected.keySet().iterator().next();
    cluster.masterForKey(link(uid)).redisCli("DEL", link(uid));
    cluster.masterForKey(link(uid)).redisCli("HSET", link(uid), "f", "v");
    expected.remove(uid);

    List<String> uids = new ArrayList<>(expected.keySet());
    uids.add(uid);
    assertThat(executor.batchGetLinks(ns, uids, SVC).block(TIMEOUT)).isEqualTo(expected);
  }

  @Test
  void slotMovedBehindTheClientsBack_everyValueIsStillRead_bySlot() {
    Map<String, Integer> expected = link(300);
    executor.batchGetLinks(ns, expected.keySet(), SVC).block(TIMEOUT); // scripts loaded, view set
    // move the slot of one uid (and every batch key in it) from its master to another one
    String movedUid = expected.keySet().iterator().next();
    String movedKey = link(movedUid);
    RedisProcess source = cluster.masterForKey(movedKey);
    RedisProcess target =
        cluster.masters().stream().filter(m -> m.port() != source.port()).findFirst().orElseThrow();
    migrateSlot(slot(movedKey), source, target);
    assertThat(cluster.masterForKey(movedKey).port()).isEqualTo(target.port());
    cluster.masters().forEach(m -> m.redisCli("CONFIG", "RESETSTAT"));

    Map<String, Integer> read = executor.batchGetLinks(ns, expected.keySet(), SVC).block(TIMEOUT);

    assertThat(read).isEqualTo(expected);
    // the stale view sent the moved keys to their old node in a node call, which Redis refused
    assertThat(failedCalls(source, "evalsha") + failedCalls(target, "evalsha"))
        .as("refused read_values calls")
        .isPositive();
    assertThat(calls(source, "mget") + calls(target, "mget")).as("slot-by-slot MGETs").isPositive();

    // the fallback's MGETs were redirected (MOVED), on which Lettuce reloads its slot map by
    // default: batches go node by node again
    Poll.until(
        Duration.ofSeconds(10),
        "a batch read with no refused call and no MGET",
        () -> {
          cluster.masters().forEach(m -> m.redisCli("CONFIG", "RESETSTAT"));
          assertThat(executor.batchGetLinks(ns, expected.keySet(), SVC).block(TIMEOUT))
              .isEqualTo(expected);
          return cluster.masters().stream()
              .allMatch(m -> failedCalls(m, "evalsha") == 0 && calls(m, "mget") == 0);
        });
  }

  private Map<String, Integer> link(int count) {
    Map<String, Integer> links = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String uid = "u" + i;
      int pod = i % 7;
      executor.setLink(ns, uid, SVC, pod, 3600).block(TIMEOUT);
      links.put(uid, pod);
    }
    return links;
  }

  private String link(String uid) {
    return "sr:{" + ns + ":" + uid + "}:lk:" + SVC;
  }

  private int slot(String key) {
    return Integer.parseInt(cluster.masters().get(0).redisCli("CLUSTER", "KEYSLOT", key));
  }

  /** The slot migration of the Redis Cluster tutorial, done by hand. */
  private void migrateSlot(int slot, RedisProcess source, RedisProcess target) {
    String sourceId = source.redisCli("CLUSTER", "MYID");
    String targetId = target.redisCli("CLUSTER", "MYID");
    String s = String.valueOf(slot);
    assertThat(target.redisCli("CLUSTER", "SETSLOT", s, "IMPORTING", sourceId)).isEqualTo("OK");
    assertThat(source.redisCli("CLUSTER", "SETSLOT", s, "MIGRATING", targetId)).isEqualTo("OK");
    List<String> keys =
        Arrays.stream(source.redisCli("CLUSTER", "GETKEYSINSLOT", s, "1000").split("\r?\n"))
            .filter(k -> !k.isBlank())
            .collect(Collectors.toList());
    assertThat(keys).isNotEmpty();
    List<String> migrate =
        new ArrayList<>(
            List.of(
                "MIGRATE", "127.0.0.1", String.valueOf(target.port()), "", "0", "5000", "KEYS"));
    migrate.addAll(keys);
    assertThat(source.redisCli(migrate.toArray(new String[0]))).isEqualTo("OK");
    for (RedisProcess master : cluster.masters()) {
      assertThat(master.redisCli("CLUSTER", "SETSLOT", s, "NODE", targetId)).isEqualTo("OK");
    }
  }

  private static long calls(RedisProcess node, String command) {
    return stat(node, command, "calls");
  }

  private static long failedCalls(RedisProcess node, String command) {
    return stat(node, command, "failed_calls");
  }

  /** A field of {@code cmdstat_<command>} in INFO commandstats; 0 when the command never ran. */
  private static long stat(RedisProcess node, String command, String field) {
    for (String line : node.redisCli("INFO", "commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":")) {
        for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
          if (kv.startsWith(field + "=")) {
            return Long.parseLong(kv.substring(field.length() + 1));
          }
        }
      }
    }
    return 0;
  }
}
