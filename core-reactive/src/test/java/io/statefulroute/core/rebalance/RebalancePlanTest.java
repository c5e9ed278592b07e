package io.statefulroute.core.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.PodState;
import io.statefulroute.core.RoutingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RebalancePlanTest {
  private static List<PodState> pods(int... loads) {
    List<PodState> out = new ArrayList<>();
    for (int i = 0; i < loads.length; i++) {
      out.add(new PodState(i, loads[i], RoutingState.READY, 1_000, "i" + i));
    }
    return out;
  }

  @Test
  void aJoiningPod_theOthersShedTheirExcess_cappedPerPod() {
    RebalancePlan plan =
        RebalancePlan.compute(
            pods(1000, 1000, 1000, 1000, 0), Map.of(), Set.of(), 0.1, 10_000, 1.0);
    assertThat(plan.mean()).isEqualTo(800.0);
    assertThat(plan.needed()).isEqualTo(800);
    assertThat(plan.shed())
        .containsOnly(Map.entry(0, 200), Map.entry(1, 200), Map.entry(2, 200), Map.entry(3, 200));
    // the relative throttle: 10 % of each pod's load per cycle
    RebalancePlan throttled =
        RebalancePlan.compute(
            pods(1000, 1000, 1000, 1000, 0), Map.of(), Set.of(), 0.1, 10_000, 0.1);
    assertThat(throttled.shed().values()).containsOnly(100);
  }

  @Test
  void theAbsoluteThrottle_splitsTheMovesByExcess() {
    RebalancePlan plan =
        RebalancePlan.compute(pods(1300, 1100, 1000, 200), Map.of(), Set.of(), 0.1, 100, 1.0);
    // mean 900: excess 400 and 200 and 100 (700 in all)
    assertThat(plan.shed()).containsOnly(Map.entry(0, 57), Map.entry(1, 29), Map.entry(2, 14));
    assertThat(plan.requested()).isLessThanOrEqualTo(100);
  }

  @Test
  void withinTheTolerance_nothingMoves() {
    assertThat(
            RebalancePlan.compute(pods(100, 95, 105, 91), Map.of(), Set.of(), 0.1, 1000, 1.0)
                .shed())
        .isEmpty();
    assertThat(RebalancePlan.compute(pods(100), Map.of(), Set.of(), 0.1, 1000, 1.0).shed())
        .isEmpty();
    assertThat(RebalancePlan.compute(pods(), Map.of(), Set.of(), 0.1, 1000, 1.0).shed()).isEmpty();
    assertThat(RebalancePlan.compute(pods(0, 0, 0), Map.of(), Set.of(), 0.1, 1000, 1.0).shed())
        .isEmpty();
  }

  @Test
  void pendingSheds_countAgainstTheLoad_soTheyAreNotAskedTwice() {
    RebalancePlan first =
        RebalancePlan.compute(pods(1000, 0), Map.of(), Set.of(), 0.1, 10_000, 1.0);
    assertThat(first.shed()).containsOnly(Map.entry(0, 500));
    RebalancePlan again =
        RebalancePlan.compute(pods(1000, 0), Map.of(0, 500), Set.of(), 0.1, 10_000, 1.0);
    assertThat(again.shed()).isEmpty();
  }

  @Test
  void aPodThatJustJoined_isLeftToPlacement() {
    RebalancePlan plan =
        RebalancePlan.compute(pods(1000, 1000, 0), Map.of(), Set.of(2), 0.1, 10_000, 1.0);
    assertThat(plan.shed()).isEmpty();
    assertThat(plan.needed()).isZero();
    // and a young pod above the mean is not asked either
    RebalancePlan over =
        RebalancePlan.compute(pods(100, 1000, 0), Map.of(), Set.of(1), 0.1, 10_000, 1.0);
    assertThat(over.shed()).isEmpty();
  }

  @Test
  void aDryRun_showsTheNeedAndAsksNothing() {
    RebalancePlan plan = RebalancePlan.compute(pods(1000, 0), Map.of(), Set.of(), 0.1, 0, 1.0);
    assertThat(plan.shed()).isEmpty();
  }

  /** Random fleets: never more than needed, than the throttles, or than a pod's excess. */
  @Test
  void randomFleets_neverAskMoreThanNeededOrAllowed() {
    Random random = new Random(7);
    for (int run = 0; run < 2_000; run++) {
      int n = 2 + random.nextInt(10);
      int[] loads = new int[n];
      for (int i = 0; i < n; i++) {
        loads[i] = random.nextInt(random.nextBoolean() ? 50 : 5_000);
      }
      long budget = random.nextInt(1_000);
      double ratio = 0.05 + random.nextDouble() * 0.95;
      RebalancePlan plan =
          RebalancePlan.compute(pods(loads), Map.of(), Set.of(), 0.1, budget, ratio);
      assertThat(plan.requested()).isLessThanOrEqualTo(Math.min(budget, plan.needed()) + n);
      for (Map.Entry<Integer, Integer> e : plan.shed().entrySet()) {
        int load = loads[e.getKey()];
        assertThat((double) load).isGreaterThan(plan.mean());
        assertThat((double) e.getValue()).isLessThanOrEqualTo(load - plan.mean());
        assertThat(e.getValue()).isLessThanOrEqualTo(Math.max(1, (int) Math.floor(ratio * load)));
      }
    }
  }
}
