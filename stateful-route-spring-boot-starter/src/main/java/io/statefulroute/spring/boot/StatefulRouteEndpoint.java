package io.statefulroute.spring.boot;

import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.observability.admin.AdminReport;
import io.statefulroute.observability.admin.AdminReports;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import reactor.core.publisher.Mono;

/**
 * The {@code statefulroute} actuator endpoint: the admin endpoint's reports and operator actions
 * ({@link AdminReports}, same bodies and statuses) behind the application's actuator security
 * (docs/spring-boot.md). Under {@code /actuator/statefulroute}:
 *
 * <ul>
 *   <li>GET {@code /} this application's roles; {@code /analysis?format=json|text}; {@code
 *       /routes/{ns}/{svc}}; {@code /links/{ns}/{uid}?service=a,b}; {@code /rebalance/{ns}/{svc}};
 *       {@code /persistent/{ns}/{svc}/{pod}};
 *   <li>POST {@code /cordon/{ns}/{svc}/{pod}}, {@code /uncordon/...}, {@code
 *       /release/{ns}/{svc}/{pod}} (body {@code {"delayMs": 0}} optional), {@code
 *       /pin/{ns}/{uid}/{svc}/{pod}}, {@code /unpin/{ns}/{uid}/{svc}}, {@code
 *       /move/{ns}/{uid}/{svc}/{from}/{to}}, {@code /suspend-rebalancing/{ns}/{svc}}, {@code
 *       /resume-rebalancing/{ns}/{svc}}.
 * </ul>
 */
@Endpoint(id = "statefulroute")
public class StatefulRouteEndpoint {
  private final AdminReports reports;
  private final StatefulRouteProperties properties;
  private final @Nullable ClientDriver client;
  private final @Nullable ServerDriver server;

  StatefulRouteEndpoint(
      AdminReports reports,
      StatefulRouteProperties properties,
      @Nullable ClientDriver client,
      @Nullable ServerDriver server) {
    this.reports = reports;
    this.properties = properties;
    this.client = client;
    this.server = server;
  }

  /** This application's roles: the namespace, the client's cache, the server's pod and state. */
  @ReadOperation
  public Map<String, Object> roles() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", properties.getNamespace());
    ClientDriver c = client;
    if (c != null) {
      m.put("client", Map.of("cachedLinks", c.cacheSize()));
    }
    ServerDriver s = server;
    if (s != null) {
      Map<String, Object> pod = new LinkedHashMap<>();
      pod.put("service", s.options().service());
      pod.put("pod", s.options().pod());
      pod.put("routingState", s.routingState().name());
      pod.put("load", s.status().load());
      pod.put("publications", s.publications());
      pod.put("publicationFailures", s.publicationFailures());
      pod.put("shedRequestsReceived", s.shedRequestsReceived());
      m.put("server", pod);
    }
    return m;
  }

  /** {@code /analysis?format=json|text}. */
  @ReadOperation
  public Mono<WebEndpointResponse<Object>> analysis(
      @Selector String report, @Nullable String format) {
    if (!report.equals("analysis")) {
      return answer(Mono.just(unknown(report)));
    }
    return answer(reports.analysis(format == null ? "json" : format));
  }

  /** {@code /routes/{ns}/{svc}}, {@code /links/{ns}/{uid}?service=a,b}, {@code /rebalance/...}. */
  @ReadOperation
  public Mono<WebEndpointResponse<Object>> report(
      @Selector String report,
      @Selector String namespace,
      @Selector String name,
      @Nullable String service) {
    return answer(
        switch (report) {
          case "routes" -> reports.routes(namespace, name);
          case "links" -> reports.links(namespace, name, service == null ? "" : service);
          case "rebalance" -> reports.rebalance(namespace, name);
          default -> Mono.just(unknown(report));
        });
  }

  /** {@code /persistent/{ns}/{svc}/{pod}}: the pod's persistent links and its pins. */
  @ReadOperation
  public Mono<WebEndpointResponse<Object>> persistent(
      @Selector String report,
      @Selector String namespace,
      @Selector String service,
      @Selector String pod) {
    if (!report.equals("persistent")) {
      return answer(Mono.just(unknown(report)));
    }
    return answer(reports.operate(List.of(report, namespace, service, pod), "0"));
  }

  /** {@code /suspend-rebalancing/{ns}/{svc}}, {@code /resume-rebalancing/{ns}/{svc}}. */
  @WriteOperation
  public Mono<WebEndpointResponse<Object>> service(
      @Selector String action, @Selector String namespace, @Selector String service) {
    return write(List.of(action, namespace, service), null);
  }

  /** {@code /cordon|uncordon|release/{ns}/{svc}/{pod}}, {@code /unpin/{ns}/{uid}/{svc}}. */
  @WriteOperation
  public Mono<WebEndpointResponse<Object>> pod(
      @Selector String action,
      @Selector String namespace,
      @Selector String second,
      @Selector String third,
      @Nullable Long delayMs) {
    return write(List.of(action, namespace, second, third), delayMs);
  }

  /** {@code /pin/{ns}/{uid}/{svc}/{pod}}. */
  @WriteOperation
  public Mono<WebEndpointResponse<Object>> pin(
      @Selector String action,
      @Selector String namespace,
      @Selector String uid,
      @Selector String service,
      @Selector String pod) {
    return write(List.of(action, namespace, uid, service, pod), null);
  }

  /** {@code /move/{ns}/{uid}/{svc}/{from}/{to}}. */
  @WriteOperation
  public Mono<WebEndpointResponse<Object>> move(
      @Selector String action,
      @Selector String namespace,
      @Selector String uid,
      @Selector String service,
      @Selector String from,
      @Selector String to) {
    return write(List.of(action, namespace, uid, service, from, to), null);
  }

  private Mono<WebEndpointResponse<Object>> write(List<String> path, @Nullable Long delayMs) {
    if (AdminReports.method(path.get(0)).equals("GET")) {
      return answer(Mono.just(unknown(path.get(0))));
    }
    return answer(reports.operate(path, delayMs == null ? "0" : Long.toString(delayMs)));
  }

  private static AdminReport unknown(String report) {
    return new AdminReport(
        404,
        Map.of(
            "status",
            404,
            "error",
            "no such statefulroute report or action: "
                + report
                + " (reads: analysis, routes, links, rebalance, persistent; actions: cordon,"
                + " uncordon, release, pin, unpin, move, suspend-rebalancing,"
                + " resume-rebalancing)"));
  }

  private static Mono<WebEndpointResponse<Object>> answer(Mono<AdminReport> report) {
    return report.map(r -> new WebEndpointResponse<>(r.body(), r.status()));
  }
}
