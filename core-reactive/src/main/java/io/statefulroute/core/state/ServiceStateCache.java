package io.statefulroute.core.state;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.internal.SerialEmitter;
import io.statefulroute.core.spi.Args;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The client-side view of every watched service's pod states (see docs/architecture.md, "The state
 * cache").
 *
 * <ul>
 *   <li>A service is watched from its first use: one read (concurrent first calls share it), then a
 *       read every {@code refreshPeriod} on {@code Flux.interval}; ticks that find a read still in
 *       flight are dropped.
 *   <li>Freshness is the store's: each read's {@link io.statefulroute.core.StateSnapshot} carries
 *       the store clock, and {@link ServiceView} judges every record's age on it. A pod that stops
 *       publishing drops out of the sets at the first read whose store clock shows its record older
 *       than the state expiry.
 *   <li>A read in flight is not an outage: the last good view is kept, whatever its age on the
 *       local clock, until a read answers (its view replaces it) or fails. The executor bounds how
 *       long a read can stay in flight (its command timeout; the in-memory one answers at once).
 *   <li>A failed read keeps the last good view and is counted ({@link #refreshFailures()}); once a
 *       read has failed since that view was read, a view older than the state expiry (local clock,
 *       since its read completed) is treated as empty: a client cut off from the store stops
 *       trusting what it last saw. The next good read restores it.
 *   <li>A read sent before the current view's read never replaces it when it answers late.
 *   <li>Each read is compared with the previous one; transitions go to {@link #changes()}.
 * </ul>
 */
public final class ServiceStateCache implements AutoCloseable {
  /** The workload state value that {@link #isWorkloadReady} accepts. */
  public static final String WORKLOAD_READY = "ready";

  private final StatefulExecutor executor;
  private final StateCacheOptions options;
  private final long expiryMillis;
  private final Map<ServiceWatch.Key, ServiceWatch> watches = new ConcurrentHashMap<>();

  /**
   * The watch the last {@link #peek} found: the client's hit path peeks one service again and
   * again, and finds it here without building a key. A watch that was forgotten since is closed and
   * not answered from here ({@link ServiceWatch#watches}).
   */
  private volatile @Nullable ServiceWatch lastPeeked;

  /** Emitted from every watch's read (any thread, concurrently): serialized, none lost. */
  private final SerialEmitter<PodStateChange> changes = SerialEmitter.multicastBestEffort();

  private final LongAdder refreshFailures = new LongAdder();
  private final LongAdder refreshes = new LongAdder();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Disposable idleSweep;

  private ServiceStateCache(StatefulExecutor executor, StateCacheOptions options) {
    this.executor = executor;
    this.options = options;
    this.expiryMillis = options.stateExpiry().toMillis();
    this.idleSweep =
        Flux.interval(options.idleWatchTimeout(), options.idleWatchTimeout(), options.scheduler())
            .onBackpressureDrop()
            .subscribe(tick -> sweepIdle());
  }

  /** Forgets the services not used since the previous sweep (their timers stop). */
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // a ConcurrentHashMap: weakly consistent
  private void sweepIdle() {
    for (Map.Entry<ServiceWatch.Key, ServiceWatch> e : watches.entrySet()) {
      if (!e.getValue().takeUsed() && watches.remove(e.getKey(), e.getValue())) {
        e.getValue().close();
      }
    }
  }

  /** Services watched now (tests). */
  int watchedServices() {
    return watches.size();
  }

  public static ServiceStateCache create(StatefulExecutor executor, StateCacheOptions options) {
    return new ServiceStateCache(
        Args.notNull("executor", executor), Args.notNull("options", options));
  }

  public StateCacheOptions options() {
    return options;
  }

  /**
   * The current view of a service, watching it from now on.
   *
   * @return the view at once when the service is watched already (an empty view when a read failed
   *     and the last good read is older than the state expiry); on first use, after the first read.
   *     Errors: the first read's error (typed executor errors); a later call retries it.
   */
  public Mono<ServiceView> view(String namespace, String service) {
    ServiceWatch watch = watch(namespace, service);
    watch.markUsed();
    ServiceView v = watch.view();
    if (v != null) {
      return Mono.just(trusted(watch, v));
    }
    return watch.firstRead().map(read -> trusted(watch, read));
  }

  /**
   * The current view without I/O, or {@code null} when the service has not been read yet. Used on
   * the client's cache-hit path.
   */
  public @Nullable ServiceView peek(String namespace, String service) {
    ServiceWatch watch = lastPeeked;
    if (watch == null || !watch.watches(namespace, service)) {
      watch = watches.get(new ServiceWatch.Key(namespace, service));
      if (watch == null) {
        return null;
      }
      lastPeeked = watch;
    }
    watch.markUsed();
    ServiceView v = watch.view();
    return v == null ? null : trusted(watch, v);
  }

  /** Reads a service's state now (outside the timer) and publishes the result. */
  public Mono<ServiceView> refresh(String namespace, String service) {
    ServiceWatch watch = watch(namespace, service);
    watch.markUsed();
    return watch.readNow().map(read -> trusted(watch, read));
  }

  /**
   * Pod state transitions of every watched service, as they are seen. Hot; never completes before
   * {@link #close()}. Slow subscribers miss events rather than slow the refreshes.
   */
  public Flux<PodStateChange> changes() {
    return changes.asFlux();
  }

  /** Reads the workload state of a service. @return the value; empty when none was stored */
  public Mono<String> workloadState(String namespace, String service) {
    return executor.getWorkloadState(namespace, service);
  }

  /** Reads the workload states of many services. @return service to value, when present */
  public Mono<Map<String, String>> workloadStates(String namespace, Collection<String> services) {
    return executor.batchGetWorkloadStates(namespace, services);
  }

  /** Whether the service's workload state is {@value #WORKLOAD_READY} (false when absent). */
  public Mono<Boolean> isWorkloadReady(String namespace, String service) {
    return workloadState(namespace, service).map(WORKLOAD_READY::equals).defaultIfEmpty(false);
  }

  /** Failed state reads since creation (the last good view was kept each time). */
  public long refreshFailures() {
    return refreshFailures.sum();
  }

  /** Successful state reads since creation. */
  public long refreshes() {
    return refreshes.sum();
  }

  /** Stops watching one service (its timer is cancelled). */
  public void unwatch(String namespace, String service) {
    ServiceWatch w = watches.remove(new ServiceWatch.Key(namespace, service));
    if (w != null) {
      w.close();
    }
  }

  /** Stops every timer and completes {@link #changes()}. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      idleSweep.dispose();
      watches.values().forEach(ServiceWatch::close);
      watches.clear();
      changes.complete();
    }
  }

  long nowMillis() {
    return options.scheduler().now(TimeUnit.MILLISECONDS);
  }

  /**
   * The view as routing may use it: as read while it is younger than the expiry (local clock) or
   * while the store is being asked without having failed since (a slow read is not an outage);
   * empty otherwise.
   */
  private ServiceView trusted(ServiceWatch watch, ServiceView v) {
    if (nowMillis() - v.fetchedAtMillis() <= expiryMillis || watch.awaitingAnswer()) {
      return v;
    }
    return v.expired();
  }

  private ServiceWatch watch(String namespace, String service) {
    ServiceWatch.Key key = new ServiceWatch.Key(Args.namespace(namespace), Args.service(service));
    ServiceWatch w = watches.get(key);
    if (w != null) {
      return w;
    }
    if (closed.get()) {
      throw new IllegalStateException("the state cache is closed");
    }
    return watches.computeIfAbsent(
        key,
        k -> {
          ServiceWatch created =
              new ServiceWatch(
                  k, this::read, this::onChange, options.refreshPeriod(), options.scheduler());
          created.start();
          return created;
        });
  }

  private Mono<ServiceView> read(ServiceWatch.Key key) {
    Mono<ServiceView> read =
        executor
            .readState(key.namespace(), key.service())
            .map(
                snapshot ->
                    ServiceView.of(
                        key.namespace(),
                        key.service(),
                        snapshot,
                        expiryMillis,
                        options.band(key.service()),
                        options.bandRatio(),
                        nowMillis()))
            .doOnNext(v -> refreshes.increment())
            .doOnError(e -> refreshFailures.increment());
    StateCacheListener listener = options.listener();
    if (listener == StateCacheListener.NOOP) {
      return read;
    }
    return Mono.defer(
        () -> {
          long start = System.nanoTime();
          return read.doOnNext(v -> listener.refreshed(v, System.nanoTime() - start))
              .doOnError(
                  e ->
                      listener.refreshFailed(
                          key.namespace(), key.service(), e, System.nanoTime() - start));
        });
  }

  private void onChange(PodStateChange change) {
    changes.next(change); // best effort: a slow subscriber misses events, never blocks
  }
}
