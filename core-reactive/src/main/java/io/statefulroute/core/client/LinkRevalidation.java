package io.statefulroute.core.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Whether a cached link can be used as it is, and the re-read of one that link events may have
 * missed a change of: {@link CacheCoherence} decides, the reply corrects the {@link LinkCache}
 * entry. Shared by the compute and read paths of the driver.
 */
final class LinkRevalidation {
  private final LinkCache links;
  private final LinkChangeStamps stamps;

  /** Follows link events; null when cache invalidation is off (every entry is trusted). */
  private final @Nullable CacheCoherence coherence;

  private final ClientListener listener;

  LinkRevalidation(LinkCache links, @Nullable CacheCoherence coherence, ClientListener listener) {
    this.links = links;
    this.stamps = links.stamps();
    this.coherence = coherence;
    this.listener = listener;
  }

  /**
   * A cached link that link events may have missed a change of, checked with {@code storeRead}
   * (which answers the stored link, empty when there is none). While the store is suspected down
   * (the event connection was lost), the cached pod is answered at once and one re-read per
   * namespace runs in the background (see {@link CacheCoherence}); otherwise the caller waits for
   * the re-read, and gets the cached pod if the store cannot answer. The reply corrects the entry
   * (or drops it when there is no link) unless a link event came meanwhile. Called only for an
   * entry that is not {@link #trusted}, so with link events followed.
   */
  Mono<Integer> revalidate(
      LinkKey key, CompletableFuture<Integer> existing, int cachedPod, Mono<Integer> storeRead) {
    CacheCoherence coherence =
        Objects.requireNonNull(
            this.coherence, "revalidate: without cache invalidation every entry is trusted");
    String ns = key.namespace();
    if (coherence.suspect(ns)) {
      if (coherence.startCheck(ns)) {
        reRead(coherence, key, existing, cachedPod, storeRead)
            .subscribe(pod -> {}, e -> listener.cacheRecheckFailed(ns, e));
      }
      return Mono.just(cachedPod);
    }
    if (!coherence.startCheck(ns)) {
      return Mono.just(cachedPod);
    }
    return reRead(coherence, key, existing, cachedPod, storeRead);
  }

  private Mono<Integer> reRead(
      CacheCoherence coherence,
      LinkKey key,
      CompletableFuture<Integer> existing,
      int cachedPod,
      Mono<Integer> storeRead) {
    String ns = key.namespace();
    return Mono.defer(
        () -> {
          long stamp = stamps.stamp(key);
          long floor = stamps.floor(key);
          AtomicBoolean done = new AtomicBoolean();
          Consumer<Boolean> checkDone =
              answered -> {
                if (done.compareAndSet(
                    false, true)) { // once: a cancel after the reply changes nothing
                  coherence.checkDone(ns, answered);
                }
              };
          return storeRead
              .doOnNext(
                  pod -> {
                    checkDone.accept(true);
                    links.refill(key, stamp, floor, existing, pod);
                  })
              .switchIfEmpty(
                  Mono.fromRunnable(
                      () -> {
                        checkDone.accept(true);
                        links.remove(key, existing); // no link: the entry was stale
                      }))
              .onErrorResume(
                  LinkCache::isOutage,
                  e -> {
                    checkDone.accept(false);
                    return Mono.just(cachedPod);
                  })
              .doOnError(e -> checkDone.accept(true)) // the store answered (with a refusal)
              .doOnCancel(() -> checkDone.accept(false)); // unknown: do not hold the check
        });
  }

  /** Whether a cached link can be used without re-reading it (see {@link CacheCoherence}). */
  boolean trusted(LinkKey key) {
    if (coherence == null || coherence.allSettled() || coherence.trustedAtAnyAge(key.namespace())) {
      return true;
    }
    return coherence.trusted(key.namespace(), links.ageNanos(key));
  }
}
