package io.statefulroute.observability.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.observability.StatefulRouteObservability;
import io.statefulroute.observability.analysis.PerformanceAnalyzer;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The admin endpoint, served on a free loopback port and called with a real HTTP client. */
class AdminServerTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final VirtualTimeScheduler clock = VirtualClock.create();
  private final InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);
  private final FaultyExecutor faulty = new FaultyExecutor(store);
  private ServiceStateCache states;
  private AdminServer server;

  @BeforeEach
  void setUp() {
    StatefulRouteObservability obs =
        StatefulRouteObservability.builder()
            .meterRegistry(prometheus)
            .clock(new MockClock())
            .build();
    StatefulExecutor executor = obs.executor(faulty);
    states =
        ServiceStateCache.create(
            executor,
            StateCacheOptions.builder()
                .scheduler(clock)
                .listener(obs.stateCacheListener())
                .build());
    publish(0, 5, RoutingState.READY);
    publish(1, 2, RoutingState.DENY_NEW_CALL);
    states.view("eu", "game").block();
    server =
        AdminServer.start(
                AdminOptions.builder()
                    .port(0)
                    .prometheus(prometheus)
                    .executor(executor)
                    .stateCache(states)
                    .observability(obs)
                    .analyzer(PerformanceAnalyzer.builder(prometheus).build())
                    .build())
            .block();
  }

  @AfterEach
  void tearDown() {
    server.close();
    states.close();
  }

  private void publish(int pod, int load, RoutingState state) {
    store
        .publishState(
            "eu", "game", new PodStatus(pod, load, state, "inc-" + pod), Duration.ofMinutes(5))
        .block();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("content-type").orElse("");
  }

  @Test
  void server_bindsLoopbackByDefault_onTheChosenFreePort() {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.port()).isPositive();
    assertThat(AdminOptions.builder().build().host()).isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> AdminOptions.builder().port(70_000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void close_alsoClosesKeepAliveConnections() throws Exception {
    // regression: close() stopped accepting, but a client's pooled connection kept being served
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
    server.close();
    assertThatThrownBy(() -> get("/metrics")).isInstanceOf(IOException.class); // refused
  }

  @Test
  void start_onAPortInUse_errors() {
    assertThatThrownBy(
            () -> AdminServer.start(AdminOptions.builder().port(server.port()).build()).block())
        .isNotNull();
  }

  @Test
  void metrics_servePrometheusText() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).startsWith("text/plain; version=0.0.4");
    assertThat(r.body())
        .contains("statefulroute_state_pods_available{namespace=\"eu\",service=\"game\"} 1.0")
        .contains("statefulroute_state_pods_routable{namespace=\"eu\",service=\"game\"} 2.0")
        .contains(
            "statefulroute_executor_call_seconds_count{exception=\"none\","
                + "operation=\"read_state\",outcome=\"success\"} 1");
  }

  @Test
  void health_isUp_thenDownWithReasons_whenTheStoreFails() throws Exception {
    HttpResponse<String> up = get("/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(contentType(up)).startsWith("application/json");
    assertThat(up.body())
        .startsWith("{\"status\":\"UP\",\"reasons\":[]")
        .contains("{\"name\":\"store\",\"status\":\"UP\"")
        .contains("{\"name\":\"state eu/game\",\"status\":\"UP\"");

    faulty.failing(true);
    clock.advanceTimeBy(Duration.ofSeconds(1)); // the next state read fails
    HttpResponse<String> down = get("/health");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body())
        .startsWith("{\"status\":\"DOWN\"")
        .contains("store: store unreachable: StoreUnavailableException")
        .contains("state eu/game: last state read failed: StoreUnavailableException");
  }

  @Test
  void routes_serveThePodTable() throws Exception {
    HttpResponse<String> r = get("/routes/eu/game");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).startsWith("application/json");
    assertThat(r.body())
        .contains("\"namespace\":\"eu\",\"service\":\"game\",\"source\":\"cache\"")
        .contains("\"counts\":{\"pods\":2,\"fresh\":2,\"routable\":2,\"available\":1,\"good\":1}")
        .contains(
            "{\"pod\":0,\"load\":5,\"routingState\":\"READY\",\"ageMillis\":0,"
                + "\"incarnation\":\"inc-0\","
                + "\"sets\":[\"fresh\",\"routable\",\"available\",\"good\"]}")
        .contains(
            "{\"pod\":1,\"load\":2,\"routingState\":\"DENY_NEW_CALL\",\"ageMillis\":0,"
                + "\"incarnation\":\"inc-1\",\"sets\":[\"fresh\",\"routable\"]}");
  }

  @Test
  void routes_ofAnUnwatchedService_areReadFromTheStore() throws Exception {
    HttpResponse<String> r = get("/routes/eu/chat");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"source\":\"store\"").contains("\"pods\":[]");
  }

  @Test
  void routes_ofAnUnwatchedService_bandTheLoadsAsTheClientsDo() throws Exception {
    // loads in the thousands: the band scales with the load (bandRatio 0.1 of 1,000 = 100), as
    // the clients' placement bands them; the absolute floor (10) alone would leave one good pod
    for (int pod = 0; pod < 2; pod++) {
      store
          .publishState(
              "eu",
              "chat",
              new PodStatus(pod, 1_000 + 50 * pod, RoutingState.READY, "inc-" + pod),
              Duration.ofMinutes(5))
          .block();
    }
    HttpResponse<String> r = get("/routes/eu/chat");
    assertThat(r.body())
        .contains("\"source\":\"store\"")
        .contains("\"counts\":{\"pods\":2,\"fresh\":2,\"routable\":2,\"available\":2,\"good\":2}");
  }

  @Test
  void links_serveTheUidsLinks_withPercentDecodedSegments() throws Exception {
    store.setLink("eu", "a b/c+d", "game", 1, StatefulExecutor.PERSISTENT).block();
    store.setLinkIfAbsent("eu", "a b/c+d", "chat", 3, 60).block();
    HttpResponse<String> r = get("/links/eu/a%20b%2Fc+d?service=game,chat,mail");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).startsWith("application/json");
    assertThat(r.body())
        .isEqualTo(
            "{\"namespace\":\"eu\",\"uid\":\"a b/c+d\","
                + "\"persistent\":{\"game\":1},\"pinned\":{},"
                + "\"links\":{\"chat\":3,\"game\":1}}\n");
  }

  @Test
  void analysis_servesJsonOrText() throws Exception {
    HttpResponse<String> json = get("/analysis");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(contentType(json)).startsWith("application/json");
    assertThat(json.body()).contains("\"status\":\"OK\"").contains("\"low_cache_hit_ratio\"");
    HttpResponse<String> text = get("/analysis?format=text");
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(contentType(text)).startsWith("text/plain");
    assertThat(text.body()).contains("stateful-route performance analysis").contains("7 rules");
  }

  @Test
  void badPathsMethodsAndParameters_get404_405_400() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/routes/eu").statusCode()).isEqualTo(404);
    assertThat(get("/links/eu/u/extra").statusCode()).isEqualTo(404);
    HttpResponse<String> notFound = get("/metrics/x");
    assertThat(contentType(notFound)).startsWith("application/json");
    assertThat(notFound.body()).contains("\"status\":404").contains("no such endpoint");

    HttpResponse<String> post =
        send(
            HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).contains("GET");

    HttpResponse<String> badFormat = get("/analysis?format=xml");
    assertThat(badFormat.statusCode()).isEqualTo(400);
    assertThat(badFormat.body()).contains("format must be json or text");
    assertThat(get("/routes/" + "n".repeat(300) + "/game").statusCode()).isEqualTo(400);
    assertThat(get("/links/eu/u?service=").statusCode()).isEqualTo(200);
    assertThat(get("/links/eu/u?service=a,,b").statusCode()).isEqualTo(400);
  }

  @Test
  void endpointsWithoutTheirSource_answer404_andHealthIsUp() throws Exception {
    try (AdminServer bare = AdminServer.start(AdminOptions.builder().port(0).build()).block()) {
      String base = "http://127.0.0.1:" + bare.port();
      for (String path : new String[] {"/metrics", "/analysis", "/routes/eu/game", "/links/eu/u"}) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)).build());
        assertThat(r.statusCode()).as(path).isEqualTo(404);
        assertThat(r.body()).as(path).contains("configured");
      }
      HttpResponse<String> health =
          send(HttpRequest.newBuilder(URI.create(base + "/health")).build());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).startsWith("{\"status\":\"UP\"");
    }
  }
}
