package io.statefulroute.spring.boot;

import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.server.ServerDriver;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

/**
 * {@code statefulroute} health: DOWN when the store does not answer a read within the probe
 * timeout; OUT_OF_SERVICE once the server driver published SHUTDOWN; UP otherwise, DENY_NEW_CALL
 * included. A draining pod must stay ready (docs/kubernetes.md): a headless Service drops a
 * not-ready pod's DNS record while gateways still route its users there, so this indicator is not
 * added to the readiness group.
 */
public final class StatefulRouteHealthIndicator implements ReactiveHealthIndicator {
  /** The probe reads the workload state of this service (one key; absent is fine). */
  static final String PROBE_NAMESPACE = "statefulroute-health";

  static final String PROBE_SERVICE = "probe";
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final StatefulExecutor executor;
  private final @Nullable ServerDriver server;
  private final @Nullable ClientDriver client;

  StatefulRouteHealthIndicator(
      StatefulExecutor executor, @Nullable ServerDriver server, @Nullable ClientDriver client) {
    this.executor = executor;
    this.server = server;
    this.client = client;
  }

  @Override
  public Mono<Health> health() {
    return Mono.defer(() -> executor.getWorkloadState(PROBE_NAMESPACE, PROBE_SERVICE))
        .timeout(PROBE_TIMEOUT)
        .then(Mono.fromSupplier(() -> health(null)))
        .onErrorResume(e -> Mono.just(health(e)));
  }

  private Health health(@Nullable Throwable storeError) {
    Health.Builder b;
    if (storeError != null) {
      b =
          Health.down()
              .withDetail(
                  "store",
                  "unreachable: "
                      + storeError.getClass().getSimpleName()
                      + ": "
                      + storeError.getMessage());
    } else {
      ServerDriver s = server;
      boolean shutdown = s != null && s.routingState() == RoutingState.SHUTDOWN;
      b = (shutdown ? Health.status(Status.OUT_OF_SERVICE) : Health.up()).withDetail("store", "UP");
    }
    ServerDriver s = server;
    if (s != null) {
      Map<String, Object> pod = new LinkedHashMap<>();
      pod.put("namespace", s.options().namespace());
      pod.put("service", s.options().service());
      pod.put("pod", s.options().pod());
      pod.put("routingState", s.routingState().name());
      pod.put("load", s.status().load());
      pod.put("publications", s.publications());
      pod.put("publicationFailures", s.publicationFailures());
      b.withDetail("server", pod);
    }
    ClientDriver c = client;
    if (c != null) {
      b.withDetail("client", Map.of("cachedLinks", c.cacheSize()));
    }
    return b.build();
  }
}
