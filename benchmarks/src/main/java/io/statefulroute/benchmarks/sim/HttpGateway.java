package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.OwnerUnavailableException;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.client.ClientDriver;
import java.time.Duration;
import java.util.Locale;
import java.util.function.IntFunction;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A gateway that sends each request to the pod that owns its user: {@code computeLinkedPod}
 * composed into the request's {@code Mono} pipeline, as a WebFlux or Reactor Netty gateway would.
 * Copy it and change the parts marked below.
 *
 * <pre>
 * GET /play            X-User-Id: alice
 *   -> computeLinkedPod(namespace, "alice", service)   cache hit: no I/O; miss: one script call
 *   -> GET {podAddress(pod)}/play                      the pod's answer is relayed
 * &lt;- the pod's status and body, X-Pod: the pod, Server-Timing: route;dur=(routing, ms)
 * </pre>
 *
 * Errors: 400 without a user id; 503 when no pod can take the user; 502 when the pod cannot be
 * reached (reported to the driver's feedback, so passive health ejects a failing pod from new
 * placements, and to {@code reportFailure}, so a pod that also stopped publishing is treated as
 * down at once and its users move); 504 when the store times out.
 */
final class HttpGateway implements AutoCloseable {
  static final String USER_HEADER = "X-User-Id";
  static final String POD_HEADER = "X-Pod";

  private final ClientDriver routes;
  private final String namespace;
  private final String service;
  private final IntFunction<String> podAddress;
  private final HttpClient pods = HttpClient.create().responseTimeout(Duration.ofSeconds(10));
  private final DisposableServer server;

  /**
   * Starts the gateway on a free loopback port.
   *
   * @param podAddress the base URL of a pod, e.g. {@code pod -> "http://game-" + pod +
   *     ".game.eu-2.svc:8080"} on Kubernetes (a StatefulSet's stable pod names)
   */
  HttpGateway(
      ClientDriver routes, String namespace, String service, IntFunction<String> podAddress) {
    this.routes = routes;
    this.namespace = namespace;
    this.service = service;
    this.podAddress = podAddress;
    this.server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0) // change: your gateway's address
            .route(r -> r.get("/play", this::play))
            .bindNow();
  }

  int port() {
    return server.port();
  }

  private Mono<Void> play(HttpServerRequest request, HttpServerResponse response) {
    String uid = request.requestHeaders().get(USER_HEADER);
    if (uid == null || uid.isEmpty()) {
      return response.status(400).sendString(Mono.just("missing " + USER_HEADER)).then();
    }
    long start = System.nanoTime();
    return routes
        .computeLinkedPod(namespace, uid, service) // the pod that owns the user
        .flatMap(
            pod -> {
              String timing =
                  String.format(Locale.ROOT, "route;dur=%.3f", (System.nanoTime() - start) / 1e6);
              return forward(pod, uid)
                  .map(
                      reply ->
                          response
                              .status(reply.status())
                              .header(POD_HEADER, Integer.toString(pod))
                              .header("Server-Timing", timing)
                              .sendString(Mono.just(reply.body())));
            })
        .onErrorResume(
            e ->
                Mono.just(
                    response
                        .status(statusOf(e)) // routing failed
                        .sendString(Mono.just(String.valueOf(e.getMessage())))))
        .flatMap(outbound -> outbound.then());
  }

  /** Calls the pod, reporting the call to the driver (latency-aware strategies, passive health). */
  private Mono<Reply> forward(int pod, String uid) {
    long start = System.nanoTime();
    routes.feedback().callStarted(namespace, service, pod);
    return pods.headers(h -> h.set(USER_HEADER, uid))
        .get()
        .uri(podAddress.apply(pod) + "/play")
        .responseSingle(
            (res, body) ->
                body.asString()
                    .defaultIfEmpty("")
                    .map(text -> new Reply(res.status().code(), text)))
        .doOnNext(
            reply ->
                routes
                    .feedback()
                    .callFinished(
                        namespace,
                        service,
                        pod,
                        Duration.ofNanos(System.nanoTime() - start),
                        reply.status() < 500))
        .onErrorResume(
            e -> {
              routes
                  .feedback()
                  .callFinished(
                      namespace, service, pod, Duration.ofNanos(System.nanoTime() - start), false);
              // connection refused or timed out: the driver moves the user only when the pod
              // also missed a heartbeat (a pod that keeps publishing keeps its users)
              return routes
                  .reportFailure(namespace, uid, service, pod)
                  .onErrorResume(report -> Mono.empty())
                  .then(
                      Mono.just(new Reply(502, "pod " + pod + " unreachable: " + e.getMessage())));
            });
  }

  private static int statusOf(Throwable e) {
    if (e instanceof NoAvailablePodException || e instanceof OwnerUnavailableException) {
      return 503;
    }
    return e instanceof StoreTimeoutException ? 504 : 500;
  }

  @Override
  public void close() {
    server.disposeNow(Duration.ofSeconds(5));
  }

  private record Reply(int status, String body) {}
}
