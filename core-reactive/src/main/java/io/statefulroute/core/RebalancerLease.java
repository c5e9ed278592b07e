package io.statefulroute.core;

/**
 * The answer of {@link StatefulExecutor#acquireRebalancer}: whether the caller may run the
 * service's rebalancing cycle now.
 */
public enum RebalancerLease {
  /** The caller holds the lease (acquired now or renewed): it runs the cycle. */
  HELD,
  /** Another owner holds the lease; nothing was written. */
  HELD_ELSEWHERE,
  /**
   * Rebalancing of the service is suspended ({@link StatefulExecutor#suspendRebalancing}); nothing
   * was written and nobody runs a cycle.
   */
  SUSPENDED
}
