package io.statefulroute.core.state;

import io.statefulroute.core.PodState;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One watched service: its latest good view, the coalesced first read, the refresh timer, and what
 * the cache needs to tell a slow store from a silent one: whether a read is in flight and whether a
 * read failed since the view was read. Package-private machinery of {@link ServiceStateCache}.
 */
final class ServiceWatch {
  record Key(String namespace, String service) {}

  private final Key key;

  /**
   * Set once by {@link #close()}: a forgotten watch is never answered again (ServiceStateCache).
   */
  private volatile boolean closed;

  private final Function<Key, Mono<ServiceView>> reader;
  private final Consumer<PodStateChange> changes;
  private final Duration period;
  private final Scheduler scheduler;
  private final Mono<ServiceView> firstRead;

  /** The latest good view; null until the first read succeeded. */
  private volatile @Nullable ServiceView view;

  /** Numbers reads in the order they are sent. */
  private final AtomicLong sent = new AtomicLong();

  /** The number of the read of {@link #view} (guarded by this). */
  private long viewRead = -1;

  private final AtomicInteger inFlight = new AtomicInteger();

  /** A read failed after the current view was read: the store is not just slow. */
  private volatile boolean failedSinceView;

  /** The refresh timer; null until {@link #start}. */
  private volatile @Nullable Disposable timer;

  /** Used since the last idle sweep (view, peek or refresh). */
  private volatile boolean used = true;

  ServiceWatch(
      Key key,
      Function<Key, Mono<ServiceView>> reader,
      Consumer<PodStateChange> changes,
      Duration period,
      Scheduler scheduler) {
    this.key = key;
    this.reader = reader;
    this.changes = changes;
    this.period = period;
    this.scheduler = scheduler;
    // concurrent first calls share one read; an error is not cached (the next call retries)
    // (cacheInvalidateIf caches a value only: an error or empty result is re-read next time)
    this.firstRead = Mono.defer(this::readNow).cacheInvalidateIf(v -> false);
  }

  void start() {
    timer =
        Flux.interval(period, period, scheduler)
            .onBackpressureDrop()
            .concatMap(tick -> readNow().onErrorResume(e -> Mono.empty()), 1)
            .subscribe();
  }

  @Nullable ServiceView view() {
    return view;
  }

  /** Marks the watch used (cheap: a write only when it was not yet marked since the sweep). */
  void markUsed() {
    if (!used) {
      used = true;
    }
  }

  /** Whether the watch was used since the last call; clears the mark (the idle sweep). */
  boolean takeUsed() {
    boolean u = used;
    used = false;
    return u;
  }

  Mono<ServiceView> firstRead() {
    return firstRead;
  }

  /**
   * Whether the store is being asked and has not failed since the view was read: a read is in
   * flight and no read failed after the view's. The cache keeps such a view whatever its age.
   */
  boolean awaitingAnswer() {
    return inFlight.get() > 0 && !failedSinceView;
  }

  Mono<ServiceView> readNow() {
    return Mono.defer(
        () -> {
          long read = sent.getAndIncrement();
          inFlight.incrementAndGet();
          return reader
              .apply(key)
              .doOnNext(next -> apply(next, read))
              .doOnError(e -> failed(read))
              .doFinally(signal -> inFlight.decrementAndGet());
        });
  }

  private synchronized void failed(long read) {
    if (read > viewRead) { // a read sent before the view's says nothing newer
      failedSinceView = true;
    }
  }

  private synchronized void apply(ServiceView next, long read) {
    ServiceView prev = view;
    if (read < viewRead) {
      return; // a read sent before the current view's, answering late, never replaces it
    }
    view = next;
    viewRead = read;
    failedSinceView = false;
    if (prev != null) {
      diff(prev, next);
    } else {
      next.pods()
          .values()
          .forEach(
              p -> {
                if (next.isFresh(p.pod())) {
                  emit(p.pod(), PodStateChange.Kind.APPEARED, null, p);
                }
              });
    }
  }

  private void diff(ServiceView prev, ServiceView next) {
    Set<Integer> all = new HashSet<>(prev.pods().keySet());
    all.addAll(next.pods().keySet());
    for (int pod : all) {
      PodState before = prev.pods().get(pod);
      PodState after = next.pods().get(pod);
      boolean wasFresh = before != null && prev.isFresh(pod);
      boolean isFresh = after != null && next.isFresh(pod);
      if (after == null) {
        emit(pod, PodStateChange.Kind.REMOVED, before, null);
      } else if (isFresh && !wasFresh) {
        emit(pod, PodStateChange.Kind.APPEARED, before, after);
      } else if (!isFresh && wasFresh) {
        emit(pod, PodStateChange.Kind.WENT_STALE, before, after);
      } else if (isFresh && before != null) { // fresh before and after (wasFresh: never null)
        if (!before.incarnation().equals(after.incarnation())) {
          emit(pod, PodStateChange.Kind.RESTARTED, before, after);
        } else if (before.state() != after.state()) {
          emit(pod, PodStateChange.Kind.ROUTING_STATE_CHANGED, before, after);
        } else if (before.load() != after.load()) {
          emit(pod, PodStateChange.Kind.LOAD_CHANGED, before, after);
        }
      }
    }
  }

  private void emit(
      int pod, PodStateChange.Kind kind, @Nullable PodState before, @Nullable PodState after) {
    changes.accept(
        new PodStateChange(
            key.namespace(),
            key.service(),
            pod,
            kind,
            Optional.ofNullable(before),
            Optional.ofNullable(after)));
  }

  /** Whether this is the live watch of (namespace, service): not closed, same names. */
  boolean watches(String namespace, String service) {
    return !closed && key.namespace().equals(namespace) && key.service().equals(service);
  }

  void close() {
    closed = true;
    Disposable t = timer;
    if (t != null) {
      t.dispose();
    }
  }
}
