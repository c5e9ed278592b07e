package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.placement.PodSelectors;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code --compare-selectors}: the same seeded scenario once per placement strategy, on the
 * embedded executor in virtual time, and one table row per strategy.
 */
final class SelectorComparison {
  /**
   * The baseline row: {@code random} over every available pod, the good band switched off (no load
   * awareness at all). The {@code random} row itself picks at random within the band, which already
   * balances.
   */
  static final String RANDOM_NO_BAND = "random_no_band";

  /** Every strategy {@code PodSelectors.byName} knows, then the baseline without the band. */
  static final List<String> SELECTORS =
      Stream.concat(PodSelectors.NAMES.stream(), Stream.of(RANDOM_NO_BAND)).toList();

  static final String BASELINE = "random";

  /** The phases whose ends the "max CV load" column covers (the store fault places anew). */
  private static final List<Phase> BALANCED_PHASES =
      List.of(Phase.STEADY, Phase.SCALE_OUT, Phase.DRAIN, Phase.CRASH, Phase.RECOVERY);

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
            "%-20s %14s %14s %9s %9s %12s %11s %12s %7s %7s %9s %7s  %s%n",
            "selector",
            "CV links s-o",
            "CV load s-o",
            "CV links",
            "CV load",
            "max CV load",
            "s-o/random",
            "s-o/no band",
            "moved",
            "relinks",
            "misroutes",
            "errors",
            "hits    compute p99"));
    double baseline = scaleOutCvLoad(results, BASELINE);
    double noBand = scaleOutCvLoad(results, RANDOM_NO_BAND);
    for (SimulationResult r : results) {
      double maxCvLoad =
          BALANCED_PHASES.stream().mapToDouble(p -> r.phase(p).cvLoad()).max().orElse(0);
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
              "%-20s %14.3f %14.3f %9.3f %9.3f %12.3f %11s %12s %7s %7s %9s %7s  %5.1f%%  %s%n",
              r.options().selector(),
              scaleOut.cvLinks(),
              scaleOut.cvLoad(),
              last.cvLinks(),
              last.cvLoad(),
              maxCvLoad,
              ratio(scaleOut.cvLoad(), baseline),
              ratio(scaleOut.cvLoad(), noBand),
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
                + "of the recovery phase, before the store fault; max CV load: the highest at the "
                + "ends of steady, scale-out, drain, crash and recovery; s-o/random, s-o/no band: "
                + "CV load s-o over the random row's and over random_no_band's (random on every "
                + "available pod, no band); compute p99: the worst phase)%n"));
    return b.toString();
  }

  private static double scaleOutCvLoad(List<SimulationResult> results, String selector) {
    return results.stream()
        .filter(r -> r.options().selector().equals(selector))
        .mapToDouble(r -> r.phase(Phase.SCALE_OUT).cvLoad())
        .findFirst()
        .orElse(Double.NaN);
  }

  private static String ratio(double cv, double baseline) {
    return baseline > 0 ? String.format(Locale.ROOT, "%.2fx", cv / baseline) : "-";
  }
}
