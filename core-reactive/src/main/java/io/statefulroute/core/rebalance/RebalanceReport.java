package io.statefulroute.core.rebalance;

import io.statefulroute.core.RebalancerLease;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one rebalancing cycle found and did (the admin endpoint's {@code /rebalance} shows the last
 * one).
 *
 * @param atMillis when the cycle ran, on the rebalancer's scheduler clock
 * @param lease whether this rebalancer held the lease (only the holder plans and asks); null when
 *     the store could not be asked
 * @param loads pod to the load the plan used (published minus pending sheds), for available pods
 * @param plan the plan; null when the lease was not held or the loads could not be read
 * @param error why the cycle failed, or null
 */
public record RebalanceReport(
    long atMillis,
    @Nullable RebalancerLease lease,
    Map<Integer, Integer> loads,
    @Nullable RebalancePlan plan,
    @Nullable String error) {
  public RebalanceReport {
    loads = Map.copyOf(loads);
  }

  /** The links asked for in this cycle. */
  public long requested() {
    return plan == null ? 0 : plan.requested();
  }
}
