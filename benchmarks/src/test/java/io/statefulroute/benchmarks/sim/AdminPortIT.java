package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.test.redis.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --admin-port} end to end: a paced run through {@link Main}, its admin endpoint fetched
 * over real HTTP while the phases go by, then the report with the analyzer's findings.
 */
class AdminPortIT {
  private static final Pattern URL =
      Pattern.compile("admin endpoint: (http://127\\.0\\.0\\.1:\\d+)");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService runner = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() throws InterruptedException {
    runner.shutdownNow();
    runner.awaitTermination(60, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String url) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void adminPort_servesRoutesAndMetricsDuringTheRun_andTheReportHasTheFindings(@TempDir Path dir)
      throws Exception {
    Path html = dir.resolve("sim.html");
    // 36 s of timeline at 3x: about 12 s, each phase about 2 s (longer on a slow machine, never
    // shorter: the pacer only waits)
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {
                      "--admin-port",
                      "0",
                      "--speed",
                      "3",
                      "--users",
                      "500",
                      "--rate",
                      "200",
                      "--duration",
                      "36s",
                      "--html",
                      html.toString()
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)),
            runner);

    AtomicReference<String> base = new AtomicReference<>();
    Poll.until(
        Duration.ofSeconds(60),
        "the admin endpoint's URL on stderr",
        () -> {
          Matcher m = URL.matcher(err.toString(StandardCharsets.UTF_8));
          if (m.find()) {
            base.set(m.group(1));
          }
          return base.get() != null || run.isDone();
        });
    assertThat(base.get()).as("stderr: %s", err.toString(StandardCharsets.UTF_8)).isNotNull();
    String routes = base.get() + "/routes/sim/" + Simulation.SERVICE;
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            routes,
            "/metrics",
            "/health",
            "/analysis?format=text",
            "/links/sim/user-0?service=game",
            "runs at 3x real time");

    // steady: the four pods, READY; scale-out: pod 4 joins; drain: pod 1 DENY_NEW_CALL
    AtomicReference<String> table = new AtomicReference<>("");
    Poll.until(
        Duration.ofSeconds(60),
        "pods 0..3 in /routes",
        () -> {
          table.set(get(routes).body());
          return table.get().contains("\"pod\":3");
        });
    assertThat(table.get())
        .contains(
            "\"namespace\":\"sim\"",
            "\"service\":\"game\"",
            "\"pod\":0",
            "\"pod\":1",
            "\"pod\":2",
            "\"routingState\":\"READY\"",
            "\"available\"");
    Poll.until(
        Duration.ofSeconds(60),
        "pod 4 joining in /routes",
        () -> get(routes).body().contains("\"pod\":4"));
    Poll.until(
        Duration.ofSeconds(60),
        "pod 1 draining in /routes",
        () -> get(routes).body().contains("\"routingState\":\"DENY_NEW_CALL\""));

    HttpResponse<String> metrics = get(base.get() + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(metrics.body())
        .contains(
            "statefulroute_client_compute_total{",
            "outcome=\"hit\"",
            "statefulroute_client_cache_size{client=\"gw-0\"}",
            "statefulroute_client_cache_size{client=\"gw-1\"}",
            "statefulroute_executor_call_seconds_count{",
            "operation=\"set_link_if_absent\"",
            "statefulroute_server_publish_seconds_count{",
            "statefulroute_state_pods_available{namespace=\"sim\",service=\"game\"}",
            "statefulroute_placement_decisions_total{");
    HttpResponse<String> analysis = get(base.get() + "/analysis?format=json");
    assertThat(analysis.statusCode()).isEqualTo(200);
    assertThat(analysis.body()).contains("\"rules\"", "\"low_cache_hit_ratio\"", "\"findings\"");
    HttpResponse<String> health = get(base.get() + "/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"", "state sim/game");
    HttpResponse<String> links = get(base.get() + "/links/sim/user-0?service=game");
    assertThat(links.statusCode()).isEqualTo(200);
    assertThat(links.body()).containsPattern("\"links\":\\{\"game\":\\d");
    assertThat(run).as("all of the above while the run lasts").isNotDone();

    assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(report)
        .contains(
            "total: 7,200 requests",
            "(paced at 3x)",
            "performance analysis (7 rules over the run's meters at its end");
    assertThat(report).containsPattern("\\): (no findings|\\d+ findings?)");
    assertThat(Files.readString(html)).contains("<h2>Performance analysis</h2>");
    // the endpoint lives as long as the run
    assertThatThrownBy(() -> get(routes)).isInstanceOf(UncheckedIOException.class); // refused
  }
}
