package io.statefulroute.core.server;

/**
 * Events of a {@link ServerDriver}'s publication loop, for metrics (the {@code
 * reactive-observability} module implements it; core stays free of any metrics library). Registered
 * with {@link ServerOptions.Builder#listener(ServerListener)}; the default, {@link #NOOP}, costs
 * nothing. Methods have empty defaults, run on the Redis I/O or timer thread, must be fast, must
 * not block and must not throw.
 */
public interface ServerListener {

  /** The listener that does nothing (the default). */
  ServerListener NOOP = new ServerListener() {};

  /** One publication attempt succeeded, taking {@code durationNanos}. */
  default void published(String namespace, String service, int pod, long durationNanos) {}

  /**
   * One publication attempt failed (each retry is an attempt), after {@code durationNanos}.
   *
   * @param error the store's error (typed executor errors)
   */
  default void publishFailed(
      String namespace, String service, int pod, Throwable error, long durationNanos) {}

  /**
   * Sampling the load failed: the load or queue length supplier threw {@code error}, or the load
   * supplier returned a negative load ({@code error} is an {@link IllegalArgumentException} naming
   * the value). The publication goes on with the last good load ({@link ServerDriver#DEFAULT_LOAD}
   * when there was none yet). Runs on the thread that sampled.
   */
  default void loadSupplierFailed(String namespace, String service, int pod, Throwable error) {}
}
