package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.util.List;
import java.util.random.RandomGenerator;

/** A uniformly random candidate. */
final class RandomSelector implements PodSelector {
  private final RandomGenerator random;

  RandomSelector(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public PodState select(String namespace, String service, String uid, List<PodState> candidates) {
    return candidates.get(random.nextInt(candidates.size()));
  }

  @Override
  public String name() {
    return "random";
  }
}
