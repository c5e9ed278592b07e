package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.util.List;
import java.util.random.RandomGenerator;

/** The candidate with the lowest published load; ties broken at random (no herding on one pod). */
final class LeastLoadSelector implements PodSelector {
  private final RandomGenerator random;

  LeastLoadSelector(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public PodState select(String namespace, String service, String uid, List<PodState> candidates) {
    return LowestScore.pick(candidates, PodState::load, random);
  }

  @Override
  public String name() {
    return "least_load";
  }
}
