package io.statefulroute.observability;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.statefulroute.core.PodState;
import io.statefulroute.core.state.ServiceView;
import io.statefulroute.core.state.StateCacheListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The state cache's meters (refresh timer, refresh age, pods per set, load imbalance) and the
 * per-service refresh record that {@code /health} reads. Gauges of a service are registered on its
 * first successful read and read the latest view.
 */
final class StateMetrics implements StateCacheListener {
  private final MeterRegistry registry;
  private final MetricsOptions options;
  private final Clock clock;
  private final Map<String, Watched> services = new ConcurrentHashMap<>();

  StateMetrics(MeterRegistry registry, MetricsOptions options, Clock clock) {
    this.registry = registry;
    this.options = options;
    this.clock = clock;
  }

  @Override
  public void refreshed(ServiceView view, long durationNanos) {
    Watched w = watched(view.namespace(), view.service());
    w.view = view;
    w.lastSuccessMillis = clock.wallTime();
    w.lastError = null;
    w.registerGauges();
    timer(view.namespace(), view.service(), MeterTags.SUCCESS, null, durationNanos);
  }

  @Override
  public void refreshFailed(String namespace, String service, Throwable error, long durationNanos) {
    Watched w = watched(namespace, service);
    w.lastError = error;
    timer(namespace, service, MeterTags.FAILURE, error, durationNanos);
  }

  /** The refresh record of every service seen so far, sorted by namespace and service. */
  List<StateRefresh> services() {
    long now = clock.wallTime();
    List<StateRefresh> out = new ArrayList<>();
    for (Watched w : services.values()) {
      Throwable e = w.lastError;
      out.add(
          new StateRefresh(
              w.namespace,
              w.service,
              w.lastSuccessMillis < 0 ? -1 : now - w.lastSuccessMillis,
              e == null ? null : MeterTags.exception(e) + ": " + e.getMessage()));
    }
    out.sort(Comparator.comparing(StateRefresh::namespace).thenComparing(StateRefresh::service));
    return out;
  }

  private void timer(
      String namespace,
      String service,
      String outcome,
      @Nullable Throwable error,
      long durationNanos) {
    options
        .timer(StatefulRouteMeters.STATE_REFRESH)
        .tags(
            Tags.of(
                MeterTags.NAMESPACE,
                namespace,
                MeterTags.SERVICE,
                service,
                MeterTags.OUTCOME,
                outcome,
                MeterTags.EXCEPTION,
                MeterTags.exception(error)))
        .register(registry)
        .record(durationNanos, TimeUnit.NANOSECONDS);
  }

  private Watched watched(String namespace, String service) {
    return services.computeIfAbsent(
        namespace + '\u0000' + service, k -> new Watched(namespace, service));
  }

  /** Coefficient of variation of the available pods' loads (0 for fewer than two pods). */
  static double loadImbalance(ServiceView view) {
    List<PodState> pods = view.availablePods();
    if (pods.size() < 2) {
      return 0;
    }
    double sum = 0;
    for (PodState p : pods) {
      sum += p.load();
    }
    double mean = sum / pods.size();
    if (mean == 0) {
      return 0;
    }
    double squares = 0;
    for (PodState p : pods) {
      squares += (p.load() - mean) * (p.load() - mean);
    }
    return Math.sqrt(squares / pods.size()) / mean;
  }

  private final class Watched {
    final String namespace;
    final String service;

    /** The latest view; null until the first successful read. */
    volatile @Nullable ServiceView view;

    volatile long lastSuccessMillis = -1;

    /** The last read's error; null when it succeeded (or none failed yet). */
    volatile @Nullable Throwable lastError;

    private volatile boolean gauges;

    Watched(String namespace, String service) {
      this.namespace = namespace;
      this.service = service;
    }

    synchronized void registerGauges() {
      if (gauges) {
        return;
      }
      gauges = true;
      Tags tags = Tags.of(MeterTags.NAMESPACE, namespace, MeterTags.SERVICE, service);
      TimeGauge.builder(
              StatefulRouteMeters.STATE_REFRESH_AGE.meterName(),
              this,
              TimeUnit.MILLISECONDS,
              w -> clock.wallTime() - w.lastSuccessMillis)
          .description(StatefulRouteMeters.STATE_REFRESH_AGE.description())
          .tags(tags)
          .register(registry);
      gauge(StatefulRouteMeters.STATE_PODS_FRESH, tags, w -> w.latest().freshCount());
      gauge(StatefulRouteMeters.STATE_PODS_ROUTABLE, tags, w -> w.latest().routableCount());
      gauge(StatefulRouteMeters.STATE_PODS_AVAILABLE, tags, w -> w.latest().availableCount());
      gauge(StatefulRouteMeters.STATE_LOAD_IMBALANCE, tags, w -> loadImbalance(w.latest()));
    }

    /** The view a gauge reads: they are registered after the first read set it. */
    ServiceView latest() {
      return Objects.requireNonNull(view, "gauges are registered once a read set the view");
    }

    private void gauge(StatefulRouteMeters meter, Tags tags, ToDoubleFunction<Watched> f) {
      Gauge.builder(meter.meterName(), this, f)
          .description(meter.description())
          .baseUnit(meter.baseUnit())
          .tags(tags)
          .strongReference(true)
          .register(registry);
    }
  }
}
