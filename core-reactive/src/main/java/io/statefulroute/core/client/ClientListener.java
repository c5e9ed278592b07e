package io.statefulroute.core.client;

import org.jspecify.annotations.Nullable;

/**
 * Events of a {@link ClientDriver}, for metrics and tracing (the {@code reactive-observability}
 * module implements it; core stays free of any metrics library). Registered with {@link
 * ClientOptions.Builder#listener(ClientListener)}; the default, {@link #NOOP}, costs nothing.
 *
 * <p>Every method has an empty default, so an implementation overrides what it needs. Methods are
 * called on the thread that produced the event (the caller's on the cache-hit path, a Redis I/O or
 * timer thread otherwise); they must be fast, must not block and must not throw (an exception
 * thrown by a listener propagates into the caller's {@code Mono}).
 */
public interface ClientListener {

  /** The listener that does nothing (the default). */
  ClientListener NOOP = new ClientListener() {};

  /**
   * A compute answered on the cache-hit fast path (outcome {@link ComputeOutcome#HIT}). Called on
   * the caller's thread before the pod is returned; not timed (a hit takes about 100 ns, two clock
   * reads would double it). Keep it allocation-free.
   */
  default void computeHit(String namespace, String service) {}

  /**
   * A compute that left the fast path ended (with a value or an error; a compute cancelled by its
   * subscriber is not reported).
   *
   * @param outcome never {@code HIT} from the fast path; {@code LINKED}, {@code RELINKED} or the
   *     failure's outcome
   * @param error the failure, {@code null} on success
   * @param durationNanos from subscription to the result ({@link System#nanoTime()} based)
   */
  default void computeFinished(
      String namespace,
      String service,
      ComputeOutcome outcome,
      @Nullable Throwable error,
      long durationNanos) {}

  /**
   * The placement strategy chose {@code pod} for a new link (or a link moved off a dead pod).
   *
   * @param strategy the selector's {@link io.statefulroute.core.placement.PodSelector#name()}
   */
  default void placed(String namespace, String service, String strategy, int pod) {}

  /** Passive health ejected {@code pod} from new placements (once per ejection). */
  default void podEjected(String namespace, String service, int pod) {}

  /**
   * A caller reported a failed call to {@code pod} ({@link ClientDriver#reportFailure}).
   *
   * @param down whether the pod is treated as down after the report (its record also missed a
   *     heartbeat); false while it keeps publishing
   */
  default void failureReported(String namespace, String service, int pod, boolean down) {}

  /**
   * A background re-read of cached links failed: the batch re-read after the link events were
   * (re)subscribed (it is retried after {@code unconfirmedCacheTtl} while the subscription lasts),
   * or the single re-read of an entry while the store was suspected down (the cached link was
   * answered). The entries concerned stay untrusted until a re-read succeeds.
   */
  default void cacheRecheckFailed(String namespace, Throwable error) {}
}
