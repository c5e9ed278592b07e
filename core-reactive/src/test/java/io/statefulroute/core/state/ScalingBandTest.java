package io.statefulroute.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.PodState;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StateSnapshot;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The good band scales with the load (issue #12): an absolute band of 10 is one pod at 5,000. */
class ScalingBandTest {
  private static final long NOW = 1_000_000;

  private static ServiceView view(StateCacheOptions o, int... loads) {
    Map<Integer, PodState> pods = new HashMap<>();
    for (int p = 0; p < loads.length; p++) {
      pods.put(p, new PodState(p, loads[p], RoutingState.READY, NOW, "inc" + p));
    }
    return ServiceView.of(
        "ns", "svc", new StateSnapshot(pods, NOW, 0), 5000, o.band("svc"), o.bandRatio(), NOW);
  }

  @Test
  void defaults_loadsInTheThousands_keepEveryPodWithinTenPercentOfTheMinimum() {
    StateCacheOptions o = StateCacheOptions.defaults();
    assertThat(o.bandRatio()).isEqualTo(0.1);
    ServiceView v = view(o, 5000, 5100, 5499, 5500, 5501, 6000);
    assertThat(v.goodPods()).extracting(PodState::pod).containsExactly(0, 1, 2, 3);
    assertThat(o.goodLimit("svc", 5000)).isEqualTo(5500);
  }

  @Test
  void smallLoads_theAbsoluteBandIsTheFloor() {
    StateCacheOptions o = StateCacheOptions.defaults();
    ServiceView v = view(o, 0, 10, 11);
    assertThat(v.goodPods()).extracting(PodState::pod).containsExactly(0, 1);
    assertThat(o.goodLimit("svc", 30)).isEqualTo(40); // 10 % of 30 is 3: the floor of 10 wins
  }

  @Test
  void ratioZero_isTheOldAbsoluteBand() {
    StateCacheOptions o = StateCacheOptions.builder().bandRatio(0).band("svc", 5).build();
    ServiceView v = view(o, 5000, 5005, 5006);
    assertThat(v.goodPods()).extracting(PodState::pod).containsExactly(0, 1);
  }

  @Test
  void bandRatio_isValidated_copied_andPrinted() {
    assertThatThrownBy(() -> StateCacheOptions.builder().bandRatio(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bandRatio must be between 0.0 and 10.0: -0.1");
    assertThatThrownBy(() -> StateCacheOptions.builder().bandRatio(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    StateCacheOptions o = StateCacheOptions.builder().bandRatio(0.25).build();
    assertThat(o.toBuilder().build().bandRatio()).isEqualTo(0.25);
    assertThat(o.toString()).contains(", bands={}, bandRatio=0.25, scheduler=");
  }
}
