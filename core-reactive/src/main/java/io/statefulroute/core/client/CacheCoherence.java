package io.statefulroute.core.client;

import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.StatefulExecutor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Decides whether a client's cached link may be used as it is, from the link events of its
 * namespace (see {@link LinkEvent}); the driver applies the events to its cache.
 *
 * <p>Per namespace, a cached link is <em>trusted</em> (used without I/O) when:
 * <ul>
 *   <li>link events have been received since before the entry was written (every later change
 *       of its link would have updated or dropped it), or</li>
 *   <li>it is younger than {@code unconfirmedTtl}, or</li>
 *   <li>the store is suspected down (the event connection was lost) and was found unreachable
 *       less than {@code unconfirmedTtl} ago, or another caller is checking it right now: a
 *       Redis outage neither takes cached routes away nor makes every caller wait out a
 *       timeout.</li>
 * </ul>
 * Otherwise the driver re-reads the link ({@link #startCheck} / {@link #checkDone}).
 *
 * <p>The hit path reads one counter: while no namespace is unsettled (subscribed for longer than
 * the cache TTL, so every entry was written under the subscription) nothing else is looked at.
 */
final class CacheCoherence implements AutoCloseable {
  private final StatefulExecutor executor;
  private final Scheduler scheduler;
  private final LongSupplier clock;
  private final long unconfirmedTtlNanos;
  private final long cacheTtlNanos;
  private final Consumer<LinkEvent> apply;
  private final Function<String, Mono<Void>> recheck;
  private final ConcurrentMap<String, Namespace> namespaces = new ConcurrentHashMap<>();
  /** Namespaces in use that are not settled (the hit path's only read). */
  private final AtomicInteger unsettled = new AtomicInteger();
  private volatile boolean closed;

  /** The state of one namespace. */
  static final class Namespace {
    final String name;
    volatile boolean confirmed;
    /** Clock nanos when the current subscription was confirmed. */
    volatile long confirmedAt;
    /** The entries written before {@link #confirmedAt} were re-read after it (all trusted). */
    volatile boolean verified;
    /** Confirmed for longer than the cache TTL: every entry was written under it. */
    volatile boolean settled;
    /** The event connection was lost: the store may be down. */
    volatile boolean suspect;
    /** Clock nanos when a re-read found the store unreachable; 0 = not since the last success. */
    volatile long storeFailedAt;
    final AtomicBoolean checking = new AtomicBoolean();
    volatile Disposable subscription;

    Namespace(String name) {
      this.name = name;
    }
  }

  CacheCoherence(StatefulExecutor executor, Scheduler scheduler, LongSupplier clock,
      long unconfirmedTtlNanos,
      long cacheTtlNanos, Consumer<LinkEvent> apply, Function<String, Mono<Void>> recheck) {
    this.executor = executor;
    this.scheduler = scheduler;
    this.clock = clock;
    this.unconfirmedTtlNanos = unconfirmedTtlNanos;
    this.cacheTtlNanos = cacheTtlNanos;
    this.apply = apply;
    this.recheck = recheck;
  }

  /** Whether every namespace in use is settled: the hit path needs no other check. */
  boolean allSettled() {
    return unsettled.get() == 0;
  }

  /** Follows the namespace's link events from its first use on. */
  void watch(String namespace) {
    if (closed || namespaces.containsKey(namespace)) {
      return;
    }
    Namespace ns = new Namespace(namespace);
    if (namespaces.putIfAbsent(namespace, ns) != null) {
      return;
    }
    unsettled.incrementAndGet();
    ns.subscription = executor.linkEvents(namespace).subscribe(
        event -> onEvent(ns, event), e -> unconfirm(ns, true), () -> unconfirm(ns, false));
  }

  /**
   * Whether the namespace's link events are being received now and the entries cached before
   * the subscription have been re-read since.
   */
  boolean isCoherent(String namespace) {
    Namespace ns = namespaces.get(namespace);
    return ns != null && ns.confirmed && ns.verified;
  }

  /**
   * Whether every cached entry of {@code namespace} can be used without re-reading it, whatever
   * its age (settled, or subscribed and the older entries re-read since): lets the hit path skip
   * looking up the entry's age.
   */
  boolean trustedAtAnyAge(String namespace) {
    Namespace ns = namespaces.get(namespace);
    return ns != null && (ns.settled || (ns.confirmed && ns.verified));
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
    if (ns.settled) {
      return true;
    }
    if (ageNanos >= 0 && ageNanos < unconfirmedTtlNanos) {
      return true;
    }
    long now = now();
    if (ns.confirmed && (ns.verified || (ageNanos >= 0 && now - ageNanos > ns.confirmedAt))) {
      return true; // written while subscribed, or re-read since
    }
    return ns.suspect && (ns.checking.get()
        || (ns.storeFailedAt != 0 && now - ns.storeFailedAt < unconfirmedTtlNanos));
  }

  /** Whether the store is suspected down for the namespace (its event connection was lost). */
  boolean suspect(String namespace) {
    Namespace ns = namespaces.get(namespace);
    return ns != null && ns.suspect;
  }

  /**
   * A caller is about to re-read an untrusted entry. While the store is suspected down, only one
   * caller per namespace does at a time: returns false when another one already is (the caller
   * uses its cached link).
   */
  boolean startCheck(String namespace) {
    Namespace ns = namespaces.get(namespace);
    return ns == null || !ns.suspect || ns.checking.compareAndSet(false, true);
  }

  /** The re-read started by {@link #startCheck} ended: the store answered or it did not. */
  void checkDone(String namespace, boolean storeAnswered) {
    Namespace ns = namespaces.get(namespace);
    if (ns == null) {
      return;
    }
    if (storeAnswered) {
      ns.storeFailedAt = 0;
      ns.suspect = false;
    } else {
      ns.storeFailedAt = now();
    }
    ns.checking.set(false);
  }

  private void onEvent(Namespace ns, LinkEvent event) {
    if (event instanceof LinkEvent.Subscribed) {
      if (!ns.confirmed) {
        long at = now();
        ns.confirmedAt = at;
        ns.verified = false;
        ns.confirmed = true;
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
    if (closed || !ns.confirmed || ns.confirmedAt != confirmedAt) {
      return;
    }
    recheck.apply(ns.name).subscribe(null,
        e -> scheduler.schedule(() -> verify(ns, confirmedAt), unconfirmedTtlNanos,
            TimeUnit.NANOSECONDS),
        () -> {
          if (ns.confirmed && ns.confirmedAt == confirmedAt) {
            ns.verified = true;
          }
        });
  }

  private void settle(Namespace ns, long confirmedAt) {
    if (ns.confirmed && ns.confirmedAt == confirmedAt && !ns.settled) {
      ns.settled = true;
      unsettled.decrementAndGet();
    }
  }

  private void unconfirm(Namespace ns, boolean suspect) {
    ns.suspect = ns.suspect || suspect;
    ns.confirmed = false;
    ns.verified = false;
    if (ns.settled) {
      ns.settled = false;
      unsettled.incrementAndGet();
    }
  }

  /** The cache's ticker: entry ages and these instants are on one clock. */
  private long now() {
    return clock.getAsLong();
  }

  @Override
  public void close() {
    closed = true;
    namespaces.values().forEach(ns -> {
      Disposable d = ns.subscription;
      if (d != null) {
        d.dispose();
      }
    });
  }
}
