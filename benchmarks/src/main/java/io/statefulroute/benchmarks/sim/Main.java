package io.statefulroute.benchmarks.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The README's main job: {@code mvn -q -B -pl benchmarks exec:java}, options through {@code
 * -Dexec.args="..."} ({@code --help} lists them). Exit status: 0 done, 1 the run failed, 2 bad
 * options.
 */
public final class Main {
  /**
   * Caffeine logs every failed cache computation at WARNING; in a simulated crash those are
   * expected typed errors ({@code NoAvailablePodException}), counted in the report instead.
   */
  private static final Logger CAFFEINE = Logger.getLogger("com.github.benmanes.caffeine");

  private Main() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs with {@code args}; the report goes to {@code out}, progress and errors to {@code err}. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (SimulationOptions.wantsHelp(args)) {
      out.println(SimulationOptions.USAGE);
      return 0;
    }
    CAFFEINE.setLevel(Level.SEVERE);
    SimulationOptions options;
    try {
      options = SimulationOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    try {
      if (options.compareSelectors()) {
        List<SimulationResult> results = SelectorComparison.run(options, err);
        out.print(SelectorComparison.render(results, true));
        return 0;
      }
      ProgressLine progress = ProgressLine.to(err, options.duration().toMillis());
      SimulationResult result = new Simulation(options, progress).run();
      out.print(TerminalReport.render(result, true));
      if (options.html().isPresent()) {
        write(options.html().get(), HtmlReport.render(result), out);
      }
      return 0;
    } catch (IllegalStateException | IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private static void write(Path file, String html, PrintStream out) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, html);
    out.println("HTML report: " + file.toAbsolutePath());
  }
}
