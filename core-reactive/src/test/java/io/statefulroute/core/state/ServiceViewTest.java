package io.statefulroute.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.PodState;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StateSnapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceViewTest {
  private static final long NOW = 1_000_000L;

  @Test
  void sets_followFreshnessStateAndBand_onTheRedisClock() {
    Map<Integer, PodState> pods =
        Map.of(
            0, new PodState(0, 10, RoutingState.READY, NOW - 1000, "a"),
            1, new PodState(1, 14, RoutingState.READY, NOW - 4999, "b"),
            2, new PodState(2, 30, RoutingState.READY, NOW, "c"), // outside the band
            3, new PodState(3, 0, RoutingState.DENY_NEW_CALL, NOW, "d"),
            4, new PodState(4, 0, RoutingState.SHUTDOWN, NOW, "e"),
            5, new PodState(5, 0, RoutingState.READY, NOW - 5001, "f")); // stale
    ServiceView v = ServiceView.of("ns", "svc", new StateSnapshot(pods, NOW, 0), 5000, 5, 0);
    assertThat(v.freshCount()).isEqualTo(5);
    assertThat(v.isFresh(5)).isFalse();
    assertThat(v.isRoutable(0)).isTrue();
    assertThat(v.isRoutable(3)).isTrue();
    assertThat(v.isRoutable(4)).isFalse();
    assertThat(v.isRoutable(5)).isFalse();
    assertThat(v.isAvailable(3)).isFalse();
    assertThat(v.availablePods()).extracting(PodState::pod).containsExactly(0, 1, 2);
    assertThat(v.goodPods()).extracting(PodState::pod).containsExactly(0, 1);
    assertThat(v.expired().routableCount()).isZero();
    assertThat(v.expired().pods()).hasSize(6);
  }

  @Test
  void podZero_andEmptySnapshot() {
    ServiceView empty =
        ServiceView.of("ns", "svc", new StateSnapshot(Map.of(), NOW, 0), 5000, 0, 0);
    assertThat(empty.goodPods()).isEmpty();
    assertThat(empty.isRoutable(0)).isFalse();
    ServiceView zero =
        ServiceView.of(
            "ns",
            "svc",
            new StateSnapshot(Map.of(0, new PodState(0, 0, RoutingState.READY, NOW, "z")), NOW, 0),
            5000,
            0,
            0);
    assertThat(zero.isRoutable(0)).isTrue();
    assertThat(zero.goodPods()).extracting(PodState::pod).containsExactly(0);
  }
}
