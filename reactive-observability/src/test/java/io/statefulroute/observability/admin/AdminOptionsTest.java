package io.statefulroute.observability.admin;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.core.testing.OptionsAssertions;
import io.statefulroute.core.testing.VirtualClock;
import io.statefulroute.observability.StatefulRouteObservability;
import io.statefulroute.observability.analysis.PerformanceAnalyzer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** AdminOptions has no toBuilder: its test checks that every setter reaches its option. */
class AdminOptionsTest {

  @Test
  void builder_everyOptionSet_reachesEveryAccessor() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VirtualTimeScheduler clock = VirtualClock.create();
    InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);
    try (ServiceStateCache states = ServiceStateCache.create(store,
        StateCacheOptions.builder().scheduler(clock).build())) {
      AdminOptions set = AdminOptions.builder()
          .host("localhost")
          .port(0)
          .prometheus(prometheus)
          .executor(store)
          .stateCache(states)
          .observability(StatefulRouteObservability.builder().meterRegistry(prometheus).build())
          .analyzer(PerformanceAnalyzer.builder(prometheus).build())
          .maxStateAge(Duration.ofSeconds(2))
          .probeTimeout(Duration.ofMillis(300))
          .build();
      OptionsAssertions.assertEveryOptionDiffers(AdminOptions.class,
          AdminOptions.builder().build(), set);
    }
  }
}
