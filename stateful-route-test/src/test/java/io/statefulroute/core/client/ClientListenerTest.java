package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StoreUnavailableException;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The ClientListener SPI: which event each compute path reports. */
class ClientListenerTest {
  private static final Duration PRUNE = Duration.ofMinutes(5);
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;
  private FaultyExecutor executor;
  private Recording events;
  private ClientDriver client;

  /** Every event as a line, e.g. {@code computed ns/svc linked null}. */
  static final class Recording implements ClientListener {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void computeHit(String namespace, String service) {
      lines.add("hit " + namespace + "/" + service);
    }

    @Override
    public void computeFinished(
        String namespace,
        String service,
        ComputeOutcome outcome,
        Throwable error,
        long durationNanos) {
      assertThat(durationNanos).isNotNegative();
      lines.add(
          "computed "
              + namespace
              + "/"
              + service
              + " "
              + outcome.tagValue()
              + " "
              + (error == null ? null : error.getClass().getSimpleName()));
    }

    @Override
    public void placed(String namespace, String service, String strategy, int pod) {
      lines.add("placed " + namespace + "/" + service + " " + strategy + " " + pod);
    }

    @Override
    public void podEjected(String namespace, String service, int pod) {
      lines.add("ejected " + namespace + "/" + service + " " + pod);
    }
  }

  @BeforeEach
  void setUp() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
    executor = new FaultyExecutor(store);
    events = new Recording();
    client =
        ClientDriver.create(
            executor,
            ClientOptions.builder()
                .stateCache(StateCacheOptions.builder().scheduler(clock).build())
                .leaseTtl(Duration.ofSeconds(60))
                .cacheExpireAfterWrite(Duration.ofSeconds(30))
                .ejectAfterFailures(2)
                .listener(events)
                .build());
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private void publish(int pod, RoutingState state) {
    store.publishState("ns", "svc", new PodStatus(pod, 0, state, "inc" + pod), PRUNE).block();
  }

  @Test
  void computeLinkedPod_missThenHit_reportsLinkedWithPlacementThenHit() {
    publish(0, RoutingState.READY);
    StepVerifier.create(client.computeLinkedPod("ns", "alice", "svc"))
        .expectNext(0)
        .verifyComplete();
    StepVerifier.create(client.computeLinkedPod("ns", "alice", "svc"))
        .expectNext(0)
        .verifyComplete();
    assertThat(events.lines)
        .containsExactly(
            "placed ns/svc power_of_two 0", "computed ns/svc linked null", "hit ns/svc");
  }

  @Test
  void computeLinkedPod_linkedPodShutDown_reportsRelinked() {
    publish(0, RoutingState.READY);
    client.computeLinkedPod("ns", "alice", "svc").block();
    publish(1, RoutingState.READY);
    publish(0, RoutingState.SHUTDOWN);
    clock.advanceTimeBy(Duration.ofSeconds(1)); // refresh
    events.lines.clear();
    StepVerifier.create(client.computeLinkedPod("ns", "alice", "svc"))
        .expectNext(1)
        .verifyComplete();
    assertThat(events.lines).endsWith("computed ns/svc relinked null");
    assertThat(events.lines).contains("placed ns/svc power_of_two 1");
  }

  @Test
  void computeLinkedPod_noPod_reportsNoPodWithTheException() {
    StepVerifier.create(client.computeLinkedPod("ns", "bob", "svc"))
        .verifyError(NoAvailablePodException.class);
    assertThat(events.lines).containsExactly("computed ns/svc no_pod NoAvailablePodException");
  }

  @Test
  void computeLinkedPod_storeDown_reportsError() {
    executor.failing(true);
    StepVerifier.create(client.computeLinkedPod("ns", "bob", "svc"))
        .verifyError(StoreUnavailableException.class);
    assertThat(events.lines).containsExactly("computed ns/svc error StoreUnavailableException");
  }

  @Test
  void feedback_consecutiveFailures_reportOneEjection() {
    for (int i = 0; i < 3; i++) {
      client.feedback().callFinished("ns", "svc", 4, Duration.ofMillis(1), false);
    }
    assertThat(events.lines).containsExactly("ejected ns/svc 4");
  }

  @Test
  void noListener_defaultIsNoop() {
    assertThat(ClientOptions.defaults().listener()).isSameAs(ClientListener.NOOP);
    assertThat(ClientOptions.builder().listener(events).build().toBuilder().build().listener())
        .isSameAs(events);
  }
}
