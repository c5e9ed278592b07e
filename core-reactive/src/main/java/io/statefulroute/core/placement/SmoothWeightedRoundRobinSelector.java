package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Smooth weighted round robin (nginx's algorithm): each pick adds every candidate's weight to its
 * running score, picks the highest score and subtracts the total weight from it. Picks are spread
 * evenly within a cycle (weights 5,1,1 give a,a,b,a,c,a,a, not a,a,a,a,a,b,c).
 *
 * <p>Weights come from a function of the pod state: configured per pod, or derived from load
 * headroom ({@code capacity - load}, at least 1).
 */
final class SmoothWeightedRoundRobinSelector implements PodSelector {
  private static final String EMPTY = "candidates is empty (a selector is given at least one)";

  private final ToIntFunction<PodState> weight;
  private final Map<ServiceKey, Map<Integer, long[]>> current = new ConcurrentHashMap<>();

  SmoothWeightedRoundRobinSelector(ToIntFunction<PodState> weight) {
    this.weight = weight;
  }

  @Override
  public PodState select(String namespace, String service, String uid, List<PodState> candidates) {
    Map<Integer, long[]> scores =
        current.computeIfAbsent(new ServiceKey(namespace, service), k -> new HashMap<>());
    synchronized (scores) { // in-memory arithmetic only, never I/O
      long total = 0;
      PodState best = null;
      long[] bestScore = null;
      for (PodState p : candidates) {
        int w = Math.max(0, weight.applyAsInt(p));
        total += w;
        long[] s = scores.computeIfAbsent(p.pod(), k -> new long[1]);
        s[0] += w;
        if (bestScore == null || s[0] > bestScore[0]) {
          best = p;
          bestScore = s;
        }
      }
      Objects.requireNonNull(bestScore, EMPTY)[0] -= total;
      if (scores.size() > candidates.size() * 4 + 16) {
        scores.keySet().retainAll(candidates.stream().map(PodState::pod).toList());
      }
      return Objects.requireNonNull(best, EMPTY);
    }
  }

  @Override
  public String name() {
    return "smooth_weighted_round_robin";
  }
}
