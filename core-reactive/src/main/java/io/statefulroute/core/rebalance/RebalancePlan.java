package io.statefulroute.core.rebalance;

import io.statefulroute.core.PodState;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One cycle's targets and shed requests, computed from the loads of the pods that take new uids
 * (available: fresh, READY, not cordoned), pure and deterministic.
 *
 * <ul>
 *   <li>The target of every pod is the mean of their published loads. A pod's load counts minus the
 *       links it was asked to shed that its publications cannot show yet ({@code pending}).
 *   <li>Rebalancing is needed when some pod is below {@code mean * (1 - tolerance)}: the needed
 *       moves are the sum of those pods' shortfalls to the mean, minus the pending links (they will
 *       land there). Without such a pod nothing moves, so a fleet within the tolerance is left
 *       alone.
 *   <li>A pod that joined (or restarted) less than {@code joinGrace} ago is neither asked nor
 *       counted short: new uids are placed on the least loaded pods, which fills it first, and its
 *       load (active sessions) takes a while to show them. It counts in the mean.
 *   <li>The moves (at most the needed ones, at most {@code maxMovesPerCycle}) are asked of the pods
 *       above the mean in proportion to their excess; each pod at most its excess and at most
 *       {@code maxShedRatio} of its load.
 * </ul>
 *
 * @param mean the mean load (the target of every pod)
 * @param needed the moves that would bring every pod below the band up to the mean
 * @param shed pod to links asked for (only pods asked; sorted by pod)
 */
public record RebalancePlan(double mean, long needed, Map<Integer, Integer> shed) {
  public RebalancePlan {
    shed = Map.copyOf(shed);
  }

  static final RebalancePlan NONE = new RebalancePlan(0, 0, Map.of());

  /** The links asked for in all. */
  public long requested() {
    long sum = 0;
    for (int n : shed.values()) {
      sum += n;
    }
    return sum;
  }

  static RebalancePlan compute(
      Collection<PodState> available,
      Map<Integer, Integer> pending,
      Set<Integer> young,
      double tolerance,
      long maxMovesPerCycle,
      double maxShedRatio) {
    if (available.size() < 2 || maxMovesPerCycle <= 0) {
      return NONE;
    }
    // the mean of the published loads: links asked for and not yet released stay in the fleet
    Map<Integer, Long> loads = new TreeMap<>();
    long total = 0;
    long inFlight = 0;
    for (PodState pod : available) {
      int asked = pending.getOrDefault(pod.pod(), 0);
      loads.put(pod.pod(), Math.max(0, (long) pod.load() - asked));
      total += pod.load();
      inFlight += asked;
    }
    double mean = (double) total / loads.size();
    double low = mean * (1 - tolerance);
    long shortfall = 0;
    double excess = 0;
    for (Map.Entry<Integer, Long> e : loads.entrySet()) {
      long load = e.getValue();
      if (young.contains(e.getKey())) {
        continue; // placement fills a pod that just joined first
      }
      if (load < low) {
        shortfall += (long) Math.ceil(mean - load);
      } else if (load > mean) {
        excess += load - mean;
      }
    }
    // the links asked for earlier will land on the pods below the mean
    long needed = Math.max(0, shortfall - inFlight);
    long moves = Math.min(needed, maxMovesPerCycle);
    if (moves == 0 || excess < 1) {
      return new RebalancePlan(mean, needed, Map.of());
    }
    Map<Integer, Integer> shed = new HashMap<>();
    for (Map.Entry<Integer, Long> e : loads.entrySet()) {
      long load = e.getValue();
      if (load <= mean || young.contains(e.getKey())) {
        continue;
      }
      double over = load - mean;
      long share = Math.round(moves * over / excess);
      long cap = Math.max(1, (long) Math.floor(maxShedRatio * load));
      long asked = Math.min(Math.min(share, (long) Math.floor(over)), cap);
      if (asked >= 1) {
        shed.put(e.getKey(), (int) Math.min(Integer.MAX_VALUE, asked));
      }
    }
    return new RebalancePlan(mean, needed, shed);
  }

  /** Sorted by pod, for reports. */
  List<Map.Entry<Integer, Integer>> sorted() {
    return List.copyOf(new TreeMap<>(shed).entrySet());
  }
}
