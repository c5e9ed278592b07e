package io.statefulroute.core.client;

import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.ServiceView;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * The slow path of {@code computeLinkedPod}, taken when the cached link cannot answer at once: a
 * cached or in-flight entry is awaited and checked against the current state view (re-read with
 * {@link LinkRevalidation} when events may have missed a change of it); otherwise the uid is placed
 * by the {@link Placer}, concurrent callers of one key sharing one placement.
 */
final class ComputeSlowPath {
  private final ServiceStateCache states;
  private final LinkCache links;
  private final LinkChangeStamps stamps;
  private final LinkCacheStats stats;
  private final Placer placer;
  private final LinkRevalidation revalidation;

  /** Follows the namespace's link events from its first use on (when invalidation is on). */
  private final Consumer<String> watch;

  ComputeSlowPath(
      ServiceStateCache states,
      LinkCache links,
      Placer placer,
      LinkRevalidation revalidation,
      Consumer<String> watch) {
    this.states = states;
    this.links = links;
    this.stamps = links.stamps();
    this.stats = links.stats();
    this.placer = placer;
    this.revalidation = revalidation;
    this.watch = watch;
  }

  Mono<Integer> compute(LinkKey key) {
    watch.accept(key.namespace());
    return states
        .view(key.namespace(), key.service())
        .flatMap(
            view -> {
              CompletableFuture<Integer> existing = links.get(key); // counted below, once
              if (existing == null || LinkCache.failed(existing)) {
                stats.miss();
                return resolve(key, view); // drops a failed entry still cached
              }
              return LinkCache.await(existing)
                  .flatMap(
                      pod -> {
                        ServiceView now =
                            placer.current(view); // the entry may have been an in-flight placement
                        boolean routable = placer.routable(now, pod);
                        if (routable && revalidation.trusted(key)) {
                          stats.hit();
                          return Mono.just(pod);
                        }
                        stats.miss();
                        if (routable) {
                          return revalidate(key, now, existing, pod);
                        }
                        links.remove(key, existing); // outside its computation: safe
                        return resolve(key, now);
                      });
            });
  }

  /**
   * A cached link that link events may have missed a change of: placed again (set-if-absent returns
   * the stored link).
   */
  private Mono<Integer> revalidate(
      LinkKey key, ServiceView view, CompletableFuture<Integer> existing, int cachedPod) {
    return revalidation.revalidate(
        key, existing, cachedPod, Mono.defer(() -> placer.place(key, view)));
  }

  /**
   * Concurrent callers for one key share one placement; a failure is not cached. The placement runs
   * with the context of the caller that started it (trace parent, compute recorder), and starts
   * after cache.get returns, not inside it: Caffeine runs the mapping function under a map lock,
   * and the store (the in-memory one delivers link events to the driver synchronously) must never
   * be called with that lock held.
   */
  private Mono<Integer> resolve(LinkKey key, ServiceView view) {
    return Mono.deferContextual(
        ctx -> {
          long stamp = stamps.stamp(key);
          // after the stamp: see LinkChangeStamps.floor
          LinkCache.Placement created = new LinkCache.Placement(stamps.floor(key));
          CompletableFuture<Integer> f = links.getOrAdd(key, created);
          if (f != created && LinkCache.failed(f)) {
            // a failed placement Caffeine has not dropped yet: not an answer, place again
            links.remove(key, f);
            f = links.getOrAdd(key, created);
          }
          if (f == created) {
            placer
                .place(key, view)
                .contextWrite(ctx)
                .subscribe(
                    pod -> {
                      created.complete(pod);
                      if (!stamps.unchangedSince(key, stamp)) {
                        // a change came while placing (or the subscription changed): the callers
                        // get their
                        // answer, the cache does not keep it (see LinkChangeStamps)
                        links.remove(key, created);
                      }
                    },
                    created::fail,
                    () -> created.complete(null));
          }
          return LinkCache.await(f);
        });
  }
}
