package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.statefulroute.core.ForwardingStatefulExecutor;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StoreUnavailableException;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.state.ServiceView;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.redis.Poll;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fast failover on a real standalone Redis ({@code ClientDriver.reportFailure}): two pods publish
 * through their server drivers every 250 ms; the gateways expect a heartbeat within 4 publish
 * periods (1 s) and trust records for 4 s. A gateway cut off from a pod that keeps publishing moves
 * none of its links, however long it reports failures; a pod that crashed (no more publications, no
 * SHUTDOWN) loses its temporary links on the first report after its heartbeat was missed, while its
 * record is still fresh.
 */
class FastFailoverIT {
  private static final Duration PERIOD = Duration.ofMillis(250);
  private static final Duration EXPIRY = Duration.ofSeconds(4);

  private RedisClient redis;
  private StatefulExecutor executor;
  private String ns;
  private final List<ServerDriver> servers = new ArrayList<>();
  private final List<ClientDriver> gateways = new ArrayList<>();

  /** A pod's connection whose publications fail once it crashed (the process is gone). */
  private static final class PodConnection extends ForwardingStatefulExecutor {
    private volatile boolean crashed;

    PodConnection(StatefulExecutor store) {
      super(store);
    }

    @Override
    public Mono<Long> publishState(
        String namespace, String service, PodStatus status, Duration pruneAfter) {
      Mono<Long> publication = super.publishState(namespace, service, status, pruneAfter);
      return Mono.defer(
          () -> crashed ? Mono.error(new StoreUnavailableException("crashed", null)) : publication);
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void setUp() {
    redis = RedisClient.create(RedisServers.standalone().uri());
    executor = RedisStatefulExecutor.create(redis);
    ns = RedisServers.uniqueNamespace();
  }

  @AfterEach
  void tearDown() {
    gateways.forEach(ClientDriver::close);
    servers.forEach(ServerDriver::close);
    executor.close();
    redis.shutdown();
  }

  private PodConnection startPod(int pod) {
    PodConnection connection = new PodConnection(executor);
    ServerDriver server =
        ServerDriver.create(
            connection,
            ServerOptions.builder(ns, "svc", pod)
                .publishPeriod(PERIOD)
                .stateExpiry(EXPIRY)
                .build());
    servers.add(server);
    server.start().block(Duration.ofSeconds(10));
    return connection;
  }

  private ClientDriver gateway() {
    ClientDriver gateway =
        ClientDriver.create(
            executor,
            ClientOptions.builder()
                .stateCache(
                    StateCacheOptions.builder().refreshPeriod(PERIOD).stateExpiry(EXPIRY).build())
                .publishPeriod(PERIOD)
                .missedHeartbeatFactor(4)
                .build());
    gateways.add(gateway);
    return gateway;
  }

  private Integer link(String uid) {
    return executor.getLink(ns, uid, "svc").block(Duration.ofSeconds(5));
  }

  @Test
  void partition_aGatewayThatCannotReachAPodThatKeepsPublishing_movesNothing() throws Exception {
    startPod(0);
    startPod(1);
    executor.setLink(ns, "u", "svc", 1, 60).block(Duration.ofSeconds(5));
    ClientDriver cutOff = gateway();
    ClientDriver other = gateway();
    assertThat(cutOff.computeLinkedPod(ns, "u", "svc").block(Duration.ofSeconds(5))).isEqualTo(1);
    assertThat(other.computeLinkedPod(ns, "u", "svc").block(Duration.ofSeconds(5))).isEqualTo(1);
    // for longer than the state expiry, every call of the cut-off gateway to pod 1 fails
    Long reports =
        Flux.interval(Duration.ofMillis(20))
            .take(EXPIRY.plusSeconds(1))
            .concatMap(
                i -> {
                  cutOff.feedback().callFinished(ns, "svc", 1, Duration.ofMillis(20), false);
                  return cutOff.reportFailure(ns, "u", "svc", 1);
                })
            .doOnNext(pod -> assertThat(pod).as("the pod a report answers").isEqualTo(1))
            .count()
            .block(EXPIRY.plusSeconds(30));
    assertThat(reports).isPositive();
    assertThat(cutOff.isEjected(ns, "svc", 1)).isTrue(); // no new links from it, though
    assertThat(link("u")).isEqualTo(1);
    assertThat(other.computeLinkedPod(ns, "u", "svc").block(Duration.ofSeconds(5))).isEqualTo(1);
  }

  @Test
  void crash_theFirstReportAfterAMissedHeartbeat_movesTheLinkBeforeTheStateExpiry()
      throws Exception {
    startPod(0);
    PodConnection crashing = startPod(1);
    executor.setLink(ns, "u", "svc", 1, 60).block(Duration.ofSeconds(5));
    executor.setLink(ns, "p", "svc", 1, StatefulExecutor.PERSISTENT).block(Duration.ofSeconds(5));
    ClientDriver gateway = gateway();
    ClientDriver other = gateway();
    assertThat(gateway.computeLinkedPod(ns, "u", "svc").block(Duration.ofSeconds(5))).isEqualTo(1);
    assertThat(other.computeLinkedPod(ns, "u", "svc").block(Duration.ofSeconds(5))).isEqualTo(1);
    crashing.crashed = true; // pod 1 dies: no more publications, no SHUTDOWN
    Integer[] moved = {1};
    boolean[] freshAtTheMove = {false};
    Poll.until(
        Duration.ofSeconds(30),
        "a report moves the link off the crashed pod",
        () -> {
          moved[0] = gateway.reportFailure(ns, "u", "svc", 1).block(Duration.ofSeconds(5));
          ServiceView view = gateway.states().peek(ns, "svc");
          freshAtTheMove[0] = view != null && view.isFresh(1);
          return moved[0] != null && moved[0] != 1;
        });
    assertThat(moved[0]).isZero();
    assertThat(freshAtTheMove[0])
        .as("moved on a missed heartbeat, while the record was still within the state expiry")
        .isTrue();
    assertThat(link("u")).isZero();
    // the other gateway follows the announced move; the persistent link never moves
    Poll.until(
        Duration.ofSeconds(5),
        "the other gateway follows the move",
        () -> Integer.valueOf(0).equals(other.computeLinkedPod(ns, "u", "svc").block()));
    assertThat(executor.getLinkIfPersistent(ns, "p", "svc").block(Duration.ofSeconds(5)))
        .isEqualTo(1);
  }
}
