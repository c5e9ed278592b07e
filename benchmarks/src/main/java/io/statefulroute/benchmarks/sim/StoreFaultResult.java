package io.statefulroute.benchmarks.sim;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The store-fault phase's figures, and the simulation's own store reads that failed.
 *
 * @param injected whether the faults were injected ({@link StoreFaults#injects()})
 * @param injector how they were made, or why not
 * @param commandTimeout the store's timeout of one call
 * @param windows the stall's and the restart's requests (empty when not injected)
 * @param bookkeepingFailures the simulation's failed waits on the store, by error type, the whole
 *     run ({@link BookkeepingReads})
 */
record StoreFaultResult(
    boolean injected,
    String injector,
    Duration commandTimeout,
    List<FaultWindow> windows,
    Map<String, Long> bookkeepingFailures) {

  long bookkeepingFailed() {
    return bookkeepingFailures.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The window of {@code label} ({@code stall}, {@code restart}). */
  FaultWindow window(String label) {
    return windows.stream()
        .filter(w -> w.label().equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no fault window " + label));
  }
}
