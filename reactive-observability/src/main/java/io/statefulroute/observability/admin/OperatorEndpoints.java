package io.statefulroute.observability.admin;

import io.statefulroute.core.PodRoutableException;
import io.statefulroute.core.client.RouteOperator;
import io.statefulroute.core.spi.Args;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The operator endpoints of the {@link AdminServer}: authenticated with the bearer token of {@link
 * AdminOptions#operatorToken}, acting through its {@link RouteOperator}.
 *
 * <table>
 *   <caption>Operator endpoints</caption>
 *   <tr><th>request</th><th>does</th></tr>
 *   <tr><td>{@code POST /cordon/{ns}/{svc}/{pod}}</td><td>cordons the pod</td></tr>
 *   <tr><td>{@code POST /uncordon/{ns}/{svc}/{pod}}</td><td>lifts its cordon</td></tr>
 *   <tr><td>{@code POST /pin/{ns}/{uid}/{svc}/{pod}}</td><td>pins the uid to the pod</td></tr>
 *   <tr><td>{@code POST /unpin/{ns}/{uid}/{svc}}</td><td>removes the uid's pin</td></tr>
 *   <tr><td>{@code POST /move/{ns}/{uid}/{svc}/{from}/{to}}</td><td>moves the uid's link
 *       (compare-and-set, persistent links included)</td></tr>
 *   <tr><td>{@code POST /release/{ns}/{svc}/{pod}?delayMs=0}</td><td>releases a gone pod's
 *       persistent links (409 while the pod is routable)</td></tr>
 *   <tr><td>{@code POST /suspend-rebalancing/{ns}/{svc}}, {@code POST
 *       /resume-rebalancing/{ns}/{svc}}</td><td>suspends or resumes the service's rebalancing
 *       for every client</td></tr>
 *   <tr><td>{@code GET /persistent/{ns}/{svc}/{pod}}</td><td>lists the pod's persistent links
 *       (at most 10,000) and which of them are pinned: a walk of the key space, so it takes the
 *       token too</td></tr>
 * </table>
 *
 * Order of the checks: unknown path 404; another method 405; no token configured 403; a missing or
 * wrong {@code Authorization: Bearer} 401; no route operator configured 404; bad parameters 400.
 */
final class OperatorEndpoints {
  /** The most uids {@code /persistent} answers. */
  static final int LIST_LIMIT = 10_000;

  private final AdminOptions options;

  OperatorEndpoints(AdminOptions options) {
    this.options = options;
  }

  /** The number of path segments of an operator endpoint, or -1 when it is none. */
  static int segments(String first) {
    return switch (first) {
      case "suspend-rebalancing", "resume-rebalancing" -> 3;
      case "cordon", "uncordon", "release", "persistent", "unpin" -> 4;
      case "pin" -> 5;
      case "move" -> 6;
      default -> -1;
    };
  }

  /** The method the endpoint takes. */
  static String method(String first) {
    return first.equals("persistent") ? "GET" : "POST";
  }

  /**
   * Answers an operator request whose path and method were checked.
   *
   * @param authorization the {@code Authorization} header, null when absent
   * @param delayMs the {@code delayMs} query parameter of {@code /release}
   */
  Mono<AdminReport> handle(List<String> path, @Nullable String authorization, String delayMs) {
    if (!options.operatorEndpointsEnabled()) {
      return Mono.just(
          AdminReport.error(
              403, "operator endpoints are off: no operatorToken is configured (AdminOptions)"));
    }
    String prefix = "Bearer ";
    String presented =
        authorization != null && authorization.regionMatches(true, 0, prefix, 0, prefix.length())
            ? authorization.substring(prefix.length()).trim()
            : null;
    if (!options.acceptsOperatorToken(presented)) {
      return Mono.just(
          AdminReport.error(
              401,
              presented == null
                  ? "missing Authorization: Bearer <operator token>"
                  : "wrong operator token"));
    }
    return act(path, delayMs);
  }

  /**
   * Carries out an operator request whose path was checked and whose caller was authenticated (by
   * the token here, by the application's security in the Spring Boot starter).
   */
  Mono<AdminReport> act(List<String> path, String delayMs) {
    RouteOperator operator = options.routeOperator().orElse(null);
    if (operator == null) {
      return Mono.just(AdminReport.error(404, "no route operator configured"));
    }
    String ns = Args.namespace(path.get(1));
    return switch (path.get(0)) {
      case "cordon", "uncordon" -> cordon(operator, path.get(0).equals("cordon"), ns, path);
      case "pin" -> pin(operator, ns, path);
      case "unpin" -> unpin(operator, ns, path);
      case "move" -> move(operator, ns, path);
      case "release" -> release(operator, ns, path, delayMs);
      case "suspend-rebalancing", "resume-rebalancing" -> suspend(operator, ns, path);
      default -> list(operator, ns, path);
    };
  }

  private static Mono<AdminReport> cordon(
      RouteOperator operator, boolean cordon, String ns, List<String> path) {
    String service = path.get(2);
    int pod = pod("pod", path.get(3));
    Mono<Boolean> call =
        cordon ? operator.cordon(ns, service, pod) : operator.uncordon(ns, service, pod);
    return call.map(
        changed -> {
          Map<String, Object> m = head(ns, null, service);
          m.put("pod", pod);
          m.put("cordoned", cordon);
          m.put("changed", changed);
          return AdminReport.ok(m);
        });
  }

  private static Mono<AdminReport> suspend(RouteOperator operator, String ns, List<String> path) {
    String service = Args.service(path.get(2));
    boolean suspend = path.get(0).startsWith("suspend");
    return operator
        .suspendRebalancing(ns, service, suspend)
        .map(
            changed -> {
              Map<String, Object> m = head(ns, null, service);
              m.put("rebalancing", suspend ? "suspended" : "running");
              m.put("changed", changed);
              return AdminReport.ok(m);
            });
  }

  private static Mono<AdminReport> pin(RouteOperator operator, String ns, List<String> path) {
    String uid = path.get(2);
    String service = path.get(3);
    int pod = pod("pod", path.get(4));
    return operator
        .pin(ns, uid, service, pod)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .map(
            previous -> {
              Map<String, Object> m = head(ns, uid, service);
              m.put("pinned", pod);
              m.put("previous", previous.orElse(null));
              return AdminReport.ok(m);
            });
  }

  private static Mono<AdminReport> unpin(RouteOperator operator, String ns, List<String> path) {
    String uid = path.get(2);
    String service = path.get(3);
    return operator
        .unpin(ns, uid, service)
        .map(
            wasPinned -> {
              Map<String, Object> m = head(ns, uid, service);
              m.put("unpinned", wasPinned);
              return AdminReport.ok(m);
            });
  }

  private static Mono<AdminReport> move(RouteOperator operator, String ns, List<String> path) {
    String uid = path.get(2);
    String service = path.get(3);
    int from = pod("from", path.get(4));
    int to = pod("to", path.get(5));
    return operator
        .move(ns, uid, service, from, to)
        .map(
            result -> {
              Map<String, Object> m = head(ns, uid, service);
              m.put("moved", result.replaced());
              m.put("pod", result.currentPod());
              return AdminReport.ok(m);
            })
        .switchIfEmpty(
            Mono.fromSupplier(
                () -> AdminReport.error(404, "uid " + uid + " has no link to " + service)));
  }

  private static Mono<AdminReport> release(
      RouteOperator operator, String ns, List<String> path, String delayMs) {
    String service = path.get(2);
    int pod = pod("pod", path.get(3));
    Duration delay = Duration.ofMillis(Long.parseLong(delayMs));
    return operator
        .releasePersistentLinks(ns, service, pod, delay)
        .map(
            summary -> {
              Map<String, Object> m = head(ns, null, service);
              m.put("pod", pod);
              m.put("released", summary.released());
              m.put("notOwned", summary.notOwned());
              m.put("failed", summary.failed());
              return AdminReport.ok(m);
            })
        .onErrorResume(
            PodRoutableException.class, e -> Mono.just(AdminReport.error(409, e.getMessage())));
  }

  private static Mono<AdminReport> list(RouteOperator operator, String ns, List<String> path) {
    String service = path.get(2);
    int pod = pod("pod", path.get(3));
    return operator
        .listPersistentLinks(ns, service, pod)
        .distinct()
        .take(LIST_LIMIT + 1L)
        .collectList()
        .flatMap(
            uids -> {
              boolean truncated = uids.size() > LIST_LIMIT;
              List<String> shown = truncated ? uids.subList(0, LIST_LIMIT) : uids;
              return Flux.fromIterable(shown)
                  .flatMap(
                      uid ->
                          operator.pinnedPod(ns, uid, service).filter(p -> p == pod).map(p -> uid),
                      16)
                  .collectSortedList()
                  .map(
                      pinned -> {
                        Map<String, Object> m = head(ns, null, service);
                        m.put("pod", pod);
                        m.put("uids", shown.stream().sorted().toList());
                        m.put("pinned", pinned);
                        m.put("truncated", truncated);
                        return AdminReport.ok(m);
                      });
            });
  }

  private static Map<String, Object> head(String ns, @Nullable String uid, String service) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", ns);
    if (uid != null) {
      m.put("uid", uid);
    }
    m.put("service", service);
    return m;
  }

  /** A pod index from a path segment; 400 (IllegalArgumentException) when it is not one. */
  private static int pod(String name, String text) {
    try {
      return Args.pod(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a pod index: '" + text + "'", e);
    }
  }
}
