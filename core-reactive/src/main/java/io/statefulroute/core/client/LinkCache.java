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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A client's link cache: the Caffeine {@code AsyncCache} of uid to pod, and everything that keeps
 * its entries true to the store. Fills are ordered against link events by {@link LinkChangeStamps};
 * an event is applied only when newer than the entry ({@link LinkEntry}); an entry whose link ends
 * before its TTL (a lease, a delayed removal) is dropped when the link ends ({@link
 * DelayedInvalidations}); the re-read after a (re)subscription corrects what events may have
 * missed. Which entries may be used as they are is {@link CacheCoherence}'s call.
 */
final class LinkCache {
  /** Links re-read at a time when a namespace's subscription is confirmed (again). */
  static final int RECHECK_CONCURRENCY = 32;

  private final StatefulExecutor executor;
  private final AsyncCache<LinkKey, Integer> cache;
  private final Policy.FixedExpiration<LinkKey, Integer> expiry;
  private final LinkChangeStamps stamps = new LinkChangeStamps();
  private final DelayedInvalidations delayedInvalidations;
  private final LinkCacheStats stats = new LinkCacheStats();
  private final Scheduler scheduler;

  /** How long a link stays cached (cacheExpireAfterWrite). */
  private final Duration cacheTtl;

  private final ClientListener listener;

  LinkCache(
      StatefulExecutor executor, ClientOptions options, Scheduler scheduler, LongSupplier clock) {
    this.executor = executor;
    this.scheduler = scheduler;
    this.cacheTtl = options.cacheExpireAfterWrite();
    this.listener = options.listener();
    this.delayedInvalidations = new DelayedInvalidations(scheduler, this::invalidate);
    Caffeine<Object, Object> builder =
        Caffeine.newBuilder()
            .maximumSize(options.cacheMaximumSize())
            .expireAfterWrite(options.cacheExpireAfterWrite())
            .ticker(clock::getAsLong)
            .recordStats(() -> stats);
    options.cacheExpireAfterAccess().ifPresent(builder::expireAfterAccess);
    this.cache = builder.buildAsync();
    this.expiry = cache.synchronous().policy().expireAfterWrite().orElseThrow();
  }

  LinkChangeStamps stamps() {
    return stamps;
  }

  LinkCacheStats stats() {
    return stats;
  }

  /** The entry, counting a hit or a miss; null when there is none. */
  @Nullable CompletableFuture<Integer> getIfPresent(LinkKey key) {
    return cache.getIfPresent(key);
  }

  /** The entry, without counting a hit or a miss; null when there is none. */
  @Nullable CompletableFuture<Integer> get(LinkKey key) {
    return cache.asMap().get(key);
  }

  /** The entry of {@code key}, or {@code created} put there when there is none. */
  CompletableFuture<Integer> getOrAdd(LinkKey key, CompletableFuture<Integer> created) {
    return cache.get(key, (k, ignored) -> created);
  }

  void remove(LinkKey key, CompletableFuture<Integer> f) {
    cache.asMap().remove(key, f);
  }

  /** How long ago the entry was written, in nanos; -1 when unknown. */
  long ageNanos(LinkKey key) {
    OptionalLong age = expiry.ageOf(key, TimeUnit.NANOSECONDS);
    return age.isPresent() ? age.getAsLong() : -1;
  }

  /** The namespaces of the cached entries. */
  Set<String> namespaces() {
    Set<String> inUse = new HashSet<>();
    cache.asMap().keySet().forEach(key -> inUse.add(key.namespace()));
    return inUse;
  }

  CacheStats cacheStats() {
    return cache.synchronous().stats();
  }

  long size() {
    return cache.synchronous().estimatedSize();
  }

  void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  void cleanUp() {
    cache.synchronous().cleanUp();
  }

  /** Timer tasks waiting to drop entries when delayed removals end (tests). */
  int pendingDelayedInvalidationTasks() {
    return delayedInvalidations.pendingTasks();
  }

  /**
   * The stored link, read with its remaining life: when the link ends before the cache would drop
   * it (a short lease, a delayed removal), the entry is dropped when the link ends.
   */
  Mono<Integer> leaseRead(LinkKey key) {
    return capped(key, executor.getLinkLease(key.namespace(), key.uid(), key.service()));
  }

  /**
   * The pod of {@code read}'s lease; when the link ends before the cache would drop the entry, the
   * entry is dropped when the link ends (counted from the read: the entry's TTL starts when the
   * reply is cached, later).
   */
  Mono<Integer> capped(LinkKey key, Mono<LinkLease> read) {
    return Mono.defer(
        () -> {
          long readAt = scheduler.now(TimeUnit.NANOSECONDS);
          return read.doOnNext(
                  lease ->
                      lease
                          .expiresIn()
                          .ifPresent(
                              left -> {
                                long untilEnd =
                                    readAt + left.toNanos() - scheduler.now(TimeUnit.NANOSECONDS);
                                if (untilEnd < cacheTtl.toNanos()) {
                                  delayedInvalidations.schedule(
                                      key, Duration.ofNanos(Math.max(0, untilEnd)));
                                }
                              }))
              .map(LinkLease::pod);
        });
  }

  Mono<Integer> fromCache(LinkKey key) {
    return Mono.defer(
        () -> {
          CompletableFuture<Integer> f = cache.getIfPresent(key);
          if (f == null || failed(f)) {
            stats.miss();
            return Mono.empty();
          }
          stats.hit();
          return Mono.fromFuture(f, true).onErrorResume(e -> Mono.empty());
        });
  }

  /** Caches {@code pod} as given (no version: any announcement applies to it). */
  void put(LinkKey key, int pod) {
    cache.put(key, CompletableFuture.completedFuture(pod));
  }

  /**
   * Caches a store reply read since {@code stamp}, unless a link event for the key came since: the
   * event is newer than the reply (see {@link LinkChangeStamps}). Checked before and after the
   * write, so an event applied in between is never overwritten. The entry reflects the changes up
   * to {@code floor}, the key's floor taken after the stamp.
   */
  void fill(LinkKey key, long stamp, long floor, int pod) {
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
  void refill(LinkKey key, long stamp, long floor, CompletableFuture<Integer> existing, int pod) {
    if (stamps.unchangedSince(key, stamp)) {
      install(key, stamp, existing, LinkEntry.of(pod, floor), true);
    }
  }

  /**
   * Puts {@code f} in place of {@code existing} (or, if {@code orAbsent}, where there is no entry),
   * and takes it out again when a link event came since {@code stamp}: the event's application
   * either saw {@code f} or {@code f}'s check sees the event.
   */
  private void install(
      LinkKey key,
      long stamp,
      CompletableFuture<Integer> existing,
      CompletableFuture<Integer> f,
      boolean orAbsent) {
    if (!cache.asMap().replace(key, existing, f)
        && (!orAbsent || cache.asMap().putIfAbsent(key, f) != null)) {
      return; // another entry is there: newer than this read
    }
    if (!stamps.unchangedSince(key, stamp)) {
      cache.asMap().remove(key, f);
    }
  }

  /**
   * Re-reads every cached link of the namespace (after its link events were subscribed to) and
   * corrects the entries that differ. An entry changed meanwhile (by a link event or a new
   * computation) is left alone: only the very entry read before is replaced. Each link is read with
   * its remaining life ({@link #leaseRead}), {@link #RECHECK_CONCURRENCY} at a time: a link whose
   * end was announced while nobody listened (a delayed removal, a lease) still ends on time in the
   * cache.
   */
  Mono<Void> recheck(String namespace) {
    List<Map.Entry<LinkKey, CompletableFuture<Integer>>> entries = new ArrayList<>();
    cache
        .asMap()
        .forEach(
            (key, f) -> {
              if (key.namespace().equals(namespace) && podIfDone(f) != null) {
                entries.add(Map.entry(key, f));
              }
            });
    return Flux.fromIterable(entries)
        .flatMap(
            e -> {
              LinkKey key = e.getKey();
              long stamp = stamps.stamp(key);
              long floor = stamps.floor(key);
              return leaseRead(key)
                  .map(Optional::of)
                  .defaultIfEmpty(Optional.empty())
                  .doOnNext(stored -> correct(key, e.getValue(), stamp, floor, stored.orElse(null)))
                  .onErrorResume(
                      error -> !isOutage(error),
                      error -> {
                        // this one link cannot be read (a corrupt value, a refusal): drop its entry
                        // and
                        // go on; an outage fails the whole re-read, which is tried again later
                        cache.asMap().remove(key, e.getValue());
                        listener.cacheRecheckFailed(namespace, error);
                        return Mono.empty();
                      });
            },
            RECHECK_CONCURRENCY)
        .then();
  }

  static boolean isOutage(Throwable e) {
    return e instanceof StoreUnavailableException || e instanceof StoreTimeoutException;
  }

  /**
   * One entry of a {@link #recheck}: {@code stored} was read since {@code stamp} and {@code floor}
   * (see {@link LinkChangeStamps}); null: no link.
   */
  private void correct(
      LinkKey key, CompletableFuture<Integer> f, long stamp, long floor, @Nullable Integer stored) {
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
  void apply(LinkEvent event) {
    if (event instanceof LinkEvent.Linked linked) {
      LinkKey key = LinkKey.of(linked.namespace(), linked.uid(), linked.service());
      long version = linked.version().orElse(0);
      // before the cache: a fill in flight must see it (LinkChangeStamps)
      stamps.changed(key, version);
      CompletableFuture<Integer> f = cache.asMap().get(key);
      if (f == null) {
        return;
      }
      long held = LinkEntry.versionOf(f);
      boolean newer = version == 0 || held == 0 || version > held;
      if (!(newer
          && f.isDone()
          && !f.isCompletedExceptionally()
          && cache.asMap().replace(key, f, LinkEntry.of(linked.pod(), version)))) {
        // still computing (it may answer the old pod), or not newer than what it holds: drop it
        cache.asMap().remove(key, f);
      }
    } else if (event instanceof LinkEvent.Removed removed) {
      LinkKey key = LinkKey.of(removed.namespace(), removed.uid(), removed.service());
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

  /**
   * Drops the entry: its link ended unannounced (a delayed removal, a lease), or the caller said so
   * ({@code cacheExpired}); a fill in flight for it is stale too.
   */
  void invalidate(LinkKey key) {
    stamps.changed(key, 0);
    cache.synchronous().invalidate(key);
  }

  /**
   * The pod of a completed entry; null while it is in flight, and for a failed entry: a failed
   * placement completes with null (see {@link Placement}) and stays in the cache until Caffeine
   * drops it, which happens after the callers waiting on it got the error (one of them may call
   * again meanwhile, from its error handler).
   */
  static @Nullable Integer podIfDone(CompletableFuture<Integer> f) {
    return f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
  }

  /** Whether the entry is done without a pod: a failed placement, to be treated as a miss. */
  static boolean failed(CompletableFuture<Integer> f) {
    return f.isDone() && podIfDone(f) == null;
  }

  /** The pod of a cached (or shared, in-flight) entry; the error of a failed placement. */
  static Mono<Integer> await(CompletableFuture<Integer> f) {
    return Mono.fromFuture(f, true)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    f instanceof Placement p && p.failure != null
                        ? Mono.error(p.failure)
                        : Mono.empty()));
  }

  /**
   * A placement shared by the concurrent callers of one key. A failed one completes with {@code
   * null} (Caffeine drops the entry) and keeps its error for the callers: completed exceptionally,
   * Caffeine would log a WARNING with a stack trace for every failed placement (a flood during a
   * Redis outage), although the failure is the caller's to handle. Its version is the key's floor
   * when the placement started (see {@link LinkChangeStamps#floor}).
   */
  static final class Placement extends LinkEntry {
    /** The placement's error once it failed; null until then. */
    volatile @Nullable Throwable failure;

    Placement(long version) {
      super(version);
    }

    void fail(Throwable e) {
      failure = e;
      complete(null);
    }
  }
}
