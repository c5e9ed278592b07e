package io.statefulroute.observability.admin;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.statefulroute.core.spi.Args;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The admin HTTP endpoint on Reactor Netty, loopback by default. Its GET endpoints read only; the
 * operator endpoints ({@link OperatorEndpoints}: cordon, pin, move, release) are off unless an
 * operator token is configured ({@link AdminOptions.Builder#operatorToken}), and then take it as a
 * bearer token:
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>path</th><th>answers</th></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus text format (0.0.4) of the registry</td></tr>
 *   <tr><td>{@code /health}</td><td>200 {@code UP} or 503 {@code DOWN}, with reasons and each
 *       check (store reachable, state reads fresh)</td></tr>
 *   <tr><td>{@code /routes/{ns}/{svc}}</td><td>the pod table: load, routing state, age, sets;
 *       from the state cache's view, or read from the store when the cache does not watch the
 *       service</td></tr>
 *   <tr><td>{@code /links/{ns}/{uid}?service=a,b}</td><td>the uid's persistent links (its index)
 *       and its links for the listed services (temporary ones included)</td></tr>
 *   <tr><td>{@code /rebalance/{ns}/{svc}}</td><td>the configured rebalancers of the service:
 *       counters and their last cycle (lease, loads, mean, moves needed, links asked per
 *       pod)</td></tr>
 *   <tr><td>{@code /analysis?format=json|text}</td><td>a fresh analyzer report</td></tr>
 *   <tr><td>operator endpoints</td><td>see {@link OperatorEndpoints}: POST with {@code
 *       Authorization: Bearer <token>}; 403 when no token is configured, 401 for a missing or
 *       wrong one</td></tr>
 * </table>
 *
 * Errors: 404 for an unknown path or an endpoint whose source is not configured, 405 (with {@code
 * Allow: GET}) for another method, 400 for a bad parameter (invalid namespace, service or uid;
 * unknown format), 503 when the store fails. Bodies of errors are JSON {@code {status, error}}.
 * Path segments are percent-decoded.
 */
public final class AdminServer implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final AdminOptions options;
  private final HealthCheck health;
  private final OperatorEndpoints operator;
  private final AdminReports reports;

  /** Set once bound, before {@link #start} hands the server out. */
  private volatile @Nullable DisposableServer server;

  /** The open connections (keep-alive ones included), closed with the server. */
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  private AdminServer(AdminOptions options) {
    this.options = options;
    this.health = new HealthCheck(options);
    this.operator = new OperatorEndpoints(options);
    this.reports = AdminReports.of(options);
  }

  /**
   * Binds and starts serving.
   *
   * @return the running server once bound; errors when the address cannot be bound
   */
  public static Mono<AdminServer> start(AdminOptions options) {
    Args.notNull("options", options);
    AdminServer admin = new AdminServer(options);
    // with a channel group, disposing the server also closes its open (keep-alive) connections
    return HttpServer.create()
        .host(options.host())
        .port(options.port())
        .channelGroup(admin.connections)
        .handle(admin::handle)
        .bind()
        .map(
            bound -> {
              admin.server = bound;
              return admin;
            });
  }

  /** The bound port (the chosen one when the options said 0). */
  public int port() {
    return address().getPort();
  }

  /** The bound address. */
  public InetSocketAddress address() {
    DisposableServer bound = Objects.requireNonNull(server, "start hands out a bound server only");
    return (InetSocketAddress) bound.address();
  }

  /**
   * Stops listening and closes open connections, waiting until they are closed (at most 5 s in
   * all). Idempotent.
   */
  @Override
  public void close() {
    DisposableServer s = server;
    if (s != null && !s.isDisposed()) {
      long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
      s.disposeNow(CLOSE_TIMEOUT);
      // disposing starts closing idle keep-alive connections but does not wait for them: a
      // client could still be served on one just after close() returned
      connections
          .close()
          .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
    Mono<AdminResponse> answer;
    try {
      answer =
          route(
              req.method(),
              new QueryStringDecoder(req.uri()),
              req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION),
              res);
    } catch (IllegalArgumentException e) {
      answer = Mono.just(AdminResponse.error(400, e.getMessage()));
    }
    return answer
        .onErrorResume(
            IllegalArgumentException.class,
            e -> Mono.just(AdminResponse.error(400, e.getMessage())))
        .onErrorResume(
            e ->
                Mono.just(
                    AdminResponse.error(503, e.getClass().getSimpleName() + ": " + e.getMessage())))
        .flatMap(
            a ->
                res.status(HttpResponseStatus.valueOf(a.status()))
                    .header(HttpHeaderNames.CONTENT_TYPE, a.contentType())
                    .sendString(Mono.just(a.body()))
                    .then());
  }

  private Mono<AdminResponse> route(
      HttpMethod method,
      QueryStringDecoder uri,
      @Nullable String authorization,
      HttpServerResponse res) {
    List<String> path = segments(uri.rawPath());
    String first = path.isEmpty() ? "" : path.get(0);
    int expected =
        switch (first) {
          case "metrics", "health", "analysis" -> 1;
          case "routes", "links", "rebalance" -> 3;
          default -> OperatorEndpoints.segments(first);
        };
    if (expected < 0 || path.size() != expected) {
      return Mono.just(
          AdminResponse.error(
              404,
              "no such endpoint: "
                  + uri.rawPath()
                  + " (known: /metrics, /health, /routes/{ns}/{svc}, /links/{ns}/{uid}, "
                  + "/rebalance/{ns}/{svc}, /analysis; operator: /cordon, /uncordon, /pin, /unpin,"
                  + " /move, /release, /persistent, /suspend-rebalancing, /resume-rebalancing)"));
    }
    if (OperatorEndpoints.segments(first) > 0) {
      String allowed = OperatorEndpoints.method(first);
      if (!allowed.equals(method.name())) {
        res.header(HttpHeaderNames.ALLOW, allowed);
        return Mono.just(
            AdminResponse.error(405, "method " + method + " not allowed; use " + allowed));
      }
      return operator
          .handle(path, authorization, param(uri, "delayMs", "0"))
          .map(AdminResponse::of)
          .doOnNext(
              a -> {
                if (a.status() == 401) { // RFC 6750: the scheme the client must use
                  res.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"stateful-route\"");
                }
              });
    }
    if (!HttpMethod.GET.equals(method)) {
      res.header(HttpHeaderNames.ALLOW, "GET");
      return Mono.just(AdminResponse.error(405, "method " + method + " not allowed; use GET"));
    }
    return switch (first) {
      case "metrics" -> metrics();
      case "health" -> health.check();
      case "analysis" -> reports.analysis(param(uri, "format", "json")).map(AdminResponse::of);
      case "routes" -> reports.routes(path.get(1), path.get(2)).map(AdminResponse::of);
      case "rebalance" -> reports.rebalance(path.get(1), path.get(2)).map(AdminResponse::of);
      default ->
          reports.links(path.get(1), path.get(2), param(uri, "service", "")).map(AdminResponse::of);
    };
  }

  private Mono<AdminResponse> metrics() {
    return Mono.fromCallable(
        () ->
            options
                .prometheus()
                .map(p -> new AdminResponse(200, AdminResponse.PROMETHEUS, p.scrape()))
                .orElseGet(() -> AdminResponse.error(404, "no Prometheus registry configured")));
  }

  private static String param(QueryStringDecoder uri, String name, String fallback) {
    List<String> values = uri.parameters().get(name);
    return values == null || values.isEmpty() ? fallback : values.get(values.size() - 1);
  }

  /** The path's segments, percent-decoded; empty segments (double or trailing slash) dropped. */
  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        // '+' is a plus in a path (decodeComponent would make it a space, as in a query)
        out.add(QueryStringDecoder.decodeComponent(s.replace("+", "%2B")));
      }
    }
    return out;
  }
}
