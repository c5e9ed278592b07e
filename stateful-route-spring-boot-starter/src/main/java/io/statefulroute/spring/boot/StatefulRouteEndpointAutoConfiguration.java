package io.statefulroute.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.RouteOperator;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.observability.StatefulRouteObservability;
import io.statefulroute.observability.admin.AdminOptions;
import io.statefulroute.observability.admin.AdminReports;
import io.statefulroute.observability.analysis.PerformanceAnalyzer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code statefulroute} actuator endpoint, when actuator is on the class path and the endpoint
 * is exposed ({@code management.endpoints.web.exposure.include=statefulroute}).
 */
@AutoConfiguration(after = StatefulRouteAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(StatefulExecutor.class)
public class StatefulRouteEndpointAutoConfiguration {
  /** Nested: its condition's class exists only where the outer class's condition holds. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnAvailableEndpoint(StatefulRouteEndpoint.class)
  static class Exposed {
    @Bean
    @ConditionalOnMissingBean
    StatefulRouteEndpoint statefulRouteEndpoint(
        StatefulRouteProperties properties,
        StatefulExecutor executor,
        StatefulRouteObservability observability,
        ObjectProvider<ServiceStateCache> states,
        ObjectProvider<RouteOperator> operator,
        ObjectProvider<ClientDriver> client,
        ObjectProvider<ServerDriver> server) {
      AdminOptions.Builder b =
          AdminOptions.builder().executor(executor).observability(observability);
      states.ifUnique(b::stateCache);
      operator.ifUnique(b::routeOperator);
      MeterRegistry meters = observability.meterRegistry();
      if (meters != null) {
        b.analyzer(PerformanceAnalyzer.builder(meters).build());
      }
      return new StatefulRouteEndpoint(
          AdminReports.of(b.build()), properties, client.getIfUnique(), server.getIfUnique());
    }
  }
}
