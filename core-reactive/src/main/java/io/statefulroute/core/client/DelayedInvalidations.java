package io.statefulroute.core.client;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import reactor.core.scheduler.Scheduler;

/**
 * Drops cached links again when their delayed removal ends (a link in delayed removal keeps
 * answering, so it may be cached again meanwhile). Removals are grouped by the {@link #BUCKET}
 * their delay ends in, with one scheduled task per bucket, not one per uid: a pod releasing a
 * million links with the same delay costs a few tasks on the shared timer. An entry is dropped at
 * most one bucket after its delay ends.
 */
final class DelayedInvalidations {
  /** The grouping of deadlines, and so the most an invalidation can come after its delay. */
  static final Duration BUCKET = Duration.ofMillis(100);

  private static final long BUCKET_NANOS = BUCKET.toNanos();

  private final Scheduler scheduler;
  private final Consumer<LinkKey> invalidate;
  private final ConcurrentMap<Long, Set<LinkKey>> buckets = new ConcurrentHashMap<>();

  DelayedInvalidations(Scheduler scheduler, Consumer<LinkKey> invalidate) {
    this.scheduler = scheduler;
    this.invalidate = invalidate;
  }

  /** Drops {@code key} from the cache once {@code delay} has passed (within one bucket). */
  void schedule(LinkKey key, Duration delay) {
    long now = scheduler.now(TimeUnit.NANOSECONDS);
    long bucket = Math.floorDiv(now + delay.toNanos() + BUCKET_NANOS - 1, BUCKET_NANOS);
    boolean[] created = new boolean[1];
    buckets.compute(
        bucket,
        (b, keys) -> {
          Set<LinkKey> set = keys;
          if (set == null) {
            set = ConcurrentHashMap.newKeySet();
            created[0] = true;
          }
          set.add(key);
          return set;
        });
    if (created[0]) {
      scheduler.schedule(
          () -> fire(bucket), Math.max(0, bucket * BUCKET_NANOS - now), TimeUnit.NANOSECONDS);
    }
  }

  /** Tasks waiting on the timer (tests). */
  int pendingTasks() {
    return buckets.size();
  }

  private void fire(long bucket) {
    Set<LinkKey> keys = buckets.remove(bucket);
    if (keys != null) {
      keys.forEach(invalidate);
    }
  }
}
