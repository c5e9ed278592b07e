package io.statefulroute.observability.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Each built-in rule, with a registry filled to trip it and one filled not to. */
class PerformanceAnalyzerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private void computes(String service, String outcome, double n) {
    Counter.builder("statefulroute.client.compute")
        .tags(
            "namespace",
            "ns",
            "service",
            service,
            "outcome",
            outcome,
            "exception",
            outcome.equals("error") ? "StoreTimeoutException" : "none")
        .register(registry)
        .increment(n);
  }

  private void calls(MeterRegistry r, String op, String outcome, int n, Duration each) {
    Timer t =
        Timer.builder("statefulroute.executor.call")
            .tags(
                "operation",
                op,
                "outcome",
                outcome,
                "exception",
                outcome.equals("error") ? "StoreTimeoutException" : "none")
            .publishPercentileHistogram(r instanceof PrometheusMeterRegistry)
            .register(r);
    for (int i = 0; i < n; i++) {
      t.record(each);
    }
  }

  private static List<Finding> run(AnalysisRule rule, MeterRegistry r) {
    return PerformanceAnalyzer.builder(r).rules(List.of(rule)).build().analyze().findings();
  }

  @Test
  void lowCacheHitRatio_tripsBelowTheRatio_only() {
    computes("good", "hit", 950);
    computes("good", "linked", 50);
    computes("bad", "hit", 300);
    computes("bad", "linked", 700);
    computes("few", "linked", 10); // under the minimum: not judged
    List<Finding> f = run(Rules.lowCacheHitRatio(0.8, 100), registry);
    assertThat(f)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.rule()).isEqualTo("low_cache_hit_ratio");
              assertThat(x.subject()).isEqualTo("ns/bad");
              assertThat(x.measured()).isEqualTo(0.3);
              assertThat(x.threshold()).isEqualTo(0.8);
              assertThat(x.severity()).isEqualTo(Severity.CRITICAL); // below half the floor
              assertThat(x.suggestion()).contains("cacheMaximumSize");
            });
  }

  @Test
  void slowExecutorCalls_usesTheHistogramP99_whenThereIsOne() {
    PrometheusMeterRegistry prom = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    calls(prom, "set_link_if_absent", "success", 98, Duration.ofMillis(1));
    calls(prom, "set_link_if_absent", "success", 2, Duration.ofMillis(500)); // p99 is slow
    calls(prom, "get_link", "success", 1000, Duration.ofMillis(1));
    calls(prom, "get_link", "success", 1, Duration.ofMillis(900)); // only the max is slow
    List<Finding> f = run(Rules.slowExecutorCalls(Duration.ofMillis(20)), prom);
    assertThat(f)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.rule()).isEqualTo("slow_executor_calls");
              assertThat(x.subject()).isEqualTo("set_link_if_absent");
              assertThat(x.measured()).isGreaterThan(20);
              assertThat(x.message()).contains("p99");
            });
  }

  @Test
  void slowExecutorCalls_withoutHistogram_judgesTheMax() {
    calls(registry, "read_state", "success", 10, Duration.ofMillis(2));
    assertThat(run(Rules.slowExecutorCalls(Duration.ofMillis(20)), registry)).isEmpty();
    calls(registry, "read_state", "success", 1, Duration.ofMillis(50));
    assertThat(run(Rules.slowExecutorCalls(Duration.ofMillis(20)), registry))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.measured()).isEqualTo(50);
              assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
              assertThat(x.message()).contains("max (no histogram");
            });
  }

  /**
   * The rule reads the meter every executor call is timed by, {@code statefulroute.executor.call}
   * ({@code statefulroute_executor_call_seconds} in Prometheus), plain reads as well as scripts.
   */
  @Test
  void slowExecutorCalls_readsTheExecutorCallMeter_plainReadsIncluded() {
    PrometheusMeterRegistry prom = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Timer old =
        Timer.builder("statefulroute.executor.script") // the meter's former name
            .tags("operation", "read_state", "outcome", "success", "exception", "none")
            .register(prom);
    old.record(Duration.ofMillis(500));
    assertThat(run(Rules.slowExecutorCalls(Duration.ofMillis(20)), prom)).isEmpty();

    calls(prom, "get_link", "success", 10, Duration.ofMillis(300)); // a GET, not a script
    calls(prom, "batch_get_links", "success", 10, Duration.ofMillis(300)); // MGETs
    assertThat(prom.scrape())
        .contains(
            "statefulroute_executor_call_seconds_bucket{",
            "statefulroute_executor_call_seconds_count{");
    assertThat(run(Rules.slowExecutorCalls(Duration.ofMillis(20)), prom))
        .allSatisfy(x -> assertThat(x.rule()).isEqualTo("slow_executor_calls"))
        .extracting(Finding::subject)
        .containsExactly("batch_get_links", "get_link");
  }

  @Test
  void highErrorRatio_tripsForExecutorOperationsAndComputes() {
    calls(registry, "get_link", "success", 990, Duration.ofMillis(1));
    calls(registry, "get_link", "error", 10, Duration.ofMillis(1)); // 1 %: at the limit
    calls(registry, "replace_link", "success", 90, Duration.ofMillis(1));
    calls(registry, "replace_link", "error", 10, Duration.ofMillis(1)); // 10 %
    computes("svc", "hit", 100);
    computes("svc", "error", 50);
    List<Finding> f = run(Rules.highErrorRatio(0.01, 100), registry);
    assertThat(f)
        .extracting(Finding::subject)
        .containsExactly("compute ns/svc", "operation replace_link");
    assertThat(f.get(1).measured()).isEqualTo(0.1);
  }

  @Test
  void staleState_tripsOnAnOldRefresh() {
    AtomicLong ageMillis = new AtomicLong(1_000);
    TimeGauge.builder(
            "statefulroute.state.refresh.age", ageMillis, TimeUnit.MILLISECONDS, AtomicLong::get)
        .tags("namespace", "ns", "service", "svc")
        .register(registry);
    AnalysisRule rule = Rules.staleState(Duration.ofSeconds(5));
    assertThat(run(rule, registry)).isEmpty();
    ageMillis.set(8_000);
    assertThat(run(rule, registry))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.measured()).isEqualTo(8.0);
              assertThat(x.threshold()).isEqualTo(5.0);
              assertThat(x.unit()).isEqualTo("s");
              assertThat(x.severity()).isEqualTo(Severity.WARNING);
            });
  }

  @Test
  void loadImbalance_tripsAboveTheCoefficient() {
    double[] cv = {0.2};
    Gauge.builder("statefulroute.state.load.imbalance", cv, a -> a[0])
        .tags("namespace", "ns", "service", "svc")
        .register(registry);
    assertThat(run(Rules.loadImbalance(0.5), registry)).isEmpty();
    cv[0] = 0.7;
    assertThat(run(Rules.loadImbalance(0.5), registry))
        .singleElement()
        .satisfies(x -> assertThat(x.suggestion()).contains("band"));
  }

  @Test
  void publishFailures_tripAboveTheRatio() {
    Timer ok =
        Timer.builder("statefulroute.server.publish")
            .tags("namespace", "ns", "service", "svc", "outcome", "success", "exception", "none")
            .register(registry);
    Timer failed =
        Timer.builder("statefulroute.server.publish")
            .tags(
                "namespace",
                "ns",
                "service",
                "svc",
                "outcome",
                "failure",
                "exception",
                "StoreUnavailableException")
            .register(registry);
    for (int i = 0; i < 99; i++) {
      ok.record(Duration.ofMillis(1));
    }
    failed.record(Duration.ofMillis(1));
    assertThat(run(Rules.publishFailures(0.05, 10), registry)).isEmpty();
    for (int i = 0; i < 20; i++) {
      failed.record(Duration.ofMillis(1));
    }
    assertThat(run(Rules.publishFailures(0.05, 10), registry))
        .singleElement()
        .satisfies(x -> assertThat(x.subject()).isEqualTo("ns/svc"));
  }

  @Test
  void frequentRelinks_tripAboveTheRatio() {
    computes("svc", "hit", 900);
    computes("svc", "relinked", 20);
    assertThat(run(Rules.frequentRelinks(0.05, 100), registry)).isEmpty();
    computes("svc", "relinked", 200);
    assertThat(run(Rules.frequentRelinks(0.05, 100), registry))
        .singleElement()
        .satisfies(x -> assertThat(x.rule()).isEqualTo("frequent_relinks"));
  }

  @Test
  void defaults_onAnEmptyRegistry_findNothing() {
    AnalysisReport report = PerformanceAnalyzer.builder(registry).build().analyze();
    assertThat(report.rules())
        .containsExactly(
            "low_cache_hit_ratio",
            "slow_executor_calls",
            "high_error_ratio",
            "stale_state",
            "load_imbalance",
            "publish_failures",
            "frequent_relinks");
    assertThat(report.findings()).isEmpty();
    assertThat(report.worstSeverity()).isEmpty();
    assertThat(report.toText()).contains("no findings");
  }

  @Test
  void customRule_isEvaluated_andAFailingRuleIsReported() {
    AnalysisRule custom =
        new AnalysisRule() {
          @Override
          public String id() {
            return "always";
          }

          @Override
          public String description() {
            return "always finds one thing";
          }

          @Override
          public List<Finding> evaluate(MeterRegistry r) {
            return List.of(
                new Finding(
                    id(),
                    Severity.INFO,
                    "everything",
                    1,
                    0,
                    "count",
                    "found \"it\"",
                    "do nothing"));
          }
        };
    AnalysisRule broken =
        new AnalysisRule() {
          @Override
          public String id() {
            return "broken";
          }

          @Override
          public String description() {
            return "throws";
          }

          @Override
          public List<Finding> evaluate(MeterRegistry r) {
            throw new IllegalStateException("boom");
          }
        };
    computes("svc", "linked", 1000);
    Clock fixed = Clock.fixed(Instant.parse("2026-11-28T03:00:00Z"), ZoneOffset.UTC);
    AnalysisReport report =
        PerformanceAnalyzer.builder(registry)
            .rule(custom)
            .rule(broken)
            .clock(fixed)
            .build()
            .analyze();
    assertThat(report.findings())
        .extracting(Finding::rule)
        .containsExactly("low_cache_hit_ratio", "always"); // most severe first
    assertThat(report.failures()).containsExactly("broken: java.lang.IllegalStateException: boom");
    assertThat(report.worstSeverity()).contains(Severity.CRITICAL);
    assertThat(report.toJson())
        .startsWith(
            "{\"generatedAt\":\"2026-11-28T03:00:00Z\",\"since\":null," + "\"status\":\"CRITICAL\"")
        .contains(
            "{\"rule\":\"always\",\"severity\":\"INFO\",\"subject\":\"everything\","
                + "\"measured\":1,\"threshold\":0,\"unit\":\"count\","
                + "\"message\":\"found \\\"it\\\"\","
                + "\"suggestion\":\"do nothing\"}")
        .contains("\"failures\":[\"broken: java.lang.IllegalStateException: boom\"]");
    assertThat(report.toText())
        .contains("counts since the meters started")
        .contains("[CRITICAL] low_cache_hit_ratio on ns/svc")
        .contains("measured 0 ratio, threshold 0.8000 ratio")
        .contains("[RULE FAILED] broken");
  }

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-11-28T03:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** A day of good traffic does not hide the errors of the last minutes, unless cumulative. */
  @Test
  void window_errorsOfTheLastMinutes_areJudgedAlone() {
    TestClock clock = new TestClock();
    PerformanceAnalyzer windowed =
        PerformanceAnalyzer.builder(registry)
            .rules(List.of(Rules.highErrorRatio(0.01, 100)))
            .clock(clock)
            .build();
    PerformanceAnalyzer cumulative =
        PerformanceAnalyzer.builder(registry)
            .rules(List.of(Rules.highErrorRatio(0.01, 100)))
            .clock(clock)
            .cumulative()
            .build();
    computes("svc", "hit", 1_000_000);
    assertThat(windowed.analyze().findings()).isEmpty();
    assertThat(windowed.analyze().since()).isNull(); // not one window old yet: since the start

    clock.advance(Duration.ofMinutes(6));
    computes("svc", "hit", 800);
    computes("svc", "error", 200);

    AnalysisReport report = windowed.analyze();
    assertThat(report.since()).isEqualTo(Instant.parse("2026-11-28T03:00:00Z"));
    assertThat(report.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.subject()).isEqualTo("compute ns/svc");
              assertThat(f.measured()).isEqualTo(0.2);
              assertThat(f.message()).contains("(200 of 1000)");
            });
    assertThat(report.toText()).contains("counts since 2026-11-28T03:00:00Z");
    assertThat(cumulative.analyze().findings()).isEmpty(); // 200 of 1,001,000
    assertThat(windowed.window()).contains(Duration.ofMinutes(5));
    assertThat(cumulative.window()).isEmpty();
  }

  /** A warm-up spike stops being a finding once it is a window old. */
  @Test
  void window_slowWarmUp_isForgottenAfterAWindow() {
    TestClock clock = new TestClock();
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PerformanceAnalyzer analyzer =
        PerformanceAnalyzer.builder(prometheus)
            .rules(List.of(Rules.slowExecutorCalls(Duration.ofMillis(20))))
            .clock(clock)
            .window(Duration.ofMinutes(1))
            .build();
    calls(prometheus, "set_link_if_absent", "success", 50, Duration.ofMillis(400));
    calls(prometheus, "set_link_if_absent", "success", 950, Duration.ofMillis(1));
    assertThat(analyzer.analyze().findings())
        .extracting(Finding::rule)
        .containsExactly("slow_executor_calls");

    clock.advance(Duration.ofSeconds(61));
    calls(prometheus, "set_link_if_absent", "success", 1000, Duration.ofMillis(1));

    assertThat(analyzer.analyze().findings()).isEmpty();
  }

  /** Counts that went down (a re-created meter, a step registry) are taken as restarted. */
  @Test
  void window_aCountBelowTheWindowStart_isTakenAsRestarted() {
    TestClock clock = new TestClock();
    PerformanceAnalyzer analyzer =
        PerformanceAnalyzer.builder(registry)
            .rules(List.of(Rules.lowCacheHitRatio(0.8, 100)))
            .clock(clock)
            .build();
    computes("svc", "hit", 5000);
    analyzer.analyze();
    registry.clear();
    clock.advance(Duration.ofMinutes(6));
    computes("svc", "hit", 100);
    computes("svc", "linked", 900);

    assertThat(analyzer.analyze().findings())
        .singleElement()
        .satisfies(f -> assertThat(f.measured()).isEqualTo(0.1));
  }

  /** Analyses every second for an hour keep about one reading per sixteenth of the window. */
  @Test
  void window_keepsABoundedNumberOfReadings() {
    TestClock clock = new TestClock();
    PerformanceAnalyzer analyzer = PerformanceAnalyzer.builder(registry).clock(clock).build();
    computes("svc", "hit", 1000);
    for (int i = 0; i < 3600; i++) {
      analyzer.analyze();
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(analyzer.readingsKept()).isBetween(2, PerformanceAnalyzer.READINGS_PER_WINDOW + 2);
    assertThatThrownBy(() -> PerformanceAnalyzer.builder(registry).window(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
  }

  @Test
  void builder_rejectsDuplicateIdsAndBadThresholds() {
    assertThatThrownBy(
            () -> PerformanceAnalyzer.builder(registry).rule(Rules.loadImbalance(0.3)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("load_imbalance");
    assertThatThrownBy(() -> Rules.lowCacheHitRatio(1.5, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Rules.slowExecutorCalls(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reports_arePeriodic_inVirtualTime() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    PerformanceAnalyzer analyzer = PerformanceAnalyzer.builder(registry).build();
    StepVerifier.withVirtualTime(
            () -> analyzer.reports(Duration.ofSeconds(10), clock).take(3),
            () -> clock,
            Long.MAX_VALUE)
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(10))
        .assertNext(r -> assertThat(r.findings()).isEmpty())
        .then(() -> computes("svc", "linked", 1000))
        .thenAwait(Duration.ofSeconds(10))
        .assertNext(
            r ->
                assertThat(r.findings())
                    .extracting(Finding::rule)
                    .containsExactly("low_cache_hit_ratio"))
        .thenAwait(Duration.ofSeconds(10))
        .expectNextCount(1)
        .verifyComplete();
    assertThat(analyzer.latest().findings()).hasSize(1);
  }
}
