package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.test.LinkEventRecorder;
import io.statefulroute.test.redis.RealTime;
import io.statefulroute.test.redis.RedisClusterProcesses;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import io.statefulroute.test.redis.RedisServersExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The link-event subscription under connection loss, on private servers: a killed pub/sub
 * connection and a restarted server are reported as Unsubscribed, then Subscribed again, and
 * changes made after that are delivered.
 */
@ExtendWith(RedisServersExtension.class)
class LinkEventsReconnectIT {
  private static final String NS = "reconnect";
  private static final RedisExecutorOptions OPTIONS =
      RedisExecutorOptions.builder()
          .commandTimeout(Duration.ofSeconds(1))
          .linkEventsReconnectAfter(Duration.ofSeconds(1))
          .build();

  @Test
  void standalone_pubSubConnectionKilledAndServerRestarted_subscriptionComesBack() {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client, OPTIONS);
          LinkEventRecorder events = recorder(executor)) {
        events.expect(new LinkEvent.Subscribed(NS));

        server.redisCli("CLIENT", "KILL", "TYPE", "pubsub");
        events.expect(new LinkEvent.Unsubscribed(NS, "pub/sub connection lost"));
        events.expect(new LinkEvent.Subscribed(NS));
        executor.setLink(NS, "u1", "svc", 1, 60).block(Duration.ofSeconds(5));
        events.expect(new LinkEvent.Linked(NS, "u1", "svc", 1));

        server.stop();
        events.expect(new LinkEvent.Unsubscribed(NS, "pub/sub connection lost"));
        RealTime.pass(
            Duration.ofSeconds(2)); // longer than linkEventsReconnectAfter: a new connection
        server.start();
        events.expectEventually(new LinkEvent.Subscribed(NS));
        executor.setLink(NS, "u2", "svc", 2, 60).block(Duration.ofSeconds(5));
        events.expectEventually(new LinkEvent.Linked(NS, "u2", "svc", 2));
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void
      cluster_pubSubConnectionsKilledOnEveryNode_subscriptionComesBack_changesOnEveryShardArrive() {
    try (RedisClusterProcesses cluster = RedisServers.startCluster(3, 0)) {
      RedisClusterClient client =
          RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
      try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client, OPTIONS);
          LinkEventRecorder events = recorder(executor)) {
        events.expect(new LinkEvent.Subscribed(NS));
        for (RedisProcess node : cluster.nodes()) {
          node.redisCli("CLIENT", "KILL", "TYPE", "pubsub");
        }
        events.expect(new LinkEvent.Unsubscribed(NS, "pub/sub connection lost"));
        events.expectEventually(new LinkEvent.Subscribed(NS));
        // Lettuce's own reconnect and the executor's replacement of a connection still down may
        // both happen (each announced as Unsubscribed, then Subscribed): wait until a change
        // made now is heard, then expect every later one
        awaitStable(events, executor);
        List<LinkEvent> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) { // uids on every shard
          executor.setLink(NS, "u" + i, "svc", i, 60).block(Duration.ofSeconds(5));
          expected.add(new LinkEvent.Linked(NS, "u" + i, "svc", i));
        }
        List<LinkEvent> seen = new ArrayList<>();
        while (seen.size() < expected.size()) {
          seen.add(events.next());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void lastSubscriberLeavesAndANewOneArrivesAtOnce_newOneGetsSubscribed() {
    // review: the channel was still subscribed when the new subscriber came, so no confirmation
    // came and the namespace waited for the connection to be replaced (linkEventsReconnectAfter)
    RedisExecutorOptions noRescue =
        RedisExecutorOptions.builder()
            .commandTimeout(Duration.ofSeconds(1))
            .linkEventsReconnectAfter(Duration.ofSeconds(60))
            .build();
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client, noRescue)) {
        for (int round = 0; round < 20; round++) {
          LinkEventRecorder events = new LinkEventRecorder(executor, NS, Duration.ofSeconds(10));
          events.expect(new LinkEvent.Subscribed(NS));
          executor.setLink(NS, "u" + round, "svc", round, 60).block(Duration.ofSeconds(5));
          events.expect(new LinkEvent.Linked(NS, "u" + round, "svc", round));
          events.close(); // the last subscriber leaves; the next round subscribes at once
        }
      } finally {
        client.shutdown();
      }
    }
  }

  /** The link events of {@link #NS}. */
  private static LinkEventRecorder recorder(StatefulExecutor executor) {
    return new LinkEventRecorder(executor, NS, Duration.ofSeconds(20));
  }

  /** Makes marker changes until one is heard with no flap before it; drops what came. */
  private static void awaitStable(LinkEventRecorder events, StatefulExecutor executor) {
    for (int attempt = 0; attempt < 20; attempt++) {
      executor.setLink(NS, "marker", "svc", attempt, 60).block(Duration.ofSeconds(5));
      LinkEvent marker = new LinkEvent.Linked(NS, "marker", "svc", attempt);
      boolean flapped = false;
      LinkEvent next;
      while ((next = events.poll(Duration.ofSeconds(2))) != null && !next.equals(marker)) {
        flapped = true;
      }
      if (next != null && !flapped) {
        return;
      }
    }
    throw new AssertionError("link events did not settle after 20 marker changes");
  }
}
