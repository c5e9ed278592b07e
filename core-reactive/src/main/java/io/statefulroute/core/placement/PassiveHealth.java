package io.statefulroute.core.placement;

import io.statefulroute.core.spi.Args;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.scheduler.Scheduler;

/**
 * Passive health: a pod whose calls fail {@code failureThreshold} times in a row (as reported by
 * callers through {@link PlacementFeedback}) is ejected from <em>new</em> placements for {@code
 * coolDown}. A success resets the count. Existing links are not touched: the pod's own routing
 * state decides those. Time comes from a {@link Scheduler}'s clock (virtual in tests).
 */
public final class PassiveHealth implements PlacementFeedback {
  private final int failureThreshold;
  private final long coolDownMillis;
  private final Scheduler clock;
  private final Map<PodKey, Health> pods = new ConcurrentHashMap<>();
  private final LongAdder ejections = new LongAdder();
  private final EjectionListener listener;

  /** Told of each ejection (metrics); called on the reporting thread, must not block. */
  @FunctionalInterface
  public interface EjectionListener {
    void ejected(String namespace, String service, int pod);
  }

  private static final class Health {
    int consecutiveFailures;
    long ejectedUntil;
  }

  /**
   * @param failureThreshold consecutive failures that eject a pod, {@code >= 1}
   * @param coolDown how long an ejected pod gets no new links, positive
   * @param clock the scheduler whose clock measures the cool-down
   */
  public PassiveHealth(int failureThreshold, Duration coolDown, Scheduler clock) {
    this(failureThreshold, coolDown, clock, (namespace, service, pod) -> {});
  }

  /** As {@link #PassiveHealth(int, Duration, Scheduler)}, telling {@code listener} of ejections. */
  public PassiveHealth(
      int failureThreshold, Duration coolDown, Scheduler clock, EjectionListener listener) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be >= 1: " + failureThreshold);
    }
    this.failureThreshold = failureThreshold;
    this.coolDownMillis = Args.positive("coolDown", coolDown).toMillis();
    this.clock = Args.notNull("clock", clock);
    this.listener = Args.notNull("listener", listener);
  }

  /** Whether {@code pod} is currently ejected from new placements. */
  public boolean isEjected(String namespace, String service, int pod) {
    Health h = pods.get(new PodKey(namespace, service, pod));
    if (h == null) {
      return false;
    }
    synchronized (h) {
      return h.ejectedUntil > now();
    }
  }

  /** How many ejections happened since creation. */
  public long ejections() {
    return ejections.sum();
  }

  @Override
  public void callStarted(String namespace, String service, int pod) {}

  @Override
  public void callFinished(
      String namespace, String service, int pod, Duration latency, boolean success) {
    Health h = pods.computeIfAbsent(new PodKey(namespace, service, pod), k -> new Health());
    boolean ejected = false;
    synchronized (h) {
      if (success) {
        h.consecutiveFailures = 0;
        return;
      }
      if (++h.consecutiveFailures >= failureThreshold) {
        h.consecutiveFailures = 0;
        if (h.ejectedUntil <= now()) {
          ejections.increment();
          ejected = true;
        }
        h.ejectedUntil = now() + coolDownMillis;
      }
    }
    if (ejected) {
      listener.ejected(namespace, service, pod);
    }
  }

  private long now() {
    return clock.now(TimeUnit.MILLISECONDS);
  }
}
