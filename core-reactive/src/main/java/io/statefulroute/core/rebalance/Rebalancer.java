package io.statefulroute.core.rebalance;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.state.ServiceStateCache;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Cooperative rebalancing of one service (see docs/rebalancing.md). Any number of clients may run
 * one; a lease in the store ({@link StatefulExecutor#acquireRebalancer}) lets one of them act at a
 * time. Every {@code period} the holder reads the service's loads (through the state cache),
 * computes per-pod targets ({@link RebalancePlan}) and asks the over-target pods to shed links
 * ({@link StatefulExecutor#requestShed}), within the throttles of {@link RebalancerOptions}. The
 * pods choose which idle uids to release ({@code ServerDriver.shedRequests}); their next requests
 * are placed afresh. Nothing here moves a link: persistent and pinned links stay where they are
 * unless their pod releases them, and a pod that ignores the requests breaks nothing.
 *
 * <p>A failing cycle (the store unavailable) is reported and counted; the next period tries again.
 */
public interface Rebalancer extends AutoCloseable {
  static Rebalancer create(
      StatefulExecutor executor, ServiceStateCache states, RebalancerOptions options) {
    return new DefaultRebalancer(executor, states, options);
  }

  RebalancerOptions options();

  /** Starts the cycles (the first one period from now). Idempotent. */
  void start();

  /** Runs one cycle now (operators, tests); it renews or acquires the lease as a periodic one. */
  Mono<RebalanceReport> runCycle();

  /**
   * Suspends rebalancing of the service for every client, until {@link #resume()} (stored in the
   * store: {@link StatefulExecutor#suspendRebalancing}).
   *
   * @return whether it was running before
   */
  Mono<Boolean> suspend();

  /** Resumes rebalancing for every client. @return whether it was suspended before */
  Mono<Boolean> resume();

  /** The last cycle's report; null before the first. */
  @Nullable RebalanceReport lastReport();

  /** Cycles run (each periodic or {@link #runCycle} call). */
  long cycles();

  /** Cycles in which this rebalancer held the lease. */
  long cyclesLed();

  /** Links asked for in all cycles. */
  long requested();

  /** Cycles that failed (the store's error). */
  long failures();

  /** Stops the cycles. The lease lapses after {@code leaseTtl}. Idempotent. */
  @Override
  void close();
}
