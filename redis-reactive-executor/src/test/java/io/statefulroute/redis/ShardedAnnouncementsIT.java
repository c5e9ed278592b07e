package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.redis.internal.ShardChannels;
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
 * Sharded announcements on a real local cluster (the default on a cluster): link changes are
 * SPUBLISHed on the channel of the uid's slot, never PUBLISHed; the executor hears them on every
 * shard; after a master failover ({@code CLUSTER FAILOVER} on a replica: Redis unsubscribes the
 * demoted master's shard channels) and after a master restart (its node connection lost), the
 * namespace is reported not listened to and listened to again within {@link #RESUBSCRIBED} (the
 * bound docs/cluster-announcements.md gives), each of that shard's channels is subscribed at
 * exactly one node, changes on that shard arrive again, each once, within {@link #HEARD}, and a
 * gateway's links changed meanwhile without an announcement are corrected in its cache, or dropped
 * from it (the Unsubscribed / Subscribed path every lost connection takes).
 */
class ShardedAnnouncementsIT {
  private static final String SVC = "game";
  private static final KeySchema KEYS = KeySchema.defaults();

  /** How soon the namespace is listened to again, from the failover or the restart. */
  private static final Duration RESUBSCRIBED = Duration.ofSeconds(15);

  /**
   * How soon the changes made after the namespace was listened to again reach the gateway. Once it
   * is, every channel is subscribed at one node of its shard, so this is the delivery of an
   * announcement (milliseconds: at most 79 ms in 20 failover runs on a loaded machine, see
   * docs/cluster-announcements.md), not a resubscription; 5 s leaves room for a busy build.
   */
  private static final Duration HEARD = Duration.ofSeconds(5);

  private static final RedisExecutorOptions OPTIONS =
      RedisExecutorOptions.builder()
          .commandTimeout(Duration.ofSeconds(1))
          .linkEventsReconnectAfter(Duration.ofSeconds(2))
          .build();

  @Test
  void changesOnEveryShard_areSpublishedOnTheirSlotsChannel_andHeard() {
    try (RedisClusterProcesses cluster = RedisServers.startCluster(3, 0)) {
      RedisClusterClient client =
          RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
      String ns = RedisServers.uniqueNamespace();
      try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client, OPTIONS);
          LinkEventRecorder events = new LinkEventRecorder(executor, ns, Duration.ofSeconds(20))) {
        events.expect(new LinkEvent.Subscribed(ns));
        List<LinkEvent> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) { // uids on every shard
          executor.setLink(ns, "u" + i, SVC, i, 60).block(Duration.ofSeconds(5));
          expected.add(new LinkEvent.Linked(ns, "u" + i, SVC, i));
        }
        List<LinkEvent> seen = new ArrayList<>();
        while (seen.size() < expected.size()) {
          seen.add(events.next());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
        ShardChannels shards = new ShardChannels(KEYS);
        String channel = shards.channel(ns, KEYS.link(ns, "u0", SVC));
        RedisProcess owner = cluster.masterForKey(KEYS.link(ns, "u0", SVC));
        assertThat(owner.redisCli("PUBSUB", "SHARDNUMSUB", channel)).contains(channel + "\n1");
        for (RedisProcess master : cluster.masters()) {
          String stats = master.redisCli("INFO", "commandstats");
          assertThat(stats).contains("cmdstat_spublish:").doesNotContain("cmdstat_publish:");
        }
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void masterFailedOver_announcementsArriveAgain_unannouncedChangesCorrectedInTheCache() {
    ClientResources resources = QuickReconnect.resources();
    try (RedisClusterProcesses cluster = RedisServers.startCluster(3, 1)) {
      RedisClusterClient client =
          RedisClusterClient.create(
              resources, cluster.uris().stream().map(RedisURI::create).toList());
      client.setOptions(ClusterFailoverIT.failoverOptions());
      String ns = RedisServers.uniqueNamespace();
      try (RedisStatefulExecutor writer = RedisStatefulExecutor.create(client, OPTIONS);
          RedisStatefulExecutor reader = RedisStatefulExecutor.create(client, OPTIONS);
          ClientDriver gateway = gateway(reader);
          LinkEventRecorder events = new LinkEventRecorder(reader, ns, RESUBSCRIBED)) {
        events.expect(new LinkEvent.Subscribed(ns));
        RedisProcess victim = cluster.masters().get(0);
        List<String> uids = uidsOn(cluster, victim, ns);
        Shard shard = prepare(gateway, writer, victim, ns, uids, resources);

        RedisProcess replica = cluster.replicasOf(victim).get(0);
        replica.redisCli("CLUSTER", "FAILOVER");
        Poll.until(
            RESUBSCRIBED,
            "the replica to be promoted",
            () -> replica.redisCli("ROLE").startsWith("master"));
        cluster.awaitHealthy(RESUBSCRIBED);

        shard.expectResubscribedAndCorrected(events);
        shard.expectSubscribedOnce(cluster);
        shard.expectAnnouncementsHeard(writer, events);
      } finally {
        client.shutdown();
      }
    } finally {
      var unused = resources.shutdown();
    }
  }

  @Test
  void masterRestarted_announcementsArriveAgain_unannouncedChangesCorrectedInTheCache() {
    ClientResources resources = QuickReconnect.resources();
    // with AOF, so the restarted master keeps the links the gateway cached
    try (RedisClusterProcesses cluster =
        RedisServers.startCluster(3, 0, "--appendonly", "yes", "--appendfsync", "always")) {
      RedisClusterClient client =
          RedisClusterClient.create(
              resources, cluster.uris().stream().map(RedisURI::create).toList());
      client.setOptions(ClusterFailoverIT.failoverOptions());
      String ns = RedisServers.uniqueNamespace();
      try (RedisStatefulExecutor writer = RedisStatefulExecutor.create(client, OPTIONS);
          RedisStatefulExecutor reader = RedisStatefulExecutor.create(client, OPTIONS);
          ClientDriver gateway = gateway(reader);
          LinkEventRecorder events = new LinkEventRecorder(reader, ns, RESUBSCRIBED)) {
        events.expect(new LinkEvent.Subscribed(ns));
        RedisProcess victim = cluster.masters().get(1);
        List<String> uids = uidsOn(cluster, victim, ns);
        Shard shard = prepare(gateway, writer, victim, ns, uids, resources);

        victim.stop();
        victim.start();
        cluster.awaitHealthy(RESUBSCRIBED);

        shard.expectResubscribedAndCorrected(events);
        shard.expectSubscribedOnce(cluster);
        shard.expectAnnouncementsHeard(writer, events);
      } finally {
        client.shutdown();
      }
    } finally {
      var unused = resources.shutdown();
    }
  }

  /** 20 uids whose links live on {@code master}. */
  private static List<String> uidsOn(
      RedisClusterProcesses cluster, RedisProcess master, String ns) {
    return IntStream.range(0, 1000)
        .mapToObj(i -> "u" + i)
        .filter(u -> cluster.masterForKey(KEYS.link(ns, u, SVC)) == master)
        .limit(20)
        .toList();
  }

  /**
   * Links every uid to pod 1, has the gateway cache them, then moves half of them to pod 2 on a raw
   * connection: changes the gateway never hears of (as one made while its subscription is down).
   */
  private static Shard prepare(
      ClientDriver gateway,
      RedisStatefulExecutor writer,
      RedisProcess master,
      String ns,
      List<String> uids,
      ClientResources resources) {
    Poll.until(
        Duration.ofSeconds(10), "the gateway's cache to be coherent", () -> coherent(gateway, ns));
    for (String u : uids) {
      writer.setLink(ns, u, SVC, 1, 1200).block(Duration.ofSeconds(5));
    }
    Poll.until(
        Duration.ofSeconds(10),
        "the gateway to cache every link",
        () -> {
          for (String u : uids) {
            if (cached(gateway, ns, u) == null) {
              gateway.getLinkedPod(ns, u, SVC).block(Duration.ofSeconds(5));
            }
          }
          return uids.stream().allMatch(u -> Integer.valueOf(1).equals(cached(gateway, ns, u)));
        });
    List<String> unannounced = uids.subList(0, uids.size() / 2);
    RedisClient raw = RedisClient.create(resources, master.uri());
    try (StatefulRedisConnection<String, String> c = raw.connect()) {
      for (String u : unannounced) {
        c.sync().set(KEYS.link(ns, u, SVC), "2", SetArgs.Builder.keepttl());
      }
    } finally {
      raw.shutdown();
    }
    assertThat(unannounced).allMatch(u -> Integer.valueOf(1).equals(cached(gateway, ns, u)));
    return new Shard(gateway, ns, uids, unannounced);
  }

  private record Shard(
      ClientDriver gateway, String ns, List<String> uids, List<String> unannounced) {
    /**
     * Unsubscribed, then Subscribed within the bound; no entry of the gateway's cache holds a link
     * Redis no longer has (each is corrected, or dropped).
     */
    void expectResubscribedAndCorrected(LinkEventRecorder events) {
      boolean unsubscribed = false;
      List<String> seen = new ArrayList<>();
      LinkEvent e;
      while ((e = events.poll(RESUBSCRIBED)) != null) {
        if (!(e instanceof LinkEvent.Linked)) {
          seen.add(e.toString());
        }
        if (e instanceof LinkEvent.Unsubscribed) {
          unsubscribed = true;
        } else if (unsubscribed && e instanceof LinkEvent.Subscribed) {
          break;
        }
      }
      assertThat(e).as("Subscribed again after Unsubscribed").isNotNull();
      // corrected, or dropped: a re-read that a later Unsubscribed / Subscribed overtakes (the
      // watchdog's "cluster masters changed", often just after) drops its entry instead, and the
      // next lookup reads the store; what must never be left is an entry holding the old pod
      awaitCache(seen, events, false);
      awaitCache(seen, events, true); // the dropped ones read again, for the changes to come
    }

    /** Every entry agrees with Redis; absent ones too ({@code fill}: read), or may be absent. */
    private void awaitCache(List<String> seen, LinkEventRecorder events, boolean fill) {
      List<String> wrong = new ArrayList<>();
      try {
        Poll.until(
            RESUBSCRIBED,
            fill ? "the gateway to cache every link again" : "no stale link in the gateway's cache",
            () -> {
              wrong.clear();
              for (String u : uids) {
                Integer stored = unannounced.contains(u) ? 2 : 1;
                Integer has = cached(gateway, ns, u);
                if (has == null && fill) {
                  gateway.getLinkedPod(ns, u, SVC).block(Duration.ofSeconds(5));
                  has = cached(gateway, ns, u);
                }
                if (!stored.equals(has) && (fill || has != null)) {
                  wrong.add(u + " cached " + has + " stored " + stored);
                }
              }
              return wrong.isEmpty();
            });
      } catch (IllegalStateException timedOut) {
        throw new AssertionError(
            timedOut.getMessage() + ": " + wrong + "; events " + seen + " " + events.pending(),
            timedOut);
      }
    }

    /**
     * Each uid's shard channel is subscribed at exactly one node: subscribed at two (once at the
     * demoted master, now a replica that accepts it, once at the new master), every announcement is
     * heard twice, and the cache drops an entry on the second copy (no newer than the entry).
     */
    void expectSubscribedOnce(RedisClusterProcesses cluster) {
      ShardChannels shards = new ShardChannels(KEYS);
      List<String> channels =
          uids.stream().map(u -> shards.channel(ns, KEYS.link(ns, u, SVC))).distinct().toList();
      Poll.until(
          HEARD, // a duplicate is dropped as soon as it is confirmed
          "each channel of the shard to be subscribed at exactly one node",
          () -> channels.stream().allMatch(c -> subscriptions(cluster, c) == 1));
    }

    /** A change of each uid now is heard (by the gateway, and as an event). */
    void expectAnnouncementsHeard(RedisStatefulExecutor writer, LinkEventRecorder events) {
      for (String u : uids) {
        writer.setLink(ns, u, SVC, 5, 1200).block(Duration.ofSeconds(5));
      }
      Poll.until(
          HEARD, // heard, or corrected by the re-verification of the next Subscribed
          "every change to be heard",
          () -> uids.stream().allMatch(u -> Integer.valueOf(5).equals(cached(gateway, ns, u))));
      List<LinkEvent> linked = new ArrayList<>();
      for (LinkEvent e; (e = events.poll(Duration.ofSeconds(1))) != null; ) {
        if (e instanceof LinkEvent.Linked l && l.pod() == 5) {
          linked.add(e);
        }
      }
      assertThat(linked).hasSize(uids.size());
    }
  }

  /** The subscribers of shard channel {@code channel} over every running node. */
  private static long subscriptions(RedisClusterProcesses cluster, String channel) {
    long sum = 0;
    for (RedisProcess node : cluster.nodes()) {
      if (node.isRunning()) {
        String[] reply = node.redisCli("PUBSUB", "SHARDNUMSUB", channel).trim().split("\\s+");
        sum += Long.parseLong(reply[reply.length - 1]);
      }
    }
    return sum;
  }

  private static ClientDriver gateway(RedisStatefulExecutor executor) {
    return ClientDriver.create(
        executor,
        ClientOptions.builder()
            .leaseTtl(Duration.ofMinutes(20))
            .cacheExpireAfterWrite(Duration.ofMinutes(10))
            .build());
  }

  private static boolean coherent(ClientDriver gateway, String ns) {
    gateway.getLinkedPod(ns, "warm-up", SVC).block(Duration.ofSeconds(5)); // follows ns
    return gateway.isCacheCoherent(ns);
  }

  private static Integer cached(ClientDriver gateway, String ns, String uid) {
    return gateway.getLinkedInCache(ns, uid, SVC).block(Duration.ofSeconds(5));
  }
}
