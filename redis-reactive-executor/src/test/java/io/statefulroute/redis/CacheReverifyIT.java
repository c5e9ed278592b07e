package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.LinkAnnouncements;
import io.statefulroute.test.LinkEventRecorder;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisClusterProcesses;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A master change can lose acknowledged writes, whose announcements the clients may already have
 * applied, and a client may hold links changed without an announcement: after the change, the
 * clients' caches are re-verified against the store, long before their entries expire (issue 10,
 * item 6). "Changed without announcement" is a SET on a raw connection; "lost with its announcement
 * heard" is an announcement published on a raw connection for a change the store never got (what a
 * client hears when the master that announced a write dies before its replica has it).
 */
class CacheReverifyIT {
  private static final String SVC = "game";
  private static final KeySchema KEYS = KeySchema.defaults();

  /** Far longer than the test: a correction cannot come from the entries' expiry. */
  private static final Duration CACHE_TTL = Duration.ofMinutes(10);

  private static ClientDriver gateway(RedisStatefulExecutor executor) {
    return ClientDriver.create(
        executor,
        ClientOptions.builder()
            .leaseTtl(Duration.ofMinutes(20))
            .cacheExpireAfterWrite(CACHE_TTL)
            .build());
  }

  @Test
  @SuppressWarnings(
      "deprecation") // Lettuce 7 deprecates the adaptive triggers; tests still want them
  void cluster_masterFailedOver_lostAndUnannouncedChangesAreCorrectedInTheCache() {
    ClientResources resources = QuickReconnect.resources();
    try (RedisClusterProcesses cluster = RedisServers.startCluster(3, 1)) {
      RedisClusterClient client =
          RedisClusterClient.create(
              resources, cluster.uris().stream().map(RedisURI::create).toList());
      client.setOptions(
          ClusterClientOptions.builder()
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enablePeriodicRefresh(Duration.ofSeconds(1))
                      .enableAllAdaptiveRefreshTriggers()
                      .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                      .build())
              .build());
      // the classic channel: only there does a master hold no pub/sub connection of the reader,
      // so that the master change alone tells it (ShardedAnnouncementsIT covers the sharded one)
      RedisExecutorOptions options =
          RedisExecutorOptions.builder()
              .commandTimeout(Duration.ofMillis(500))
              .shardedAnnouncements(false)
              .build();
      String ns = RedisServers.uniqueNamespace();
      try (RedisStatefulExecutor writer = RedisStatefulExecutor.create(client, options);
          RedisStatefulExecutor reader = RedisStatefulExecutor.create(client, options);
          ClientDriver gateway = gateway(reader);
          LinkEventRecorder events = new LinkEventRecorder(reader, ns, Duration.ofSeconds(30))) {
        events.expect(new LinkEvent.Subscribed(ns));
        gateway.getLinkedPod(ns, "warm-up", SVC).block(Duration.ofSeconds(5)); // follows ns
        Poll.until(
            Duration.ofSeconds(10),
            "the gateway's cache to be coherent",
            () -> gateway.isCacheCoherent(ns));

        // the victim: a master that does not hold the event connection, so that only the
        // master change (not a lost connection) can tell the gateway to re-verify
        RedisProcess victim =
            cluster.masters().stream()
                .filter(m -> m.redisCli("CLIENT", "LIST", "TYPE", "pubsub").isBlank())
                .findFirst()
                .orElseThrow();
        List<String> uids =
            IntStream.range(0, 400)
                .mapToObj(i -> "u" + i)
                .filter(u -> cluster.masterForKey(KEYS.link(ns, u, SVC)) == victim)
                .limit(40)
                .toList();
        List<String> unannounced = uids.subList(0, 20);
        List<String> lost = uids.subList(20, 40);
        for (String u : uids) {
          writer.setLink(ns, u, SVC, 1, 1200).block(Duration.ofSeconds(5));
        }
        cacheAll(gateway, ns, uids, 1);

        RedisClient rawClient = RedisClient.create(resources, victim.uri());
        try (StatefulRedisConnection<String, String> raw = rawClient.connect()) {
          RedisCommands<String, String> direct = raw.sync();
          for (String u : unannounced) {
            direct.set(KEYS.link(ns, u, SVC), "2", SetArgs.Builder.keepttl());
          }
          List<String> time = direct.time();
          long now = Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
          for (String u : lost) {
            direct.publish(
                KEYS.linkChannel(ns), "v" + now + ":s:3:" + LinkAnnouncements.subject(u, SVC));
          }
        } finally {
          rawClient.shutdown();
        }
        Poll.until(
            Duration.ofSeconds(10),
            "the gateway to apply the lost writes' announcements",
            () -> lost.stream().allMatch(u -> Integer.valueOf(3).equals(cached(gateway, ns, u))));
        ClusterFailoverIT.awaitReplicasInSync(cluster);
        assertThat(unannounced)
            .as("not corrected before the failover")
            .allMatch(u -> Integer.valueOf(1).equals(cached(gateway, ns, u)));

        victim.kill();
        cluster.awaitHealthy(Duration.ofSeconds(40));
        assertThat(cluster.masterForKey(KEYS.link(ns, uids.get(0), SVC))).isNotSameAs(victim);

        Poll.until(
            Duration.ofSeconds(30),
            "the gateway's cache to agree with the new master",
            () ->
                unannounced.stream()
                        .allMatch(u -> Integer.valueOf(2).equals(cached(gateway, ns, u)))
                    && lost.stream()
                        .allMatch(u -> Integer.valueOf(1).equals(cached(gateway, ns, u))));
        List<LinkEvent> seen = new ArrayList<>();
        for (LinkEvent e; (e = events.poll(Duration.ZERO)) != null; ) {
          seen.add(e);
        }
        assertThat(seen)
            .as("told by the master change, not by a lost connection")
            .anySatisfy(
                e ->
                    assertThat(e)
                        .isInstanceOfSatisfying(
                            LinkEvent.Unsubscribed.class,
                            u -> assertThat(u.reason()).startsWith("cluster masters changed")))
            .noneSatisfy(
                e ->
                    assertThat(e)
                        .isInstanceOfSatisfying(
                            LinkEvent.Unsubscribed.class,
                            u -> assertThat(u.reason()).contains("connection")));
      } finally {
        client.shutdown();
      }
    } finally {
      var unused = resources.shutdown(); // not awaited: the JVM of the test ends
    }
  }

  @Test
  void standalone_serverRestarted_lostAndUnannouncedChangesAreCorrectedInTheCache() {
    // on one server a master change (a restart, a Sentinel failover) closes the event
    // connection: its reconnect makes clients re-read what they cached
    ClientResources resources = QuickReconnect.resources();
    try (RedisProcess server =
        RedisServers.startStandalone("--appendonly", "yes", "--appendfsync", "always")) {
      RedisClient client = RedisClient.create(resources, server.uri());
      String ns = RedisServers.uniqueNamespace();
      try (RedisStatefulExecutor executor =
              RedisStatefulExecutor.create(
                  client,
                  RedisExecutorOptions.builder().commandTimeout(Duration.ofMillis(500)).build());
          ClientDriver gateway = gateway(executor)) {
        List<String> unannounced = IntStream.range(0, 20).mapToObj(i -> "c" + i).toList();
        List<String> lost = IntStream.range(0, 20).mapToObj(i -> "l" + i).toList();
        gateway.getLinkedPod(ns, "warm-up", SVC).block(Duration.ofSeconds(5));
        Poll.until(
            Duration.ofSeconds(10),
            "the gateway's cache to be coherent",
            () -> gateway.isCacheCoherent(ns));
        for (String u : concat(unannounced, lost)) {
          executor.setLink(ns, u, SVC, 1, 1200).block(Duration.ofSeconds(5));
        }
        cacheAll(gateway, ns, concat(unannounced, lost), 1);
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
          for (String u : unannounced) {
            raw.sync().set(KEYS.link(ns, u, SVC), "2", SetArgs.Builder.keepttl());
          }
          List<String> time = raw.sync().time();
          long now = Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
          for (String u : lost) {
            raw.sync()
                .publish(
                    KEYS.linkChannel(ns), "v" + now + ":s:3:" + LinkAnnouncements.subject(u, SVC));
          }
        }
        Poll.until(
            Duration.ofSeconds(10),
            "the gateway to apply the lost writes' announcements",
            () -> lost.stream().allMatch(u -> Integer.valueOf(3).equals(cached(gateway, ns, u))));
        assertThat(unannounced).allMatch(u -> Integer.valueOf(1).equals(cached(gateway, ns, u)));

        server.kill();
        server.start();

        Poll.until(
            Duration.ofSeconds(30),
            "the gateway's cache to agree with the server",
            () ->
                unannounced.stream()
                        .allMatch(u -> Integer.valueOf(2).equals(cached(gateway, ns, u)))
                    && lost.stream()
                        .allMatch(u -> Integer.valueOf(1).equals(cached(gateway, ns, u))));
      } finally {
        client.shutdown();
      }
    } finally {
      var unused = resources.shutdown(); // not awaited: the JVM of the test ends
    }
  }

  /**
   * Reads each uid through the gateway until its cache holds {@code pod} for it (a read whose reply
   * races the link's own announcement is answered but not cached).
   */
  private static void cacheAll(ClientDriver gateway, String ns, List<String> uids, int pod) {
    Poll.until(
        Duration.ofSeconds(10),
        "the gateway to cache every link",
        () -> {
          for (String u : uids) {
            if (cached(gateway, ns, u) == null) {
              gateway.getLinkedPod(ns, u, SVC).block(Duration.ofSeconds(5));
            }
          }
          return uids.stream().allMatch(u -> Integer.valueOf(pod).equals(cached(gateway, ns, u)));
        });
  }

  private static Integer cached(ClientDriver gateway, String ns, String uid) {
    return gateway.getLinkedInCache(ns, uid, SVC).block(Duration.ofSeconds(5));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
