package io.statefulroute.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.PodState;
import io.statefulroute.core.RoutingState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PodSelectorsTest {
  private static final String NS = "ns";
  private static final String SVC = "svc";

  static List<PodState> pods(int... loads) {
    List<PodState> out = new ArrayList<>();
    for (int i = 0; i < loads.length; i++) {
      out.add(new PodState(i, loads[i], RoutingState.READY, 1L, "inc" + i));
    }
    return List.copyOf(out);
  }

  static int[] histogram(PodSelector selector, List<PodState> candidates, int picks) {
    int[] counts = new int[candidates.size()];
    for (int i = 0; i < picks; i++) {
      counts[selector.select(NS, SVC, "u" + i, candidates).pod()]++;
    }
    return counts;
  }

  /** Coefficient of variation of the counts: stddev / mean. */
  static double cov(int[] counts) {
    double mean = IntStream.of(counts).average().orElse(0);
    double var =
        IntStream.of(counts).mapToDouble(c -> (c - mean) * (c - mean)).sum() / counts.length;
    return Math.sqrt(var) / mean;
  }

  @Test
  void roundRobin_spreadsExactlyEvenly() {
    int[] h =
        histogram(PodSelectors.roundRobin(new SplittableRandom(1)), pods(0, 0, 0, 0, 0), 10_000);
    assertThat(h).containsOnly(2000);
  }

  @Test
  void roundRobin_startsAtRandomPerClient() {
    List<PodState> c = pods(0, 0, 0, 0, 0, 0, 0, 0);
    long distinctFirstPicks =
        IntStream.range(0, 50)
            .map(i -> PodSelectors.roundRobin().select(NS, SVC, "u", c).pod())
            .distinct()
            .count();
    assertThat(distinctFirstPicks).isGreaterThan(1);
  }

  @Test
  void random_isEvenWithinFivePercentCov() {
    assertThat(
            cov(
                histogram(
                    PodSelectors.random(new SplittableRandom(2)), pods(0, 0, 0, 0, 0), 100_000)))
        .isLessThan(0.05);
  }

  @Test
  void leastLoad_picksMinimum_andSpreadsTies() {
    assertThat(histogram(PodSelectors.leastLoad(new SplittableRandom(3)), pods(5, 2, 9), 100))
        .containsExactly(0, 100, 0);
    assertThat(
            cov(
                histogram(
                    PodSelectors.leastLoad(new SplittableRandom(3)), pods(1, 1, 1, 1), 40_000)))
        .isLessThan(0.05);
  }

  @Test
  void powerOfTwo_prefersLighterPods_neverPicksHeaviestOfAll() {
    int[] h =
        histogram(
            PodSelectors.powerOfTwoChoices(new SplittableRandom(4)), pods(1, 2, 3, 4), 40_000);
    assertThat(h[0]).isGreaterThan(h[1]);
    assertThat(h[1]).isGreaterThan(h[2]);
    assertThat(h[3]).isZero(); // the heaviest loses every duel
    assertThat(
            cov(
                histogram(
                    PodSelectors.powerOfTwoChoices(new SplittableRandom(4)),
                    pods(0, 0, 0, 0),
                    40_000)))
        .isLessThan(0.05);
  }

  @Test
  void smoothWeightedRoundRobin_followsNginxSequence() {
    PodSelector swrr = PodSelectors.weighted(Map.of(0, 5, 1, 1, 2, 1), 1);
    List<PodState> c = pods(0, 0, 0);
    List<Integer> seq =
        IntStream.range(0, 7)
            .mapToObj(i -> swrr.select(NS, SVC, "u", c).pod())
            .collect(Collectors.toList());
    assertThat(seq).containsExactly(0, 0, 1, 0, 2, 0, 0);
  }

  @Test
  void weightedByHeadroom_givesShareProportionalToHeadroom() {
    int[] h = histogram(PodSelectors.weightedByHeadroom(100), pods(0, 50, 90), 15_000);
    // weights 100, 50, 10 of 160
    assertThat(h[0]).isEqualTo(15_000 * 100 / 160);
    assertThat(h[1]).isBetween(15_000 * 50 / 160 - 1, 15_000 * 50 / 160 + 1);
    assertThat(h[2]).isBetween(15_000 * 10 / 160 - 1, 15_000 * 10 / 160 + 1);
  }

  @Test
  void leastInFlight_avoidsBusyPods_fromFeedback() {
    PodSelector s = PodSelectors.leastInFlight();
    PlacementFeedback f = (PlacementFeedback) s;
    List<PodState> c = pods(0, 0, 0);
    f.callStarted(NS, SVC, 0);
    f.callStarted(NS, SVC, 0);
    f.callStarted(NS, SVC, 1);
    assertThat(s.select(NS, SVC, "u", c).pod()).isEqualTo(2);
    f.callStarted(NS, SVC, 2);
    f.callStarted(NS, SVC, 2);
    assertThat(s.select(NS, SVC, "u", c).pod()).isEqualTo(1);
    f.callFinished(NS, SVC, 0, Duration.ofMillis(1), true);
    f.callFinished(NS, SVC, 0, Duration.ofMillis(1), true);
    assertThat(s.select(NS, SVC, "u", c).pod()).isEqualTo(0);
  }

  @Test
  void leastResponseTime_followsEwma() {
    PodSelector s = PodSelectors.leastResponseTime(0.5);
    PlacementFeedback f = (PlacementFeedback) s;
    List<PodState> c = pods(0, 0);
    f.callFinished(NS, SVC, 0, Duration.ofMillis(10), true);
    f.callFinished(NS, SVC, 1, Duration.ofMillis(20), true);
    assertThat(s.select(NS, SVC, "u", c).pod()).isEqualTo(0);
    f.callFinished(NS, SVC, 0, Duration.ofMillis(50), true); // ewma 30 > 20
    assertThat(s.select(NS, SVC, "u", c).pod()).isEqualTo(1);
    assertThatThrownBy(() -> PodSelectors.leastResponseTime(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rendezvous_isStable_andAddingOnePodMovesAboutOneInNPlusOne() {
    PodSelector r = PodSelectors.rendezvous();
    List<PodState> ten = pods(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    List<PodState> eleven = pods(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    int uids = 50_000;
    int moved = 0;
    int[] counts = new int[10];
    for (int i = 0; i < uids; i++) {
      String uid = "user-" + i;
      int before = r.select(NS, SVC, uid, ten).pod();
      counts[before]++;
      assertThat(r.select(NS, SVC, uid, ten).pod()).isEqualTo(before);
      int after = r.select(NS, SVC, uid, eleven).pod();
      if (after != before) {
        moved++;
        assertThat(after).as("only the new pod takes uids").isEqualTo(10);
      }
    }
    assertThat(moved / (double) uids).isBetween(1 / 11.0 - 0.01, 1 / 11.0 + 0.01);
    assertThat(cov(counts)).isLessThan(0.05);
  }

  @Test
  void rendezvous_removingAPod_movesOnlyItsUids() {
    PodSelector r = PodSelectors.rendezvous();
    List<PodState> all = pods(0, 0, 0, 0, 0);
    List<PodState> without2 = all.stream().filter(p -> p.pod() != 2).collect(Collectors.toList());
    Map<Integer, Integer> movedFrom = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      String uid = "u" + i;
      int before = r.select(NS, SVC, uid, all).pod();
      int after = r.select(NS, SVC, uid, without2).pod();
      if (before != after) {
        movedFrom.merge(before, 1, Integer::sum);
      }
    }
    assertThat(movedFrom).containsOnlyKeys(2);
  }

  @Test
  void byName_knowsEveryStrategy_andRejectsUnknown() {
    for (String name :
        List.of(
            "round_robin",
            "random",
            "least_load",
            "power_of_two",
            "weighted_headroom",
            "least_in_flight",
            "least_response_time",
            "rendezvous")) {
      PodSelector s = PodSelectors.byName(name, new SplittableRandom(5));
      assertThat(s.name()).isNotBlank();
      assertThat(s.select(NS, SVC, "u", pods(1, 2)).pod()).isBetween(0, 1);
    }
    assertThatThrownBy(() -> PodSelectors.byName("lru", new SplittableRandom()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rendezvous");
  }
}
