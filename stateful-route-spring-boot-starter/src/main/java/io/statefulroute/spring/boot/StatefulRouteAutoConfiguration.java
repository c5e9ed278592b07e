package io.statefulroute.spring.boot;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.client.RouteOperator;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.observability.StatefulRouteObservability;
import io.statefulroute.redis.RedisExecutorOptions;
import io.statefulroute.redis.RedisStatefulExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The executor, the shared state cache, the client driver (gateway role) and their meters and
 * observations (see docs/spring-boot.md). Each bean backs off when the application defines one of
 * its type. The pod role is {@link StatefulRouteServerConfiguration}.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure"
          + ".CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
    })
@ConditionalOnClass({StatefulExecutor.class, RedisStatefulExecutor.class, RedisClient.class})
@EnableConfigurationProperties(StatefulRouteProperties.class)
@Import({SpringDataRedisConfiguration.class, StatefulRouteServerConfiguration.class})
public class StatefulRouteAutoConfiguration {

  /** Meters when the application has a MeterRegistry, observations with an ObservationRegistry. */
  @Bean
  @ConditionalOnMissingBean
  StatefulRouteObservability statefulRouteObservability(
      ObjectProvider<MeterRegistry> meters, ObjectProvider<ObservationRegistry> observations) {
    StatefulRouteObservability.Builder b = StatefulRouteObservability.builder();
    meters.ifUnique(b::meterRegistry);
    observations.ifUnique(b::observationRegistry);
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean({StatefulRouteRedisClient.class, StatefulExecutor.class})
  StatefulRouteRedisClient statefulRouteRedisClient(
      StatefulRouteProperties properties, ObjectProvider<SpringDataLettuce> springData) {
    DependencyVersions.check();
    SpringDataLettuce application = springData.getIfAvailable();
    if (application != null) {
      return new StatefulRouteRedisClient(
          application.get(), false, StatefulRouteRedisClient.SPRING_DATA);
    }
    StatefulRouteProperties.Redis redis = properties.getRedis();
    String uri = redis.getUri();
    if (uri == null || uri.isBlank()) {
      throw StatefulRouteProperties.invalid(
          StatefulRouteRedisClient.OWN_URI,
          uri,
          "no Redis configured: add spring-boot-starter-data-redis and set spring.data.redis.*"
              + " (its Lettuce client is reused), or set statefulroute.redis.uri");
    }
    RedisURI parsed;
    try {
      parsed = RedisURI.create(uri);
    } catch (RuntimeException e) { // Lettuce throws IllegalArgumentException or RedisException
      throw StatefulRouteProperties.invalid(
          StatefulRouteRedisClient.OWN_URI, uri, "not a Redis URI: " + e.getMessage());
    }
    return new StatefulRouteRedisClient(
        redis.isCluster() ? RedisClusterClient.create(parsed) : RedisClient.create(parsed),
        true,
        StatefulRouteRedisClient.OWN_URI);
  }

  /** The Redis executor (instrumented by {@link StatefulRouteObservability}). */
  @Bean
  @ConditionalOnMissingBean
  StatefulExecutor statefulExecutor(
      StatefulRouteRedisClient redis,
      StatefulRouteObservability observability,
      ObjectProvider<RedisExecutorOptionsCustomizer> customizers) {
    RedisExecutorOptions.Builder b = RedisExecutorOptions.builder();
    customizers.orderedStream().forEach(c -> c.customize(b));
    RedisExecutorOptions options = b.build();
    RedisStatefulExecutor executor =
        redis.client() instanceof RedisClusterClient cluster
            ? RedisStatefulExecutor.create(cluster, options)
            : RedisStatefulExecutor.create((RedisClient) redis.client(), options);
    return observability.executor(executor);
  }

  /** One state cache for every driver of the application (one refresh per service). */
  @Bean
  @ConditionalOnMissingBean
  ServiceStateCache statefulRouteStateCache(
      StatefulExecutor executor,
      StatefulRouteObservability observability,
      ObjectProvider<StateCacheOptionsCustomizer> customizers) {
    StateCacheOptions.Builder b =
        StateCacheOptions.builder().listener(observability.stateCacheListener());
    customizers.orderedStream().forEach(c -> c.customize(b));
    return ServiceStateCache.create(executor, b.build());
  }

  /** The gateway role: computes, caches and places the uids' pods. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(
      prefix = "statefulroute.client",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  ClientDriver statefulRouteClientDriver(
      StatefulExecutor executor,
      ServiceStateCache states,
      StatefulRouteObservability observability,
      ObjectProvider<ClientOptionsCustomizer> customizers) {
    ClientOptions.Builder b =
        ClientOptions.builder()
            .stateCache(states.options())
            .listener(observability.clientListener());
    customizers.orderedStream().forEach(c -> c.customize(b));
    ClientOptions customized = b.build();
    ClientOptions options =
        customized.toBuilder().selector(observability.selector(customized::newSelector)).build();
    return observability.clientDriver(ClientDriver.create(executor, options, states));
  }

  /**
   * Closes the starter's executor (with the drivers on it) before the application's Lettuce factory
   * stops; only for the executor the starter built on a Redis client.
   */
  @Bean
  @ConditionalOnBean(StatefulRouteRedisClient.class)
  ExecutorShutdown statefulRouteExecutorShutdown(
      StatefulExecutor executor,
      ObjectProvider<ServiceStateCache> states,
      ObjectProvider<ClientDriver> client) {
    return new ExecutorShutdown(executor, states.getIfUnique(), client.getIfUnique());
  }

  /** The operator's actions (cordon, pin, move, release) through the client driver. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(ClientDriver.class)
  RouteOperator statefulRouteOperator(StatefulExecutor executor, ClientDriver driver) {
    return RouteOperator.create(executor, driver);
  }
}
