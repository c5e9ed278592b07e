package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.placement.PodSelector;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Placement between two publications (issue #12): every placement must see the client's own earlier
 * placements (the predicted load), or all of them herd on the pods that were least loaded at the
 * last publication. Virtual time: no publication and no state read happens during the placements.
 */
class PredictedLoadPlacementTest {
  private static final Duration PRUNE = Duration.ofMinutes(5);
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;

  @BeforeEach
  void setUp() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
  }

  private void publish(int pod, int load) {
    store
        .publishState("ns", "svc", new PodStatus(pod, load, RoutingState.READY, "inc" + pod), PRUNE)
        .block();
  }

  private ClientDriver client(Supplier<PodSelector> selector) {
    return ClientDriver.create(
        store,
        ClientOptions.builder()
            .stateCache(StateCacheOptions.builder().scheduler(clock).build())
            .selector(selector)
            .build());
  }

  /** Places {@code n} new uids with no publication in between; placements per pod. */
  private int[] place(ClientDriver client, String prefix, int n, int pods) {
    int[] placed = new int[pods];
    for (int i = 0; i < n; i++) {
      placed[client.computeLinkedPod("ns", prefix + i, "svc").block()]++;
    }
    return placed;
  }

  @Test
  void leastLoad_thousandPlacementsBetweenTwoPublications_spreadInsteadOfHerding() {
    int[] loads = {1000, 1010, 1030, 1100};
    for (int p = 0; p < loads.length; p++) {
      publish(p, loads[p]);
    }
    try (ClientDriver client = client(() -> PodSelectors.leastLoad(new SplittableRandom(1)))) {
      int[] placed = place(client, "u", 1000, loads.length);
      // water filling: 5140 in all, 1285 each; each pod ends within a few placements of that
      int[] after = IntStream.range(0, loads.length).map(p -> loads[p] + placed[p]).toArray();
      assertThat(IntStream.of(after).max().getAsInt() - IntStream.of(after).min().getAsInt())
          .as("predicted loads after the placements %s", java.util.Arrays.toString(after))
          .isLessThanOrEqualTo(2);
      assertThat(IntStream.of(placed).min().getAsInt()).isPositive();
    }
  }

  @Test
  void powerOfTwo_thousandPlacements_noPodTakesMoreThanItsShare() {
    int[] loads = {2000, 2000, 2050, 2100, 2300, 2300};
    for (int p = 0; p < loads.length; p++) {
      publish(p, loads[p]);
    }
    try (ClientDriver client =
        client(() -> PodSelectors.powerOfTwoChoices(new SplittableRandom(2)))) {
      int[] placed = place(client, "u", 1000, loads.length);
      int[] after = IntStream.range(0, loads.length).map(p -> loads[p] + placed[p]).toArray();
      double mean = IntStream.of(after).average().getAsDouble();
      // before: the band of 10 left pods 0 and 1 only, which took all 1000 (2500 each)
      assertThat(IntStream.of(after).max().getAsInt())
          .as("loads after %s", java.util.Arrays.toString(after))
          .isLessThan((int) (mean * 1.05));
      assertThat(placed[4] + placed[5]).isPositive();
    }
  }

  @Test
  void newPublication_resetsThePrediction_toThePublishedLoadPlusLaterPlacements() {
    publish(0, 100);
    publish(1, 100);
    try (ClientDriver client = client(() -> PodSelectors.leastLoad(new SplittableRandom(3)))) {
      int[] first = place(client, "a", 200, 2);
      assertThat(first).containsExactly(100, 100); // 200 each predicted
      // the pods publish: pod 0 kept its 200, pod 1 lost half of its users (load 150);
      // the placements made before these publications are in them and no longer counted
      clock.advanceTimeBy(Duration.ofMillis(500));
      publish(0, 200);
      publish(1, 150);
      clock.advanceTimeBy(Duration.ofMillis(500)); // the state cache reads them
      int[] second = place(client, "b", 100, 2);
      // 350 + 100 = 450: 225 each: pod 0 takes 25, pod 1 takes 75
      assertThat(second).containsExactly(25, 75);
    }
  }

  @Test
  void twoClients_eachCountsItsOwnPlacements() {
    for (int p = 0; p < 4; p++) {
      publish(p, 5000 + 10 * p);
    }
    try (ClientDriver a = client(() -> PodSelectors.leastLoad(new SplittableRandom(4)));
        ClientDriver b = client(() -> PodSelectors.leastLoad(new SplittableRandom(5)))) {
      int[] byA = place(a, "a", 400, 4);
      int[] byB = place(b, "b", 400, 4);
      for (int p = 0; p < 4; p++) {
        assertThat(byA[p]).as("client a, pod %d", p).isBetween(85, 115);
        assertThat(byB[p]).as("client b, pod %d", p).isBetween(85, 115);
      }
    }
  }
}
