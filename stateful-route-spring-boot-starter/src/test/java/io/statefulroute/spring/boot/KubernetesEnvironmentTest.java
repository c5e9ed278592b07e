package io.statefulroute.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.server.ServerDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * The environment variables of the example StatefulSet ({@code examples/k8s/game-server.yaml}) bind
 * to the starter's properties as Spring Boot maps environment variables, and the pod index comes
 * from the downward API's variables: what the manifest says is what the pod runs with.
 */
class KubernetesEnvironmentTest {
  private static final Path MANIFEST = Path.of("..", "examples", "k8s", "game-server.yaml");
  private static final Pattern PLAIN_VALUE =
      Pattern.compile("- name: (\\w+)\\n\\s+value: \"?([^\"\\n]+)\"?\\n");

  @Test
  void theManifestsVariables_configureTheServerRole() throws IOException {
    Map<String, Object> env = new LinkedHashMap<>(plainVariables());
    assertThat(env)
        .containsEntry("STATEFULROUTE_SERVER_SERVICE", "game")
        .containsKeys("STATEFULROUTE_SERVER_DRAIN_TIMEOUT", "STATEFULROUTE_NAMESPACE");
    env.put("POD_NAME", "game-3"); // the downward API's metadata.name (no pod-index label)
    new ApplicationContextRunner()
        .withInitializer(
            ctx ->
                ctx.getEnvironment()
                    .getPropertySources()
                    .addFirst(new SystemEnvironmentPropertySource("k8s-systemEnvironment", env)))
        .withConfiguration(AutoConfigurations.of(StatefulRouteAutoConfiguration.class))
        .withUserConfiguration(InMemory.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              StatefulRouteProperties.Server server =
                  ctx.getBean(StatefulRouteProperties.class).getServer();
              assertThat(server.getDrainTimeout()).isEqualTo(Duration.ofSeconds(20));
              assertThat(server.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
              ServerDriver driver = ctx.getBean(ServerDriver.class);
              assertThat(driver.options().namespace()).isEqualTo("demo");
              assertThat(driver.options().service()).isEqualTo("game");
              assertThat(driver.options().pod()).isEqualTo(3);
              assertThat(driver.options().drainTimeout()).isEqualTo(Duration.ofSeconds(20));
            });
  }

  @Test
  void thePodIndexLabel_winsOverThePodName() throws IOException {
    Map<String, Object> env = new LinkedHashMap<>(plainVariables());
    env.put("POD_NAME", "game-3");
    env.put("POD_INDEX", "7");
    new ApplicationContextRunner()
        .withInitializer(
            ctx ->
                ctx.getEnvironment()
                    .getPropertySources()
                    .addFirst(new SystemEnvironmentPropertySource("k8s-systemEnvironment", env)))
        .withConfiguration(AutoConfigurations.of(StatefulRouteAutoConfiguration.class))
        .withUserConfiguration(InMemory.class)
        .run(ctx -> assertThat(ctx.getBean(ServerDriver.class).options().pod()).isEqualTo(7));
  }

  @Test
  void theManifestsRedis_isTheOneTheExampleApplicationsConnectTo() throws IOException {
    for (String app : List.of("game-server", "gateway")) {
      StandardEnvironment environment = new StandardEnvironment();
      environment
          .getPropertySources()
          .addFirst(
              new SystemEnvironmentPropertySource(
                  "k8s-systemEnvironment",
                  new LinkedHashMap<>(
                      plainVariables(Path.of("..", "examples", "k8s", app + ".yaml")))));
      environment
          .getPropertySources()
          .addLast(
              new ResourcePropertySource(
                  new FileSystemResource(
                      Path.of(
                          "..",
                          "examples",
                          app,
                          "src",
                          "main",
                          "resources",
                          app + ".properties"))));
      // the examples have Spring Data Redis: the starter reuses its client (spring.data.redis.*)
      assertThat(Binder.get(environment).bind("spring.data.redis.url", String.class).get())
          .as(app)
          .isEqualTo("redis://redis:6379");
    }
  }

  /** The manifest's variables with a plain {@code value:} (not the downward API's). */
  private static Map<String, String> plainVariables() throws IOException {
    return plainVariables(MANIFEST);
  }

  private static Map<String, String> plainVariables(Path manifest) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    Matcher m = PLAIN_VALUE.matcher(Files.readString(manifest));
    while (m.find()) {
      env.put(m.group(1), m.group(2).trim());
    }
    return env;
  }

  @Configuration(proxyBeanMethods = false)
  static class InMemory {
    @Bean
    StatefulExecutor memory() {
      return InMemoryStatefulExecutor.create();
    }
  }
}
