package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.RoutingState;
import java.util.List;

/**
 * The rebalancing after the scale-out: how soon the joining pod reached the band around the mean
 * load, and how many links moved for it against the minimum.
 *
 * @param requested links the rebalancers asked the pods to shed, over the whole run
 * @param released links the pods released for them, over the whole run
 * @param neededAtJoin the minimum moves at the join: the joining pod's shortfall to the mean load
 *     of the READY pods (it starts empty), counted on the first sample after it joined
 * @param movesToBalance links released from the join until the joining pod was balanced (or until
 *     the end of the window when it never was)
 * @param balancedAfterMillis from the join to the first sample whose joining pod's load is within
 *     {@link #BAND} of the READY pods' mean; -1 when not within {@link #WINDOW_MILLIS}
 */
record RebalanceResult(
    long requested,
    long released,
    long neededAtJoin,
    long movesToBalance,
    long balancedAfterMillis) {
  static final double BAND = 0.10;
  static final long WINDOW_MILLIS = 60_000;

  /** The moves over the minimum, e.g. 1.1 (0 when nothing was needed). */
  double movesOverNeeded() {
    return neededAtJoin == 0 ? 0 : (double) movesToBalance / neededAtJoin;
  }

  /**
   * @param moves per sample, the links released so far (same order and size as {@code samples})
   */
  static RebalanceResult of(
      List<Sample> samples,
      List<Long> moves,
      int joiningPod,
      long joinAtMillis,
      long requested,
      long released) {
    long needed = -1;
    long movesAtJoin = 0;
    long balancedAt = -1;
    long movesAtBalance = -1;
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (s.atMillis() <= joinAtMillis) {
        movesAtJoin = moves.get(i);
        continue;
      }
      if (s.atMillis() > joinAtMillis + WINDOW_MILLIS) {
        break;
      }
      double mean = meanOverReady(s);
      if (needed < 0) {
        needed = Math.round(Math.max(0, mean - s.load()[joiningPod]));
      }
      if (s.states()[joiningPod] == RoutingState.READY
          && mean > 0
          && s.load()[joiningPod] >= mean * (1 - BAND)) {
        balancedAt = s.atMillis() - joinAtMillis;
        movesAtBalance = moves.get(i);
        break;
      }
      movesAtBalance = moves.get(i);
    }
    return new RebalanceResult(
        requested,
        released,
        Math.max(0, needed),
        Math.max(0, movesAtBalance - movesAtJoin),
        balancedAt);
  }

  private static double meanOverReady(Sample s) {
    double sum = 0;
    int n = 0;
    for (int p = 0; p < s.load().length; p++) {
      if (s.states()[p] == RoutingState.READY) {
        sum += s.load()[p];
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }
}
