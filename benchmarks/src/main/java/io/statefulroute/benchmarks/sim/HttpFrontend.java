package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.client.ClientDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP mode: every pod process is an {@link HttpPodServer} and every gateway an {@link
 * HttpGateway}, each on its own loopback port; the simulated users are an HTTP client sending
 * {@code GET /play} with their user id to a gateway. A restarted pod gets a new port, as a
 * restarted Kubernetes pod gets a new IP: the gateways look pods up in a directory.
 */
final class HttpFrontend implements Frontend {
  private static final Pattern ROUTE_TIMING = Pattern.compile("route;dur=([0-9.]+)");

  private final Map<Integer, Integer> podPorts = new ConcurrentHashMap<>();
  private final Map<Integer, HttpPodServer> podServers = new ConcurrentHashMap<>();
  private final List<HttpGateway> gateways = new ArrayList<>();
  private final ConnectionProvider connections =
      ConnectionProvider.builder("sim-users").maxConnections(Simulation.MAX_IN_FLIGHT).build();
  private final HttpClient users =
      HttpClient.create(connections)
          .responseTimeout(Duration.ofSeconds(30)); // a slow answer is latency, not an error

  HttpFrontend(String namespace, String service, List<ClientDriver> drivers, List<SimPod> pods) {
    for (ClientDriver driver : drivers) {
      gateways.add(new HttpGateway(driver, namespace, service, this::podAddress));
    }
  }

  /** The directory: where pod {@code pod} listens now. */
  private String podAddress(int pod) {
    Integer port = podPorts.get(pod);
    if (port == null) {
      throw new IllegalStateException("pod " + pod + " never started");
    }
    return "http://127.0.0.1:" + port;
  }

  List<Integer> gatewayPorts() {
    return gateways.stream().map(HttpGateway::port).toList();
  }

  @Override
  public void podStarted(SimPod pod) {
    HttpPodServer server = new HttpPodServer(pod);
    HttpPodServer before = podServers.put(pod.index(), server);
    if (before != null) {
      before.close();
    }
    podPorts.put(pod.index(), server.port());
  }

  @Override
  public void podCrashed(SimPod pod) {
    HttpPodServer server = podServers.remove(pod.index());
    if (server != null) {
      server.close(); // its port now refuses connections; the directory still names it
    }
  }

  @Override
  public Mono<Outcome> send(int gateway, String uid) {
    int port = gateways.get(gateway).port();
    return users
        .headers(h -> h.set(HttpGateway.USER_HEADER, uid))
        .get()
        .uri("http://127.0.0.1:" + port + "/play")
        .responseSingle(
            (res, body) ->
                body.asString()
                    .defaultIfEmpty("")
                    .map(
                        text -> {
                          String pod = res.responseHeaders().get(HttpGateway.POD_HEADER);
                          long compute = routeNanos(res.responseHeaders().get("Server-Timing"));
                          return new Outcome(
                              kindOf(res.status().code()),
                              pod == null ? -1 : Integer.parseInt(pod),
                              compute);
                        }))
        .onErrorResume(
            e -> Mono.just(new Outcome(Outcome.Kind.STORE_ERROR, -1, -1, Outcome.errorName(e))));
  }

  private static Outcome.Kind kindOf(int status) {
    return switch (status) {
      case 200 -> Outcome.Kind.SERVED;
      case 421 -> Outcome.Kind.MISROUTED;
      case 502 -> Outcome.Kind.POD_DOWN;
      case 503 -> Outcome.Kind.NO_POD;
      default -> Outcome.Kind.STORE_ERROR;
    };
  }

  private static long routeNanos(String serverTiming) {
    if (serverTiming == null) {
      return -1;
    }
    Matcher m = ROUTE_TIMING.matcher(serverTiming);
    return m.find() ? Math.round(Double.parseDouble(m.group(1)) * 1e6) : -1;
  }

  @Override
  public void close() {
    gateways.forEach(HttpGateway::close);
    podServers.values().forEach(HttpPodServer::close);
    connections.disposeLater().block(Duration.ofSeconds(5));
  }
}
