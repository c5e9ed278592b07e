package io.statefulroute.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientListener;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.rebalance.Rebalancer;
import io.statefulroute.core.rebalance.RebalancerOptions;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Registers every meter through real drivers (in-memory executor, virtual time) and checks that
 * {@link StatefulRouteMeters} and the registry agree, both ways; then checks the values.
 */
class StatefulRouteMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MockClock metricsClock = new MockClock();
  private final VirtualTimeScheduler clock = VirtualClock.create();
  private final InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);
  private final FaultyExecutor faulty = new FaultyExecutor(store);
  private StatefulRouteObservability obs;
  private StatefulExecutor executor;
  private ClientDriver client;
  private ServerDriver server;
  private Rebalancer rebalancer;

  @BeforeEach
  void setUp() {
    obs = StatefulRouteObservability.builder().meterRegistry(registry).clock(metricsClock).build();
    executor = obs.executor(faulty);
    client =
        obs.clientDriver(
            ClientDriver.create(
                executor,
                ClientOptions.builder()
                    .listener(obs.clientListener())
                    .stateCache(
                        StateCacheOptions.builder()
                            .scheduler(clock)
                            .listener(obs.stateCacheListener())
                            .build())
                    .leaseTtl(Duration.ofSeconds(60))
                    .ejectAfterFailures(1)
                    .build()));
    server =
        ServerDriver.create(
            executor,
            ServerOptions.builder("ns", "svc", 0)
                .scheduler(clock)
                .listener(obs.serverListener())
                .loadSupplier(() -> 10)
                .build());
    rebalancer =
        obs.rebalancer(
            Rebalancer.create(
                executor,
                client.states(),
                RebalancerOptions.builder("ns", "svc").owner("me").scheduler(clock).build()));
  }

  @AfterEach
  void tearDown() {
    rebalancer.close();
    client.close();
    server.close();
  }

  /** Drives every event kind once. */
  private void exercise() {
    StepVerifier.create(server.start())
        .then(() -> clock.advanceTimeBy(Duration.ZERO))
        .verifyComplete();
    store
        .publishState(
            "ns", "svc", new PodStatus(1, 30, RoutingState.READY, "i1"), Duration.ofMinutes(1))
        .block();
    StepVerifier.create(client.computeLinkedPod("ns", "alice", "svc"))
        .expectNextCount(1)
        .verifyComplete();
    StepVerifier.create(client.computeLinkedPod("ns", "alice", "svc"))
        .expectNextCount(1)
        .verifyComplete();
    StepVerifier.create(client.computeLinkedPod("ns", "nobody", "empty"))
        .verifyError(NoAvailablePodException.class);
    client.feedback().callFinished("ns", "svc", 1, Duration.ofMillis(1), false);
    // a service of its own, so that the counts of svc and empty stay as asserted
    StepVerifier.create(client.reportFailure("ns", "carol", "reported", 0))
        .verifyError(NoAvailablePodException.class);
    rebalancer.runCycle().block(); // pods 0 (load 10) and 1 (30): pod 1 is asked for 3 links
  }

  @Test
  void rebalancerMeters_countItsCycles() {
    exercise();
    store.acquireRebalancer("ns", "svc", "someone-else", Duration.ofMinutes(1)).block();
    clock.advanceTimeBy(Duration.ofMinutes(2)); // our lease lapsed; another client holds it now
    store.acquireRebalancer("ns", "svc", "someone-else", Duration.ofMinutes(1)).block();
    rebalancer.runCycle().block();
    faulty.failing(true);
    rebalancer.runCycle().block();
    faulty.failing(false);
    String cycles = "statefulroute.rebalance.cycles";
    assertThat(registry.get(cycles).tag("outcome", "led").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get(cycles).tag("outcome", "idle").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get(cycles).tag("outcome", "failure").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("statefulroute.rebalance.requested").functionCounter().count())
        .isEqualTo((double) rebalancer.requested());
  }

  @Test
  void documentationEnum_andRegistry_agree() {
    exercise();
    Map<String, StatefulRouteMeters> byName = new HashMap<>();
    for (StatefulRouteMeters m : StatefulRouteMeters.values()) {
      assertThat(m.meterName()).startsWith("statefulroute.").isLowerCase();
      assertThat(byName.put(m.meterName(), m)).as("duplicate %s", m.meterName()).isNull();
      assertThat(m.tagKeys()).doesNotContain("uid", "key");
    }
    Set<String> seen = new HashSet<>();
    for (Meter meter : registry.getMeters()) {
      String name = meter.getId().getName();
      assertThat(name).startsWith("statefulroute.");
      StatefulRouteMeters doc = byName.get(name);
      assertThat(doc).as("meter %s is not documented", name).isNotNull();
      assertThat(meter.getId().getType()).as("type of %s", name).isEqualTo(doc.type());
      Set<String> keys =
          meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet());
      assertThat(keys).as("tag keys of %s", name).isEqualTo(Set.copyOf(doc.tagKeys()));
      assertThat(meter.getId().getDescription()).isEqualTo(doc.description());
      seen.add(name);
    }
    assertThat(seen)
        .as("documented meters never registered")
        .containsExactlyInAnyOrderElementsOf(byName.keySet());
  }

  @Test
  void meters_countWhatHappened() {
    exercise();
    assertThat(
            registry
                .get("statefulroute.client.compute")
                .tags("namespace", "ns", "service", "svc", "outcome", "linked")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.client.compute")
                .tags("namespace", "ns", "service", "svc", "outcome", "hit")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.client.compute")
                .tags(
                    "service", "empty", "outcome", "no_pod", "exception", "NoAvailablePodException")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.client.compute.duration")
                .tags("service", "svc", "outcome", "linked")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.placement.decisions")
                .tags("strategy", "power_of_two")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.placement.ejections")
                .tags("service", "svc")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.client.failure.reports")
                .tags("service", "reported", "down", "false")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.executor.call")
                .tags("operation", "set_link_if_absent", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry.get("statefulroute.server.publish").tags("outcome", "success").timer().count())
        .isGreaterThanOrEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.state.refresh")
                .tags("service", "svc", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(2); // the client's first view and the rebalancer's cycle
    assertThat(
            registry
                .get("statefulroute.client.cache.gets")
                .tags("outcome", "hit")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("statefulroute.client.cache.size").gauge().value()).isEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.state.pods.available")
                .tags("service", "svc")
                .gauge()
                .value())
        .isEqualTo(2);
    // loads 10 and 30: mean 20, stddev 10
    assertThat(
            registry
                .get("statefulroute.state.load.imbalance")
                .tags("service", "svc")
                .gauge()
                .value())
        .isEqualTo(0.5);
    metricsClock.add(7, TimeUnit.SECONDS);
    assertThat(
            registry
                .get("statefulroute.state.refresh.age")
                .tags("service", "svc")
                .timeGauge()
                .value(TimeUnit.SECONDS))
        .isEqualTo(7);
    assertThat(obs.stateRefreshes())
        .extracting(StateRefresh::service)
        .containsExactly("empty", "reported", "svc");
  }

  @Test
  void failures_areTaggedWithTheException() {
    StepVerifier.create(server.start())
        .then(() -> clock.advanceTimeBy(Duration.ZERO))
        .verifyComplete();
    client.computeLinkedPod("ns", "alice", "svc").block();
    faulty.failing(true);
    clock.advanceTimeBy(Duration.ofSeconds(1)); // a failed state read and failed publications
    StepVerifier.create(executor.getLink("ns", "alice", "svc"))
        .verifyError(io.statefulroute.core.StoreUnavailableException.class);
    assertThat(
            registry
                .get("statefulroute.executor.call")
                .tags(
                    "operation",
                    "get_link",
                    "outcome",
                    "error",
                    "exception",
                    "StoreUnavailableException")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.server.publish")
                .tags("outcome", "failure", "exception", "StoreUnavailableException")
                .timer()
                .count())
        .isGreaterThanOrEqualTo(1);
    assertThat(
            registry
                .get("statefulroute.state.refresh")
                .tags("outcome", "failure", "exception", "StoreUnavailableException")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(obs.stateRefreshes().get(0).error())
        .get()
        .asString()
        .startsWith("StoreUnavailableException");
  }

  @Test
  void executor_invalidArguments_throwAtCallTime() {
    assertThatThrownBy(() -> executor.getLink("", "u", "svc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.computeLinkedPod("ns", "", "svc"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void percentileHistograms_areOptIn() {
    PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StatefulRouteObservability.builder()
        .meterRegistry(plain)
        .build()
        .executor(store)
        .getLink("ns", "u", "svc")
        .block();
    assertThat(plain.scrape())
        .contains("statefulroute_executor_call_seconds_count")
        .doesNotContain("statefulroute_executor_call_seconds_bucket");
    PrometheusMeterRegistry histograms = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StatefulRouteObservability.builder()
        .meterRegistry(histograms)
        .percentileHistograms(true)
        .build()
        .executor(store)
        .getLink("ns", "u", "svc")
        .block();
    assertThat(histograms.scrape()).contains("statefulroute_executor_call_seconds_bucket");
  }

  @Test
  void withoutRegistries_everythingIsReturnedUndecorated() {
    StatefulRouteObservability off = StatefulRouteObservability.builder().build();
    assertThat(off.executor(store)).isSameAs(store);
    assertThat(off.clientDriver(client)).isSameAs(client);
    assertThat(off.clientListener()).isSameAs(ClientListener.NOOP);
    assertThat(off.stateRefreshes()).isEqualTo(List.of());
  }
}
