package io.statefulroute.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.PodState;
import io.statefulroute.core.RoutingState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedLoadHashSelectorTest {

  /** Places {@code uids} in order on {@code pods} pods from zero load; the pod of each uid. */
  static int[] placeAll(PodSelector selector, int pods, int uids, int[] loads) {
    int[] placed = new int[uids];
    for (int u = 0; u < uids; u++) {
      List<PodState> candidates = new ArrayList<>();
      for (int p = 0; p < pods; p++) {
        candidates.add(new PodState(p, loads[p], RoutingState.READY, 1L, "inc" + p));
      }
      int pod = selector.select("ns", "svc", "user-" + u, List.copyOf(candidates)).pod();
      loads[pod]++;
      placed[u] = pod;
    }
    return placed;
  }

  @Test
  void neverExceedsTheBalanceFactorTimesTheMean() {
    for (double c : new double[] {1.0, 1.1, 1.25, 2.0}) {
      PodSelector selector = PodSelectors.boundedLoadHash(c);
      int[] loads = new int[7];
      for (int u = 0; u < 20_000; u++) {
        placeAll(selector, 7, 1, loads); // one uid at a time, checking the bound after each
        long total = IntStream.of(loads).sum();
        double mean = total / 7.0;
        assertThat(IntStream.of(loads).max().getAsInt())
            .as("c=%s after %d uids", c, total)
            .isLessThanOrEqualTo((int) Math.ceil(c * mean) + 1);
      }
    }
  }

  @Test
  void skewedStartingLoads_newUidsGoToTheLightPodsUntilTheBoundAdmitsOthers() {
    PodSelector selector = PodSelectors.boundedLoadHash(1.25);
    int[] loads = {5000, 5000, 5000, 0}; // pod 3 just joined
    placeAll(selector, 4, 1000, loads);
    // the cap is 1.25 x the mean (about 4700): no uid can go to pods 0..2
    assertThat(loads[3]).isEqualTo(1000);
  }

  @Test
  void aPodJoining_movesAboutOneInNPlusOneUids_randomMovesMost() {
    int uids = 20_000;
    int[] before = placeAll(PodSelectors.boundedLoadHash(1.25), 8, uids, new int[9]);
    int[] after = placeAll(PodSelectors.boundedLoadHash(1.25), 9, uids, new int[9]);
    long moved = IntStream.range(0, uids).filter(u -> before[u] != after[u]).count();
    // unbounded rendezvous moves 1/9 (11 %); the bound pushes some more on
    assertThat(moved).isLessThan(uids * 25L / 100);
    SplittableRandom r = new SplittableRandom(1);
    int[] randomBefore = placeAll(PodSelectors.random(r), 8, uids, new int[9]);
    int[] randomAfter = placeAll(PodSelectors.random(r), 9, uids, new int[9]);
    long randomMoved =
        IntStream.range(0, uids).filter(u -> randomBefore[u] != randomAfter[u]).count();
    assertThat(randomMoved).isGreaterThan(uids * 80L / 100);
  }

  @Test
  void sameUidSameLoads_samePod() {
    PodSelector a = PodSelectors.boundedLoadHash();
    List<PodState> c = PodSelectorsTest.pods(10, 10, 10, 10);
    assertThat(a.select("ns", "svc", "alice", c).pod())
        .isEqualTo(PodSelectors.boundedLoadHash().select("ns", "svc", "alice", c).pod());
  }

  @Test
  void balanceFactor_isValidated() {
    assertThatThrownBy(() -> PodSelectors.boundedLoadHash(0.99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("balanceFactor must be between 1.0 and 100.0: 0.99");
    assertThatThrownBy(() -> PodSelectors.boundedLoadHash(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PodSelectors.byName("bounded_load_hash", new SplittableRandom(1)).name())
        .isEqualTo("bounded_load_hash");
  }

  @Test
  void byName_knowsEveryListedName() {
    for (String name : PodSelectors.NAMES) {
      assertThat(PodSelectors.byName(name, new SplittableRandom(1))).isNotNull();
    }
    assertThatThrownBy(() -> PodSelectors.byName("nope", new SplittableRandom(1)))
        .hasMessageContaining("bounded_load_hash");
  }
}
