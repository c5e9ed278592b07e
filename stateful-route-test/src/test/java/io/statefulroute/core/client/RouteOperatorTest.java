package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.PodStatus;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StoreUnavailableException;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.server.ReleaseSummary;
import io.statefulroute.core.state.ServiceView;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@link RouteOperator}: a cordon is seen by every client within its refresh period and cannot be
 * undone by the pod's own publication; a pin survives the pod's release; a move moves persistent
 * links; bad input is refused before any I/O. In virtual time.
 */
class RouteOperatorTest {
  private static final long P = StatefulExecutor.PERSISTENT;
  private static final Duration PRUNE = Duration.ofMinutes(5);
  private static final Duration REFRESH = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;
  private FaultyExecutor operatorExecutor;
  private ClientDriver gateway;
  private ClientDriver operatorDriver;
  private RouteOperator operator;

  @BeforeEach
  void setUp() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
    gateway = client(store);
    operatorExecutor = new FaultyExecutor(store);
    operatorDriver = client(operatorExecutor);
    operator = RouteOperator.create(operatorExecutor, operatorDriver);
  }

  private ClientDriver client(StatefulExecutor executor) {
    return ClientDriver.create(
        executor,
        ClientOptions.builder()
            .stateCache(StateCacheOptions.builder().scheduler(clock).refreshPeriod(REFRESH).build())
            .leaseTtl(Duration.ofSeconds(60))
            .build());
  }

  @AfterEach
  void tearDown() {
    gateway.close();
    operatorDriver.close();
  }

  private void publish(int pod, RoutingState state, String incarnation) {
    store.publishState("ns", "svc", new PodStatus(pod, 0, state, incarnation), PRUNE).block();
  }

  private List<Integer> placeNew(String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> gateway.computeLinkedPod("ns", prefix + i, "svc").block(WAIT))
        .toList();
  }

  private ServiceView gatewayView() {
    ServiceView view = gateway.states().peek("ns", "svc");
    assertThat(view).isNotNull();
    return view;
  }

  @Test
  void cordonedPod_republishingReady_getsNoNewUidForAnyClient_andKeepsItsLinks() {
    publish(0, RoutingState.READY, "a0");
    publish(1, RoutingState.READY, "a1");
    store.setLink("ns", "old", "svc", 1, 60).block();
    assertThat(gateway.computeLinkedPod("ns", "old", "svc").block(WAIT)).isEqualTo(1);
    assertThat(gatewayView().isAvailable(1)).isTrue(); // the gateway holds a cached view

    StepVerifier.create(operator.cordon("ns", "svc", 1)).expectNext(true).verifyComplete();
    // the operator's own view at once; the pod restarts and publishes READY, twice
    assertThat(operatorDriver.states().peek("ns", "svc").isCordoned(1)).isTrue();
    publish(1, RoutingState.READY, "b1");
    publish(1, RoutingState.READY, "b1");

    clock.advanceTimeBy(REFRESH); // the documented bound: the gateway's next state read
    ServiceView view = gatewayView();
    assertThat(view.isCordoned(1)).isTrue();
    assertThat(view.isAvailable(1)).isFalse();
    assertThat(view.isRoutable(1)).isTrue();
    assertThat(placeNew("new-", 40)).containsOnly(0);
    assertThat(gateway.computeLinkedPod("ns", "old", "svc").block(WAIT)).isEqualTo(1);

    // still cordoned after many more publications and refreshes
    for (int i = 0; i < 5; i++) {
      publish(0, RoutingState.READY, "a0");
      publish(1, RoutingState.READY, "c1");
      clock.advanceTimeBy(REFRESH);
    }
    assertThat(gatewayView().isCordoned(1)).isTrue();
    assertThat(placeNew("later-", 20)).containsOnly(0);
  }

  @Test
  void uncordon_restoresPlacement_afterTheNextRefresh() {
    publish(0, RoutingState.READY, "a0");
    publish(1, RoutingState.READY, "a1");
    operator.cordon("ns", "svc", 1).block(WAIT);
    clock.advanceTimeBy(REFRESH);
    assertThat(placeNew("x-", 10)).containsOnly(0);

    StepVerifier.create(operator.uncordon("ns", "svc", 1)).expectNext(true).verifyComplete();
    StepVerifier.create(operator.cordon("ns", "svc", 0)).expectNext(true).verifyComplete();
    publish(0, RoutingState.READY, "a0");
    publish(1, RoutingState.READY, "a1");
    clock.advanceTimeBy(REFRESH);
    assertThat(gatewayView().cordoned()).containsExactly(0);
    assertThat(placeNew("y-", 10)).containsOnly(1);
    StepVerifier.create(operator.uncordon("ns", "svc", 1)).expectNext(false).verifyComplete();
  }

  @Test
  void badInput_isRefusedBeforeAnyIo() {
    List<Executable> calls =
        List.of(
            () -> operator.cordon("", "svc", 0),
            () -> operator.cordon(null, "svc", 0),
            () -> operator.cordon("n".repeat(257), "svc", 0),
            () -> operator.cordon("ns", "svc", -1),
            () -> operator.uncordon("ns", "", 0),
            () -> operator.pin("ns", "", "svc", 0),
            () -> operator.pin("ns", "u", "svc", -2),
            () -> operator.unpin("ns", "u", null),
            () -> operator.pinnedPod("", "u", "svc"),
            () -> operator.move("ns", "u", "svc", -1, 0),
            () -> operator.move("ns", "u", "svc", 0, -1),
            () -> operator.listPersistentLinks("ns", "svc", -1),
            () -> operator.releasePersistentLinks("ns", "svc", 0, Duration.ofMillis(-1)));
    for (Executable call : calls) {
      assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(operatorExecutor.calls("cordonPod")).isZero();
    assertThat(operatorExecutor.calls("uncordonPod")).isZero();
    assertThat(operatorExecutor.calls("pinLink")).isZero();
    assertThat(operatorExecutor.calls("moveLink")).isZero();
    assertThat(store.readState("ns", "svc").block(WAIT).cordoned()).isEmpty();
  }

  @Test
  void cordonOfAPodUnknownToTheCachedView_isRefusedBeforeAnyIo() {
    publish(0, RoutingState.READY, "a0");
    operatorDriver.states().refresh("ns", "svc").block(WAIT);
    assertThatThrownBy(() -> operator.cordon("ns", "svc", 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pod 9")
        .hasMessageContaining("unknown");
    assertThat(operatorExecutor.calls("cordonPod")).isZero();
    assertThat(store.readState("ns", "svc").block(WAIT).cordoned()).isEmpty();
    // the executor takes any pod index: a pod may be cordoned ahead of its start
    assertThat(operatorExecutor.cordonPod("ns", "svc", 9).block(WAIT)).isTrue();
  }

  /** Without a cached view the cordon reads the view first, and still writes nothing for a typo. */
  @Test
  void cordonWithNoCachedView_readsTheViewFirst_unknownPodIsRefused_knownPodIsCordoned() {
    publish(0, RoutingState.READY, "a0");
    assertThat(operatorDriver.states().peek("ns", "svc")).isNull();
    StepVerifier.create(operator.cordon("ns", "svc", 9))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pod 9")
                    .hasMessageContaining("known: [0]"))
        .verify(WAIT);
    assertThat(operatorExecutor.calls("cordonPod")).isZero();
    assertThat(store.readState("ns", "svc").block(WAIT).cordoned()).isEmpty();

    try (ClientDriver fresh = client(operatorExecutor)) {
      RouteOperator other = RouteOperator.create(operatorExecutor, fresh);
      assertThat(fresh.states().peek("ns", "svc")).isNull();
      StepVerifier.create(other.cordon("ns", "svc", 0)).expectNext(true).verifyComplete();
    }
    assertThat(store.readState("ns", "svc").block(WAIT).cordoned()).containsExactly(0);
  }

  /**
   * No cached view and a failing state read: the cordon fails with the store's error, unwritten.
   */
  @Test
  void cordonWithNoCachedView_whenTheStateReadFails_failsAndWritesNothing() {
    publish(0, RoutingState.READY, "a0");
    operatorExecutor.failNext(1);
    StepVerifier.create(operator.cordon("ns", "svc", 0))
        .expectError(StoreUnavailableException.class)
        .verify(WAIT);
    assertThat(operatorExecutor.calls("cordonPod")).isZero();
    assertThat(store.readState("ns", "svc").block(WAIT).cordoned()).isEmpty();
  }

  @Test
  void pin_survivesTheReleaseOfItsGonePod_untilUnpinned() {
    publish(0, RoutingState.READY, "a0");
    publish(1, RoutingState.SHUTDOWN, "a1");
    store.setLink("ns", "app", "svc", 1, P).block();
    StepVerifier.create(operator.pin("ns", "pinned", "svc", 1)).verifyComplete();
    assertThat(operator.listPersistentLinks("ns", "svc", 1).collectList().block(WAIT))
        .containsExactlyInAnyOrder("app", "pinned");

    StepVerifier.create(operator.releasePersistentLinks("ns", "svc", 1, Duration.ZERO))
        .expectNext(new ReleaseSummary(1, 1, 0))
        .verifyComplete();
    StepVerifier.create(operator.pinnedPod("ns", "pinned", "svc")).expectNext(1).verifyComplete();
    StepVerifier.create(store.getLink("ns", "app", "svc")).verifyComplete();

    StepVerifier.create(operator.unpin("ns", "pinned", "svc")).expectNext(true).verifyComplete();
    StepVerifier.create(operator.releasePersistentLinks("ns", "svc", 1, Duration.ZERO))
        .expectNext(new ReleaseSummary(1, 0, 0))
        .verifyComplete();
    assertThat(gateway.computeLinkedPod("ns", "pinned", "svc").block(WAIT)).isZero();
  }

  @Test
  void move_movesAPersistentLinkThatClientsNeverMove_andCachesFollow() {
    publish(0, RoutingState.READY, "a0");
    publish(1, RoutingState.READY, "a1");
    store.setLink("ns", "u", "svc", 1, P).block();
    assertThat(gateway.computeLinkedPod("ns", "u", "svc").block(WAIT)).isEqualTo(1);

    StepVerifier.create(operator.move("ns", "u", "svc", 1, 0))
        .expectNext(ReplaceResult.replaced(0))
        .verifyComplete();
    StepVerifier.create(store.getLinkIfPersistent("ns", "u", "svc")).expectNext(0).verifyComplete();
    assertThat(gateway.computeLinkedPod("ns", "u", "svc").block(WAIT)).isZero();
    StepVerifier.create(operator.move("ns", "u", "svc", 1, 0))
        .expectNext(ReplaceResult.otherOwner(0))
        .verifyComplete();
    StepVerifier.create(operator.move("ns", "nobody", "svc", 1, 0)).verifyComplete();
  }
}
