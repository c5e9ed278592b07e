package io.statefulroute.benchmarks.sim;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --compare-selectors}: the same seeded scenario once per placement strategy, on the
 * embedded executor in virtual time, and one table row per strategy.
 */
final class SelectorComparison {
  static final List<String> SELECTORS =
      List.of(
          "round_robin",
          "random",
          "least_load",
          "power_of_two",
          "weighted_headroom",
          "least_in_flight",
          "least_response_time",
          "rendezvous");

  private SelectorComparison() {}

  /** Runs every strategy; {@code progress} gets one line per finished run (may be null). */
  static List<SimulationResult> run(SimulationOptions options, PrintStream progress) {
    List<SimulationResult> results = new ArrayList<>();
    for (String name : SELECTORS) {
      SimulationResult r = new Simulation(options.withSelector(name), ProgressLine.none()).run();
      results.add(r);
      if (progress != null) {
        progress.printf("%s done (%d of %d)%n", name, results.size(), SELECTORS.size());
      }
    }
    return results;
  }

  /**
   * The table. CV (coefficient of variation over READY pods) of links after the scale-out phase
   * shows how fast a joining pod is filled; at the end, how balanced the deployment is after the
   * drain, crash and recovery.
   */
  static String render(List<SimulationResult> results, boolean timings) {
    SimulationOptions o = results.get(0).options();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "placement strategies: %d pods (+1 joining), %d gateways, "
                + "%s users, %s req/s for %d s, seed %d, %s%n%n",
            o.pods(),
            o.gateways(),
            TerminalReport.n(o.users()),
            TerminalReport.n(o.rate()),
            o.duration().toSeconds(),
            o.seed(),
            results.get(0).store()));
    b.append(
        String.format(
            Locale.ROOT,
            "%-20s %14s %14s %9s %9s %7s %7s %9s %7s  %s%n",
            "selector",
            "CV links s-o",
            "CV load s-o",
            "CV links",
            "CV load",
            "moved",
            "relinks",
            "misroutes",
            "errors",
            "hits    compute p99"));
    for (SimulationResult r : results) {
      PhaseResult scaleOut = r.phase(Phase.SCALE_OUT);
      PhaseResult last = r.phase(Phase.RECOVERY);
      long moved = r.phases().stream().mapToLong(PhaseResult::moved).sum();
      long relinks = r.phases().stream().mapToLong(PhaseResult::relinks).sum();
      long lookups = r.phases().stream().mapToLong(PhaseResult::lookups).sum();
      double hits =
          r.requests() == 0 ? 0 : Math.max(0, r.requests() - lookups) / (double) r.requests();
      long p99 = r.phases().stream().mapToLong(p -> p.computeNanos()[1]).max().orElse(0);
      b.append(
          String.format(
              Locale.ROOT,
              "%-20s %14.3f %14.3f %9.3f %9.3f %7s %7s %9s %7s  " + "%5.1f%%  %s%n",
              r.options().selector(),
              scaleOut.cvLinks(),
              scaleOut.cvLoad(),
              last.cvLinks(),
              last.cvLoad(),
              TerminalReport.n(moved),
              TerminalReport.n(relinks),
              TerminalReport.n(r.misroutes()),
              TerminalReport.n(r.errors()),
              100 * hits,
              timings ? String.format(Locale.ROOT, "%.1f us", p99 / 1000.0) : "-"));
    }
    b.append(
        String.format(
            "%n(s-o: at the end of the scale-out phase; the other CVs at the end "
                + "of the recovery phase, before the store fault; compute p99: the worst "
                + "phase)%n"));
    return b.toString();
  }
}
