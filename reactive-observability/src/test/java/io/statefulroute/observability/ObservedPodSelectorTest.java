package io.statefulroute.observability;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.statefulroute.core.PodState;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.placement.PlacementFeedback;
import io.statefulroute.core.placement.PodSelector;
import io.statefulroute.core.placement.PodSelectors;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ObservedPodSelectorTest {
  private final List<PodState> pods =
      List.of(
          new PodState(0, 0, RoutingState.READY, 1L, "i0"),
          new PodState(1, 0, RoutingState.READY, 1L, "i1"));

  @Test
  void selector_keepsTheStrategysName_andForwardsFeedback() {
    StatefulRouteObservability obs =
        StatefulRouteObservability.builder()
            .observationRegistry(ObservationRegistry.create())
            .build();
    PodSelector selector = obs.selector(PodSelectors::leastInFlight).get();
    assertThat(selector.name()).isEqualTo("least_in_flight");
    assertThat(selector).isInstanceOf(PlacementFeedback.class);
    ((PlacementFeedback) selector).callStarted("ns", "svc", 0);
    ((PlacementFeedback) selector).callStarted("ns", "svc", 0);
    for (int i = 0; i < 10; i++) {
      assertThat(selector.select("ns", "svc", "u" + i, pods).pod()).isEqualTo(1);
    }
  }

  @Test
  void selection_isObserved_onlyWithinAnObservation() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    StatefulRouteObservability obs =
        StatefulRouteObservability.builder().observationRegistry(registry).build();
    PodSelector selector = obs.selector(PodSelectors::rendezvous).get();
    selector.select("ns", "svc", "alone", pods);
    assertThat(registry).doesNotHaveAnyObservation();

    Observation parent = Observation.start("parent", registry);
    Observation.Scope scope = parent.openScope();
    try {
      selector.select("ns", "svc", "within", pods);
    } finally {
      scope.close();
      parent.stop();
    }
    assertThat(registry)
        .hasObservationWithNameEqualTo("statefulroute.placement")
        .that()
        .hasLowCardinalityKeyValue("statefulroute.strategy", "rendezvous")
        .hasParentObservationEqualTo(parent);
  }

  @Test
  void withoutTracing_theSupplierIsReturnedAsIs() {
    StatefulRouteObservability off = StatefulRouteObservability.builder().build();
    Supplier<PodSelector> supplier = PodSelectors::random;
    assertThat(off.selector(supplier)).isSameAs(supplier);
  }
}
