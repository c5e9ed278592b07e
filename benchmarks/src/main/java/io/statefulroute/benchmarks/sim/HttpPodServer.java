package io.statefulroute.benchmarks.sim;

import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A simulated pod's HTTP endpoint on a free loopback port: {@code GET /play} with the user id
 * header answers 200 when the pod owns the user, 421 (Misdirected Request) when it does not.
 * Closing it models the process dying: connections are refused.
 */
final class HttpPodServer implements AutoCloseable {
  private final DisposableServer server;

  HttpPodServer(SimPod pod) {
    this.server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                r ->
                    r.get(
                        "/play",
                        (request, response) -> {
                          String uid = request.requestHeaders().get(HttpGateway.USER_HEADER);
                          if (uid == null || uid.isEmpty()) {
                            return response.status(400).send();
                          }
                          return pod.serve(uid)
                              .flatMap(
                                  served ->
                                      served == SimPod.Served.OWNED
                                          ? response
                                              .status(200)
                                              .sendString(Mono.just("pod " + pod.index()))
                                              .then()
                                          : response
                                              .status(421)
                                              .sendString(Mono.just("not linked here"))
                                              .then())
                              .onErrorResume(e -> response.status(503).send().then());
                        }))
            .bindNow();
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.disposeNow(Duration.ofSeconds(5));
  }
}
