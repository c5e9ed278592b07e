package io.statefulroute.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.statefulroute.core.PodState;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.RouteOperator;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.redis.RedisStatefulExecutor;
import io.statefulroute.test.redis.RedisServersExtension;
import io.statefulroute.test.redis.RedisTarget;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.util.retry.Retry;

/**
 * The auto-configuration on real Redis: standalone and cluster through spring.data.redis.*, its own
 * statefulroute.redis.uri, client-only, server-only, both, with and without actuator.
 */
@ExtendWith(RedisServersExtension.class)
class StatefulRouteAutoConfigurationIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataRedisAutoConfiguration.class,
                  StatefulRouteAutoConfiguration.class,
                  StatefulRouteHealthAutoConfiguration.class,
                  StatefulRouteEndpointAutoConfiguration.class));

  private static String[] both(String ns) {
    return new String[] {
      "statefulroute.namespace=" + ns,
      "statefulroute.server.enabled=true",
      "statefulroute.server.service=game",
      "statefulroute.server.pod-index=2",
      "statefulroute.server.publish-period=200ms",
      "statefulroute.server.state-expiry=2s"
    };
  }

  @Test
  void bothRoles_standaloneFromSpringDataRedis_placeOnThePodAndStopItWithTheContext(
      RedisTarget redis) {
    String ns = redis.uniqueNamespace();
    runner
        .withPropertyValues("spring.data.redis.url=" + redis.uri())
        .withPropertyValues(both(ns))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(StatefulRouteRedisClient.class).source())
                  .isEqualTo("spring.data.redis");
              assertThat(ctx.getBean(StatefulRouteRedisClient.class).owned()).isFalse();
              assertThat(ctx).hasSingleBean(ServiceStateCache.class);
              assertThat(ctx).hasSingleBean(RouteOperator.class);
              assertPlacesOnPod2(ctx, ns);
            });
    // closed: the lifecycle stopped the driver, which published SHUTDOWN
    try (var client = io.lettuce.core.RedisClient.create(redis.uri());
        var check = RedisStatefulExecutor.create(client)) {
      assertThat(routingState(check, ns)).isEqualTo(RoutingState.SHUTDOWN);
    }
  }

  @Test
  void bothRoles_clusterFromSpringDataRedis(@RedisServersExtension.Cluster RedisTarget redis) {
    String ns = redis.uniqueNamespace();
    String nodes =
        String.join(",", redis.uris().stream().map(u -> u.replace("redis://", "")).toList());
    runner
        .withPropertyValues("spring.data.redis.cluster.nodes=" + nodes)
        .withPropertyValues(both(ns))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertPlacesOnPod2(ctx, ns);
            });
  }

  @Test
  void ownUri_withoutSpringDataRedisOrActuator_isOwnedAndWorks(RedisTarget redis) {
    String ns = redis.uniqueNamespace();
    runner
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.data.redis",
                "org.springframework.boot.actuate",
                "org.springframework.boot.health"))
        .withPropertyValues("statefulroute.redis.uri=" + redis.uri())
        .withPropertyValues(both(ns))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(StatefulRouteRedisClient.class).owned()).isTrue();
              assertThat(ctx).doesNotHaveBean("statefulrouteHealthIndicator");
              assertPlacesOnPod2(ctx, ns);
            });
  }

  @Test
  void clientOnly_hasNoServerDriver_andMetersInTheRegistry(RedisTarget redis) {
    String ns = redis.uniqueNamespace();
    runner
        .withUserConfiguration(Meters.class)
        .withPropertyValues("spring.data.redis.url=" + redis.uri(), "statefulroute.namespace=" + ns)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(ServerDriver.class);
              ClientDriver client = ctx.getBean(ClientDriver.class);
              client.getLinkedPod(ns, "nobody", "game").block(WAIT);
              MeterRegistry meters = ctx.getBean(MeterRegistry.class);
              assertThat(meters.find("statefulroute.executor.call").timers()).isNotEmpty();
              assertThat(meters.find("statefulroute.client.cache.size").gauge()).isNotNull();
            });
  }

  @Test
  void observationRegistry_observesTheComputes(RedisTarget redis) {
    String ns = redis.uniqueNamespace();
    runner
        .withUserConfiguration(Observations.class)
        .withPropertyValues("spring.data.redis.url=" + redis.uri())
        .withPropertyValues(both(ns))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertPlacesOnPod2(ctx, ns);
              assertThat(ctx.getBean(Observations.class).names).contains("statefulroute.compute");
            });
  }

  @Test
  void serverOnly_publishes_andHealthIsUp(RedisTarget redis) {
    String ns = redis.uniqueNamespace();
    runner
        .withPropertyValues("spring.data.redis.url=" + redis.uri())
        .withPropertyValues(both(ns))
        .withPropertyValues("statefulroute.client.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(ClientDriver.class);
              StatefulExecutor executor = ctx.getBean(StatefulExecutor.class);
              // polled without blocking: the repeats run on a timer thread, where block() fails
              executor
                  .readState(ns, "game")
                  .filter(state -> !state.pods().isEmpty())
                  .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(50)))
                  .block(WAIT);
              assertThat(routingState(executor, ns)).isEqualTo(RoutingState.READY);
              StatefulRouteHealthIndicator health = ctx.getBean(StatefulRouteHealthIndicator.class);
              Health up = health.health().block(WAIT);
              assertThat(up.getStatus()).isEqualTo(Status.UP);
              @SuppressWarnings("unchecked")
              Map<String, Object> server = (Map<String, Object>) up.getDetails().get("server");
              assertThat(server).containsEntry("pod", 2).containsEntry("routingState", "READY");
              // draining: still UP (a not-ready pod would lose its DNS record)
              ctx.getBean(ServerDriver.class).setRoutingState(RoutingState.DENY_NEW_CALL);
              assertThat(health.health().block(WAIT).getStatus()).isEqualTo(Status.UP);
            });
  }

  @Test
  @SuppressWarnings("unchecked")
  void endpoint_exposed_answersTheAdminReportsAndOperatorActions(RedisTarget redis) {
    String ns = redis.uniqueNamespace();
    runner
        .withPropertyValues(
            "spring.data.redis.url=" + redis.uri(),
            "management.endpoints.web.exposure.include=statefulroute")
        .withPropertyValues(both(ns))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertPlacesOnPod2(ctx, ns);
              StatefulRouteEndpoint endpoint = ctx.getBean(StatefulRouteEndpoint.class);
              assertThat(endpoint.roles()).containsEntry("namespace", ns).containsKey("server");

              var routes = endpoint.report("routes", ns, "game", null).block(WAIT);
              assertThat(routes.getStatus()).isEqualTo(200);
              assertThat((Map<String, Object>) routes.getBody()).containsEntry("service", "game");

              var links = endpoint.report("links", ns, "alice", "game").block(WAIT);
              assertThat((Map<String, Object>) links.getBody())
                  .containsEntry("links", Map.of("game", 2));

              var cordon = endpoint.pod("cordon", ns, "game", "2", null).block(WAIT);
              assertThat(cordon.getStatus()).isEqualTo(200);
              assertThat((Map<String, Object>) cordon.getBody()).containsEntry("changed", true);
              var uncordon = endpoint.pod("uncordon", ns, "game", "2", null).block(WAIT);
              assertThat((Map<String, Object>) uncordon.getBody()).containsEntry("changed", true);

              assertThat(endpoint.pod("cordon", ns, "game", "x", null).block(WAIT).getStatus())
                  .isEqualTo(400);
              assertThat(endpoint.report("nope", ns, "game", null).block(WAIT).getStatus())
                  .isEqualTo(404);
              // the pod is routable: releasing its persistent links is refused
              assertThat(endpoint.pod("release", ns, "game", "2", null).block(WAIT).getStatus())
                  .isEqualTo(409);
            });
  }

  @Test
  void endpoint_notExposed_isNotRegistered(RedisTarget redis) {
    runner
        .withPropertyValues(
            "spring.data.redis.url=" + redis.uri(),
            "statefulroute.namespace=" + redis.uniqueNamespace())
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(StatefulRouteEndpoint.class);
            });
  }

  private static void assertPlacesOnPod2(AssertableApplicationContext ctx, String ns) {
    ClientDriver client = ctx.getBean(ClientDriver.class);
    Integer pod =
        client
            .computeLinkedPod(ns, "alice", "game")
            .retryWhen(Retry.fixedDelay(100, Duration.ofMillis(50)))
            .block(WAIT);
    assertThat(pod).isEqualTo(2);
    assertThat(ctx.getBean(StatefulExecutor.class).getLink(ns, "alice", "game").block(WAIT))
        .isEqualTo(2);
  }

  private static RoutingState routingState(StatefulExecutor executor, String ns) {
    Map<Integer, PodState> pods = executor.readState(ns, "game").block(WAIT).pods();
    return pods.isEmpty() ? null : pods.values().iterator().next().state();
  }

  /** An observation registry that records the names of the observations it starts. */
  @Configuration(proxyBeanMethods = false)
  static class Observations {
    final java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Bean
    ObservationRegistry observationRegistry() {
      ObservationRegistry registry = ObservationRegistry.create();
      registry
          .observationConfig()
          .observationHandler(
              new ObservationHandler<Observation.Context>() {
                @Override
                public void onStart(Observation.Context context) {
                  names.add(context.getName());
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                  return true;
                }
              });
      return registry;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Meters {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }
}
