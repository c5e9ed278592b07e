package io.statefulroute.benchmarks.sim;

import java.util.Map;

/**
 * What one phase measured.
 *
 * @param phase the phase
 * @param startMillis its start, milliseconds since the start of the run
 * @param endMillis its end
 * @param requests requests issued during the phase
 * @param outcomes requests by outcome (every kind present, possibly 0)
 * @param moved successful requests served by another pod than the user's previous one
 * @param misroutedTo misrouted requests by the pod they reached
 * @param relinks links moved off an unroutable pod by compare-and-set (all gateways)
 * @param lookups gateway cache misses that went to the store (all gateways)
 * @param end the deployment at the end of the phase
 * @param computeNanos {@code computeLinkedPod} latency p50, p99, p99.9 (wall clock, ns)
 */
// a report value: never compared or hashed, so array identity in equals does not matter
@SuppressWarnings("ArrayRecordComponent")
record PhaseResult(
    Phase phase,
    long startMillis,
    long endMillis,
    long requests,
    Map<Outcome.Kind, Long> outcomes,
    long moved,
    Map<Integer, Long> misroutedTo,
    long relinks,
    long lookups,
    Sample end,
    long[] computeNanos) {

  long errors() {
    return outcomes.entrySet().stream()
        .filter(e -> e.getKey().isError())
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  long misroutes() {
    return outcomes.getOrDefault(Outcome.Kind.MISROUTED, 0L);
  }

  /** Requests answered from a gateway's local cache, as a fraction of all requests. */
  double hitRatio() {
    return requests == 0 ? 0 : Math.max(0, requests - lookups) / (double) requests;
  }

  double cvLinks() {
    return end.cvOverReady(end.links());
  }

  double cvLoad() {
    return end.cvOverReady(end.load());
  }
}
