package io.statefulroute.core.client;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;

/**
 * The link cache's statistics, one hit or miss per lookup <em>a caller made</em>: a compute
 * answered from the cache is a hit, one that needed the store a miss. Caffeine's own hit and miss
 * records are ignored, because one compute looks the entry up more than once (the hit path, then
 * the slow path, then the shared computation), which made one miss count two or three times; loads
 * and evictions are Caffeine's, as they are.
 */
final class LinkCacheStats implements StatsCounter {
  private final ConcurrentStatsCounter counter = new ConcurrentStatsCounter();

  /** A lookup answered from the cache. */
  void hit() {
    counter.recordHits(1);
  }

  /** A lookup the cache could not answer. */
  void miss() {
    counter.recordMisses(1);
  }

  @Override
  public void recordHits(int count) {
    // counted by the driver, once per lookup
  }

  @Override
  public void recordMisses(int count) {
    // counted by the driver, once per lookup
  }

  @Override
  public void recordLoadSuccess(long loadTime) {
    counter.recordLoadSuccess(loadTime);
  }

  @Override
  public void recordLoadFailure(long loadTime) {
    counter.recordLoadFailure(loadTime);
  }

  @Override
  public void recordEviction(int weight, RemovalCause cause) {
    counter.recordEviction(weight, cause);
  }

  @Override
  public CacheStats snapshot() {
    return counter.snapshot();
  }
}
