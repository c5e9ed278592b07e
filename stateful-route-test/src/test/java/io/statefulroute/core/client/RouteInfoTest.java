package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.PodState;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.state.ServiceView;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@link RouteInfo}: the driver's own view of a service, read without linking anything: the same
 * candidates, selector and predicted load as placement. Virtual time on the in-memory executor.
 */
class RouteInfoTest {
  private static final Duration PRUNE = Duration.ofMinutes(5);
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;
  private FaultyExecutor executor;
  private ClientDriver client;
  private RouteInfo info;

  @BeforeEach
  void setUp() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
    executor = new FaultyExecutor(store);
    client =
        ClientDriver.create(
            executor,
            ClientOptions.builder()
                .stateCache(StateCacheOptions.builder().scheduler(clock).build())
                .selector(() -> PodSelectors.leastLoad(new SplittableRandom(1)))
                .leaseTtl(Duration.ofSeconds(60))
                .build());
    info = client.routeInfo();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private void publish(int pod, int load, RoutingState state) {
    store.publishState("ns", "svc", new PodStatus(pod, load, state, "inc" + pod), PRUNE).block();
  }

  private void publish(int pod, int load) {
    publish(pod, load, RoutingState.READY);
  }

  /** One second passes; the pods in {@code publishing} publish (load 0), the view is read. */
  private void second(int... publishing) {
    clock.advanceTimeBy(Duration.ofMillis(500));
    for (int pod : publishing) {
      publish(pod, 0);
    }
    clock.advanceTimeBy(Duration.ofMillis(500));
  }

  private int best() {
    Integer pod = info.bestPod("ns", "svc").block();
    assertThat(pod).isNotNull();
    return pod;
  }

  private long score(int pod) {
    Long load = info.loadScore("ns", "svc", pod).block();
    assertThat(load).isNotNull();
    return load;
  }

  @Test
  void bestPod_followsThePredictedLoad_beforeTheNextPublication() {
    publish(0, 100);
    publish(1, 120);
    assertThat(best()).isZero();
    for (int i = 0; i < 40; i++) { // no publication meanwhile: pod 0 fills up to 140
      client.computeLinkedPod("ns", "u" + i, "svc").block();
    }
    assertThat(score(0)).isGreaterThan(120);
    assertThat(best()).as("pod 0 is now predicted above pod 1").isEqualTo(1);
  }

  @Test
  void bestPod_isAsGoodAsTheNextPlacement_andCountsNothing() {
    publish(0, 100);
    publish(1, 100);
    publish(2, 100);
    for (int i = 0; i < 30; i++) {
      long[] before = {score(0), score(1), score(2)};
      int best = best();
      best(); // asked twice: nothing counted
      assertThat(new long[] {score(0), score(1), score(2)}).containsExactly(before);
      long least = Math.min(before[0], Math.min(before[1], before[2]));
      assertThat(before[best]).as("best pod %d", i).isEqualTo(least);
      Integer placed = client.computeLinkedPod("ns", "u" + i, "svc").block();
      assertThat(placed).isNotNull();
      // least load breaks ties at random: the placement takes a pod as good as the best one
      assertThat(before[placed]).as("placement %d", i).isEqualTo(least);
    }
    assertThat(score(0) + score(1) + score(2))
        .as("the 30 placements, not the 60 asks")
        .isEqualTo(330);
  }

  @Test
  void loadScore_isThePublishedLoadPlusThisClientsPlacements_emptyWithoutARecord() {
    publish(0, 100);
    publish(1, 100);
    assertThat(score(0)).isEqualTo(100);
    for (int i = 0; i < 10; i++) {
      client.computeLinkedPod("ns", "u" + i, "svc").block();
    }
    assertThat(score(0) + score(1)).isEqualTo(210);
    StepVerifier.create(info.loadScore("ns", "svc", 7)).verifyComplete();
  }

  @Test
  void cordoned_draining_orDownPods_areNeverBest() {
    publish(0, 0, RoutingState.DENY_NEW_CALL);
    publish(1, 10);
    publish(2, 20);
    publish(3, 30);
    store.cordonPod("ns", "svc", 1).block();
    clock.advanceTimeBy(Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      assertThat(best()).isIn(2, 3);
    }
    assertThat(info.isRoutable("ns", "svc", 0).block()).isTrue();
    assertThat(info.isAvailable("ns", "svc", 0).block()).isFalse();
    assertThat(info.isRoutable("ns", "svc", 1).block()).isTrue();
    assertThat(info.isAvailable("ns", "svc", 1).block()).isFalse();
    assertThat(info.isAvailable("ns", "svc", 2).block()).isTrue();
  }

  @Test
  void ejectedPod_isNeverBest_whileAnotherCanTakeTheUid() {
    publish(0, 0);
    publish(1, 50);
    assertThat(best()).isZero();
    for (int i = 0; i < 3; i++) { // ejectAfterFailures: 3
      client.feedback().callStarted("ns", "svc", 0);
      client.feedback().callFinished("ns", "svc", 0, Duration.ofMillis(1), false);
    }
    assertThat(client.isEjected("ns", "svc", 0)).isTrue();
    assertThat(best()).isEqualTo(1);
    assertThat(info.isAvailable("ns", "svc", 0).block()).as("ejected, not down").isTrue();
  }

  @Test
  void podTreatedAsDown_isNeitherRoutableNorAvailableNorBest() {
    publish(0, 50);
    publish(1, 0);
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(best()).isEqualTo(1);
    second(0);
    second(0);
    second(0); // pod 1's record is 3 s old: missed a heartbeat, still fresh
    ServiceView view = client.states().peek("ns", "svc");
    assertThat(view).isNotNull();
    assertThat(view.isRoutable(1)).isTrue();
    assertThat(info.isRoutable("ns", "svc", 1).block()).isTrue();
    client.reportFailure("ns", "u", "svc", 1).block();
    assertThat(view.isAvailable(1)).isTrue();
    assertThat(info.isRoutable("ns", "svc", 1).block()).isFalse();
    assertThat(info.isAvailable("ns", "svc", 1).block()).isFalse();
    assertThat(best()).isZero();
  }

  @Test
  void noAvailablePod_errorsAsComputeLinkedPod() {
    publish(0, 0, RoutingState.DENY_NEW_CALL);
    StepVerifier.create(info.bestPod("ns", "svc"))
        .expectError(NoAvailablePodException.class)
        .verify();
    StepVerifier.create(client.computeLinkedPod("ns", "u", "svc"))
        .expectError(NoAvailablePodException.class)
        .verify();
    StepVerifier.create(info.bestPod("ns", "none", "u"))
        .expectError(NoAvailablePodException.class)
        .verify();
  }

  @Test
  void bestPodOfAUid_isWhereAnAffineSelectorPlacesIt() {
    publish(0, 0);
    publish(1, 0);
    publish(2, 0);
    try (ClientDriver affine =
        ClientDriver.create(
            store,
            ClientOptions.builder()
                .stateCache(StateCacheOptions.builder().scheduler(clock).build())
                .selector(PodSelectors::rendezvous)
                .build())) {
      for (int i = 0; i < 20; i++) {
        Integer best = affine.routeInfo().bestPod("ns", "svc", "u" + i).block();
        assertThat(affine.computeLinkedPod("ns", "u" + i, "svc").block()).isEqualTo(best);
      }
    }
  }

  @Test
  void serviceState_isEveryRecord_sortedByPod() {
    publish(2, 20);
    publish(0, 0, RoutingState.DENY_NEW_CALL);
    publish(1, 10);
    Map<Integer, PodState> states = info.serviceState("ns", "svc").block();
    assertThat(states).isNotNull();
    assertThat(List.copyOf(states.keySet())).containsExactly(0, 1, 2);
    assertThat(states.get(0).state()).isEqualTo(RoutingState.DENY_NEW_CALL);
    assertThat(states.get(2).load()).isEqualTo(20);
    assertThat(info.serviceState("ns", "empty").block()).isEmpty();
  }

  @Test
  void badInput_isRefusedBeforeAnyIo() {
    publish(0, 0);
    int reads = executor.calls("readState");
    assertThatThrownBy(() -> info.bestPod(null, "svc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> info.bestPod("ns", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service");
    assertThatThrownBy(() -> info.bestPod("ns", "svc", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uid");
    assertThatThrownBy(() -> info.loadScore("ns", "svc", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pod");
    assertThatThrownBy(() -> info.isRoutable("ns", "s".repeat(300), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> info.isAvailable("ns", "svc", -2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> info.serviceState("", "svc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(executor.calls("readState")).isEqualTo(reads);
  }
}
