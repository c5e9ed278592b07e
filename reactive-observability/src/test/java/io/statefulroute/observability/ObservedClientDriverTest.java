package io.statefulroute.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.state.StateCacheOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The observed driver under an application's own observation configuration. */
class ObservedClientDriverTest {

  @Test
  void computeLinkedPod_cacheLookupObservationsTurnedOff_stillAnswers() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    // an application that does not want the per-lookup observations: Micrometer then hands out
    // a no-op observation whose context is not ours
    registry
        .observationConfig()
        .observationPredicate(
            (name, context) ->
                !(context instanceof RouteObservationContext route
                    && route.kind() == StatefulRouteObservations.CACHE_LOOKUP));
    StatefulRouteObservability obs =
        StatefulRouteObservability.builder().observationRegistry(registry).build();
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);
    store
        .publishState(
            "ns", "svc", new PodStatus(0, 0, RoutingState.READY, "i0"), Duration.ofSeconds(5))
        .block();
    ClientOptions options =
        ClientOptions.builder()
            .stateCache(StateCacheOptions.builder().scheduler(clock).build())
            .build();
    try (ClientDriver driver = obs.clientDriver(ClientDriver.create(store, options))) {
      assertThat(driver.computeLinkedPod("ns", "u1", "svc").block()).isZero();
      assertThat(driver.computeLinkedPod("ns", "u1", "svc").block()).isZero(); // a cache hit
    }
    TestObservationRegistryAssert.assertThat(registry)
        .hasObservationWithNameEqualTo("statefulroute.compute")
        .that()
        .hasBeenStopped();
  }
}
