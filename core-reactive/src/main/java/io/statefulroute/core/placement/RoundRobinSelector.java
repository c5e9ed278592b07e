package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/** Round robin over the candidates, from a random start per client so clients do not herd. */
final class RoundRobinSelector implements PodSelector {
  private final Map<ServiceKey, AtomicInteger> counters = new ConcurrentHashMap<>();
  private final RandomGenerator random;

  RoundRobinSelector(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public PodState select(String namespace, String service, String uid, List<PodState> candidates) {
    AtomicInteger next =
        counters.computeIfAbsent(
            new ServiceKey(namespace, service), k -> new AtomicInteger(random.nextInt(1 << 16)));
    int i = next.getAndIncrement() & Integer.MAX_VALUE;
    return candidates.get(i % candidates.size());
  }

  @Override
  public String name() {
    return "round_robin";
  }
}
