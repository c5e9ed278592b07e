package io.statefulroute.benchmarks.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the store-fault phase's figures, one {@link FaultWindow} per fault: each request counts
 * towards the window it was issued in, whenever its outcome arrives. Thread-safe (outcomes arrive
 * on I/O threads in the real-time modes).
 */
final class StoreFaultMetrics {
  private final List<Window> windows = new ArrayList<>();

  /**
   * A fault starts at {@code atMillis} (ending the window before); {@code lookupsTotal}: the
   * gateways' store lookups so far (their cache misses).
   */
  synchronized void opened(String label, long atMillis, long faultEndMillis, long lookupsTotal) {
    closed(atMillis, lookupsTotal);
    windows.add(new Window(label, atMillis, faultEndMillis, lookupsTotal));
  }

  /** The open window ends at {@code atMillis}. */
  synchronized void closed(long atMillis, long lookupsTotal) {
    if (!windows.isEmpty()) {
      Window w = windows.get(windows.size() - 1);
      if (w.endMillis == Long.MAX_VALUE) {
        w.endMillis = atMillis;
        w.lookups = lookupsTotal - w.lookupsAtStart;
      }
    }
  }

  /** A request issued at {@code issuedMillis} ended at {@code doneMillis} with {@code outcome}. */
  synchronized void record(long issuedMillis, long doneMillis, Outcome outcome) {
    for (Window w : windows) {
      if (issuedMillis >= w.startMillis && issuedMillis < w.endMillis) {
        w.requests++;
        if (outcome.kind() == Outcome.Kind.SHED) {
          w.shed++;
        }
        w.maxLatency = Math.max(w.maxLatency, doneMillis - issuedMillis);
        switch (outcome.kind()) {
          case SERVED -> w.served++;
          case MISROUTED -> w.misroutes++;
          default -> {}
        }
        if (outcome.kind().isError()) {
          w.errors.merge(outcome.error(), 1L, Long::sum);
          w.lastErrorDone = Math.max(w.lastErrorDone, doneMillis);
        } else {
          w.lastSuccessDone = Math.max(w.lastSuccessDone, doneMillis);
        }
        return;
      }
    }
  }

  /** The windows so far, in order. */
  synchronized List<FaultWindow> windows() {
    List<FaultWindow> out = new ArrayList<>();
    for (Window w : windows) {
      long recovery;
      if (w.errors.isEmpty()) {
        recovery = 0;
      } else if (w.lastSuccessDone > w.lastErrorDone) {
        recovery = Math.max(0, w.lastErrorDone - w.faultEndMillis);
      } else {
        recovery = -1;
      }
      out.add(
          new FaultWindow(
              w.label,
              w.startMillis,
              w.faultEndMillis,
              w.endMillis,
              w.requests,
              w.served,
              w.misroutes,
              Math.max(0, w.requests - w.shed - w.lookups),
              w.maxLatency,
              Map.copyOf(w.errors),
              recovery));
    }
    return List.copyOf(out);
  }

  private static final class Window {
    final String label;
    final long startMillis;
    final long faultEndMillis;
    final long lookupsAtStart;
    long endMillis = Long.MAX_VALUE;
    long lookups;
    long requests;
    long shed;
    long served;
    long misroutes;
    long maxLatency;
    long lastErrorDone = Long.MIN_VALUE;
    long lastSuccessDone = Long.MIN_VALUE;
    final Map<String, Long> errors = new TreeMap<>();

    Window(String label, long startMillis, long faultEndMillis, long lookupsAtStart) {
      this.label = label;
      this.startMillis = startMillis;
      this.faultEndMillis = faultEndMillis;
      this.lookupsAtStart = lookupsAtStart;
    }
  }
}
