package io.statefulroute.spring.boot;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.server.PodIdentity;
import io.statefulroute.core.server.PodIdentityException;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.observability.StatefulRouteObservability;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The pod role ({@code statefulroute.server.enabled=true}): the {@link ServerDriver} and its
 * lifecycle ({@link ServerDriverLifecycle}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "statefulroute.server", name = "enabled", havingValue = "true")
class StatefulRouteServerConfiguration {
  /** Spring's default of {@code spring.lifecycle.timeout-per-shutdown-phase}. */
  static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

  static final String PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

  /** The name of the starter's server driver bean. */
  static final String DRIVER_BEAN = "statefulRouteServerDriver";

  @Bean
  @ConditionalOnMissingBean
  ServerDriver statefulRouteServerDriver(
      StatefulRouteProperties properties,
      StatefulExecutor executor,
      StatefulRouteObservability observability,
      ObjectProvider<ServerOptionsCustomizer> customizers,
      Environment environment) {
    StatefulRouteProperties.Server server = properties.getServer();
    int pod = checkedPod(server, environment); // checked when bound: see checkedPod
    ServerOptions.Builder b =
        server
            .apply(
                ServerOptions.builder(
                    properties.namespace(), Objects.requireNonNull(server.getService()), pod))
            .listener(observability.serverListener());
    customizers.orderedStream().forEach(c -> c.customize(b));
    return ServerDriver.create(executor, b.build());
  }

  /**
   * Checks the shutdown phase against the server's stop and resolves the pod index. Called when the
   * properties are bound (before the executor connects) and again here, where it gives the same.
   *
   * @return the pod index
   * @throws PodIdentityException when no pod index is found (and Boot's {@code
   *     InvalidConfigurationPropertyValueException} when the phase is not longer than the stop)
   */
  static int checkedPod(StatefulRouteProperties.Server server, Environment environment) {
    Duration phase =
        Binder.get(environment).bind(PHASE_TIMEOUT, Duration.class).orElse(DEFAULT_PHASE_TIMEOUT);
    if (phase.compareTo(server.longestStop()) <= 0) {
      throw StatefulRouteProperties.invalid(
          PHASE_TIMEOUT,
          phase,
          "must exceed statefulroute.server.drain-timeout + 2 x shutdown-timeout ("
              + server.longestStop()
              + "): the server's stop would be cut off");
    }
    try {
      return PodIdentity.resolve(podEnvironment(environment), server.getPodIndex());
    } catch (PodIdentityException e) {
      throw new PodIdentityException(
          e.getMessage()
              + "; set statefulroute.server.pod-index, or run in a StatefulSet with env POD_NAME"
              + " or POD_INDEX (docs/kubernetes.md)");
    }
  }

  /**
   * The variables {@link PodIdentity} reads, as the application's {@link Environment} has them: the
   * process environment first (the downward API's), then any other property source (a test, a
   * system property).
   */
  static Map<String, String> podEnvironment(Environment environment) {
    Map<String, String> env = new HashMap<>();
    for (String name :
        List.of(PodIdentity.POD_INDEX, PodIdentity.POD_NAME, PodIdentity.POD_ORDINALS_START)) {
      String value = environment.getProperty(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    return env;
  }

  @Bean
  @ConditionalOnMissingBean
  ServerDriverLifecycle statefulRouteServerLifecycle(ServerDriver driver) {
    return new ServerDriverLifecycle(driver);
  }
}
