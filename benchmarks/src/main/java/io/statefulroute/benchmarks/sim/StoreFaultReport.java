package io.statefulroute.benchmarks.sim;

import static io.statefulroute.benchmarks.sim.TerminalReport.n;
import static io.statefulroute.benchmarks.sim.TerminalReport.sec;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The store-fault section of the {@link TerminalReport}: per fault (the stall, the restart) the
 * requests issued during it, how many were served and answered from a gateway's cache, the slowest
 * against the store's command timeout, the errors by type and the time to recover; then the
 * simulation's own store reads that failed.
 */
final class StoreFaultReport {
  private StoreFaultReport() {}

  static void render(StringBuilder b, SimulationResult r) {
    StoreFaultResult f = r.storeFault();
    line(b, "store fault: %s", f.injector());
    if (f.injected()) {
      for (FaultWindow w : f.windows()) {
        window(b, w, f.commandTimeout().toMillis());
      }
    }
    line(
        b,
        "bookkeeping reads failed: %s%s",
        n(f.bookkeepingFailed()),
        f.bookkeepingFailed() == 0 ? "" : " (" + counts(f.bookkeepingFailures()) + ")");
    line(
        b,
        "  (the simulation's own store reads: links per pod for the samples, waits, clean-up;"
            + " a failed one keeps the last figures)");
    b.append('\n');
  }

  private static void window(StringBuilder b, FaultWindow w, long timeoutMillis) {
    String what =
        w.label().equals("stall")
            ? String.format(
                Locale.ROOT, "stall %s-%s s", sec(w.startMillis()), sec(w.faultEndMillis()))
            : String.format(
                Locale.ROOT,
                "restart at %s s, empty%s",
                sec(w.startMillis()),
                w.faultEndMillis() > w.startMillis()
                    ? ", answering at " + sec(w.faultEndMillis()) + " s"
                    : "");
    line(
        b,
        "  %s (requests issued until %s s): %s requests, %s served, %s cache hits, %s "
            + "misroutes",
        what,
        sec(w.endMillis()),
        n(w.requests()),
        n(w.served()),
        n(w.hits()),
        n(w.misroutes()));
    long over = w.maxLatencyMillis() - timeoutMillis;
    line(
        b,
        "    max latency %s ms%s",
        n(w.maxLatencyMillis()),
        over <= 0
            ? ": every call ended within its timeout (" + n(timeoutMillis) + " ms)"
            : ", "
                + n(over)
                + " ms over the "
                + n(timeoutMillis)
                + " ms timeout of one call (a "
                + "request makes up to two)");
    line(
        b,
        "    errors: %s",
        w.errors().isEmpty() ? "none" : n(w.errorCount()) + ": " + counts(w.errors()));
    if (w.errors().isEmpty()) {
      line(b, "    time to recover: 0 s (no request failed)");
    } else if (w.recovered()) {
      line(
          b,
          "    time to recover: %s s after the %s (requests succeed again from %s s on)",
          sec(w.recoveryMillis()),
          w.label().equals("stall") ? "stall ended" : "restart",
          sec(w.faultEndMillis() + w.recoveryMillis()));
    } else {
      line(
          b,
          "    time to recover: not recovered by %s s (requests still failing)",
          sec(w.endMillis()));
    }
  }

  /** {@code type count, ...}, most frequent first. */
  static String counts(Map<String, Long> byType) {
    StringJoiner j = new StringJoiner(", ");
    byType.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> j.add(e.getKey() + " " + n(e.getValue())));
    return j.toString();
  }

  private static void line(StringBuilder b, String format, Object... args) {
    b.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
