package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.test.LinkEventRecorder;
import io.statefulroute.test.redis.RealTime;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import io.statefulroute.test.redis.TcpRelay;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A link-event subscription whose connection goes silent without closing (a half-open TCP
 * connection: a NAT or load balancer forgot it while the namespace was quiet) is noticed by its
 * PING probe, reported as Unsubscribed, and replaced once the network carries traffic again.
 */
class LinkEventsLivenessIT {
  private static final String NS = "liveness";
  private static final RedisExecutorOptions OPTIONS =
      RedisExecutorOptions.builder()
          .commandTimeout(Duration.ofSeconds(1))
          .linkEventsReconnectAfter(Duration.ofSeconds(1))
          .build();

  @Test
  void blackHoledPubSubConnection_isReportedUnsubscribed_andComesBack() {
    try (RedisProcess server = RedisServers.startStandalone();
        TcpRelay relay = TcpRelay.to("127.0.0.1", server.port())) {
      RedisClient client = RedisClient.create(relay.redisUri()); // the URI timeout: 60 s
      try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client, OPTIONS);
          LinkEventRecorder events = new LinkEventRecorder(executor, NS, Duration.ofSeconds(20))) {
        events.expect(new LinkEvent.Subscribed(NS));
        executor.evictionPolicies().block(Duration.ofSeconds(5)); // nothing else in flight

        relay.blackHole(true); // no FIN, no RST: Lettuce sees nothing wrong
        LinkEvent lost = events.next();
        assertThat(lost).isInstanceOf(LinkEvent.Unsubscribed.class);
        assertThat(((LinkEvent.Unsubscribed) lost).reason()).contains("PING unanswered");
        assertThat(relay.droppedBytes()).isPositive();
        // the replacement connection is opened into the black hole: its handshake is dropped and
        // would wait for the URI's timeout (60 s) without the subscriber's own bound
        RealTime.pass(Duration.ofMillis(1_500));

        relay.blackHole(false);
        events.expectEventually(new LinkEvent.Subscribed(NS));
        executor.setLink(NS, "u1", "svc", 3, 60).block(Duration.ofSeconds(5));
        events.expectEventually(new LinkEvent.Linked(NS, "u1", "svc", 3));
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void quietButLiveConnection_staysSubscribed() {
    try (RedisProcess server = RedisServers.startStandalone();
        TcpRelay relay = TcpRelay.to("127.0.0.1", server.port())) {
      relay.delay(200); // slow but answering: not silent
      RedisClient client = RedisClient.create(relay.redisUri());
      try (RedisStatefulExecutor executor = RedisStatefulExecutor.create(client, OPTIONS);
          LinkEventRecorder events = new LinkEventRecorder(executor, NS, Duration.ofSeconds(20))) {
        events.expect(new LinkEvent.Subscribed(NS));
        // several probe periods with no announcement: no Unsubscribed
        assertThat(events.poll(Duration.ofSeconds(4))).isNull();
        executor.setLink(NS, "u1", "svc", 2, 60).block(Duration.ofSeconds(5));
        events.expect(new LinkEvent.Linked(NS, "u1", "svc", 2));
      } finally {
        client.shutdown();
      }
    }
  }
}
