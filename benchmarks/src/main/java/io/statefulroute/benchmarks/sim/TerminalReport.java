package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.RoutingState;
import io.statefulroute.observability.analysis.AnalysisReport;
import io.statefulroute.observability.analysis.Finding;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The report printed at the end of a run. With {@code timings} off, the figures that depend on the
 * machine's speed (compute latency, wall time) print as {@code -} and the findings of the rules
 * that judge wall-clock durations ({@link Monitoring#WALL_CLOCK_RULES}) are left out: what remains
 * is the same for every run of a seed on the embedded executor.
 */
final class TerminalReport {
  private TerminalReport() {}

  static String render(SimulationResult r, boolean timings) {
    SimulationOptions o = r.options();
    StringBuilder b = new StringBuilder();
    line(
        b,
        "stateful-route simulation: %d pods (+1 joining), %d gateways, %s users (Zipf %.1f), "
            + "%s req/s for %d s",
        o.pods(),
        o.gateways(),
        n(o.users()),
        o.zipf(),
        n(o.rate()),
        o.duration().toSeconds());
    line(
        b,
        "selector %s, seed %d, %s%s",
        o.selector(),
        o.seed(),
        r.store(),
        o.http() ? ", HTTP pods and gateways on loopback" : "");
    b.append('\n');

    line(b, "%-11s %-10s %s", "phase", "time", "event at its start");
    for (PhaseResult p : r.phases()) {
      line(
          b,
          "%-11s %-10s %s",
          p.phase().label(),
          span(p),
          p.phase()
              .event()
              .replace("pod K", "pod " + o.pods())
              .replace("0..K-1", "0.." + (o.pods() - 1)));
    }
    b.append('\n');

    line(
        b,
        "%-11s %9s %7s %9s %6s %7s %7s  %s",
        "traffic",
        "requests",
        "errors",
        "misroutes",
        "moved",
        "relinks",
        "hits",
        "compute p50 / p99 / p99.9");
    for (PhaseResult p : r.phases()) {
      line(
          b,
          "%-11s %9s %7s %9s %6s %7s %6.1f%%  %s",
          p.phase().label(),
          n(p.requests()),
          n(p.errors()),
          n(p.misroutes()),
          n(p.moved()),
          n(p.relinks()),
          100 * p.hitRatio(),
          timings ? latency(p.computeNanos()) : "-");
    }
    b.append('\n');

    StringBuilder head =
        new StringBuilder(String.format("%-11s %8s %8s ", "at phase end", "CV links", "CV load"));
    for (int pod = 0; pod < r.podSlots(); pod++) {
      head.append(String.format(" %14s", "pod " + pod));
    }
    line(b, "%s", head.toString());
    for (PhaseResult p : r.phases()) {
      StringBuilder row =
          new StringBuilder(
              String.format(
                  Locale.ROOT, "%-11s %8.3f %8.3f ", p.phase().label(), p.cvLinks(), p.cvLoad()));
      Sample s = p.end();
      for (int pod = 0; pod < r.podSlots(); pod++) {
        row.append(String.format(" %14s", cell(s, pod)));
      }
      line(b, "%s", row.toString());
    }
    line(
        b,
        "(links in the store (active sessions = load); D draining, X down, - not started; "
            + "CV over READY pods)");
    b.append('\n');

    RebalanceResult rb = r.rebalance();
    line(
        b,
        "rebalance: pod %d joined at %s s; %s (%s moves for a shortfall of %s: %sx; "
            + "asked %s, released %s over the run)",
        r.options().pods(),
        sec(r.phase(Phase.SCALE_OUT).startMillis()),
        rb.balancedAfterMillis() < 0
            ? "not within 10 % of the mean load in 60 s"
            : "within 10 % of the mean load after " + sec(rb.balancedAfterMillis()) + " s",
        n(rb.movesToBalance()),
        n(rb.neededAtJoin()),
        String.format(Locale.ROOT, "%.2f", rb.movesOverNeeded()),
        n(rb.requested()),
        n(rb.released()));
    b.append('\n');

    CrashResult c = r.crash();
    if (c != null) {
      line(
          b,
          "crash: pod %d stopped publishing at %s s with %s users linked to it",
          c.pod(),
          sec(r.phase(Phase.CRASH).startMillis()),
          n(c.linkedUsers()));
      line(
          b,
          "  requests routed to it while down: %s (errors, each reported by its gateway; until "
              + "the gateway treats it as down: failures reported and its record 2 publish "
              + "periods old)",
          n(c.podDownErrors()));
      if (c.relinked() == 0) {
        line(b, "  relinked to a live pod: none of them made a request in time");
      } else {
        line(
            b,
            "  relinked to a live pod: %s of %s; after the crash: first %s s, p50 %s s, "
                + "p99 %s s, max %s s",
            n(c.relinked()),
            n(c.linkedUsers()),
            sec(c.firstMillis()),
            sec(c.p50Millis()),
            sec(c.p99Millis()),
            sec(c.maxMillis()));
      }
      line(
          b,
          "  (the others made no request while it was down: their links still name pod %d, "
              + "which serves them again after its restart)",
          c.pod());
      b.append('\n');
    }

    StoreFaultReport.render(b, r);

    StringJoiner misrouted = new StringJoiner("; ");
    for (PhaseResult p : r.phases()) {
      if (p.misroutes() > 0) {
        StringJoiner pods = new StringJoiner(", ");
        p.misroutedTo().forEach((pod, count) -> pods.add("pod " + pod + " (" + n(count) + ")"));
        misrouted.add(p.phase().label() + ": " + pods);
      }
    }
    if (r.misroutes() > 0) {
      line(b, "misroutes by the pod they reached: %s", misrouted);
      line(b, "  (a gateway's cached pod that no longer owned the user: the link had moved)");
      b.append('\n');
    }

    analysis(b, r.analysis(), timings);

    StringJoiner kinds = new StringJoiner(", ");
    for (Outcome.Kind k : Outcome.Kind.values()) {
      long count = r.phases().stream().mapToLong(p -> p.outcomes().get(k)).sum();
      if (k.isError() && count > 0) {
        kinds.add(k.label() + " " + n(count));
      }
    }
    line(
        b,
        "total: %s requests, %s errors%s, %s misroutes%s",
        n(r.requests()),
        n(r.errors()),
        r.errors() == 0 ? "" : " (" + kinds + ")",
        n(r.misroutes()),
        !timings
            ? ""
            : String.format(
                Locale.ROOT,
                "; ran in %.1f s%s",
                r.wallMillis() / 1000.0,
                o.speed().isPresent()
                    ? " (paced at " + speed(o.speed().getAsDouble()) + "x)"
                    : ""));
    return b.toString();
  }

  /** The analyzer's findings, most severe first, each with its figures and suggestion. */
  private static void analysis(StringBuilder b, AnalysisReport report, boolean timings) {
    List<Finding> findings = findings(report, timings);
    line(
        b,
        "performance analysis (%d rules over the run's meters at its end, as GET /analysis "
            + "serves them): %s",
        report.rules().size(),
        findings.isEmpty()
            ? "no findings"
            : findings.size() + (findings.size() == 1 ? " finding" : " findings"));
    for (Finding f : findings) {
      line(b, "  [%s] %s on %s: %s", f.severity(), f.rule(), f.subject(), f.message());
      line(
          b,
          "    measured %s, threshold %s (%s)",
          figure(f.measured()),
          figure(f.threshold()),
          f.unit());
      wrap(b, "    suggestion: ", f.suggestion());
    }
    for (String failure : report.failures()) {
      line(b, "  [RULE FAILED] %s", failure);
    }
    b.append('\n');
  }

  /** The findings the report shows: all, or without the wall-clock rules' when timings are off. */
  static List<Finding> findings(AnalysisReport report, boolean timings) {
    return report.findings().stream()
        .filter(f -> timings || !Monitoring.WALL_CLOCK_RULES.contains(f.rule()))
        .toList();
  }

  /** A finding's figure: four significant digits, no trailing zeros. */
  static String figure(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    return s.contains("e") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  static String speed(double speed) {
    return figure(speed);
  }

  /** {@code text} after {@code head}, wrapped at 100 columns, continued under its start. */
  private static void wrap(StringBuilder b, String head, String text) {
    String indent = " ".repeat(head.length());
    StringBuilder row = new StringBuilder(head);
    for (String word : text.split(" ")) {
      if (row.length() > head.length() && row.length() + 1 + word.length() > 100) {
        b.append(row).append('\n');
        row = new StringBuilder(indent);
      }
      if (row.length() > indent.length()) {
        row.append(' ');
      }
      row.append(word);
    }
    b.append(row).append('\n');
  }

  private static String cell(Sample s, int pod) {
    RoutingState state = s.states()[pod];
    String mark =
        state == null
            ? (s.links()[pod] == 0 ? "-" : "X")
            : state == RoutingState.READY ? "" : state == RoutingState.DENY_NEW_CALL ? "D" : "S";
    if (state == null && s.links()[pod] == 0) {
      return "-";
    }
    return mark + n(s.links()[pod]) + " (" + n(s.load()[pod]) + ")";
  }

  private static String span(PhaseResult p) {
    return sec(p.startMillis()) + "-" + sec(p.endMillis()) + " s";
  }

  static String latency(long[] nanos) {
    return String.format(
        Locale.ROOT, "%s / %s / %s us", micros(nanos[0]), micros(nanos[1]), micros(nanos[2]));
  }

  private static String micros(long nanos) {
    double us = nanos / 1000.0;
    return us >= 100
        ? String.format(Locale.ROOT, "%.0f", us)
        : String.format(Locale.ROOT, "%.1f", us);
  }

  static String sec(long millis) {
    return millis % 1000 == 0
        ? Long.toString(millis / 1000)
        : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }

  static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  private static void line(StringBuilder b, String format, Object... args) {
    b.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
