package io.statefulroute.test;

import io.statefulroute.core.ForwardingStatefulExecutor;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StoreUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A test executor wrapping a real one: counts calls per operation and, while {@link #failing} is
 * on, fails every call with a {@link StoreUnavailableException} (as an unreachable Redis would).
 * Replies can be delayed on a (virtual-time) scheduler: a slow store.
 */
public class FaultyExecutor extends ForwardingStatefulExecutor {
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicLong failuresLeft = new AtomicLong();
  private final Map<String, Mono<?>> before = new ConcurrentHashMap<>();
  private final Map<String, Supplier<Duration>> delayNext = new ConcurrentHashMap<>();
  private final Map<String, Supplier<Duration>> delayEach = new ConcurrentHashMap<>();
  private volatile @Nullable Scheduler delayScheduler;
  private volatile boolean failing;

  public FaultyExecutor(StatefulExecutor delegate) {
    super(delegate);
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
   * Delays the reply of every call of {@code operation} from now on by the next duration of {@code
   * delays} (after a pending {@link #delayNext}); {@code null} stops it.
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

  private <T> Mono<T> call(String op, Mono<T> m) {
    return Mono.defer(
        () -> {
          calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
          if (failing || failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return delayed(
                op, Mono.<T>error(new StoreUnavailableException(op + ": injected failure", null)));
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
    Scheduler scheduler = delayScheduler;
    return scheduler == null
        ? reply.materialize().delayElement(delay).dematerialize()
        : reply.materialize().delayElement(delay, scheduler).dematerialize();
  }

  /** Every call is counted, failed and delayed under its method's name. */
  @Override
  protected <T> Mono<T> around(
      Operation operation,
      String ns,
      @Nullable String service,
      @Nullable String uid,
      Mono<T> call) {
    return call(name(operation), call);
  }

  /** Counted and failed as the other operations; a failure ends the listing at its start. */
  @Override
  protected <T> Flux<T> around(
      Operation operation,
      String ns,
      @Nullable String service,
      @Nullable String uid,
      Flux<T> call) {
    return call(name(operation), Mono.just(call)).flatMapMany(f -> f);
  }

  /** {@code setLinkIfAbsentLease} counts, fails and delays as {@code setLinkIfAbsent}. */
  private static String name(Operation operation) {
    return operation == Operation.SET_LINK_IF_ABSENT_LEASE
        ? Operation.SET_LINK_IF_ABSENT.methodName()
        : operation.methodName();
  }

  private volatile @Nullable Flux<LinkEvent> linkEventsOverride;

  /**
   * From now on, {@link #linkEvents} returns {@code events} (filtered by namespace) instead of the
   * delegate's: lets a test play a subscription's life (subscribed, lost, back).
   */
  public void overrideLinkEvents(Flux<LinkEvent> events) {
    this.linkEventsOverride = events;
  }

  /** The delegate's events, or the override's (link events are not failed by this decorator). */
  @Override
  public Flux<LinkEvent> linkEvents(String ns) {
    Flux<LinkEvent> override = linkEventsOverride;
    return override == null
        ? super.linkEvents(ns)
        : override.filter(event -> event.namespace().equals(ns));
  }
}
