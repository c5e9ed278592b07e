package io.statefulroute.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statefulroute.core.RoutingState;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.ServiceView;
import io.statefulroute.examples.game.GameServerApplication;
import io.statefulroute.test.redis.RedisServers;
import io.statefulroute.test.redis.RedisTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Real Redis, two game servers and the gateway on random ports; traffic through the gateway while
 * game server 0 is drained by closing its context: no request fails, pod 0's users are served by it
 * until it releases them and then by pod 1 (never back), and new users avoid pod 0.
 */
class GatewayEndToEndIT {
  private static final Pattern POD = Pattern.compile("pod=(\\d+) uid=(\\S+) ");
  private static final int USERS = 40;

  private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

  @AfterEach
  void close() {
    apps.forEach(ConfigurableApplicationContext::close);
  }

  @Test
  void drainingAGameServer_midTraffic_failsNoRequestAndMovesItsUsers() {
    RedisTarget redis = RedisServers.standalone();
    String ns = redis.uniqueNamespace();
    ConfigurableApplicationContext game0 = gameServer(redis, ns, 0);
    ConfigurableApplicationContext game1 = gameServer(redis, ns, 1);
    ConfigurableApplicationContext gateway =
        start(
            new SpringApplicationBuilder(GatewayApplication.class, OwnNettyResources.class)
                .properties(GatewayApplication.CONFIG_NAME),
            "server.port=0",
            "spring.data.redis.url=" + redis.uri(),
            "statefulroute.namespace=" + ns,
            "gateway.pod-urls.0=http://localhost:" + port(game0),
            "gateway.pod-urls.1=http://localhost:" + port(game1));
    WebTestClient client =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port(gateway))
            .responseTimeout(Duration.ofSeconds(10))
            .build();

    // both pods published: the gateway's view has both available
    ServiceStateCache states = gateway.getBean(ServiceStateCache.class);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(available(states, ns))
                    .as(
                        "%s / store: %s",
                        states.view(ns, "game").block(Duration.ofSeconds(5)),
                        game1
                            .getBean(io.statefulroute.core.StatefulExecutor.class)
                            .readState(ns, "game")
                            .block(Duration.ofSeconds(5)))
                    .hasSize(2));

    Map<String, List<Integer>> served = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      traffic(client, "user-", served);
    }
    List<String> onPod0 =
        served.entrySet().stream()
            .filter(e -> e.getValue().get(0) == 0)
            .map(Map.Entry::getKey)
            .toList();
    assertThat(onPod0).as("placement used both pods").isNotEmpty().hasSizeLessThan(USERS);

    // the starter's actuator endpoint: the gateway's view of the service, and health
    client
        .get()
        .uri("/actuator/statefulroute/routes/{ns}/game", ns)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.counts.available")
        .isEqualTo(2)
        .jsonPath("$.source")
        .isEqualTo("cache");
    client
        .get()
        .uri("/actuator/statefulroute/links/{ns}/{uid}?service=game", ns, onPod0.get(0))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.links.game")
        .isEqualTo(0);
    client.get().uri("/actuator/health").exchange().expectStatus().isOk();

    // drain pod 0 mid-traffic: closing its context runs the driver's stop
    CompletableFuture<Void> closing = CompletableFuture.runAsync(game0::close);
    ServerDriver driver0 = game0.getBean(ServerDriver.class);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> driver0.routingState() != RoutingState.READY);
    int rounds = 0;
    while (!closing.isDone()) {
      traffic(client, "user-", served);
      rounds++;
      assertThat(rounds).as("the drain ends").isLessThan(2_000);
    }
    closing.join();
    for (int round = 0; round < 3; round++) {
      traffic(client, "user-", served);
    }

    // pod 0's users: served by pod 0 until released, then by pod 1, never back
    for (String uid : onPod0) {
      List<Integer> pods = served.get(uid);
      int firstOnOne = pods.indexOf(1);
      assertThat(firstOnOne).as(uid + " moved: " + pods).isPositive();
      assertThat(pods.subList(0, firstOnOne)).as(uid).containsOnly(0);
      assertThat(pods.subList(firstOnOne, pods.size())).as(uid).containsOnly(1);
    }
    // pod 1's users stayed
    served.forEach(
        (uid, pods) -> {
          if (!onPod0.contains(uid)) {
            assertThat(pods).as(uid).containsOnly(1);
          }
        });
    // new users avoid the drained pod
    Map<String, List<Integer>> newcomers = new HashMap<>();
    traffic(client, "newcomer-", newcomers);
    newcomers.values().forEach(pods -> assertThat(pods).containsOnly(1));
    assertThat(rounds).as("traffic ran during the drain").isPositive();
    int requests = served.values().stream().mapToInt(List::size).sum();
    System.out.printf(
        "GatewayEndToEndIT: %d requests of %d users, %d rounds during the drain, %d users moved"
            + " from pod 0, 0 failed%n",
        requests, USERS, rounds, onPod0.size());
  }

  /** One request per user through the gateway; each must succeed. */
  private static void traffic(WebTestClient client, String prefix, Map<String, List<Integer>> out) {
    for (int u = 0; u < USERS; u++) {
      String uid = prefix + u;
      String body =
          client
              .get()
              .uri("/play/{uid}", uid)
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(String.class)
              .returnResult()
              .getResponseBody();
      Matcher m = POD.matcher(body == null ? "" : body);
      assertThat(m.find()).as(body).isTrue();
      assertThat(m.group(2)).isEqualTo(uid);
      out.computeIfAbsent(uid, k -> new ArrayList<>()).add(Integer.parseInt(m.group(1)));
    }
  }

  private static List<Integer> available(ServiceStateCache states, String ns) {
    ServiceView view = states.view(ns, "game").block(Duration.ofSeconds(5));
    List<Integer> pods = new ArrayList<>();
    if (view != null) {
      for (int pod : view.pods().keySet()) {
        if (view.isAvailable(pod)) {
          pods.add(pod);
        }
      }
    }
    return pods;
  }

  private ConfigurableApplicationContext gameServer(RedisTarget redis, String ns, int pod) {
    return start(
        new SpringApplicationBuilder(GameServerApplication.class, OwnNettyResources.class)
            .properties(GameServerApplication.CONFIG_NAME),
        "server.port=0",
        "spring.data.redis.url=" + redis.uri(),
        "statefulroute.namespace=" + ns,
        "statefulroute.server.pod-index=" + pod,
        "statefulroute.server.publish-period=200ms",
        "statefulroute.server.state-expiry=2s",
        "statefulroute.server.drain-timeout=20s");
  }

  /** Runs the application with {@code properties} as command-line arguments (they win). */
  private ConfigurableApplicationContext start(SpringApplicationBuilder app, String... properties) {
    ConfigurableApplicationContext ctx =
        app.run(java.util.Arrays.stream(properties).map(p -> "--" + p).toArray(String[]::new));
    apps.add(ctx);
    return ctx;
  }

  /**
   * Each application of this JVM gets its own Reactor Netty resources: by default they share the
   * global ones, which the first context to close would dispose under the others.
   */
  @Configuration(proxyBeanMethods = false)
  static class OwnNettyResources {
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
      ReactorResourceFactory resources = new ReactorResourceFactory();
      resources.setUseGlobalResources(false);
      return resources;
    }
  }

  private static int port(ConfigurableApplicationContext ctx) {
    return Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port", "-1"));
  }
}
