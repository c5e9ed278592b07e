package io.statefulroute.core.state;

/**
 * Events of a {@link ServiceStateCache}'s state reads, for metrics and health (the {@code
 * reactive-observability} module implements it; core stays free of any metrics library). Registered
 * with {@link StateCacheOptions.Builder#listener(StateCacheListener)}; the default, {@link #NOOP},
 * costs nothing. Methods have empty defaults, run on the Redis I/O or timer thread, must be fast,
 * must not block and must not throw.
 */
public interface StateCacheListener {

  /** The listener that does nothing (the default). */
  StateCacheListener NOOP = new StateCacheListener() {};

  /**
   * A state read succeeded (first read, timer tick or {@link ServiceStateCache#refresh}).
   *
   * @param view the new view of the service (its sets, loads and clocks)
   * @param durationNanos the read's duration
   */
  default void refreshed(ServiceView view, long durationNanos) {}

  /** A state read failed; the cache keeps the last good view. */
  default void refreshFailed(
      String namespace, String service, Throwable error, long durationNanos) {}
}
