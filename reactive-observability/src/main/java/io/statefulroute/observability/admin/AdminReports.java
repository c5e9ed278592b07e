package io.statefulroute.observability.admin;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.ServiceView;
import io.statefulroute.core.state.StateCacheOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The reports and operator actions of the admin endpoint, apart from HTTP: {@link AdminServer}
 * serves them on Reactor Netty, and the Spring Boot starter's {@code statefulroute} actuator
 * endpoint serves the same ones (same bodies, same statuses) behind the application's security.
 * Each answer is an {@link AdminReport}; a bad argument answers 400, a store failure 503, a source
 * that is not configured 404 (see {@link AdminServer} for each report's content).
 */
public final class AdminReports {
  private final AdminOptions options;
  private final OperatorEndpoints operator;

  private AdminReports(AdminOptions options) {
    this.options = options;
    this.operator = new OperatorEndpoints(options);
  }

  /** The reports of the sources in {@code options} (its host, port and token are not used). */
  public static AdminReports of(AdminOptions options) {
    return new AdminReports(Args.notNull("options", options));
  }

  /** {@code /routes/{ns}/{svc}}: the service's pod table, from the state cache or the store. */
  public Mono<AdminReport> routes(String namespace, String service) {
    return guard(() -> routeTable(namespace, service));
  }

  /**
   * {@code /links/{ns}/{uid}?service=a,b}: the uid's persistent links, pins and its links for the
   * listed services.
   *
   * @param services comma-separated service names, empty for none
   */
  public Mono<AdminReport> links(String namespace, String uid, String services) {
    return guard(() -> linkTable(namespace, uid, services));
  }

  /** {@code /rebalance/{ns}/{svc}}: the configured rebalancers of the service. */
  public Mono<AdminReport> rebalance(String namespace, String service) {
    return guard(
        () ->
            Mono.fromCallable(
                () ->
                    AdminReport.ok(
                        RebalanceTable.of(
                            Args.namespace(namespace),
                            Args.service(service),
                            options.rebalancers()))));
  }

  /** {@code /analysis?format=json|text}: a fresh analyzer report. */
  public Mono<AdminReport> analysis(String format) {
    return guard(() -> analysisReport(format));
  }

  /**
   * An operator action of {@link OperatorEndpoints}, for a caller that authenticated it: {@code
   * path} is the endpoint's, e.g. {@code [cordon, ns, svc, 3]} or {@code [move, ns, uid, svc, 0,
   * 1]}; 404 for an unknown action or a wrong number of segments.
   *
   * @param delayMs the delay of {@code release}, in milliseconds
   */
  public Mono<AdminReport> operate(List<String> path, String delayMs) {
    String action = path.isEmpty() ? "" : path.get(0);
    if (OperatorEndpoints.segments(action) != path.size()) {
      return Mono.just(AdminReport.error(404, "no such operator action: " + path));
    }
    return guard(() -> operator.act(List.copyOf(path), delayMs));
  }

  /** The method an operator action takes ({@code GET} for {@code persistent}, else POST). */
  public static String method(String action) {
    return OperatorEndpoints.method(action);
  }

  private static Mono<AdminReport> guard(Supplier<Mono<AdminReport>> report) {
    Mono<AdminReport> answer;
    try {
      answer = report.get();
    } catch (IllegalArgumentException e) {
      return Mono.just(AdminReport.error(400, e.getMessage()));
    }
    return answer
        .onErrorResume(
            IllegalArgumentException.class, e -> Mono.just(AdminReport.error(400, e.getMessage())))
        .onErrorResume(
            e ->
                Mono.just(
                    AdminReport.error(503, e.getClass().getSimpleName() + ": " + e.getMessage())));
  }

  private Mono<AdminReport> analysisReport(String format) {
    if (!format.equals("json") && !format.equals("text")) {
      throw new IllegalArgumentException("format must be json or text: " + format);
    }
    return Mono.fromCallable(
        () ->
            options
                .analyzer()
                .map(
                    a -> {
                      var report = a.analyze();
                      return format.equals("json")
                          ? AdminReport.ok(report.toMap())
                          : AdminReport.ok(report.toText());
                    })
                .orElseGet(() -> AdminReport.error(404, "no analyzer configured")));
  }

  private Mono<AdminReport> routeTable(String namespace, String service) {
    Args.namespace(namespace);
    Args.service(service);
    ServiceStateCache cache = options.stateCache().orElse(null);
    if (cache != null) {
      ServiceView view = cache.peek(namespace, service);
      if (view != null) {
        long now = cache.options().scheduler().now(TimeUnit.MILLISECONDS);
        return Mono.just(
            AdminReport.ok(RouteTable.of(view, "cache", now - view.fetchedAtMillis())));
      }
    }
    StatefulExecutor executor = options.executor().orElse(null);
    if (executor == null) {
      return Mono.just(
          AdminReport.error(
              404,
              cache == null
                  ? "no state cache or executor configured"
                  : "service " + namespace + "/" + service + " is not watched by the state cache"));
    }
    // the clients' rules: their state cache's options, or the defaults
    StateCacheOptions rules = cache != null ? cache.options() : StateCacheOptions.defaults();
    long expiry = rules.stateExpiry().toMillis();
    int band = rules.band(service);
    double bandRatio = rules.bandRatio();
    return executor
        .readState(namespace, service)
        .map(
            snapshot ->
                AdminReport.ok(
                    RouteTable.of(
                        ServiceView.of(namespace, service, snapshot, expiry, band, bandRatio, 0),
                        "store",
                        0)));
  }

  private Mono<AdminReport> linkTable(String namespace, String uid, String servicesParam) {
    Args.namespace(namespace);
    Args.uid(uid);
    List<String> services = new ArrayList<>();
    if (!servicesParam.isEmpty()) {
      for (String s : servicesParam.split(",")) {
        services.add(Args.service(s.trim()));
      }
    }
    StatefulExecutor executor = options.executor().orElse(null);
    if (executor == null) {
      return Mono.just(AdminReport.error(404, "no executor configured"));
    }
    Mono<Map<String, Integer>> byService =
        Flux.fromIterable(services)
            .concatMap(svc -> executor.getLink(namespace, uid, svc).map(pod -> Map.entry(svc, pod)))
            .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new);
    return executor
        .getLinkIndex(namespace, uid)
        .zipWith(byService)
        .flatMap(
            both ->
                // the operator's pins among the persistent links (shown apart from the others)
                Flux.fromIterable(both.getT1().keySet())
                    .concatMap(
                        svc ->
                            executor
                                .getLinkPin(namespace, uid, svc)
                                .map(pod -> Map.entry(svc, pod)))
                    .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new)
                    .map(
                        pins -> {
                          Map<String, Object> m = new LinkedHashMap<>();
                          m.put("namespace", namespace);
                          m.put("uid", uid);
                          m.put("persistent", new TreeMap<>(both.getT1()));
                          m.put("pinned", pins);
                          m.put("links", both.getT2());
                          return AdminReport.ok(m);
                        }));
  }
}
