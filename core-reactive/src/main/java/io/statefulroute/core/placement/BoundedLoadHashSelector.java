package io.statefulroute.core.placement;

import io.statefulroute.core.PodState;
import java.util.List;
import java.util.Objects;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, 2016; HAProxy's {@code
 * hash-balance-factor}, Envoy's {@code hash_balance_factor}): a uid goes to the first pod of its
 * own preference order whose load stays within {@code c} times the mean once it takes the uid,
 * {@code load + 1 <= ceil(c x (total + 1) / n)}.
 *
 * <p>The preference order is the uid's rendezvous order (highest random weight, as {@link
 * RendezvousSelector}), which plays the role of the paper's walk around the ring: stable (a pod
 * that joins takes only the uids that rank it first, about 1/(N+1), and those pushed on by the
 * bound), and no ring to rebuild when the candidates change. Loads are the candidates' (predicted)
 * loads, so no pod ever exceeds {@code c x mean} through this selector's placements. The bound
 * always admits the least loaded pod (its load is at most the mean), so a pick never fails.
 */
final class BoundedLoadHashSelector implements PodSelector {
  private final double balanceFactor;

  BoundedLoadHashSelector(double balanceFactor) {
    this.balanceFactor = balanceFactor;
  }

  @Override
  public PodState select(String namespace, String service, String uid, List<PodState> candidates) {
    long total = 0;
    for (PodState p : candidates) {
      total += p.load();
    }
    long cap = capacity(total, candidates.size());
    long uidHash = RendezvousSelector.hash(uid);
    PodState best = null;
    long bestScore = 0;
    PodState lightest = null;
    for (PodState p : candidates) {
      if (lightest == null || p.load() < lightest.load()) {
        lightest = p;
      }
      if (p.load() + 1L > cap) {
        continue;
      }
      long score = RendezvousSelector.mix(uidHash ^ (0x9E3779B97F4A7C15L * (p.pod() + 1L)));
      if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
        best = p;
        bestScore = score;
      }
    }
    return Objects.requireNonNull(
        best != null ? best : lightest, "candidates is empty (a selector is given at least one)");
  }

  /** The most a pod may hold after this placement: {@code ceil(c x (total + 1) / n)}. */
  long capacity(long total, int pods) {
    return (long) Math.ceil(balanceFactor * (total + 1) / pods);
  }

  double balanceFactor() {
    return balanceFactor;
  }

  @Override
  public String name() {
    return "bounded_load_hash";
  }
}
