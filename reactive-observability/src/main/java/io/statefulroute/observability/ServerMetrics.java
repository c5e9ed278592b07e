package io.statefulroute.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.statefulroute.core.server.ServerListener;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** The server driver's publication timer, bound to its {@link ServerListener} events. */
final class ServerMetrics implements ServerListener {
  private final MeterRegistry registry;
  private final MetricsOptions options;

  ServerMetrics(MeterRegistry registry, MetricsOptions options) {
    this.registry = registry;
    this.options = options;
  }

  @Override
  public void published(String namespace, String service, int pod, long durationNanos) {
    record(namespace, service, MeterTags.SUCCESS, null, durationNanos);
  }

  @Override
  public void publishFailed(
      String namespace, String service, int pod, Throwable error, long durationNanos) {
    record(namespace, service, MeterTags.FAILURE, error, durationNanos);
  }

  private void record(
      String namespace,
      String service,
      String outcome,
      @Nullable Throwable error,
      long durationNanos) {
    // once a second per pod: a registry lookup per publication is cheap enough
    options
        .timer(StatefulRouteMeters.SERVER_PUBLISH)
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
}
