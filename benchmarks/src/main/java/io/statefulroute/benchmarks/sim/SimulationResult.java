package io.statefulroute.benchmarks.sim;

import io.statefulroute.observability.analysis.AnalysisReport;
import java.util.List;

/**
 * Everything one run measured, for the terminal and HTML reports.
 *
 * @param options the options it ran with
 * @param store which store and clock it ran on
 * @param podSlots pod indexes used (the initial pods and the one that joins)
 * @param phases one result per phase, in order
 * @param samples one sample per second (and one at each phase boundary)
 * @param crash the crashed pod's users
 * @param storeFault the store-fault phase's figures and the failed bookkeeping reads
 * @param rebalance the rebalancing after the scale-out
 * @param wallMillis how long the run took on the wall clock
 * @param analysis the performance analyzer's report over the run's meters, at its end
 */
record SimulationResult(
    SimulationOptions options,
    String store,
    int podSlots,
    List<PhaseResult> phases,
    List<Sample> samples,
    CrashResult crash,
    StoreFaultResult storeFault,
    RebalanceResult rebalance,
    long wallMillis,
    AnalysisReport analysis) {

  long requests() {
    return phases.stream().mapToLong(PhaseResult::requests).sum();
  }

  long errors() {
    return phases.stream().mapToLong(PhaseResult::errors).sum();
  }

  long misroutes() {
    return phases.stream().mapToLong(PhaseResult::misroutes).sum();
  }

  PhaseResult phase(Phase p) {
    return phases.stream()
        .filter(r -> r.phase() == p)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no result for " + p));
  }
}
