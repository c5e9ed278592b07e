package io.statefulroute.core.client;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.StoreUnavailableException;
import io.statefulroute.core.internal.Args;
import io.statefulroute.core.internal.TimerScheduler;
import io.statefulroute.core.placement.PassiveHealth;
import io.statefulroute.core.placement.PlacementFeedback;
import io.statefulroute.core.placement.PodSelector;
import io.statefulroute.core.server.ReleaseSummary;
import io.statefulroute.core.state.PodStateChange;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.ServiceView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** The {@link ClientDriver}: a Caffeine link cache over the executor, kept coherent by link events. */
final class DefaultClientDriver implements ClientDriver {
  /** Links re-read at a time when a namespace's subscription is confirmed (again). */
  static final int RECHECK_CONCURRENCY = 32;

  private final StatefulExecutor executor;
  private final ServiceStateCache states;
  private final boolean ownsStates;
  private final AsyncCache<LinkKey, Integer> cache;
  private final Policy.FixedExpiration<LinkKey, Integer> expiry;
  private final PassiveHealth health;
  private final Placer placer;
  private final PersistentLinkRelease release;
  private final PlacementFeedback feedback;
  private final long leaseSeconds;
  /** How long a link stays cached (cacheExpireAfterWrite). */
  private final Duration cacheTtl;
  /** Follows link events; null when cache invalidation is off. */
  private final CacheCoherence coherence;
  private final LinkChangeStamps stamps = new LinkChangeStamps();
  /** Releases the link-event subscriptions of unused namespaces; null without invalidation. */
  private final Disposable namespaceSweep;
  private final DelayedInvalidations delayedInvalidations;
  private final Scheduler scheduler;
  private final LinkCacheStats stats = new LinkCacheStats();
  private final ClientListener listener;
  private final ComputeRecorder recorder;

  private DefaultClientDriver(StatefulExecutor executor, ClientOptions options,
      ServiceStateCache states, boolean ownsStates) {
    this.executor = executor;
    this.states = states;
    this.ownsStates = ownsStates;
    this.leaseSeconds = options.leaseTtl().getSeconds();
    this.cacheTtl = options.cacheExpireAfterWrite();
    this.listener = options.listener();
    this.recorder = new ComputeRecorder(listener);
    this.scheduler = options.stateCache().scheduler();
    // The cache's clock: System.nanoTime (monotonic) on the default timer; the scheduler's own
    // clock otherwise, so that a VirtualTimeScheduler drives cache expiry in tests.
    LongSupplier clock = scheduler == TimerScheduler.get()
        ? System::nanoTime
        : () -> scheduler.now(TimeUnit.NANOSECONDS);
    this.delayedInvalidations = new DelayedInvalidations(scheduler, this::invalidate);
    this.coherence = options.cacheInvalidation()
        ? new CacheCoherence(executor, scheduler, clock,
            options.unconfirmedCacheTtl().toNanos(), options.cacheExpireAfterWrite().toNanos(),
            this::apply, this::recheck, listener::cacheRecheckFailed)
        : null;
    Duration idle = options.stateCache().idleWatchTimeout();
    this.namespaceSweep = coherence == null ? null
        : Flux.interval(idle, idle, scheduler).onBackpressureDrop()
            .subscribe(tick -> releaseUnusedNamespaces());
    Caffeine<Object, Object> builder = Caffeine.newBuilder()
        .maximumSize(options.cacheMaximumSize())
        .expireAfterWrite(options.cacheExpireAfterWrite())
        .ticker(clock::getAsLong)
        .recordStats(() -> stats);
    options.cacheExpireAfterAccess().ifPresent(builder::expireAfterAccess);
    this.cache = builder.buildAsync();
    this.expiry = cache.synchronous().policy().expireAfterWrite().orElseThrow();
    PodSelector selector = options.newSelector();
    this.health = new PassiveHealth(options.ejectAfterFailures(), options.ejectionCoolDown(),
        options.stateCache().scheduler(), listener::podEjected);
    this.release = new PersistentLinkRelease(executor, states);
    this.placer = new Placer(executor, states, selector, health, listener, leaseSeconds,
        this::capped);
    this.feedback = selector instanceof PlacementFeedback
        ? new CompositeFeedback((PlacementFeedback) selector, health)
        : health;
  }

  static DefaultClientDriver create(
      StatefulExecutor executor, ClientOptions options, ServiceStateCache sharedStates) {
    Args.notNull("executor", executor);
    Args.notNull("options", options);
    return sharedStates != null
        ? new DefaultClientDriver(executor, options, sharedStates, false)
        : new DefaultClientDriver(executor, options,
            ServiceStateCache.create(executor, options.stateCache()), true);
  }

  // ----------------------------------------------------------------------------- compute

  @Override
  public Mono<Integer> computeLinkedPod(String namespace, String uid, String service) {
    LinkKey key = new LinkKey(namespace, uid, service);
    CompletableFuture<Integer> cached = cache.getIfPresent(key);
    Integer pod = cached == null ? null : podIfDone(cached);
    if (pod != null) {
      ServiceView view = states.peek(namespace, service);
      if (view != null && view.isRoutable(pod) && trusted(key)) {
        stats.hit();
        listener.computeHit(namespace, service);
        return Mono.just(pod); // the hit path: no I/O, no operator chain
      }
    }
    return recorder.record(key, Mono.defer(() -> computeSlow(key)));
  }

  private Mono<Integer> computeSlow(LinkKey key) {
    watch(key.namespace());
    return states.view(key.namespace(), key.service()).flatMap(view -> {
      CompletableFuture<Integer> existing = cache.asMap().get(key); // counted below, once
      if (existing == null || failed(existing)) {
        stats.miss();
        return resolve(key, view); // drops a failed entry still cached
      }
      return await(existing).flatMap(pod -> {
        ServiceView now = placer.current(view); // the entry may have been an in-flight placement
        boolean routable = now.isRoutable(pod);
        if (routable && trusted(key)) {
          stats.hit();
          return Mono.just(pod);
        }
        stats.miss();
        if (routable) {
          return revalidate(key, now, existing, pod);
        }
        cache.asMap().remove(key, existing); // outside its computation: safe
        return resolve(key, now);
      });
    });
  }

  /**
   * A cached link that link events may have missed a change of: placed again (set-if-absent
   * returns the stored link).
   */
  private Mono<Integer> revalidate(
      LinkKey key, ServiceView view, CompletableFuture<Integer> existing, int cachedPod) {
    return revalidate(key, existing, cachedPod, Mono.defer(() -> placer.place(key, view)));
  }

  /**
   * A cached link that link events may have missed a change of, checked with {@code storeRead}
   * (which answers the stored link, empty when there is none). While the store is suspected down
   * (the event connection was lost), the cached pod is answered at once and one re-read per
   * namespace runs in the background (see {@link CacheCoherence}); otherwise the caller waits for
   * the re-read, and gets the cached pod if the store cannot answer. The reply corrects the entry
   * (or drops it when there is no link) unless a link event came meanwhile.
   */
  private Mono<Integer> revalidate(LinkKey key, CompletableFuture<Integer> existing,
      int cachedPod, Mono<Integer> storeRead) {
    String ns = key.namespace();
    if (coherence.suspect(ns)) {
      if (coherence.startCheck(ns)) {
        reRead(key, existing, cachedPod, storeRead).subscribe(pod -> { },
            e -> listener.cacheRecheckFailed(ns, e));
      }
      return Mono.just(cachedPod);
    }
    if (!coherence.startCheck(ns)) {
      return Mono.just(cachedPod);
    }
    return reRead(key, existing, cachedPod, storeRead);
  }

  private Mono<Integer> reRead(LinkKey key, CompletableFuture<Integer> existing, int cachedPod,
      Mono<Integer> storeRead) {
    String ns = key.namespace();
    return Mono.defer(() -> {
      long stamp = stamps.stamp(key);
      long floor = stamps.floor(key);
      AtomicBoolean done = new AtomicBoolean();
      Consumer<Boolean> checkDone = answered -> {
        if (done.compareAndSet(false, true)) { // once: a cancel after the reply changes nothing
          coherence.checkDone(ns, answered);
        }
      };
      return storeRead
          .doOnNext(pod -> {
            checkDone.accept(true);
            refill(key, stamp, floor, existing, pod);
          })
          .switchIfEmpty(Mono.fromRunnable(() -> {
            checkDone.accept(true);
            cache.asMap().remove(key, existing); // no link: the entry was stale
          }))
          .onErrorResume(DefaultClientDriver::isOutage, e -> {
            checkDone.accept(false);
            return Mono.just(cachedPod);
          })
          .doOnError(e -> checkDone.accept(true)) // the store answered (with a refusal)
          .doOnCancel(() -> checkDone.accept(false)); // unknown: do not hold the check
    });
  }

  /** Whether a cached link can be used without re-reading it (see {@link CacheCoherence}). */
  private boolean trusted(LinkKey key) {
    if (coherence == null || coherence.allSettled()
        || coherence.trustedAtAnyAge(key.namespace())) {
      return true;
    }
    OptionalLong age = expiry.ageOf(key, TimeUnit.NANOSECONDS);
    return coherence.trusted(key.namespace(), age.isPresent() ? age.getAsLong() : -1);
  }

  /**
   * Concurrent callers for one key share one placement; a failure is not cached. The placement
   * runs with the context of the caller that started it (trace parent, compute recorder), and
   * starts after cache.get returns, not inside it: Caffeine runs the mapping function under a
   * map lock, and the store (the in-memory one delivers link events to this driver
   * synchronously) must never be called with that lock held.
   */
  private Mono<Integer> resolve(LinkKey key, ServiceView view) {
    return Mono.deferContextual(ctx -> {
      long stamp = stamps.stamp(key);
      Placement created = new Placement(stamps.floor(key)); // after the stamp: see its floor()
      CompletableFuture<Integer> f = cache.get(key, (k, ignored) -> created);
      if (f != created && failed(f)) {
        // a failed placement Caffeine has not dropped yet: not an answer, place again
        cache.asMap().remove(key, f);
        f = cache.get(key, (k, ignored) -> created);
      }
      if (f == created) {
        placer.place(key, view).contextWrite(ctx).subscribe(pod -> {
          created.complete(pod);
          if (!stamps.unchangedSince(key, stamp)) {
            // a change came while placing (or the subscription changed): the callers get their
            // answer, the cache does not keep it (see LinkChangeStamps)
            cache.asMap().remove(key, created);
          }
        }, created::fail, () -> created.complete(null));
      }
      return await(f);
    });
  }

  /**
   * The pod of a completed entry; null while it is in flight, and for a failed entry: a failed
   * placement completes with null (see {@link Placement}) and stays in the cache until Caffeine
   * drops it, which happens after the callers waiting on it got the error (one of them may call
   * again meanwhile, from its error handler).
   */
  private static Integer podIfDone(CompletableFuture<Integer> f) {
    return f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
  }

  /** Whether the entry is done without a pod: a failed placement, to be treated as a miss. */
  private static boolean failed(CompletableFuture<Integer> f) {
    return f.isDone() && podIfDone(f) == null;
  }

  /** The pod of a cached (or shared, in-flight) entry; the error of a failed placement. */
  private static Mono<Integer> await(CompletableFuture<Integer> f) {
    return Mono.fromFuture(f, true).switchIfEmpty(Mono.defer(() ->
        f instanceof Placement p && p.failure != null ? Mono.error(p.failure) : Mono.empty()));
  }

  /**
   * A placement shared by the concurrent callers of one key. A failed one completes with
   * {@code null} (Caffeine drops the entry) and keeps its error for the callers: completed
   * exceptionally, Caffeine would log a WARNING with a stack trace for every failed placement
   * (a flood during a Redis outage), although the failure is the caller's to handle. Its version
   * is the key's floor when the placement started (see {@link LinkChangeStamps#floor}).
   */
  private static final class Placement extends LinkEntry {
    volatile Throwable failure;

    Placement(long version) {
      super(version);
    }

    void fail(Throwable e) {
      failure = e;
      complete(null);
    }
  }

  // ------------------------------------------------------------------------------ reads

  @Override
  public Mono<Integer> getLinkedPod(String namespace, String uid, String service) {
    LinkKey key = new LinkKey(namespace, uid, service);
    Mono<Integer> read = leaseRead(key);
    return readThrough(key, read, read);
  }

  @Override
  public Mono<Integer> getLinkedPodInCacheOrIfPersist(
      String namespace, String uid, String service) {
    LinkKey key = new LinkKey(namespace, uid, service);
    return readThrough(key, executor.getLinkIfPersistent(namespace, uid, service),
        leaseRead(key));
  }

  /**
   * The stored link, read with its remaining life: when the link ends before the cache would
   * drop it (a short lease, a delayed removal), the entry is dropped when the link ends.
   */
  private Mono<Integer> leaseRead(LinkKey key) {
    return capped(key, executor.getLinkLease(key.namespace(), key.uid(), key.service()));
  }

  /**
   * The pod of {@code read}'s lease; when the link ends before the cache would drop the entry,
   * the entry is dropped when the link ends (counted from the read: the entry's TTL starts when
   * the reply is cached, later).
   */
  private Mono<Integer> capped(LinkKey key, Mono<LinkLease> read) {
    return Mono.defer(() -> {
      long readAt = scheduler.now(TimeUnit.NANOSECONDS);
      return read
          .doOnNext(lease -> lease.expiresIn().ifPresent(left -> {
            long untilEnd = readAt + left.toNanos() - scheduler.now(TimeUnit.NANOSECONDS);
            if (untilEnd < cacheTtl.toNanos()) {
              delayedInvalidations.schedule(key, Duration.ofNanos(Math.max(0, untilEnd)));
            }
          }))
          .map(LinkLease::pod);
    });
  }

  /**
   * The cached link when it can be trusted (see {@link CacheCoherence}); a cached link that link
   * events may have missed a change of, re-read with {@code verify} first; no cached link: the
   * reply of {@code miss}, cached unless a link event came during the read.
   */
  private Mono<Integer> readThrough(LinkKey key, Mono<Integer> miss, Mono<Integer> verify) {
    return Mono.defer(() -> {
      CompletableFuture<Integer> f = cache.getIfPresent(key);
      if (f == null || failed(f)) {
        stats.miss();
        long stamp = watchAndStamp(key);
        long floor = stamps.floor(key);
        return miss.doOnNext(pod -> fill(key, stamp, floor, pod));
      }
      Integer pod = podIfDone(f);
      if (pod != null && !trusted(key)) {
        stats.miss();
        return revalidate(key, f, pod, verify);
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
    return fromCache(new LinkKey(namespace, uid, service));
  }

  private Mono<Integer> fromCache(LinkKey key) {
    return Mono.defer(() -> {
      CompletableFuture<Integer> f = cache.getIfPresent(key);
      if (f == null || failed(f)) {
        stats.miss();
        return Mono.empty();
      }
      stats.hit();
      return Mono.fromFuture(f, true).onErrorResume(e -> Mono.empty());
    });
  }

  @Override
  public void cacheExpired(String namespace, String uid, String service) {
    cache.synchronous().invalidate(new LinkKey(namespace, uid, service));
  }

  @Override
  public void setCache(String namespace, String uid, String service, int pod) {
    put(new LinkKey(namespace, uid, service), Args.pod(pod));
  }

  private void put(LinkKey key, int pod) {
    watch(key.namespace());
    cache.put(key, CompletableFuture.completedFuture(pod));
  }

  /** Before a read whose reply is cached: the namespace's events are followed from here on. */
  private long watchAndStamp(LinkKey key) {
    watch(key.namespace());
    return stamps.stamp(key);
  }

  /**
   * Caches a store reply read since {@code stamp}, unless a link event for the key came since: the
   * event is newer than the reply (see {@link LinkChangeStamps}). Checked before and after the
   * write, so an event applied in between is never overwritten. The entry reflects the changes
   * up to {@code floor}, the key's floor taken after the stamp.
   */
  private void fill(LinkKey key, long stamp, long floor, int pod) {
    if (!stamps.unchangedSince(key, stamp)) {
      return;
    }
    CompletableFuture<Integer> f = LinkEntry.of(pod, floor);
    cache.put(key, f);
    if (!stamps.unchangedSince(key, stamp)) {
      cache.asMap().remove(key, f);
    }
  }

  /** As {@link #fill}, replacing only {@code existing} (or filling an absent entry). */
  private void refill(
      LinkKey key, long stamp, long floor, CompletableFuture<Integer> existing, int pod) {
    if (stamps.unchangedSince(key, stamp)) {
      install(key, stamp, existing, LinkEntry.of(pod, floor), true);
    }
  }

  /**
   * Puts {@code f} in place of {@code existing} (or, if {@code orAbsent}, where there is no
   * entry), and takes it out again when a link event came since {@code stamp}: the event's
   * application either saw {@code f} or {@code f}'s check sees the event.
   */
  private void install(LinkKey key, long stamp, CompletableFuture<Integer> existing,
      CompletableFuture<Integer> f, boolean orAbsent) {
    if (!cache.asMap().replace(key, existing, f)
        && (!orAbsent || cache.asMap().putIfAbsent(key, f) != null)) {
      return; // another entry is there: newer than this read
    }
    if (!stamps.unchangedSince(key, stamp)) {
      cache.asMap().remove(key, f);
    }
  }

  // ------------------------------------------------------------------------- coherence

  /** Follows the namespace's link events from its first use on (when invalidation is on). */
  private void watch(String namespace) {
    if (coherence != null) {
      coherence.watch(namespace);
    }
  }

  /**
   * Re-reads every cached link of the namespace (after its link events were subscribed to) and
   * corrects the entries that differ. An entry changed meanwhile (by a link event or a new
   * computation) is left alone: only the very entry read before is replaced. Each link is read
   * with its remaining life ({@link #leaseRead}), {@link #RECHECK_CONCURRENCY} at a time: a link
   * whose end was announced while nobody listened (a delayed removal, a lease) still ends on
   * time in the cache.
   */
  private Mono<Void> recheck(String namespace) {
    List<Map.Entry<LinkKey, CompletableFuture<Integer>>> entries = new ArrayList<>();
    cache.asMap().forEach((key, f) -> {
      if (key.namespace().equals(namespace) && podIfDone(f) != null) {
        entries.add(Map.entry(key, f));
      }
    });
    return Flux.fromIterable(entries)
        .flatMap(e -> {
          LinkKey key = e.getKey();
          long stamp = stamps.stamp(key);
          long floor = stamps.floor(key);
          return leaseRead(key).map(Optional::of).defaultIfEmpty(Optional.empty())
              .doOnNext(stored -> correct(key, e.getValue(), stamp, floor, stored.orElse(null)))
              .onErrorResume(error -> !isOutage(error), error -> {
                // this one link cannot be read (a corrupt value, a refusal): drop its entry and
                // go on; an outage fails the whole re-read, which is tried again later
                cache.asMap().remove(key, e.getValue());
                listener.cacheRecheckFailed(namespace, error);
                return Mono.empty();
              });
        }, RECHECK_CONCURRENCY)
        .then();
  }

  private static boolean isOutage(Throwable e) {
    return e instanceof StoreUnavailableException || e instanceof StoreTimeoutException;
  }

  /**
   * One entry of a {@link #recheck}: {@code stored} was read since {@code stamp} and {@code floor}
   * (see {@link LinkChangeStamps}); null: no link.
   */
  private void correct(LinkKey key, CompletableFuture<Integer> f, long stamp, long floor,
      Integer stored) {
    if (!stamps.unchangedSince(key, stamp) || stored == null) {
      // no link; or an event (or a change of the subscription) came during the read: the reply
      // cannot correct the entry, and the entry cannot be trusted as verified: drop it (a no-op
      // when an event already replaced or dropped it)
      cache.asMap().remove(key, f);
    } else if (!stored.equals(podIfDone(f))) {
      install(key, stamp, f, LinkEntry.of(stored, floor), false);
    }
  }

  /**
   * Applies a link change heard from the store to the cache. A change whose version is not above
   * the entry's (an older announcement arriving after a newer one, from another node across a
   * failover, or two that cannot be ordered) is never applied: the entry is dropped instead, and
   * the next lookup reads the store.
   */
  private void apply(LinkEvent event) {
    if (event instanceof LinkEvent.Linked linked) {
      LinkKey key = new LinkKey(linked.namespace(), linked.uid(), linked.service());
      long version = linked.version().orElse(0);
      // before the cache: a fill in flight must see it (LinkChangeStamps)
      stamps.changed(key, version);
      CompletableFuture<Integer> f = cache.asMap().get(key);
      if (f == null) {
        return;
      }
      long held = LinkEntry.versionOf(f);
      boolean newer = version == 0 || held == 0 || version > held;
      if (!(newer && f.isDone() && !f.isCompletedExceptionally()
          && cache.asMap().replace(key, f, LinkEntry.of(linked.pod(), version)))) {
        // still computing (it may answer the old pod), or not newer than what it holds: drop it
        cache.asMap().remove(key, f);
      }
    } else if (event instanceof LinkEvent.Removed removed) {
      LinkKey key = new LinkKey(removed.namespace(), removed.uid(), removed.service());
      stamps.changed(key, removed.version().orElse(0));
      cache.synchronous().invalidate(key);
      if (!removed.delay().isZero()) {
        // the link keeps answering until the delay ends, and may be cached again meanwhile
        delayedInvalidations.schedule(key, removed.delay());
      }
    } else {
      stamps.changedAll(); // Subscribed or Unsubscribed
    }
  }

  @Override
  public Mono<Map<String, Integer>> getLinkServices(String namespace, String uid) {
    return executor.getLinkIndex(namespace, uid);
  }

  @Override
  public Mono<Map<Integer, List<String>>> batchGetLinkedPod(
      String namespace, Collection<String> uids, String service) {
    return executor.batchGetLinks(namespace, uids, service).map(links -> {
      Map<Integer, List<String>> byPod = new TreeMap<>();
      links.forEach((uid, pod) -> byPod.computeIfAbsent(pod, p -> new ArrayList<>()).add(uid));
      byPod.replaceAll((pod, list) -> List.copyOf(list));
      return Map.copyOf(byPod);
    });
  }

  @Override
  public Mono<Integer> setLinkedPodIfAbsent(
      String namespace, String uid, String service, int pod) {
    LinkKey key = new LinkKey(namespace, uid, service);
    return Mono.defer(() -> {
      long stamp = watchAndStamp(key);
      long floor = stamps.floor(key);
      return capped(key,
              executor.setLinkIfAbsentLease(namespace, uid, service, pod, leaseSeconds))
          .doOnNext(actual -> fill(key, stamp, floor, actual));
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

  /** The end of a delayed removal: the link is gone, unannounced; a fill in flight is stale. */
  private void invalidate(LinkKey key) {
    stamps.changed(key, 0);
    cache.synchronous().invalidate(key);
  }

  /**
   * Every {@code idleWatchTimeout}: a namespace neither used since the last sweep nor holding a
   * cached link stops being followed (per-tenant namespaces do not pile up subscriptions).
   */
  private void releaseUnusedNamespaces() {
    Set<String> inUse = new HashSet<>();
    cache.asMap().keySet().forEach(key -> inUse.add(key.namespace()));
    coherence.releaseUnused(inUse);
  }

  /** The coherence of the link cache; null without invalidation (tests). */
  CacheCoherence coherence() {
    return coherence;
  }

  /** The namespaces whose link events are followed now (tests). */
  Set<String> followedNamespaces() {
    return coherence == null ? Set.of() : coherence.watched();
  }

  /** Timer tasks waiting to drop entries when delayed removals end (tests). */
  int pendingDelayedInvalidationTasks() {
    return delayedInvalidations.pendingTasks();
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
    return cache.synchronous().stats();
  }

  @Override
  public long cacheSize() {
    return cache.synchronous().estimatedSize();
  }

  @Override
  public void flushCache() {
    cache.synchronous().invalidateAll();
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
    cache.synchronous().cleanUp();
  }
}
