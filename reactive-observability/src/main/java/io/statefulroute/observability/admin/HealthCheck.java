package io.statefulroute.observability.admin;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.observability.StateRefresh;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The {@code /health} judgement: UP when every check is up, else DOWN with the reasons. Checks: the
 * store answers a read within the probe timeout (with an executor), and every service the state
 * cache watches had a successful state read within {@code maxStateAge} and no failed read since
 * (with the observability listener).
 */
final class HealthCheck {
  /** The probe reads the workload state of this service (one key; absent is fine). */
  static final String PROBE_NAMESPACE = "statefulroute-admin";

  static final String PROBE_SERVICE = "health-probe";

  private final AdminOptions options;

  HealthCheck(AdminOptions options) {
    this.options = options;
  }

  Mono<AdminResponse> check() {
    Mono<Map<String, Object>> store = options.executor().map(this::probe).orElse(Mono.empty());
    return store
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .map(
            storeCheck -> {
              List<Map<String, Object>> checks = new ArrayList<>();
              storeCheck.ifPresent(checks::add);
              options
                  .observability()
                  .ifPresent(o -> o.stateRefreshes().forEach(r -> checks.add(stateCheck(r))));
              boolean up = checks.stream().allMatch(c -> "UP".equals(c.get("status")));
              List<String> reasons = new ArrayList<>();
              checks.stream()
                  .filter(c -> !"UP".equals(c.get("status")))
                  .forEach(c -> reasons.add(c.get("name") + ": " + c.get("reason")));
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("status", up ? "UP" : "DOWN");
              body.put("reasons", reasons);
              body.put("checks", checks);
              return AdminResponse.json(up ? 200 : 503, body);
            });
  }

  private Mono<Map<String, Object>> probe(StatefulExecutor executor) {
    return Mono.defer(() -> executor.getWorkloadState(PROBE_NAMESPACE, PROBE_SERVICE))
        .timeout(options.probeTimeout())
        .then(Mono.fromCallable(() -> check("store", true, "answered a read")))
        .onErrorResume(
            e ->
                Mono.just(
                    check(
                        "store",
                        false,
                        "store unreachable: "
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage())));
  }

  private Map<String, Object> stateCheck(StateRefresh r) {
    String name = "state " + r.namespace() + "/" + r.service();
    long maxMillis = options.maxStateAge().toMillis();
    if (r.lastError() != null) {
      return check(name, false, "last state read failed: " + r.lastError());
    }
    if (r.ageMillis() < 0) {
      return check(name, false, "no state read has succeeded yet");
    }
    if (r.ageMillis() > maxMillis) {
      return check(
          name,
          false,
          "state is stale: last good read "
              + r.ageMillis()
              + " ms ago, more than "
              + maxMillis
              + " ms");
    }
    return check(name, true, "last good read " + r.ageMillis() + " ms ago");
  }

  private static Map<String, Object> check(String name, boolean up, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("status", up ? "UP" : "DOWN");
    m.put("reason", reason);
    return m;
  }
}
