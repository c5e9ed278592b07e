package io.statefulroute.benchmarks.sim;

import java.io.PrintStream;

/**
 * The line shown while the simulation runs: time, phase, requests per second, errors. On a terminal
 * it rewrites itself in place every second; otherwise (a pipe, a CI log) it prints one line per
 * phase boundary and every ten seconds.
 */
final class ProgressLine {
  private final PrintStream out;
  private final boolean inPlace;
  private final long durationMillis;
  private long errors;
  private long misroutes;
  private int width;

  /**
   * @param out where to write ({@code null}: nowhere)
   */
  ProgressLine(PrintStream out, boolean inPlace, long durationMillis) {
    this.out = out;
    this.inPlace = inPlace;
    this.durationMillis = durationMillis;
  }

  /** To {@code out}, in place when {@code out} is the standard error of a terminal. */
  @SuppressWarnings("SystemConsoleNull") // Java 17: no console means no terminal
  static ProgressLine to(PrintStream out, long durationMillis) {
    return new ProgressLine(out, out == System.err && System.console() != null, durationMillis);
  }

  static ProgressLine none() {
    return new ProgressLine(null, false, 0);
  }

  /** One second (or a phase boundary) has passed; {@code s} holds that second's counts. */
  void update(Sample s, long misroutesSoFar, boolean boundary) {
    errors += s.errors();
    misroutes = misroutesSoFar;
    if (out == null) {
      return;
    }
    String line =
        String.format(
            "[%3ds/%ds] %-9s %6d req/s  errors %d  misroutes %d",
            s.atMillis() / 1000,
            durationMillis / 1000,
            s.phase().label(),
            s.requests(),
            errors,
            misroutes);
    if (inPlace) {
      out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
      out.flush();
    } else if (boundary || s.atMillis() % 10_000 == 0) {
      out.println(line);
    }
  }

  /** A line of its own (before the progress starts), e.g. where the admin endpoint listens. */
  void message(String text) {
    if (out != null) {
      out.println(text);
      out.flush();
    }
  }

  void done() {
    if (out != null && inPlace) {
      out.println();
    }
  }
}
