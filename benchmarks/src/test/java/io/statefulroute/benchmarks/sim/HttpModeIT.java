package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.server.ServerListener;
import io.statefulroute.test.redis.Poll;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

/** The HTTP mode on loopback: the gateway example, then a whole run. */
class HttpModeIT {
  private static final String NS = "http-it";
  private final StatefulExecutor store = InMemoryStatefulExecutor.create();
  private final SimPod pod0 =
      new SimPod(0, NS, Simulation.SERVICE, store, SimClock.wall(), ServerListener.NOOP);
  private final ClientDriver driver = ClientDriver.create(store, ClientOptions.defaults());
  private HttpPodServer podServer;
  private HttpGateway gateway;

  private record Reply(int status, String pod, String timing, String body) {}

  private Reply get(String uid) {
    return HttpClient.create()
        .headers(
            h -> {
              if (uid != null) {
                h.set(HttpGateway.USER_HEADER, uid);
              }
            })
        .get()
        .uri("http://127.0.0.1:" + gateway.port() + "/play")
        .responseSingle(
            (res, body) ->
                body.asString()
                    .defaultIfEmpty("")
                    .map(
                        text ->
                            new Reply(
                                res.status().code(),
                                res.responseHeaders().get(HttpGateway.POD_HEADER),
                                res.responseHeaders().get("Server-Timing"),
                                text)))
        .block(Duration.ofSeconds(10));
  }

  private void startPodAndGateway() {
    pod0.start();
    podServer = new HttpPodServer(pod0);
    int port = podServer.port();
    gateway = new HttpGateway(driver, NS, Simulation.SERVICE, pod -> "http://127.0.0.1:" + port);
    Poll.until(
        Duration.ofSeconds(10),
        "pod 0 is available to the gateway",
        () -> driver.states().refresh(NS, Simulation.SERVICE).block().availableCount() == 1);
  }

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    if (podServer != null) {
      podServer.close();
    }
    driver.close();
    pod0.stop().block(Duration.ofSeconds(5));
  }

  @Test
  void gateway_routesTheUserToItsPod_withPodAndTimingHeaders() {
    startPodAndGateway();
    Reply reply = get("alice");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.pod()).isEqualTo("0");
    assertThat(reply.body()).isEqualTo("pod 0");
    assertThat(reply.timing()).matches("route;dur=[0-9]+\\.[0-9]{3}");
    assertThat(store.getLink(NS, "alice", Simulation.SERVICE).block()).isEqualTo(0);
  }

  @Test
  void gateway_withoutUserId_answers400() {
    startPodAndGateway();
    assertThat(get(null).status()).isEqualTo(400);
  }

  @Test
  void pod_userLinkedElsewhere_answers421ThroughTheGateway() {
    startPodAndGateway();
    // a stale cache entry: the store says 3. Set after the store write: the gateway drops an
    // entry whose link the store announces as moved (pushed invalidation)
    store.setLink(NS, "bob", Simulation.SERVICE, 3, 60).block();
    driver.setCache(NS, "bob", Simulation.SERVICE, 0);
    Reply reply = get("bob");
    assertThat(reply.status()).isEqualTo(421);
    assertThat(reply.pod()).isEqualTo("0");
  }

  @Test
  void gateway_podDown_answers502AndReportsTheFailure() {
    startPodAndGateway();
    assertThat(get("carol").status()).isEqualTo(200);
    podServer.close();
    podServer = null;
    for (int i = 0; i < 3; i++) {
      assertThat(get("carol").status()).isEqualTo(502);
    }
    // three failures in a row: passive health ejects pod 0 from new placements
    assertThat(driver.isEjected(NS, Simulation.SERVICE, 0)).isTrue();
  }

  @Test
  void gateway_noPod_answers503() {
    gateway = new HttpGateway(driver, NS, Simulation.SERVICE, pod -> "http://127.0.0.1:1");
    assertThat(get("dave").status()).isEqualTo(503);
  }

  @Test
  void simulation_overHttp_routesThroughGatewaysAndPods() {
    SimulationResult r =
        new Simulation(
                SimulationOptions.parse(
                    "--http", "--users", "500", "--rate", "100", "--duration", "36s"),
                ProgressLine.none())
            .run();
    assertThat(r.store()).contains("real time");
    assertThat(r.requests()).isBetween(3_500L, 3_700L);
    // all but the crash's pod-down answers and the store fault's errors (a 3 s stall of 36 s)
    long served = r.phases().stream().mapToLong(p -> p.outcomes().get(Outcome.Kind.SERVED)).sum();
    assertThat(served).as(TerminalReport.render(r, true)).isGreaterThan(r.requests() * 8 / 10);
    // before the crash nothing fails; during it, requests to the dead pod get 502 (pod down)
    assertThat(
            r.phase(Phase.STEADY).errors()
                + r.phase(Phase.SCALE_OUT).errors()
                + r.phase(Phase.DRAIN).errors())
        .isZero();
    assertThat(r.phase(Phase.CRASH).outcomes().get(Outcome.Kind.POD_DOWN)).isPositive();
    assertThat(r.phase(Phase.STEADY).computeNanos()[0]).isPositive(); // Server-Timing read
    assertThat(r.phase(Phase.SCALE_OUT).end().links()[r.options().pods()]).isPositive();
  }
}
