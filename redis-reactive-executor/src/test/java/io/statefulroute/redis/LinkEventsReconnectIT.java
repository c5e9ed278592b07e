package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.redis.testing.RedisClusterProcesses;
import io.statefulroute.redis.testing.RedisProcess;
import io.statefulroute.redis.testing.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

/**
 * The link-event subscription under connection loss, on private servers: a killed pub/sub
 * connection and a restarted server are reported as Unsubscribed, then Subscribed again, and
 * changes made after that are delivered.
 */
@ExtendWith(RedisServers.class)
class LinkEventsReconnectIT {
  private static final String NS = "reconnect";
  private static final RedisExecutorOptions OPTIONS = RedisExecutorOptions.builder()
      .commandTimeout(Duration.ofSeconds(1))
      .linkEventsReconnectAfter(Duration.ofSeconds(1))
      .build();

  @Test
  void standalone_pubSubConnectionKilledAndServerRestarted_subscriptionComesBack() {
    try (RedisProcess server = RedisServers.startStandalone()) {
      RedisClient client = RedisClient.create(server.uri());
      try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client, OPTIONS);
          Recorder events = new Recorder(executor)) {
        events.expect(new LinkEvent.Subscribed(NS));

        server.redisCli("CLIENT", "KILL", "TYPE", "pubsub");
        events.expect(new LinkEvent.Unsubscribed(NS, "pub/sub connection lost"));
        events.expect(new LinkEvent.Subscribed(NS));
        executor.setLink(NS, "u1", "svc", 1, 60).block(Duration.ofSeconds(5));
        events.expect(new LinkEvent.Linked(NS, "u1", "svc", 1));

        server.stop();
        events.expect(new LinkEvent.Unsubscribed(NS, "pub/sub connection lost"));
        sleep(Duration.ofSeconds(2)); // longer than linkEventsReconnectAfter: a new connection
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
  void cluster_pubSubConnectionsKilledOnEveryNode_subscriptionComesBack_changesOnEveryShardArrive() {
    try (RedisClusterProcesses cluster = RedisServers.startCluster(3, 0)) {
      RedisClusterClient client = RedisClusterClient.create(cluster.uris().stream()
          .map(io.lettuce.core.RedisURI::create).toList());
      try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client, OPTIONS);
          Recorder events = new Recorder(executor)) {
        events.expect(new LinkEvent.Subscribed(NS));
        for (RedisProcess node : cluster.nodes()) {
          node.redisCli("CLIENT", "KILL", "TYPE", "pubsub");
        }
        events.expect(new LinkEvent.Unsubscribed(NS, "pub/sub connection lost"));
        events.expectEventually(new LinkEvent.Subscribed(NS));
        // Lettuce's own reconnect and the executor's replacement of a connection still down may
        // both happen (each announced as Unsubscribed, then Subscribed): wait until a change
        // made now is heard, then expect every later one
        events.awaitStable(executor);
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

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The link events of {@link #NS}, queued. */
  private static final class Recorder implements AutoCloseable {
    private final BlockingQueue<LinkEvent> queue = new LinkedBlockingQueue<>();
    private final Disposable subscription;

    Recorder(StatefulExecutor executor) {
      subscription = executor.linkEvents(NS).subscribe(queue::add);
    }

    LinkEvent next() {
      try {
        LinkEvent event = queue.poll(20, TimeUnit.SECONDS);
        assertThat(event).as("a link event within 20 s").isNotNull();
        return event;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    void expect(LinkEvent event) {
      assertThat(next()).isEqualTo(event);
    }

    /** Makes marker changes until one is heard with no flap before it; drops what came. */
    void awaitStable(StatefulExecutor executor) {
      for (int attempt = 0; attempt < 20; attempt++) {
        executor.setLink(NS, "marker", "svc", attempt, 60).block(Duration.ofSeconds(5));
        LinkEvent marker = new LinkEvent.Linked(NS, "marker", "svc", attempt);
        boolean flapped = false;
        LinkEvent next;
        try {
          while ((next = queue.poll(2, TimeUnit.SECONDS)) != null && !next.equals(marker)) {
            flapped = true;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
        if (next != null && !flapped) {
          return;
        }
      }
      throw new AssertionError("link events did not settle after 20 marker changes");
    }

    /** Skips Unsubscribed / Subscribed flaps (reconnect attempts) until {@code event}. */
    void expectEventually(LinkEvent event) {
      List<LinkEvent> skipped = new ArrayList<>();
      LinkEvent next;
      while (!(next = next()).equals(event)) {
        assertThat(next).as("skipped so far: %s", skipped)
            .isInstanceOfAny(LinkEvent.Subscribed.class, LinkEvent.Unsubscribed.class);
        skipped.add(next);
      }
    }

    @Override
    public void close() {
      subscription.dispose();
    }
  }
}
