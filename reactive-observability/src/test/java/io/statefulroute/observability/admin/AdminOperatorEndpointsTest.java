package io.statefulroute.observability.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RebalancerLease;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.client.RouteOperator;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.rebalance.Rebalancer;
import io.statefulroute.core.rebalance.RebalancerOptions;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.VirtualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The operator endpoints of the admin server: authenticated POSTs (401 without or with a wrong
 * token, 403 when no token is configured), cordons and pins shown by the GET endpoints.
 */
class AdminOperatorEndpointsTest {
  private static final String TOKEN = "op-token-0123456789abcdef";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final VirtualTimeScheduler clock = VirtualClock.create();
  private final InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);
  private ClientDriver driver;
  private AdminServer server;
  private AdminServer off;

  private Rebalancer rebalancer;

  @BeforeEach
  void setUp() {
    rebalancer =
        Rebalancer.create(
            store,
            ServiceStateCache.create(store, StateCacheOptions.builder().scheduler(clock).build()),
            RebalancerOptions.builder("eu", "game").owner("admin-test").scheduler(clock).build());
    driver =
        ClientDriver.create(
            store,
            ClientOptions.builder()
                .stateCache(StateCacheOptions.builder().scheduler(clock).build())
                .build());
    publish(0, RoutingState.READY);
    publish(1, RoutingState.READY);
    driver.states().view("eu", "game").block();
    AdminOptions options =
        AdminOptions.builder()
            .port(0)
            .executor(store)
            .stateCache(driver.states())
            .routeOperator(RouteOperator.create(store, driver))
            .rebalancer(rebalancer)
            .build();
    server = AdminServer.start(options.toBuilder().operatorToken(TOKEN).build()).block();
    off = AdminServer.start(options).block(); // no token: mutations off
  }

  @AfterEach
  void tearDown() {
    rebalancer.close();
    server.close();
    off.close();
    driver.close();
  }

  private void publish(int pod, RoutingState state) {
    store
        .publishState(
            "eu", "game", new PodStatus(pod, 0, state, "inc-" + pod), Duration.ofMinutes(5))
        .block();
  }

  private HttpResponse<String> post(AdminServer to, String path, @Nullable String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + path))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, @Nullable String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private boolean cordoned(int pod) {
    return store.readState("eu", "game").block().isCordoned(pod);
  }

  @Test
  void rebalancing_suspendAndResume_needTheToken_andTheReportShowsTheLastCycle() throws Exception {
    assertThat(post(server, "/suspend-rebalancing/eu/game", null).statusCode()).isEqualTo(401);
    assertThat(post(off, "/suspend-rebalancing/eu/game", "Bearer " + TOKEN).statusCode())
        .isEqualTo(403);
    assertThat(rebalancer.runCycle().block().lease()).isEqualTo(RebalancerLease.HELD);
    HttpResponse<String> suspended =
        post(server, "/suspend-rebalancing/eu/game", "Bearer " + TOKEN);
    assertThat(suspended.statusCode()).isEqualTo(200);
    assertThat(suspended.body()).contains("\"rebalancing\":\"suspended\"", "\"changed\":true");
    assertThat(rebalancer.runCycle().block().lease()).isEqualTo(RebalancerLease.SUSPENDED);
    HttpResponse<String> report = get("/rebalance/eu/game", null);
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.body())
        .contains("\"owner\":\"admin-test\"", "\"cycles\":2", "\"cyclesLed\":1")
        .contains("\"lease\":\"SUSPENDED\"");
    assertThat(get("/rebalance/eu/other", null).body()).contains("\"rebalancers\":[]");
    HttpResponse<String> resumed = post(server, "/resume-rebalancing/eu/game", "Bearer " + TOKEN);
    assertThat(resumed.body()).contains("\"rebalancing\":\"running\"", "\"changed\":true");
    assertThat(rebalancer.runCycle().block().lease()).isEqualTo(RebalancerLease.HELD);
  }

  @Test
  void post_withoutToken_is401_andChangesNothing() throws Exception {
    HttpResponse<String> r = post(server, "/cordon/eu/game/1", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("missing Authorization");
    assertThat(r.headers().firstValue("www-authenticate"))
        .hasValue("Bearer realm=\"stateful-route\"");
    assertThat(post(server, "/cordon/eu/game/1", "Basic " + TOKEN).statusCode()).isEqualTo(401);
    assertThat(cordoned(1)).isFalse();
  }

  @Test
  void post_withAWrongToken_is401_andChangesNothing() throws Exception {
    for (String wrong : new String[] {TOKEN + "x", TOKEN.substring(1), "Bearer", ""}) {
      HttpResponse<String> r = post(server, "/cordon/eu/game/1", "Bearer " + wrong);
      assertThat(r.statusCode()).as(wrong).isEqualTo(401);
    }
    assertThat(post(server, "/pin/eu/alice/game/1", "Bearer nope").statusCode()).isEqualTo(401);
    assertThat(cordoned(1)).isFalse();
    assertThat(store.getLink("eu", "alice", "game").block()).isNull();
  }

  @Test
  void post_withMutationsOff_is403_evenWithTheToken() throws Exception {
    HttpResponse<String> r = post(off, "/cordon/eu/game/1", "Bearer " + TOKEN);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("no operatorToken");
    assertThat(post(off, "/release/eu/game/1", null).statusCode()).isEqualTo(403);
    assertThat(cordoned(1)).isFalse();
  }

  @Test
  void cordon_thenRoutesShowIt_andUncordonLiftsIt() throws Exception {
    HttpResponse<String> r = post(server, "/cordon/eu/game/1", "Bearer " + TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"pod\":1,\"cordoned\":true,\"changed\":true");
    assertThat(cordoned(1)).isTrue();
    HttpResponse<String> routes = get("/routes/eu/game", null);
    assertThat(routes.body())
        .contains("\"cordoned\":[1]")
        .contains("\"sets\":[\"fresh\",\"routable\",\"cordoned\"]");
    HttpResponse<String> lifted = post(server, "/uncordon/eu/game/1", "bearer " + TOKEN);
    assertThat(lifted.statusCode()).isEqualTo(200);
    assertThat(lifted.body()).contains("\"cordoned\":false,\"changed\":true");
    assertThat(get("/routes/eu/game", null).body()).contains("\"cordoned\":[]");
  }

  @Test
  void pin_showsInLinksAndTheListing_move_andRelease() throws Exception {
    String auth = "Bearer " + TOKEN;
    store.setLink("eu", "app", "game", 1, StatefulExecutor.PERSISTENT).block();
    assertThat(post(server, "/pin/eu/alice/game/1", auth).body()).contains("\"previous\":null");
    assertThat(get("/links/eu/alice?service=game", null).body())
        .contains("\"persistent\":{\"game\":1},\"pinned\":{\"game\":1}");
    assertThat(get("/links/eu/app", null).body()).contains("\"pinned\":{}");
    assertThat(get("/persistent/eu/game/1", null).statusCode()).isEqualTo(401);
    assertThat(get("/persistent/eu/game/1", auth).body())
        .contains("\"uids\":[\"alice\",\"app\"],\"pinned\":[\"alice\"],\"truncated\":false");

    assertThat(post(server, "/release/eu/game/1", auth).statusCode()).isEqualTo(409); // routable
    HttpResponse<String> moved = post(server, "/move/eu/app/game/1/0", auth);
    assertThat(moved.body()).contains("\"moved\":true,\"pod\":0");
    assertThat(store.getLinkIfPersistent("eu", "app", "game").block()).isZero();
    assertThat(post(server, "/move/eu/nobody/game/1/0", auth).statusCode()).isEqualTo(404);

    publish(1, RoutingState.SHUTDOWN);
    HttpResponse<String> released = post(server, "/release/eu/game/1?delayMs=0", auth);
    assertThat(released.statusCode()).isEqualTo(200);
    assertThat(released.body()).contains("\"released\":0,\"notOwned\":1,\"failed\":0");
    assertThat(post(server, "/unpin/eu/alice/game", auth).body()).contains("\"unpinned\":true");
  }

  @Test
  void badParameters_are400_afterTheToken_andOtherMethods405() throws Exception {
    String auth = "Bearer " + TOKEN;
    assertThat(post(server, "/cordon/eu/game/-1", auth).statusCode()).isEqualTo(400);
    assertThat(post(server, "/cordon/eu/game/x", auth).statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = post(server, "/cordon/eu/game/9", auth);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("pod 9").contains("unknown");
    assertThat(post(server, "/cordon/eu/game/x", null).statusCode()).isEqualTo(401);
    assertThat(post(server, "/release/eu/game/1?delayMs=-5", auth).statusCode()).isEqualTo(400);
    HttpResponse<String> getOfAPost = get("/cordon/eu/game/1", auth);
    assertThat(getOfAPost.statusCode()).isEqualTo(405);
    assertThat(getOfAPost.headers().firstValue("allow")).hasValue("POST");
    assertThat(post(server, "/routes/eu/game", auth).statusCode()).isEqualTo(405);
    assertThat(cordoned(1)).isFalse();
  }

  @Test
  void token_isNeverPrinted_andBadTokensAreRefused() {
    AdminOptions options = AdminOptions.builder().operatorToken(TOKEN).build();
    assertThat(options.toString()).doesNotContain(TOKEN).contains("operatorToken=set");
    assertThat(options.toBuilder().build().toString()).doesNotContain(TOKEN);
    assertThat(options.operatorEndpointsEnabled()).isTrue();
    assertThat(AdminOptions.builder().build().operatorEndpointsEnabled()).isFalse();
    assertThat(options.acceptsOperatorToken(TOKEN)).isTrue();
    assertThat(options.toBuilder().build().acceptsOperatorToken(TOKEN)).isTrue();
    assertThat(options.acceptsOperatorToken(TOKEN + " ")).isFalse();
    for (String bad : new String[] {"short", "has a space in it!!", "x".repeat(513)}) {
      assertThatThrownBy(() -> AdminOptions.builder().operatorToken(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining(bad);
    }
  }
}
