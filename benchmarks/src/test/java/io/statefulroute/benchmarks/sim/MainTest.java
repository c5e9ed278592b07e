package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit statuses, the report, the HTML file, the strategy table. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void help_printsUsageAndSucceeds() {
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("usage:", "--compare-selectors", "--redis URL|local");
  }

  @Test
  void badOption_exitsTwoWithTheReason() {
    assertThat(run("--pods", "1")).isEqualTo(2);
    assertThat(err()).contains("error: --pods must be in 3..64: 1");
    assertThat(out()).isEmpty();
  }

  @Test
  void unreachableRedis_exitsOneWithTheReason() {
    assertThat(run("--redis", "redis://127.0.0.1:1")).isEqualTo(1);
    assertThat(err()).contains("error: cannot use Redis at redis://127.0.0.1:1");
  }

  @Test
  void run_printsTheReportAndWritesSelfContainedHtml(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("report/sim.html");
    assertThat(
            run("--users", "500", "--rate", "200", "--duration", "36s", "--html", html.toString()))
        .isZero();
    assertThat(out())
        .contains(
            "traffic",
            "steady",
            "scale-out",
            "drain",
            "crash",
            "recovery",
            "CV links",
            "compute p50 / p99 / p99.9",
            "crash: pod 2 stopped publishing at 15.4 s",
            "total: 7,200 requests",
            "HTML report: ",
            "performance analysis (7 rules");
    assertThat(err()).contains("[ 36s/36s] store fault"); // the progress line (not a terminal)
    String page = Files.readString(html);
    assertThat(page)
        .startsWith("<!DOCTYPE html>")
        .contains(
            "<svg",
            "Links per pod",
            "Load per pod",
            "stroke-dasharray",
            "CV load",
            "total: 7,200 requests",
            "Performance analysis",
            "performance analysis (7 rules");
    assertThat(page.split("<svg", -1)).hasSize(5); // four charts
    // self-contained: nothing to fetch (the only URL is the SVG namespace)
    assertThat(page.replace("http://www.w3.org/2000/svg", ""))
        .doesNotContain("http://", "https://", "<script", "<link", "src=");
  }

  @Test
  void adminPortInUse_exitsOneWithTheReason() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(
              run(
                  "--admin-port",
                  String.valueOf(taken.getLocalPort()),
                  "--users",
                  "100",
                  "--duration",
                  "36s"))
          .isEqualTo(1);
      assertThat(err())
          .contains("error: cannot serve the admin endpoint on 127.0.0.1:" + taken.getLocalPort());
      assertThat(out()).isEmpty();
    }
  }

  @Test
  void compareSelectors_printsOneRowPerStrategy() {
    assertThat(run("--compare-selectors", "--users", "300", "--rate", "100", "--duration", "36s"))
        .isZero();
    String table = out();
    for (String name : SelectorComparison.SELECTORS) {
      assertThat(table).containsPattern("(?m)^" + name + " +\\d");
    }
    assertThat(table).contains("CV links s-o", "misroutes", "max CV load", "s-o/random");
    assertThat(table).containsPattern("(?m)^random .* 1\\.00x ");
    assertThat(err()).contains("random_no_band done (10 of 10)");
  }
}
