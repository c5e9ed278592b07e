package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RebalancerLease;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StoreTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The embedded store with the faults of {@link Phase#STORE_FAULT}, as a stalled or restarted Redis
 * shows them to its callers:
 *
 * <ul>
 *   <li>{@link #stall}: a call made while the store is stalled waits on {@code scheduler} (the
 *       simulation's clock, virtual or not) until the stall ends and then runs; one that would wait
 *       the command timeout or longer fails after the timeout with {@link StoreTimeoutException},
 *       as a Redis call queued behind {@code DEBUG SLEEP} does;
 *   <li>{@link #restartEmpty}: the store is replaced by a fresh, empty one (no links, no pod
 *       records); every link-event stream gets {@link LinkEvent.Unsubscribed} and then the new
 *       store's events (which start with {@link LinkEvent.Subscribed}), as after a Redis restart
 *       the pub/sub connection is lost and made again.
 * </ul>
 *
 * <p>Not a {@code ForwardingStatefulExecutor}: that calls one delegate when the method is called,
 * while here the store changes at a restart and a stalled call reaches the store that is current
 * when the stall ends.
 */
final class FaultInjectingExecutor implements StatefulExecutor, StoreFaults {
  /** As {@code RedisExecutorOptions}' default command timeout. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  private final Supplier<StatefulExecutor> fresh;
  private final Scheduler scheduler;
  private final Duration timeout;
  private final Sinks.Many<StatefulExecutor> generations = Sinks.many().replay().latest();
  private volatile StatefulExecutor current;
  private volatile long stalledUntil; // clock millis; 0: never stalled

  /**
   * @param fresh makes an empty store (called now, and at every restart)
   * @param scheduler the clock the stall is measured and waited on
   * @param timeout the command timeout a stalled call fails after
   */
  FaultInjectingExecutor(Supplier<StatefulExecutor> fresh, Scheduler scheduler, Duration timeout) {
    this.fresh = fresh;
    this.scheduler = scheduler;
    this.timeout = timeout;
    this.current = fresh.get();
    generations.tryEmitNext(current);
  }

  @Override
  public boolean injects() {
    return true;
  }

  @Override
  public String description() {
    return "injected by FaultInjectingExecutor (a stalled call waits, or fails after the "
        + "timeout;\n  the restart swaps in an empty store)";
  }

  @Override
  public Duration commandTimeout() {
    return timeout;
  }

  @Override
  public void stall(long millis) {
    stalledUntil = now() + millis;
  }

  @Override
  public void restartEmpty() {
    StatefulExecutor old = current;
    current = fresh.get();
    generations.tryEmitNext(current);
    old.close();
  }

  private long now() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  /**
   * {@code call} on the current store, held up by a stall in progress; a timeout names {@code
   * operation} by its tag, as the Redis executor's does.
   */
  private <T> Mono<T> guard(Operation operation, Function<StatefulExecutor, Mono<T>> call) {
    return Mono.defer(
        () -> {
          long wait = stalledUntil - now();
          if (wait <= 0) {
            return call.apply(current);
          }
          if (wait >= timeout.toMillis()) {
            return Mono.delay(timeout, scheduler)
                .then(Mono.error(() -> new StoreTimeoutException(operation.tag(), timeout, null)));
          }
          return Mono.delay(Duration.ofMillis(wait), scheduler)
              .then(Mono.defer(() -> call.apply(current)));
        });
  }

  @Override
  public Mono<Integer> setLink(String ns, String uid, String service, int pod, long ttlSeconds) {
    return guard(Operation.SET_LINK, s -> s.setLink(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<Integer> setLinkIfAbsent(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return guard(
        Operation.SET_LINK_IF_ABSENT, s -> s.setLinkIfAbsent(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<ClaimResult> claimLink(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return guard(Operation.CLAIM_LINK, s -> s.claimLink(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    return guard(
        Operation.REPLACE_LINK,
        s -> s.replaceLink(ns, uid, service, expectedPod, newPod, ttlSeconds));
  }

  @Override
  public Mono<Integer> getLink(String ns, String uid, String service) {
    return guard(Operation.GET_LINK, s -> s.getLink(ns, uid, service));
  }

  @Override
  public Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return guard(
        Operation.SET_LINK_IF_ABSENT_LEASE,
        s -> s.setLinkIfAbsentLease(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<LinkLease> getLinkLease(String ns, String uid, String service) {
    return guard(Operation.GET_LINK_LEASE, s -> s.getLinkLease(ns, uid, service));
  }

  @Override
  public Mono<Integer> getLinkIfPersistent(String ns, String uid, String service) {
    return guard(Operation.GET_LINK_IF_PERSISTENT, s -> s.getLinkIfPersistent(ns, uid, service));
  }

  @Override
  public Mono<Map<String, Integer>> getLinkIndex(String ns, String uid) {
    return guard(Operation.GET_LINK_INDEX, s -> s.getLinkIndex(ns, uid));
  }

  @Override
  public Mono<Map<String, Integer>> batchGetLinks(
      String ns, Collection<String> uids, String service) {
    return guard(Operation.BATCH_GET_LINKS, s -> s.batchGetLinks(ns, uids, service));
  }

  @Override
  public Mono<Integer> removeLink(String ns, String uid, String service, Duration delay) {
    return guard(Operation.REMOVE_LINK, s -> s.removeLink(ns, uid, service, delay));
  }

  @Override
  public Mono<Boolean> removeLinkIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay) {
    return guard(
        Operation.REMOVE_LINK_IF_OWNER,
        s -> s.removeLinkIfOwner(ns, uid, service, expectedPod, delay));
  }

  /** Held up by a stall in progress at its start, as a call is; then the current store's. */
  @Override
  public Flux<String> listPersistentLinks(String ns, String service, int pod) {
    return guard(Operation.LIST_PERSISTENT_LINKS, Mono::just)
        .flatMapMany(s -> s.listPersistentLinks(ns, service, pod));
  }

  @Override
  public Mono<ReplaceResult> moveLink(
      String ns, String uid, String service, int expectedPod, int newPod) {
    return guard(Operation.MOVE_LINK, s -> s.moveLink(ns, uid, service, expectedPod, newPod));
  }

  @Override
  public Mono<Integer> pinLink(String ns, String uid, String service, int pod) {
    return guard(Operation.PIN_LINK, s -> s.pinLink(ns, uid, service, pod));
  }

  @Override
  public Mono<Boolean> unpinLink(String ns, String uid, String service) {
    return guard(Operation.UNPIN_LINK, s -> s.unpinLink(ns, uid, service));
  }

  @Override
  public Mono<Integer> getLinkPin(String ns, String uid, String service) {
    return guard(Operation.GET_LINK_PIN, s -> s.getLinkPin(ns, uid, service));
  }

  @Override
  public Mono<Boolean> cordonPod(String ns, String service, int pod) {
    return guard(Operation.CORDON_POD, s -> s.cordonPod(ns, service, pod));
  }

  @Override
  public Mono<Boolean> uncordonPod(String ns, String service, int pod) {
    return guard(Operation.UNCORDON_POD, s -> s.uncordonPod(ns, service, pod));
  }

  @Override
  public Mono<RebalancerLease> acquireRebalancer(
      String ns, String service, String owner, Duration ttl) {
    return guard(Operation.ACQUIRE_REBALANCER, s -> s.acquireRebalancer(ns, service, owner, ttl));
  }

  @Override
  public Mono<Boolean> suspendRebalancing(String ns, String service, boolean suspended) {
    return guard(Operation.SUSPEND_REBALANCING, s -> s.suspendRebalancing(ns, service, suspended));
  }

  @Override
  public Mono<Void> requestShed(String ns, String service, int pod, int links, Duration ttl) {
    return guard(Operation.REQUEST_SHED, s -> s.requestShed(ns, service, pod, links, ttl));
  }

  @Override
  public Mono<Integer> takeShedRequest(String ns, String service, int pod) {
    return guard(Operation.TAKE_SHED_REQUEST, s -> s.takeShedRequest(ns, service, pod));
  }

  @Override
  public Mono<Long> publishState(String ns, String service, PodStatus status, Duration pruneAfter) {
    return guard(Operation.PUBLISH_STATE, s -> s.publishState(ns, service, status, pruneAfter));
  }

  @Override
  public Mono<StateSnapshot> readState(String ns, String service) {
    return guard(Operation.READ_STATE, s -> s.readState(ns, service));
  }

  @Override
  public Mono<Void> setWorkloadState(String ns, String service, String value) {
    return guard(Operation.SET_WORKLOAD_STATE, s -> s.setWorkloadState(ns, service, value));
  }

  @Override
  public Mono<String> getWorkloadState(String ns, String service) {
    return guard(Operation.GET_WORKLOAD_STATE, s -> s.getWorkloadState(ns, service));
  }

  @Override
  public Mono<Map<String, String>> batchGetWorkloadStates(String ns, Collection<String> services) {
    return guard(Operation.BATCH_GET_WORKLOAD_STATES, s -> s.batchGetWorkloadStates(ns, services));
  }

  /** The current store's events; a restart ends them with an Unsubscribed and a new stream. */
  @Override
  public Flux<LinkEvent> linkEvents(String ns) {
    return Flux.defer(
        () -> {
          AtomicBoolean first = new AtomicBoolean(true);
          return generations
              .asFlux()
              .switchMap(
                  store ->
                      first.getAndSet(false)
                          ? store.linkEvents(ns)
                          : Flux.concat(
                              Mono.just(new LinkEvent.Unsubscribed(ns, "store restarted")),
                              store.linkEvents(ns)));
        });
  }

  @Override
  public long corruptValuesSkipped() {
    return current.corruptValuesSkipped();
  }

  @Override
  public void close() {
    current.close();
    generations.tryEmitComplete();
  }
}
