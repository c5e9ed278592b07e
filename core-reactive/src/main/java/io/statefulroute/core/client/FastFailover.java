package io.statefulroute.core.client;

import io.statefulroute.core.state.ServiceView;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * Fast failover without split brain: a pod is treated as down by this client, before its record
 * reaches the state expiry, when <em>both</em> hold:
 *
 * <ol>
 *   <li>this client observed failures on it: passive health ejected it, or a caller reported a
 *       failed call with {@link ClientDriver#reportFailure} (each counts for {@code
 *       ejectionCoolDown} after it);
 *   <li>its state record has missed a heartbeat: at the latest state read it had been published
 *       longer ago than {@code missedHeartbeatFactor x publishPeriod} (the store's clock), while
 *       another pod of the service published within that time (when every record is late, the store
 *       or the way to it is at fault, not the pod: only the state expiry applies).
 * </ol>
 *
 * A pod that one gateway cannot reach but that keeps publishing fails the second condition, so its
 * links never move on one gateway's word; a pod that publishes again is trusted again at the next
 * state read. A pod treated as down is not routable for this client: its temporary links move by
 * compare-and-set on their next compute (the relink path), persistent links answer {@code
 * OwnerUnavailableException}, and it gets no new placements. Thread-safe; while no failure is
 * marked, {@link #routable} costs one volatile read more than {@link ServiceView#isRoutable}.
 */
final class FastFailover {
  /** Past this many marks, the ones whose failures no longer count are dropped. */
  private static final int MAX_MARKS = 1024;

  private final long heartbeatMillis;
  private final long memoryMillis;
  private final Scheduler clock;
  private final Ejected ejected;

  /** Pods with observed failures, to the clock reading until which the failures count. */
  private final Map<Pod, Long> suspects = new ConcurrentHashMap<>();

  /** The latest end of any mark: no pod is suspect once the clock has passed it. */
  private volatile long suspectsUntil = Long.MIN_VALUE;

  private record Pod(String namespace, String service, int pod) {}

  /** Whether passive health ejects a pod now. */
  @FunctionalInterface
  interface Ejected {
    boolean test(String namespace, String service, int pod);
  }

  /**
   * @param heartbeatMillis a record published longer ago than this missed a heartbeat
   * @param memoryMillis how long an observed failure counts
   * @param clock the scheduler whose clock times the marks (virtual in tests)
   * @param ejected passive health's ejections (an ejection is also {@link #failureObserved})
   */
  FastFailover(long heartbeatMillis, long memoryMillis, Scheduler clock, Ejected ejected) {
    this.heartbeatMillis = heartbeatMillis;
    this.memoryMillis = memoryMillis;
    this.clock = clock;
    this.ejected = ejected;
  }

  /** A failure of a call to {@code pod} was observed now (a report, or an ejection). */
  void failureObserved(String namespace, String service, int pod) {
    long until = now() + memoryMillis;
    suspects.merge(new Pod(namespace, service, pod), until, Math::max);
    if (suspects.size() > MAX_MARKS) {
      sweep();
    }
    synchronized (this) {
      if (until > suspectsUntil) {
        suspectsUntil = until;
      }
    }
  }

  /** Routable in {@code view} and not treated as down. */
  boolean routable(ServiceView view, int pod) {
    return view.isRoutable(pod) && !down(view, pod);
  }

  /** Both conditions hold: failures observed within their memory, and a missed heartbeat. */
  boolean down(ServiceView view, int pod) {
    if (suspectsUntil == Long.MIN_VALUE) {
      return false; // never a failure: the hit path's cost
    }
    if (view.publishedAgoMillis(pod) <= heartbeatMillis) {
      return false; // it keeps publishing: one gateway's failures move nothing
    }
    long now = now();
    boolean failed =
        ejected.test(view.namespace(), view.service(), pod)
            || (now < suspectsUntil && now < suspects.getOrDefault(key(view, pod), now));
    return failed && othersPublish(view, pod);
  }

  private static Pod key(ServiceView view, int pod) {
    return new Pod(view.namespace(), view.service(), pod);
  }

  /**
   * Whether the store takes publications: another pod of the service published within a heartbeat.
   * When every record is late (a stalled store, the publishers cut off from it), the silence is not
   * the pod's own, and only the state expiry applies.
   */
  private boolean othersPublish(ServiceView view, int pod) {
    for (int other : view.pods().keySet()) {
      if (other != pod && view.publishedAgoMillis(other) <= heartbeatMillis) {
        return true;
      }
    }
    return false;
  }

  /** Forgets marks whose failures no longer count (bounded memory). */
  void sweep() {
    long now = now();
    suspects.values().removeIf(until -> until <= now);
  }

  /** Marked pods, counting or not yet swept (tests). */
  int marked() {
    return suspects.size();
  }

  private long now() {
    return clock.now(TimeUnit.MILLISECONDS);
  }
}
