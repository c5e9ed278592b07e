package io.statefulroute.observability;

import static io.statefulroute.observability.MeterTags.DOWN;
import static io.statefulroute.observability.MeterTags.EXCEPTION;
import static io.statefulroute.observability.MeterTags.NAMESPACE;
import static io.statefulroute.observability.MeterTags.NONE;
import static io.statefulroute.observability.MeterTags.OUTCOME;
import static io.statefulroute.observability.MeterTags.SERVICE;
import static io.statefulroute.observability.MeterTags.STRATEGY;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.statefulroute.core.client.ClientListener;
import io.statefulroute.core.client.ComputeOutcome;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The client driver's meters, bound to its {@link ClientListener} events. Meters are built once per
 * (namespace, service) and kept; the cache-hit event finds them through a one-entry memo of the
 * last service (identity compare: callers pass the same String instances), then a two-level map: no
 * allocation per hit.
 */
@SuppressWarnings("EnumOrdinal") // meters in arrays indexed by ComputeOutcome: no map lookup
final class ClientMetrics implements ClientListener {
  private static final ComputeOutcome[] OUTCOMES = ComputeOutcome.values();

  /** The outcomes without an error: their meters are built up front. */
  private static final ComputeOutcome[] SUCCESSES = {
    ComputeOutcome.HIT, ComputeOutcome.LINKED, ComputeOutcome.RELINKED
  };

  private final MeterRegistry registry;
  private final MetricsOptions options;
  private final Map<String, Map<String, ServiceMeters>> byService = new ConcurrentHashMap<>();
  private volatile @Nullable ServiceMeters last;

  ClientMetrics(MeterRegistry registry, MetricsOptions options) {
    this.registry = registry;
    this.options = options;
  }

  @Override
  public void computeHit(String namespace, String service) {
    meters(namespace, service).computes[ComputeOutcome.HIT.ordinal()].increment();
  }

  @Override
  public void computeFinished(
      String namespace,
      String service,
      ComputeOutcome outcome,
      @Nullable Throwable error,
      long durationNanos) {
    ServiceMeters m = meters(namespace, service);
    if (error == null) {
      m.computes[outcome.ordinal()].increment();
      m.durations[outcome.ordinal()].record(durationNanos, TimeUnit.NANOSECONDS);
      return;
    }
    Tags tags = m.tags.and(OUTCOME, outcome.tagValue(), EXCEPTION, MeterTags.exception(error));
    counter(tags).increment();
    options
        .timer(StatefulRouteMeters.CLIENT_COMPUTE_DURATION)
        .tags(tags)
        .register(registry)
        .record(durationNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void placed(String namespace, String service, String strategy, int pod) {
    meters(namespace, service)
        .placements
        .computeIfAbsent(
            strategy,
            s ->
                Counter.builder(StatefulRouteMeters.PLACEMENT_DECISIONS.meterName())
                    .description(StatefulRouteMeters.PLACEMENT_DECISIONS.description())
                    .tags(Tags.of(NAMESPACE, namespace, SERVICE, service, STRATEGY, s))
                    .register(registry))
        .increment();
  }

  @Override
  public void podEjected(String namespace, String service, int pod) {
    meters(namespace, service).ejections.increment();
  }

  @Override
  public void failureReported(String namespace, String service, int pod, boolean down) {
    ServiceMeters m = meters(namespace, service);
    m.failureReports
        .computeIfAbsent(
            down,
            d ->
                Counter.builder(StatefulRouteMeters.CLIENT_FAILURE_REPORTS.meterName())
                    .description(StatefulRouteMeters.CLIENT_FAILURE_REPORTS.description())
                    .tags(m.tags.and(DOWN, Boolean.toString(d)))
                    .register(registry))
        .increment();
  }

  // identity first: a caller passes the same String instances call after call, and a miss only
  // costs the map lookup below
  @SuppressWarnings("ReferenceEquality")
  private ServiceMeters meters(String namespace, String service) {
    ServiceMeters m = last;
    if (m != null && m.namespace == namespace && m.service == service) {
      return m;
    }
    m =
        byService
            .computeIfAbsent(namespace, ns -> new ConcurrentHashMap<>())
            .computeIfAbsent(service, svc -> new ServiceMeters(namespace, svc));
    last = m;
    return m;
  }

  private Counter counter(Tags tags) {
    return Counter.builder(StatefulRouteMeters.CLIENT_COMPUTE.meterName())
        .description(StatefulRouteMeters.CLIENT_COMPUTE.description())
        .tags(tags)
        .register(registry);
  }

  /** The pre-built meters of one (namespace, service). */
  private final class ServiceMeters {
    final String namespace;
    final String service;
    final Tags tags;
    final Counter[] computes = new Counter[OUTCOMES.length];
    final Timer[] durations = new Timer[OUTCOMES.length];
    final Counter ejections;
    final Map<String, Counter> placements = new ConcurrentHashMap<>();
    final Map<Boolean, Counter> failureReports = new ConcurrentHashMap<>();

    ServiceMeters(String namespace, String service) {
      this.namespace = namespace;
      this.service = service;
      this.tags = Tags.of(NAMESPACE, namespace, SERVICE, service);
      for (ComputeOutcome o : SUCCESSES) {
        Tags t = tags.and(OUTCOME, o.tagValue(), EXCEPTION, NONE);
        computes[o.ordinal()] = counter(t);
        if (o != ComputeOutcome.HIT) { // hits are counted, not timed
          durations[o.ordinal()] =
              options.timer(StatefulRouteMeters.CLIENT_COMPUTE_DURATION).tags(t).register(registry);
        }
      }
      this.ejections =
          Counter.builder(StatefulRouteMeters.PLACEMENT_EJECTIONS.meterName())
              .description(StatefulRouteMeters.PLACEMENT_EJECTIONS.description())
              .tags(tags)
              .register(registry);
    }
  }
}
