package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Power of two choices: two distinct random candidates, the less loaded wins. Nearly as even as
 * least-load, without every client picking the same minimum between two state refreshes.
 */
final class PowerOfTwoChoicesSelector implements PodSelector {
  private final RandomGenerator random;

  PowerOfTwoChoicesSelector(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public PodState select(String namespace, String service, String uid, List<PodState> candidates) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    PodState pa = candidates.get(a);
    PodState pb = candidates.get(b);
    return pb.load() < pa.load() ? pb : pa;
  }

  @Override
  public String name() {
    return "power_of_two";
  }
}
