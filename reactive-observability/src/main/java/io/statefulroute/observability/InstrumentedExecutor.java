package io.statefulroute.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.statefulroute.core.ForwardingStatefulExecutor;
import io.statefulroute.core.StatefulExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A {@link StatefulExecutor} decorator: times every call ({@code statefulroute.executor.call}, per
 * operation and outcome; Lua scripts and plain reads alike) and observes it ({@code
 * statefulroute.script}, or {@code statefulroute.publish} for publications) as a child of the
 * observation in the subscriber's context, both tagged with the operation's {@link
 * Operation#tag()}. The calls pass {@link ForwardingStatefulExecutor}'s hook, so argument checks
 * still throw {@link IllegalArgumentException} before any I/O; the work runs at subscription as
 * before.
 *
 * <p>Not timed: {@code listPersistentLinks} (a walk of the key space that lasts as long as its
 * subscriber reads, not a call with a latency; the per-uid reads it makes inside the delegate are
 * not timed either) and {@code linkEvents} (a subscription, not a call).
 */
@SuppressWarnings("EnumOrdinal") // timers in an array indexed by Operation: no map lookup per call
final class InstrumentedExecutor extends ForwardingStatefulExecutor {
  /** Null when metrics are off (then calls are only traced). */
  private final @Nullable MeterRegistry registry;

  private final MetricsOptions options;
  private final Tracing tracing;
  private final Timer[] successTimers;

  InstrumentedExecutor(
      StatefulExecutor delegate,
      @Nullable MeterRegistry registry,
      MetricsOptions options,
      Tracing tracing) {
    super(delegate);
    this.registry = registry;
    this.options = options;
    this.tracing = tracing;
    this.successTimers = new Timer[Operation.values().length];
    if (registry != null) {
      for (Operation op : Operation.values()) {
        if (op != Operation.LIST_PERSISTENT_LINKS) {
          successTimers[op.ordinal()] = timer(registry, metered(op), MeterTags.SUCCESS, null);
        }
      }
    }
  }

  /**
   * The operation a call is timed and traced as: {@code setLinkIfAbsentLease} runs the
   * set-if-absent script and keeps its {@code set_link_if_absent} series.
   */
  private static Operation metered(Operation op) {
    return op == Operation.SET_LINK_IF_ABSENT_LEASE ? Operation.SET_LINK_IF_ABSENT : op;
  }

  private Timer timer(
      MeterRegistry registry, Operation op, String outcome, @Nullable Throwable error) {
    return options
        .timer(StatefulRouteMeters.EXECUTOR_CALL)
        .tags(
            Tags.of(
                MeterTags.OPERATION,
                op.tag(),
                MeterTags.OUTCOME,
                outcome,
                MeterTags.EXCEPTION,
                MeterTags.exception(error)))
        .register(registry);
  }

  @Override
  protected <T> Mono<T> around(
      Operation operation,
      String ns,
      @Nullable String service,
      @Nullable String uid,
      Mono<T> call) {
    Operation op = metered(operation);
    Mono<T> work = call;
    MeterRegistry metrics = registry; // a local: known non-null in the lambda below
    if (metrics != null) {
      Timer success = successTimers[operation.ordinal()];
      work =
          Mono.defer(
              () -> {
                long start = System.nanoTime();
                return call.doOnSuccess(
                        v -> success.record(System.nanoTime() - start, TimeUnit.NANOSECONDS))
                    .doOnError(
                        e ->
                            timer(metrics, op, MeterTags.ERROR, e)
                                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
              });
    }
    if (tracing.enabled()) {
      work =
          tracing.observe(
              op == Operation.PUBLISH_STATE
                  ? StatefulRouteObservations.PUBLISH
                  : StatefulRouteObservations.SCRIPT,
              op.tag(),
              ns,
              service,
              uid,
              work);
    }
    return work;
  }
}
