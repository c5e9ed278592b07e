package io.statefulroute.benchmarks.sim;

import java.util.Map;

/**
 * What the requests issued during one store fault measured (the stall: from its start to the
 * restart; the restart: from it to the end of the phase). Times are milliseconds since the start of
 * the run, on the simulation's clock (virtual on the embedded executor).
 *
 * @param label {@code stall} or {@code restart}
 * @param startMillis the fault's start
 * @param faultEndMillis when the fault was over (the stall's end; the restart, once the store
 *     answered again)
 * @param endMillis the end of the window
 * @param requests requests issued in the window
 * @param served of those, served by the pod that owns the user
 * @param misroutes reached a pod the store did not link the user to
 * @param hits sent requests answered from a gateway's local cache (no store call by the gateway;
 *     the pod's ownership check still reads the store)
 * @param maxLatencyMillis the slowest request, from its issue to its outcome
 * @param errors failed requests by error type (the exception's simple name, or {@code shed})
 * @param recoveryMillis from {@code faultEndMillis} until the last failed request ended, when
 *     requests succeeded after it ({@code 0}: at once); {@code -1} when the window ended on errors
 */
record FaultWindow(
    String label,
    long startMillis,
    long faultEndMillis,
    long endMillis,
    long requests,
    long served,
    long misroutes,
    long hits,
    long maxLatencyMillis,
    Map<String, Long> errors,
    long recoveryMillis) {

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  boolean recovered() {
    return recoveryMillis >= 0;
  }
}
