package io.statefulroute.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link StatefulExecutor} decorator: times every call ({@code statefulroute.executor.script},
 * per operation and outcome) and observes it ({@code statefulroute.script}, or
 * {@code statefulroute.publish} for publications) as a child of the observation in the
 * subscriber's context. The delegate is called at once, so its argument checks still throw
 * {@link IllegalArgumentException} before any I/O; the work runs at subscription as before.
 */
final class InstrumentedExecutor implements StatefulExecutor {
  /** The executor operations, as tag values. */
  enum Operation {
    SET_LINK, SET_LINK_IF_ABSENT, CLAIM_LINK, REPLACE_LINK, GET_LINK, GET_LINK_LEASE,
    GET_LINK_IF_PERSISTENT,
    GET_LINK_INDEX, BATCH_GET_LINKS, REMOVE_LINK, REMOVE_LINK_IF_OWNER, PUBLISH_STATE,
    READ_STATE, SET_WORKLOAD_STATE, GET_WORKLOAD_STATE, BATCH_GET_WORKLOAD_STATES;

    final String tag = name().toLowerCase(Locale.ROOT);
  }

  private final StatefulExecutor delegate;
  private final MeterRegistry registry;
  private final MetricsOptions options;
  private final Tracing tracing;
  private final Timer[] successTimers;

  InstrumentedExecutor(StatefulExecutor delegate, MeterRegistry registry, MetricsOptions options,
      Tracing tracing) {
    this.delegate = delegate;
    this.registry = registry;
    this.options = options;
    this.tracing = tracing;
    this.successTimers = new Timer[Operation.values().length];
    if (registry != null) {
      for (Operation op : Operation.values()) {
        successTimers[op.ordinal()] = timer(op, MeterTags.SUCCESS, null);
      }
    }
  }

  private Timer timer(Operation op, String outcome, Throwable error) {
    return options.timer(StatefulRouteMeters.EXECUTOR_SCRIPT)
        .tags(Tags.of(MeterTags.OPERATION, op.tag, MeterTags.OUTCOME, outcome,
            MeterTags.EXCEPTION, MeterTags.exception(error)))
        .register(registry);
  }

  private <T> Mono<T> run(Operation op, String ns, String service, String uid, Mono<T> call) {
    Mono<T> work = call;
    if (registry != null) {
      Mono<T> timed = call;
      work = Mono.defer(() -> {
        long start = System.nanoTime();
        return timed
            .doOnSuccess(v -> successTimers[op.ordinal()]
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS))
            .doOnError(e -> timer(op, MeterTags.ERROR, e)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
      });
    }
    if (tracing.enabled()) {
      work = tracing.observe(op == Operation.PUBLISH_STATE
          ? StatefulRouteObservations.PUBLISH : StatefulRouteObservations.SCRIPT,
          op.tag, ns, service, uid, work);
    }
    return work;
  }

  @Override
  public Mono<Integer> setLink(String ns, String uid, String service, int pod, long ttlSeconds) {
    return run(Operation.SET_LINK, ns, service, uid,
        delegate.setLink(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<Integer> setLinkIfAbsent(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return run(Operation.SET_LINK_IF_ABSENT, ns, service, uid,
        delegate.setLinkIfAbsent(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<ClaimResult> claimLink(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return run(Operation.CLAIM_LINK, ns, service, uid,
        delegate.claimLink(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    return run(Operation.REPLACE_LINK, ns, service, uid,
        delegate.replaceLink(ns, uid, service, expectedPod, newPod, ttlSeconds));
  }

  @Override
  public Mono<Integer> getLink(String ns, String uid, String service) {
    return run(Operation.GET_LINK, ns, service, uid, delegate.getLink(ns, uid, service));
  }

  @Override
  public Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return run(Operation.SET_LINK_IF_ABSENT, ns, service, uid,
        delegate.setLinkIfAbsentLease(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<LinkLease> getLinkLease(String ns, String uid, String service) {
    return run(Operation.GET_LINK_LEASE, ns, service, uid,
        delegate.getLinkLease(ns, uid, service));
  }

  @Override
  public Mono<Integer> getLinkIfPersistent(String ns, String uid, String service) {
    return run(Operation.GET_LINK_IF_PERSISTENT, ns, service, uid,
        delegate.getLinkIfPersistent(ns, uid, service));
  }

  @Override
  public Mono<Map<String, Integer>> getLinkIndex(String ns, String uid) {
    return run(Operation.GET_LINK_INDEX, ns, null, uid, delegate.getLinkIndex(ns, uid));
  }

  @Override
  public Mono<Map<String, Integer>> batchGetLinks(
      String ns, Collection<String> uids, String service) {
    return run(Operation.BATCH_GET_LINKS, ns, service, null,
        delegate.batchGetLinks(ns, uids, service));
  }

  @Override
  public Mono<Integer> removeLink(String ns, String uid, String service, Duration delay) {
    return run(Operation.REMOVE_LINK, ns, service, uid,
        delegate.removeLink(ns, uid, service, delay));
  }

  @Override
  public Mono<Boolean> removeLinkIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay) {
    return run(Operation.REMOVE_LINK_IF_OWNER, ns, service, uid,
        delegate.removeLinkIfOwner(ns, uid, service, expectedPod, delay));
  }

  /**
   * Forwarded as is: a listing is a walk of the key space that lasts as long as its subscriber
   * reads, not a call with a latency (the per-uid reads it makes inside the delegate are not
   * timed either).
   */
  @Override
  public Flux<String> listPersistentLinks(String ns, String service, int pod) {
    return delegate.listPersistentLinks(ns, service, pod);
  }

  @Override
  public Mono<Long> publishState(
      String ns, String service, PodStatus status, Duration pruneAfter) {
    return run(Operation.PUBLISH_STATE, ns, service, null,
        delegate.publishState(ns, service, status, pruneAfter));
  }

  @Override
  public Mono<StateSnapshot> readState(String ns, String service) {
    return run(Operation.READ_STATE, ns, service, null, delegate.readState(ns, service));
  }

  @Override
  public Mono<Void> setWorkloadState(String ns, String service, String value) {
    return run(Operation.SET_WORKLOAD_STATE, ns, service, null,
        delegate.setWorkloadState(ns, service, value));
  }

  @Override
  public Mono<String> getWorkloadState(String ns, String service) {
    return run(Operation.GET_WORKLOAD_STATE, ns, service, null,
        delegate.getWorkloadState(ns, service));
  }

  @Override
  public Mono<Map<String, String>> batchGetWorkloadStates(
      String ns, Collection<String> services) {
    return run(Operation.BATCH_GET_WORKLOAD_STATES, ns, null, null,
        delegate.batchGetWorkloadStates(ns, services));
  }

  /** Forwarded as is: link events are not timed (they are a subscription, not a call). */
  @Override
  public Flux<LinkEvent> linkEvents(String ns) {
    return delegate.linkEvents(ns);
  }

  @Override
  public long corruptValuesSkipped() {
    return delegate.corruptValuesSkipped();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
