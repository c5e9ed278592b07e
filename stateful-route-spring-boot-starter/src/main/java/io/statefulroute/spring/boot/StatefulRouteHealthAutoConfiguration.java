package io.statefulroute.spring.boot;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.server.ServerDriver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code statefulroute} health indicator, when Boot's health module is on the class path
 * ({@code management.health.statefulroute.enabled=false} turns it off).
 */
@AutoConfiguration(after = StatefulRouteAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.ReactiveHealthIndicator")
@ConditionalOnBean(StatefulExecutor.class)
public class StatefulRouteHealthAutoConfiguration {
  /** Nested: its condition's class exists only where the outer class's condition holds. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnEnabledHealthIndicator("statefulroute")
  static class Indicator {
    @Bean
    @ConditionalOnMissingBean(name = "statefulrouteHealthIndicator")
    StatefulRouteHealthIndicator statefulrouteHealthIndicator(
        StatefulExecutor executor,
        ObjectProvider<ServerDriver> server,
        ObjectProvider<ClientDriver> client) {
      return new StatefulRouteHealthIndicator(executor, server.getIfUnique(), client.getIfUnique());
    }
  }
}
