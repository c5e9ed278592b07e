package io.statefulroute.core.client;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.placement.PassiveHealth;
import io.statefulroute.core.placement.PlacementFeedback;
import io.statefulroute.core.placement.PodSelector;
import io.statefulroute.core.server.ReleaseSummary;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.TimerScheduler;
import io.statefulroute.core.state.PodStateChange;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.ServiceView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The {@link ClientDriver}: computes and reads links through a {@link LinkCache}, places new uids
 * with a {@link Placer}, and follows link events with {@link CacheCoherence}. A compute the cache
 * cannot answer at once takes the {@link ComputeSlowPath}; a cached link that events may have
 * missed a change of is re-read by {@link LinkRevalidation}.
 */
final class DefaultClientDriver implements ClientDriver {

  private final StatefulExecutor executor;
  private final ServiceStateCache states;
  private final boolean ownsStates;
  private final LinkCache links;
  private final PassiveHealth health;
  private final FastFailover failover;
  private final PersistentLinkRelease release;
  private final PlacementFeedback feedback;
  private final long leaseSeconds;

  /** Follows link events; null when cache invalidation is off. */
  private final @Nullable CacheCoherence coherence;

  private final LinkRevalidation revalidation;
  private final ComputeSlowPath slowPath;
  private final LinkChangeStamps stamps;
  private final LinkCacheStats stats;

  /** Releases the link-event subscriptions of unused namespaces; null without invalidation. */
  private final @Nullable Disposable namespaceSweep;

  private final Scheduler scheduler;
  private final ClientListener listener;
  private final ComputeRecorder recorder;
  private final RouteInfo routeInfo;

  private DefaultClientDriver(
      StatefulExecutor executor,
      ClientOptions options,
      ServiceStateCache states,
      boolean ownsStates) {
    this.executor = executor;
    this.states = states;
    this.ownsStates = ownsStates;
    this.leaseSeconds = options.leaseTtl().toSeconds();
    this.listener = options.listener();
    this.recorder = new ComputeRecorder(listener);
    this.scheduler = options.stateCache().scheduler();
    // The cache's clock: System.nanoTime (monotonic) on the default timer; the scheduler's own
    // clock otherwise, so that a VirtualTimeScheduler drives cache expiry in tests.
    LongSupplier clock =
        scheduler == TimerScheduler.get()
            ? System::nanoTime
            : () -> scheduler.now(TimeUnit.NANOSECONDS);
    this.links = new LinkCache(executor, options, scheduler, clock);
    this.stamps = links.stamps();
    this.stats = links.stats();
    CacheCoherence coherence =
        options.cacheInvalidation()
            ? new CacheCoherence(
                executor,
                scheduler,
                clock,
                options.unconfirmedCacheTtl().toNanos(),
                options.cacheExpireAfterWrite().toNanos(),
                links::apply,
                links::recheck,
                listener::cacheRecheckFailed)
            : null;
    this.coherence = coherence;
    Duration idle = options.stateCache().idleWatchTimeout();
    this.namespaceSweep =
        coherence == null
            ? null
            : Flux.interval(idle, idle, scheduler)
                .onBackpressureDrop()
                .subscribe(tick -> releaseUnusedNamespaces(coherence));
    PodSelector selector = options.newSelector();
    FastFailover failover =
        new FastFailover(
            options.missedHeartbeatMillis(),
            options.ejectionCoolDown().toMillis(),
            scheduler,
            this::isEjected); // the health below: read when asked, after construction
    this.failover = failover;
    this.health =
        new PassiveHealth(
            options.ejectAfterFailures(),
            options.ejectionCoolDown(),
            options.stateCache().scheduler(),
            (ns, service, pod) -> {
              failover.failureObserved(ns, service, pod); // an ejection is an observed failure
              listener.podEjected(ns, service, pod);
            });
    this.release = new PersistentLinkRelease(executor, states);
    Scheduler viewClock = states.options().scheduler(); // the clock of the views' fetchedAt
    Duration horizon =
        states.options().stateExpiry().plus(states.options().refreshPeriod().multipliedBy(2));
    PlacementLoad load =
        new PlacementLoad(
            () -> viewClock.now(TimeUnit.MILLISECONDS), horizon, idle, options.placementPeers());
    Placer placer =
        new Placer(
            executor,
            states,
            selector,
            health,
            failover,
            listener,
            load,
            leaseSeconds,
            links::capped);
    this.feedback =
        selector instanceof PlacementFeedback learning
            ? new CompositeFeedback(learning, health)
            : health;
    this.revalidation = new LinkRevalidation(links, coherence, listener);
    this.slowPath = new ComputeSlowPath(states, links, placer, revalidation, this::watch);
    this.routeInfo = new RouteInfo(states, placer);
  }

  /** A driver on {@code sharedStates}; on a state cache of its own when that is null. */
  static DefaultClientDriver create(
      StatefulExecutor executor, ClientOptions options, @Nullable ServiceStateCache sharedStates) {
    Args.notNull("executor", executor);
    Args.notNull("options", options);
    return sharedStates != null
        ? new DefaultClientDriver(executor, options, sharedStates, false)
        : new DefaultClientDriver(
            executor, options, ServiceStateCache.create(executor, options.stateCache()), true);
  }

  // ----------------------------------------------------------------------------- compute

  @Override
  public Mono<Integer> computeLinkedPod(String namespace, String uid, String service) {
    // unchecked: an entry exists only under a validated key (see LinkKey); none found: checked
    LinkKey lookup = LinkKey.lookup(namespace, uid, service);
    CompletableFuture<Integer> cached = links.getIfPresent(lookup);
    Integer pod = cached == null ? null : LinkCache.podIfDone(cached);
    if (pod != null) {
      ServiceView view = states.peek(namespace, service);
      if (view != null && failover.routable(view, pod) && revalidation.trusted(lookup)) {
        stats.hit();
        listener.computeHit(namespace, service);
        return PodMonos.of(pod); // the hit path: no I/O, no operator chain, a shared Mono
      }
    }
    LinkKey key = cached != null ? lookup : LinkKey.of(namespace, uid, service);
    return recorder.record(key, Mono.defer(() -> slowPath.compute(key)));
  }

  @Override
  public Mono<Integer> reportFailure(String namespace, String uid, String service, int pod) {
    LinkKey.of(namespace, uid, service); // validates before anything is marked or read
    int checked = Args.pod(pod);
    return Mono.defer(
        () -> {
          failover.failureObserved(namespace, service, checked);
          ServiceView view = states.peek(namespace, service);
          listener.failureReported(
              namespace, service, checked, view != null && failover.down(view, checked));
          return computeLinkedPod(namespace, uid, service);
        });
  }

  // ------------------------------------------------------------------------------ reads

  @Override
  public Mono<Integer> getLinkedPod(String namespace, String uid, String service) {
    LinkKey key = LinkKey.of(namespace, uid, service);
    Mono<Integer> read = links.leaseRead(key);
    return readThrough(key, read, read);
  }

  @Override
  public Mono<Integer> getLinkedPodInCacheOrIfPersist(
      String namespace, String uid, String service) {
    LinkKey key = LinkKey.of(namespace, uid, service);
    return readThrough(
        key, executor.getLinkIfPersistent(namespace, uid, service), links.leaseRead(key));
  }

  /**
   * The cached link when it can be trusted (see {@link CacheCoherence}); a cached link that link
   * events may have missed a change of, re-read with {@code verify} first; no cached link: the
   * reply of {@code miss}, cached unless a link event came during the read.
   */
  private Mono<Integer> readThrough(LinkKey key, Mono<Integer> miss, Mono<Integer> verify) {
    return Mono.defer(
        () -> {
          CompletableFuture<Integer> f = links.getIfPresent(key);
          if (f == null || LinkCache.failed(f)) {
            stats.miss();
            long stamp = watchAndStamp(key);
            long floor = stamps.floor(key);
            return miss.doOnNext(pod -> links.fill(key, stamp, floor, pod));
          }
          Integer pod = LinkCache.podIfDone(f);
          if (pod != null && !revalidation.trusted(key)) {
            stats.miss();
            return revalidation.revalidate(key, f, pod, verify);
          }
          stats.hit();
          return Mono.fromFuture(f, true).onErrorResume(e -> Mono.empty());
        });
  }

  @Override
  public Mono<Integer> getLinkedPodNotCache(String namespace, String uid, String service) {
    return executor.getLink(namespace, uid, service);
  }

  @Override
  public Mono<Integer> getLinkedInCache(String namespace, String uid, String service) {
    return links.fromCache(LinkKey.of(namespace, uid, service));
  }

  @Override
  public void cacheExpired(String namespace, String uid, String service) {
    links.invalidate(LinkKey.of(namespace, uid, service));
  }

  @Override
  public void setCache(String namespace, String uid, String service, int pod) {
    LinkKey key = LinkKey.of(namespace, uid, service);
    int checked = Args.pod(pod);
    watch(namespace);
    links.put(key, checked);
  }

  /** Before a read whose reply is cached: the namespace's events are followed from here on. */
  private long watchAndStamp(LinkKey key) {
    watch(key.namespace());
    return stamps.stamp(key);
  }

  // ------------------------------------------------------------------------- coherence

  /** Follows the namespace's link events from its first use on (when invalidation is on). */
  private void watch(String namespace) {
    if (coherence != null) {
      coherence.watch(namespace);
    }
  }

  @Override
  public Mono<Map<String, Integer>> getLinkServices(String namespace, String uid) {
    return executor.getLinkIndex(namespace, uid);
  }

  @Override
  public Mono<Map<Integer, List<String>>> batchGetLinkedPod(
      String namespace, Collection<String> uids, String service) {
    return executor
        .batchGetLinks(namespace, uids, service)
        .map(
            links -> {
              Map<Integer, List<String>> byPod = new TreeMap<>();
              links.forEach(
                  (uid, pod) -> byPod.computeIfAbsent(pod, p -> new ArrayList<>()).add(uid));
              byPod.replaceAll((pod, list) -> List.copyOf(list));
              return Map.copyOf(byPod);
            });
  }

  @Override
  public Mono<Integer> setLinkedPodIfAbsent(String namespace, String uid, String service, int pod) {
    LinkKey key = LinkKey.of(namespace, uid, service);
    return Mono.defer(
        () -> {
          long stamp = watchAndStamp(key);
          long floor = stamps.floor(key);
          return links
              .capped(
                  key, executor.setLinkIfAbsentLease(namespace, uid, service, pod, leaseSeconds))
              .doOnNext(actual -> links.fill(key, stamp, floor, actual));
        });
  }

  @Override
  public Mono<ReleaseSummary> releasePersistentLinks(
      String namespace, String service, int pod, Duration delay) {
    return release.release(namespace, service, pod, delay);
  }

  // ---------------------------------------------------------------------------- the rest

  @Override
  public Flux<PodStateChange> stateChanges() {
    return states.changes();
  }

  @Override
  public PlacementFeedback feedback() {
    return feedback;
  }

  /**
   * Every {@code idleWatchTimeout}: a namespace neither used since the last sweep nor holding a
   * cached link stops being followed (per-tenant namespaces do not pile up subscriptions).
   */
  private void releaseUnusedNamespaces(CacheCoherence coherence) {
    coherence.releaseUnused(links.namespaces());
  }

  /** The coherence of the link cache; null without invalidation (tests). */
  @Nullable CacheCoherence coherence() {
    return coherence;
  }

  /** The namespaces whose link events are followed now (tests). */
  Set<String> followedNamespaces() {
    return coherence == null ? Set.of() : coherence.watched();
  }

  /** Timer tasks waiting to drop entries when delayed removals end (tests). */
  int pendingDelayedInvalidationTasks() {
    return links.pendingDelayedInvalidationTasks();
  }

  @Override
  public boolean isCacheCoherent(String namespace) {
    Args.namespace(namespace);
    return coherence != null && coherence.isCoherent(namespace);
  }

  @Override
  public boolean isEjected(String namespace, String service, int pod) {
    return health.isEjected(namespace, service, pod);
  }

  @Override
  public CacheStats cacheStats() {
    return links.cacheStats();
  }

  @Override
  public long cacheSize() {
    return links.size();
  }

  @Override
  public void flushCache() {
    links.invalidateAll();
  }

  @Override
  public RouteInfo routeInfo() {
    return routeInfo;
  }

  @Override
  public ServiceStateCache states() {
    return states;
  }

  @Override
  public void close() {
    if (namespaceSweep != null) {
      namespaceSweep.dispose();
    }
    if (coherence != null) {
      coherence.close();
    }
    if (ownsStates) {
      states.close();
    }
    links.cleanUp();
  }
}
