package io.statefulroute.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.server.PodIdentityException;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Bad properties fail before any I/O; an application's own executor is used as it is. */
class StatefulRouteAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  StatefulRouteAutoConfiguration.class,
                  StatefulRouteHealthAutoConfiguration.class));

  @Test
  void noNamespace_failsNamingTheProperty() {
    runner.run(
        ctx ->
            assertThat(ctx)
                .getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("statefulroute.namespace")
                .hasMessageContaining("required when a role is enabled"));
  }

  @Test
  void emptyNamespace_failsNamingTheRule() {
    runner
        .withPropertyValues("statefulroute.namespace=")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("statefulroute.namespace"));
  }

  @Test
  void serverWithoutService_failsNamingTheProperty() {
    runner
        .withPropertyValues("statefulroute.namespace=eu", "statefulroute.server.enabled=true")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("statefulroute.server.service"));
  }

  @Test
  void negativePodIndex_failsNamingTheProperty() {
    runner
        .withPropertyValues(
            "statefulroute.namespace=eu",
            "statefulroute.server.enabled=true",
            "statefulroute.server.service=game",
            "statefulroute.server.pod-index=-1")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("statefulroute.server.pod-index")
                    .hasMessageContaining("must be >= 0"));
  }

  @Test
  void stateExpiryBelowTwoPublishPeriods_failsNamingTheRule() {
    runner
        .withPropertyValues(
            "statefulroute.namespace=eu",
            "statefulroute.server.enabled=true",
            "statefulroute.server.service=game",
            "statefulroute.server.publish-period=3s")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("publish-period=PT3S")
                    .hasMessageContaining("stateExpiry >= 2 x publishPeriod"));
  }

  @Test
  void shutdownPhaseShorterThanTheStop_failsNamingBothProperties() {
    runner
        .withUserConfiguration(InMemory.class)
        .withPropertyValues(
            "statefulroute.namespace=eu",
            "statefulroute.server.enabled=true",
            "statefulroute.server.service=game",
            "statefulroute.server.pod-index=0",
            "statefulroute.server.drain-timeout=25s",
            "spring.lifecycle.timeout-per-shutdown-phase=28s")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase")
                    .hasMessageContaining("drain-timeout + 2 x shutdown-timeout (PT29S)"));
  }

  @Test
  void shutdownPhaseShorterThanTheStop_failsBeforeConnectingToTheStartersRedis() throws Exception {
    runner
        .withClassLoader(new FilteredClassLoader(LettuceConnectionFactory.class))
        .withPropertyValues(
            "statefulroute.namespace=eu",
            "statefulroute.redis.uri=redis://127.0.0.1:" + closedPort(),
            "statefulroute.server.enabled=true",
            "statefulroute.server.service=game",
            "statefulroute.server.pod-index=0",
            "statefulroute.server.drain-timeout=25s",
            "spring.lifecycle.timeout-per-shutdown-phase=28s")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase"));
  }

  @Test
  void noPodIndex_failsBeforeConnectingToTheStartersRedis() throws Exception {
    runner
        .withClassLoader(new FilteredClassLoader(LettuceConnectionFactory.class))
        .withPropertyValues(
            "statefulroute.namespace=eu",
            "statefulroute.redis.uri=redis://127.0.0.1:" + closedPort(),
            "statefulroute.server.enabled=true",
            "statefulroute.server.service=game",
            "POD_NAME=game-")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(PodIdentityException.class)
                    .hasMessageContaining("POD_NAME=game- (no -<ordinal> suffix)")
                    .hasMessageContaining("statefulroute.server.pod-index"));
  }

  @Test
  void applicationsServerDriver_needsNoPodIndexOfTheStarter() {
    runner
        .withUserConfiguration(InMemory.class, OwnServerDriver.class)
        .withPropertyValues(
            "statefulroute.namespace=eu",
            "statefulroute.server.enabled=true",
            "statefulroute.server.service=game",
            "statefulroute.server.drain-timeout=40s")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(ServerDriver.class).options().pod()).isEqualTo(6);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnServerDriver {
    @Bean
    ServerDriver ownServerDriver(StatefulExecutor executor) {
      return ServerDriver.create(executor, ServerOptions.builder("eu", "game", 6).build());
    }
  }

  /** A port nothing listens on: connecting to it fails. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void noRedis_failsSayingWhatToSet() {
    runner
        .withClassLoader(new FilteredClassLoader(LettuceConnectionFactory.class))
        .withPropertyValues("statefulroute.namespace=eu")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("statefulroute.redis.uri")
                    .hasMessageContaining("spring.data.redis"));
  }

  @Test
  void badRedisUri_failsNamingTheProperty() {
    runner
        .withPropertyValues("statefulroute.namespace=eu", "statefulroute.redis.uri=http://x")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("statefulroute.redis.uri")
                    .hasMessageContaining("not a Redis URI"));
  }

  @Test
  void applicationsExecutor_isUsedByBothDrivers() {
    runner
        .withUserConfiguration(InMemory.class)
        .withPropertyValues(
            "statefulroute.namespace=eu",
            "statefulroute.server.enabled=true",
            "statefulroute.server.service=game",
            "statefulroute.server.pod-index=3")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(StatefulRouteRedisClient.class);
              assertThat(ctx.getBean(StatefulExecutor.class))
                  .isSameAs(ctx.getBean("memory", StatefulExecutor.class));
              ServerDriver server = ctx.getBean(ServerDriver.class);
              assertThat(server.options().pod()).isEqualTo(3);
              assertThat(ctx.getBean(ServerDriverLifecycle.class).isRunning()).isTrue();
              ClientDriver client = ctx.getBean(ClientDriver.class);
              // the lifecycle started the server: its publication places the uid on it
              assertThat(
                      client
                          .computeLinkedPod("eu", "alice", "game")
                          .retryWhen(reactor.util.retry.Retry.fixedDelay(50, Duration.ofMillis(20)))
                          .block(Duration.ofSeconds(5)))
                  .isEqualTo(3);
            });
  }

  @Test
  void clientDisabled_registersNoClientDriver() {
    runner
        .withUserConfiguration(InMemory.class)
        .withPropertyValues("statefulroute.namespace=eu", "statefulroute.client.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(ClientDriver.class);
              assertThat(ctx).doesNotHaveBean(ServerDriver.class);
            });
  }

  @Test
  void dependencyVersions_olderThanTested_failNamingTheMavenProperty() {
    assertThatThrownBy(
            () -> DependencyVersions.check("Lettuce", "6.3.2.RELEASE", "6.8", "lettuce.version"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Lettuce 6.8 or newer, found 6.3.2.RELEASE")
        .hasMessageContaining("<lettuce.version>");
    DependencyVersions.check("Lettuce", "6.8.2.RELEASE/abc", "6.8", "lettuce.version");
    DependencyVersions.check("Lettuce", "7.7.0.RELEASE", "6.8", "lettuce.version");
    DependencyVersions.check("Caffeine", null, "3.2", "caffeine.version");
    DependencyVersions.check(); // this build's own versions pass
  }

  @Configuration(proxyBeanMethods = false)
  static class InMemory {
    @Bean
    StatefulExecutor memory() {
      return InMemoryStatefulExecutor.create();
    }
  }
}
