package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;

/** The candidate with the lowest score, ties broken uniformly at random (reservoir sampling). */
final class LowestScore {
  private LowestScore() {}

  static PodState pick(
      List<PodState> candidates, ToDoubleFunction<PodState> score, RandomGenerator random) {
    PodState best = null;
    double bestScore = Double.POSITIVE_INFINITY;
    int ties = 0;
    for (PodState p : candidates) {
      double s = score.applyAsDouble(p);
      if (best == null || s < bestScore) {
        best = p;
        bestScore = s;
        ties = 1;
      } else if (s == bestScore && random.nextInt(++ties) == 0) {
        best = p;
      }
    }
    return Objects.requireNonNull(best, "candidates is empty (a selector is given at least one)");
  }
}
