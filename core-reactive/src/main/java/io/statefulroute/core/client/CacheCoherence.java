package io.statefulroute.core.client;

import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.StatefulExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Decides whether a client's cached link may be used as it is, from the link events of its
 * namespace (see {@link LinkEvent}); the driver applies the events to its cache.
 *
 * <p>Per namespace, a cached link is <em>trusted</em> (used without I/O) when:
 *
 * <ul>
 *   <li>link events have been received since before the entry was written (every later change of
 *       its link would have updated or dropped it), or
 *   <li>it is younger than {@code unconfirmedTtl}, or
 *   <li>the store is suspected down (the event connection was lost) and was found unreachable less
 *       than {@code unconfirmedTtl} ago, or another caller is checking it right now: a Redis outage
 *       neither takes cached routes away nor makes every caller wait out a timeout.
 * </ul>
 *
 * Otherwise the driver re-reads the link ({@link #startCheck} / {@link #checkDone}).
 *
 * <p>The hit path reads one counter: while no namespace is unsettled (subscribed for longer than
 * the cache TTL, so every entry was written under the subscription) nothing else is looked at.
 */
// State.RELEASED is a sentinel compared by identity: it equals State.INITIAL by value
@SuppressWarnings("ReferenceEquality")
final class CacheCoherence implements AutoCloseable {
  private final StatefulExecutor executor;
  private final Scheduler scheduler;
  private final LongSupplier clock;
  private final long unconfirmedTtlNanos;
  private final long cacheTtlNanos;
  private final Consumer<LinkEvent> apply;
  private final Function<String, Mono<Void>> recheck;
  private final BiConsumer<String, Throwable> recheckFailed;
  private final ConcurrentMap<String, Namespace> namespaces = new ConcurrentHashMap<>();

  /** Namespaces in use that are not settled (the hit path's only read). */
  private final AtomicInteger unsettled = new AtomicInteger();

  private volatile boolean closed;

  /**
   * What is known of one namespace's subscription, as one immutable value: every change is one
   * compare-and-set of {@link Namespace#state}, so no reader sees half of a change and no two
   * changes (a settle racing an unconfirm) interleave.
   *
   * @param confirmed link events are being received
   * @param confirmedAt clock nanos when the current subscription was confirmed
   * @param verified the entries written before {@code confirmedAt} were re-read after it
   * @param settled confirmed for longer than the cache TTL: every entry was written under it
   * @param suspect the event connection was lost: the store may be down
   * @param storeFailedAt clock nanos when a re-read found the store unreachable; 0 = not since the
   *     last success
   */
  record State(
      boolean confirmed,
      long confirmedAt,
      boolean verified,
      boolean settled,
      boolean suspect,
      long storeFailedAt) {
    static final State INITIAL = new State(false, 0, false, false, false, 0);

    /** The namespace was released (unused): no change applies any more. Compared by identity. */
    static final State RELEASED = new State(false, 0, false, false, false, 0);

    State confirm(long at) {
      return new State(true, at, false, false, suspect, storeFailedAt);
    }

    State unconfirm(boolean lost) {
      return new State(false, confirmedAt, false, false, suspect || lost, storeFailedAt);
    }

    boolean isCurrent(long at) {
      return confirmed && confirmedAt == at;
    }

    State verify() {
      return new State(confirmed, confirmedAt, true, settled, suspect, storeFailedAt);
    }

    State settle() {
      return new State(confirmed, confirmedAt, verified, true, suspect, storeFailedAt);
    }

    State storeAnswered() {
      return new State(confirmed, confirmedAt, verified, settled, false, 0);
    }

    State storeFailed(long at) {
      return new State(confirmed, confirmedAt, verified, settled, suspect, at);
    }
  }

  /** One namespace: its state, its one re-read in progress while suspect, its subscription. */
  static final class Namespace {
    final String name;
    final AtomicReference<State> state = new AtomicReference<>(State.INITIAL);
    final AtomicBoolean checking = new AtomicBoolean();

    /** Null until {@link #watch} has subscribed (the namespace is listed before that). */
    volatile @Nullable Disposable subscription;

    /** Watched since the last {@link #releaseUnused} sweep. */
    volatile boolean used = true;

    Namespace(String name) {
      this.name = name;
    }

    State get() {
      return Objects.requireNonNull(state.get(), "a namespace's state is never set to null");
    }

    /** One change of the state (none once released); returns the state before it. */
    State update(UnaryOperator<State> change) {
      return state.getAndUpdate(st -> st == State.RELEASED ? st : change.apply(st));
    }
  }

  CacheCoherence(
      StatefulExecutor executor,
      Scheduler scheduler,
      LongSupplier clock,
      long unconfirmedTtlNanos,
      long cacheTtlNanos,
      Consumer<LinkEvent> apply,
      Function<String, Mono<Void>> recheck,
      BiConsumer<String, Throwable> recheckFailed) {
    this.executor = executor;
    this.scheduler = scheduler;
    this.clock = clock;
    this.unconfirmedTtlNanos = unconfirmedTtlNanos;
    this.cacheTtlNanos = cacheTtlNanos;
    this.apply = apply;
    this.recheck = recheck;
    this.recheckFailed = recheckFailed;
  }

  /** Whether every namespace in use is settled: the hit path needs no other check. */
  boolean allSettled() {
    return unsettled.get() == 0;
  }

  /** Follows the namespace's link events from its first use on. */
  void watch(String namespace) {
    Namespace existing = namespaces.get(namespace);
    if (existing != null) {
      if (!existing.used) {
        existing.used = true;
        if (namespaces.get(namespace) != existing) {
          watch(namespace); // released by a sweep meanwhile: follow it afresh
        }
      }
      return;
    }
    if (closed) {
      return;
    }
    Namespace ns = new Namespace(namespace);
    if (namespaces.putIfAbsent(namespace, ns) != null) {
      return;
    }
    unsettled.incrementAndGet();
    ns.subscription =
        executor
            .linkEvents(namespace)
            .subscribe(
                event -> onEvent(ns, event), e -> unconfirm(ns, true), () -> unconfirm(ns, false));
  }

  /**
   * Whether the namespace's link events are being received now and the entries cached before the
   * subscription have been re-read since.
   */
  boolean isCoherent(String namespace) {
    Namespace ns = namespaces.get(namespace);
    if (ns == null) {
      return false;
    }
    State st = ns.get();
    return st.confirmed() && st.verified();
  }

  /**
   * Whether every cached entry of {@code namespace} can be used without re-reading it, whatever its
   * age (settled, or subscribed and the older entries re-read since): lets the hit path skip
   * looking up the entry's age.
   */
  boolean trustedAtAnyAge(String namespace) {
    Namespace ns = namespaces.get(namespace);
    if (ns == null) {
      return false;
    }
    State st = ns.get();
    return st.settled() || (st.confirmed() && st.verified());
  }

  /**
   * Whether a cached entry of {@code namespace} written {@code ageNanos} ago (-1: unknown) can be
   * used without re-reading it. No side effect.
   */
  boolean trusted(String namespace, long ageNanos) {
    Namespace ns = namespaces.get(namespace);
    if (ns == null) {
      return false;
    }
    State st = ns.get();
    if (st.settled()) {
      return true;
    }
    if (ageNanos >= 0 && ageNanos < unconfirmedTtlNanos) {
      return true;
    }
    long now = now();
    if (st.confirmed() && (st.verified() || (ageNanos >= 0 && now - ageNanos > st.confirmedAt()))) {
      return true; // written while subscribed, or re-read since
    }
    return st.suspect()
        && (ns.checking.get()
            || (st.storeFailedAt() != 0 && now - st.storeFailedAt() < unconfirmedTtlNanos));
  }

  /** Whether the store is suspected down for the namespace (its event connection was lost). */
  boolean suspect(String namespace) {
    Namespace ns = namespaces.get(namespace);
    return ns != null && ns.get().suspect();
  }

  /**
   * A caller is about to re-read an untrusted entry. While the store is suspected down, only one
   * caller per namespace does at a time: returns false when another one already is (the caller uses
   * its cached link).
   */
  boolean startCheck(String namespace) {
    Namespace ns = namespaces.get(namespace);
    return ns == null || !ns.get().suspect() || ns.checking.compareAndSet(false, true);
  }

  /** The re-read started by {@link #startCheck} ended: the store answered or it did not. */
  void checkDone(String namespace, boolean storeAnswered) {
    Namespace ns = namespaces.get(namespace);
    if (ns == null) {
      return;
    }
    long at = now();
    ns.update(st -> storeAnswered ? st.storeAnswered() : st.storeFailed(at));
    ns.checking.set(false);
  }

  private void onEvent(Namespace ns, LinkEvent event) {
    if (!(event instanceof LinkEvent.Linked) && !(event instanceof LinkEvent.Removed)) {
      apply.accept(event); // the subscription's own events too: fills in flight are not cached
    }
    if (event instanceof LinkEvent.Subscribed) {
      long at = now();
      State before = ns.update(st -> st.confirmed() ? st : st.confirm(at));
      if (!before.confirmed() && before != State.RELEASED) {
        // entries written before now may have missed changes: re-read them in the background
        // (until then each is trusted only as an unconfirmed one); they are gone by the TTL
        verify(ns, at);
        scheduler.schedule(() -> settle(ns, at), cacheTtlNanos, TimeUnit.NANOSECONDS);
      }
    } else if (event instanceof LinkEvent.Unsubscribed) {
      unconfirm(ns, true);
    } else {
      apply.accept(event);
    }
  }

  /** Re-reads the entries cached before the subscription; retried while it is the same one. */
  private void verify(Namespace ns, long confirmedAt) {
    if (closed || !ns.get().isCurrent(confirmedAt)) {
      return;
    }
    recheck
        .apply(ns.name)
        .subscribe(
            null,
            e -> {
              recheckFailed.accept(ns.name, e);
              scheduler.schedule(
                  () -> verify(ns, confirmedAt), unconfirmedTtlNanos, TimeUnit.NANOSECONDS);
            },
            () -> ns.update(st -> st.isCurrent(confirmedAt) ? st.verify() : st));
  }

  /** The subscription confirmed at {@code confirmedAt} has lasted the cache TTL. */
  private void settle(Namespace ns, long confirmedAt) {
    State before = ns.update(st -> st.isCurrent(confirmedAt) && !st.settled() ? st.settle() : st);
    if (before.isCurrent(confirmedAt) && !before.settled()) {
      unsettled.decrementAndGet(); // exactly the change that set settled
    }
  }

  private void unconfirm(Namespace ns, boolean lost) {
    State before = ns.update(st -> st.unconfirm(lost));
    if (before.settled()) {
      unsettled.incrementAndGet(); // exactly the change that cleared settled
    }
  }

  /**
   * Releases the namespaces not watched since the previous sweep and holding no cached link ({@code
   * inUse}: the namespaces of the cache's entries): their link-event subscription ends. A later use
   * watches the namespace afresh (its entries are then re-read as unconfirmed ones until the new
   * subscription is confirmed).
   *
   * @return the namespaces released
   */
  List<String> releaseUnused(Set<String> inUse) {
    List<String> released = new ArrayList<>();
    namespaces
        .values()
        .forEach(
            ns -> {
              if (ns.used || inUse.contains(ns.name)) {
                ns.used = false;
                return;
              }
              if (!namespaces.remove(ns.name, ns)) {
                return;
              }
              State before = ns.state.getAndSet(State.RELEASED);
              if (before != State.RELEASED && !before.settled()) {
                unsettled.decrementAndGet(); // it no longer counts as unsettled
              }
              Disposable d = ns.subscription;
              if (d != null) {
                d.dispose();
              }
              if (ns.used) {
                // a use landed between the check above and the removal: follow the namespace afresh
                // (watch either saw the removal and did, or set used before this read)
                watch(ns.name);
                return;
              }
              released.add(ns.name);
            });
    return released;
  }

  /** The namespaces followed now (tests). */
  Set<String> watched() {
    return Set.copyOf(namespaces.keySet());
  }

  /** The namespace's state; null when it is not followed (tests). */
  @Nullable State state(String namespace) {
    Namespace ns = namespaces.get(namespace);
    return ns == null ? null : ns.get();
  }

  /** The cache's ticker: entry ages and these instants are on one clock. */
  private long now() {
    return clock.getAsLong();
  }

  @Override
  public void close() {
    closed = true;
    namespaces
        .values()
        .forEach(
            ns -> {
              Disposable d = ns.subscription;
              if (d != null) {
                d.dispose();
              }
            });
  }
}
