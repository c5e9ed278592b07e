package io.statefulroute.observability.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.client.RouteOperator;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.rebalance.Rebalancer;
import io.statefulroute.core.rebalance.RebalancerOptions;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.observability.StatefulRouteObservability;
import io.statefulroute.observability.analysis.PerformanceAnalyzer;
import io.statefulroute.test.VirtualClock;
import io.statefulroute.test.internal.OptionsAssertions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Every setter reaches its option, toBuilder keeps every option, toString names each one. */
class AdminOptionsTest {
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final VirtualTimeScheduler clock = VirtualClock.create();
  private final InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);
  private final ServiceStateCache states =
      ServiceStateCache.create(store, StateCacheOptions.builder().scheduler(clock).build());

  private final ClientDriver driver = ClientDriver.create(store, ClientOptions.builder().build());

  @AfterEach
  void closeStates() {
    driver.close();
    states.close();
  }

  @Test
  void builder_everyOptionSet_reachesEveryAccessor() {
    AdminOptions set = everyOptionSet();
    OptionsAssertions.assertEveryOptionDiffers(
        AdminOptions.class, AdminOptions.builder().build(), set);
  }

  @Test
  void toBuilder_everyOptionSet_keepsEveryOption_andToStringNamesEachOne() {
    AdminOptions set = everyOptionSet();
    AdminOptions defaults = AdminOptions.builder().build();
    OptionsAssertions.assertCopyKeepsEveryOption(
        AdminOptions.class, defaults, set, o -> o.toBuilder().build());
    OptionsAssertions.assertEveryOptionEqual(
        AdminOptions.class, defaults, defaults.toBuilder().build());

    OptionsAssertions.assertToStringNamesEveryField(AdminOptions.class, set);
    OptionsAssertions.assertToStringNamesEveryField(AdminOptions.class, defaults);
    assertThat(set.toBuilder().build()).hasToString(set.toString());
    assertThat(set)
        .hasToString(
            "AdminOptions{host=localhost, port=0, "
                + "prometheus=PrometheusMeterRegistry, executor=InMemoryStatefulExecutor, "
                + "stateCache=ServiceStateCache, "
                + "observability=StatefulRouteObservability, analyzer=PerformanceAnalyzer, "
                + "maxStateAge=PT2S, probeTimeout=PT0.3S, routeOperator=RouteOperator, "
                + "rebalancers=1, "
                + "operatorToken=set}");
    assertThat(defaults)
        .hasToString(
            "AdminOptions{host=127.0.0.1, port=9464, "
                + "prometheus=none, executor=none, stateCache=none, observability=none, "
                + "analyzer=none, maxStateAge=PT5S, probeTimeout=PT1S, routeOperator=none, "
                + "rebalancers=0, "
                + "operatorToken=none}");
  }

  @Test
  void toBuilder_badValueSetOnTheCopy_isRefusedNamingTheOption() {
    AdminOptions set = AdminOptions.builder().port(8080).build();
    assertThatThrownBy(() -> set.toBuilder().port(65_536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 0 and 65535: 65536");
    assertThatThrownBy(() -> set.toBuilder().port(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 0 and 65535: -1");
    assertThatThrownBy(() -> set.toBuilder().probeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("probeTimeout must be positive: PT0S");
    assertThatThrownBy(() -> set.toBuilder().host(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host");
  }

  /** Every option at a non-default value (checked by reflection, so none can be left out). */
  private AdminOptions everyOptionSet() {
    return AdminOptions.builder()
        .host("localhost")
        .port(0)
        .prometheus(prometheus)
        .executor(store)
        .stateCache(states)
        .observability(StatefulRouteObservability.builder().meterRegistry(prometheus).build())
        .analyzer(PerformanceAnalyzer.builder(prometheus).build())
        .maxStateAge(Duration.ofSeconds(2))
        .probeTimeout(Duration.ofMillis(300))
        .routeOperator(RouteOperator.create(store, driver))
        .rebalancer(
            Rebalancer.create(store, states, RebalancerOptions.builder("ns", "svc").build()))
        .operatorToken("secret-operator-token")
        .build();
  }
}
