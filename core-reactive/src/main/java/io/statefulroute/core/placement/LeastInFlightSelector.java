package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * The candidate with the fewest calls in flight, as reported by this client's callers through
 * {@link PlacementFeedback}; ties broken at random.
 */
final class LeastInFlightSelector implements PodSelector, PlacementFeedback {
  private final Map<PodKey, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final RandomGenerator random;

  LeastInFlightSelector(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public PodState select(String namespace, String service, String uid, List<PodState> candidates) {
    return LowestScore.pick(candidates, p -> inFlight(namespace, service, p.pod()), random);
  }

  int inFlight(String namespace, String service, int pod) {
    AtomicInteger c = inFlight.get(new PodKey(namespace, service, pod));
    return c == null ? 0 : c.get();
  }

  @Override
  public void callStarted(String namespace, String service, int pod) {
    inFlight
        .computeIfAbsent(new PodKey(namespace, service, pod), k -> new AtomicInteger())
        .incrementAndGet();
  }

  @Override
  public void callFinished(
      String namespace, String service, int pod, Duration latency, boolean success) {
    AtomicInteger c = inFlight.get(new PodKey(namespace, service, pod));
    if (c != null) {
      c.updateAndGet(v -> Math.max(0, v - 1));
    }
  }

  @Override
  public String name() {
    return "least_in_flight";
  }
}
