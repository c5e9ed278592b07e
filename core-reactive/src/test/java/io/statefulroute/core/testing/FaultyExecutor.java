package io.statefulroute.core.testing;

import io.statefulroute.core.LinkLease;
import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StoreUnavailableException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A test executor wrapping a real one: counts calls per operation and, while {@link #failing} is
 * on, fails every call with a {@link StoreUnavailableException} (as an unreachable Redis would).
 * Replies can be delayed on a (virtual-time) scheduler: a slow store.
 */
public class FaultyExecutor implements StatefulExecutor {
  private final StatefulExecutor delegate;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicLong failuresLeft = new AtomicLong();
  private final Map<String, Mono<?>> before = new ConcurrentHashMap<>();
  private final Map<String, Supplier<Duration>> delayNext = new ConcurrentHashMap<>();
  private final Map<String, Supplier<Duration>> delayEach = new ConcurrentHashMap<>();
  private volatile Scheduler delayScheduler;
  private volatile boolean failing;

  public FaultyExecutor(StatefulExecutor delegate) {
    this.delegate = delegate;
  }

  /** Fails every call from now on (until {@code failing(false)}). */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  /** Fails the next {@code n} calls. */
  public void failNext(long n) {
    failuresLeft.set(n);
  }

  /**
   * Runs {@code interleaved} (to completion) once, just before the next call of {@code operation}
   * reaches the store: another actor's change landing between a caller's round trips.
   */
  public void beforeNext(String operation, Mono<?> interleaved) {
    before.put(operation, interleaved);
  }

  /**
   * Delays the reply (value or error) of the next call of {@code operation} by {@code delay} on
   * {@code scheduler}: the store does the work at once, its answer arrives late.
   */
  public void delayNext(String operation, Duration delay, Scheduler scheduler) {
    delayScheduler = scheduler;
    delayNext.put(operation, () -> delay);
  }

  /**
   * Delays the reply of every call of {@code operation} from now on by the next duration of
   * {@code delays} (after a pending {@link #delayNext}); {@code null} stops it.
   */
  public void delayEach(String operation, Supplier<Duration> delays, Scheduler scheduler) {
    delayScheduler = scheduler;
    if (delays == null) {
      delayEach.remove(operation);
    } else {
      delayEach.put(operation, delays);
    }
  }

  public int calls(String operation) {
    AtomicInteger c = calls.get(operation);
    return c == null ? 0 : c.get();
  }

  private <T> Mono<T> call(String op, Supplier<Mono<T>> real) {
    Mono<T> m = real.get(); // argument validation happens here, at call time
    return Mono.defer(() -> {
      calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
      if (failing || failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return delayed(op,
            Mono.<T>error(new StoreUnavailableException(op + ": injected failure", null)));
      }
      Mono<?> first = before.remove(op);
      return delayed(op, first == null ? m : first.then(m));
    });
  }

  private <T> Mono<T> delayed(String op, Mono<T> reply) {
    Supplier<Duration> next = delayNext.remove(op);
    Supplier<Duration> d = next != null ? next : delayEach.get(op);
    if (d == null) {
      return reply;
    }
    Duration delay = d.get();
    if (delay.isZero()) {
      return reply;
    }
    // the reply, whatever it is (value, empty or error), is held back for the delay
    return reply.materialize().delayElement(delay, delayScheduler).dematerialize();
  }

  @Override
  public Mono<Integer> setLink(String ns, String uid, String service, int pod, long ttl) {
    return call("setLink", () -> delegate.setLink(ns, uid, service, pod, ttl));
  }

  @Override
  public Mono<Integer> setLinkIfAbsent(String ns, String uid, String service, int pod, long ttl) {
    return call("setLinkIfAbsent", () -> delegate.setLinkIfAbsent(ns, uid, service, pod, ttl));
  }

  @Override
  public Mono<ClaimResult> claimLink(String ns, String uid, String service, int pod, long ttl) {
    return call("claimLink", () -> delegate.claimLink(ns, uid, service, pod, ttl));
  }

  @Override
  public Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttl) {
    return call("replaceLink",
        () -> delegate.replaceLink(ns, uid, service, expectedPod, newPod, ttl));
  }

  @Override
  public Mono<Integer> getLink(String ns, String uid, String service) {
    return call("getLink", () -> delegate.getLink(ns, uid, service));
  }

  /** Counted, failed and delayed as {@code setLinkIfAbsent}: the same operation. */
  @Override
  public Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttl) {
    return call("setLinkIfAbsent", () -> delegate.setLinkIfAbsentLease(ns, uid, service, pod, ttl));
  }

  @Override
  public Mono<LinkLease> getLinkLease(String ns, String uid, String service) {
    return call("getLinkLease", () -> delegate.getLinkLease(ns, uid, service));
  }

  @Override
  public Mono<Integer> getLinkIfPersistent(String ns, String uid, String service) {
    return call("getLinkIfPersistent", () -> delegate.getLinkIfPersistent(ns, uid, service));
  }

  @Override
  public Mono<Map<String, Integer>> getLinkIndex(String ns, String uid) {
    return call("getLinkIndex", () -> delegate.getLinkIndex(ns, uid));
  }

  @Override
  public Mono<Map<String, Integer>> batchGetLinks(
      String ns, Collection<String> uids, String service) {
    return call("batchGetLinks", () -> delegate.batchGetLinks(ns, uids, service));
  }

  @Override
  public Mono<Integer> removeLink(String ns, String uid, String service, Duration delay) {
    return call("removeLink", () -> delegate.removeLink(ns, uid, service, delay));
  }

  @Override
  public Mono<Boolean> removeLinkIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay) {
    return call("removeLinkIfOwner",
        () -> delegate.removeLinkIfOwner(ns, uid, service, expectedPod, delay));
  }

  /** Counted and failed as the other operations; a failure ends the listing at its start. */
  @Override
  public Flux<String> listPersistentLinks(String ns, String service, int pod) {
    Flux<String> real = delegate.listPersistentLinks(ns, service, pod); // validation at call time
    return call("listPersistentLinks", () -> Mono.just(real)).flatMapMany(f -> f);
  }

  @Override
  public Mono<Long> publishState(String ns, String service, PodStatus status, Duration prune) {
    return call("publishState", () -> delegate.publishState(ns, service, status, prune));
  }

  @Override
  public Mono<StateSnapshot> readState(String ns, String service) {
    return call("readState", () -> delegate.readState(ns, service));
  }

  @Override
  public Mono<Void> setWorkloadState(String ns, String service, String value) {
    return call("setWorkloadState", () -> delegate.setWorkloadState(ns, service, value));
  }

  @Override
  public Mono<String> getWorkloadState(String ns, String service) {
    return call("getWorkloadState", () -> delegate.getWorkloadState(ns, service));
  }

  @Override
  public Mono<Map<String, String>> batchGetWorkloadStates(String ns, Collection<String> svcs) {
    return call("batchGetWorkloadStates", () -> delegate.batchGetWorkloadStates(ns, svcs));
  }

  private volatile Flux<LinkEvent> linkEventsOverride;

  /**
   * From now on, {@link #linkEvents} returns {@code events} (filtered by namespace) instead of
   * the delegate's: lets a test play a subscription's life (subscribed, lost, back).
   */
  public void overrideLinkEvents(Flux<LinkEvent> events) {
    this.linkEventsOverride = events;
  }

  /** The delegate's events, or the override's (link events are not failed by this decorator). */
  @Override
  public Flux<LinkEvent> linkEvents(String ns) {
    Flux<LinkEvent> override = linkEventsOverride;
    return override == null ? delegate.linkEvents(ns)
        : override.filter(event -> event.namespace().equals(ns));
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
