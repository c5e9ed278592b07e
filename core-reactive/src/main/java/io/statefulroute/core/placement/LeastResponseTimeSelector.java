package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The candidate with the lowest exponentially weighted moving average of response time, as reported
 * through {@link PlacementFeedback}. A pod without reports scores zero, so new pods are tried.
 * Failed calls count with their latency (a fast failure is not rewarded: it is doubled).
 */
final class LeastResponseTimeSelector implements PodSelector, PlacementFeedback {
  private final Map<PodKey, double[]> ewmaNanos = new ConcurrentHashMap<>();
  private final double alpha;
  private final RandomGenerator random;

  LeastResponseTimeSelector(double alpha, RandomGenerator random) {
    this.alpha = alpha;
    this.random = random;
  }

  @Override
  public PodState select(String namespace, String service, String uid, List<PodState> candidates) {
    return LowestScore.pick(candidates, p -> ewma(namespace, service, p.pod()), random);
  }

  double ewma(String namespace, String service, int pod) {
    double[] v = ewmaNanos.get(new PodKey(namespace, service, pod));
    if (v == null) {
      return 0;
    }
    synchronized (v) {
      return v[0];
    }
  }

  @Override
  public void callStarted(String namespace, String service, int pod) {}

  @Override
  public void callFinished(
      String namespace, String service, int pod, Duration latency, boolean success) {
    double sample = latency.toNanos() * (success ? 1.0 : 2.0);
    double[] v =
        ewmaNanos.computeIfAbsent(
            new PodKey(namespace, service, pod), k -> new double[] {Double.NaN});
    synchronized (v) {
      v[0] = Double.isNaN(v[0]) ? sample : alpha * sample + (1 - alpha) * v[0];
    }
  }

  @Override
  public String name() {
    return "least_response_time";
  }
}
