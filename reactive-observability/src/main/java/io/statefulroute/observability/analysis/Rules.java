package io.statefulroute.observability.analysis;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.statefulroute.core.spi.Args;
import io.statefulroute.observability.StatefulRouteMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The built-in {@link AnalysisRule}s, each with its threshold. A finding is a {@link
 * Severity#WARNING} past the threshold and {@link Severity#CRITICAL} past twice the threshold (or
 * below half of it, for the hit-ratio floor). Ratios and percentiles are over the analyzer's window
 * ({@link MeterReadings}); rules with a {@code minimum} skip services with fewer events than that
 * in the window (too few to judge).
 */
public final class Rules {
  private Rules() {}

  /** Every built-in rule with its default threshold. */
  public static List<AnalysisRule> defaults() {
    return List.of(
        lowCacheHitRatio(0.80, 100),
        slowExecutorCalls(Duration.ofMillis(20)),
        highErrorRatio(0.01, 100),
        staleState(Duration.ofSeconds(5)),
        loadImbalance(0.5),
        publishFailures(0.05, 10),
        frequentRelinks(0.05, 100));
  }

  /** Computes answered from the cache below {@code minRatio} (of at least {@code minimum}). */
  public static AnalysisRule lowCacheHitRatio(double minRatio, long minimum) {
    Args.ratio("minRatio", minRatio);
    return new RatioRule(
        "low_cache_hit_ratio",
        "cache hits per compute below " + minRatio + " (services with >= " + minimum + " computes)",
        StatefulRouteMeters.CLIENT_COMPUTE,
        "hit",
        minRatio,
        minimum,
        false,
        (subject, ratio) ->
            "only "
                + percent(ratio)
                + " of computes of "
                + subject
                + " were answered from the link cache",
        "raise ClientOptions.cacheMaximumSize if statefulroute.client.cache.evictions grows, "
            + "or cacheExpireAfterWrite (below leaseTtl); check that pods are not flapping out "
            + "of the routable set (statefulroute.state.pods.routable)");
  }

  /** Executor calls whose p99 (histogram) or max (without histogram) exceeds {@code p99}. */
  public static AnalysisRule slowExecutorCalls(Duration p99) {
    Args.positive("p99", p99);
    return new SlowExecutorCalls(p99.toNanos() / 1e6);
  }

  /** Executor calls or computes failing with an error above {@code maxRatio}. */
  public static AnalysisRule highErrorRatio(double maxRatio, long minimum) {
    Args.ratio("maxRatio", maxRatio);
    return new ErrorRatio(maxRatio, minimum);
  }

  /** Services whose last successful state read is older than {@code maxAge}. */
  public static AnalysisRule staleState(Duration maxAge) {
    Args.positive("maxAge", maxAge);
    return new GaugeRule(
        "stale_state",
        "last successful state read older than " + maxAge.toMillis() / 1000.0 + " s",
        StatefulRouteMeters.STATE_REFRESH_AGE,
        maxAge.toNanos() / 1e9,
        "s",
        subject -> "the state of " + subject + " was last read successfully a while ago",
        "check that the client reaches Redis (statefulroute.state.refresh outcome=failure, "
            + "/health) and that refreshPeriod is below stateExpiry; until it recovers the view "
            + "is treated as empty and no uid can be placed");
  }

  /** Services whose available pods' loads vary more than {@code maxCv} (stddev / mean). */
  public static AnalysisRule loadImbalance(double maxCv) {
    Args.positive("maxCv", maxCv);
    return new GaugeRule(
        "load_imbalance",
        "coefficient of variation of available pods' loads above " + maxCv,
        StatefulRouteMeters.STATE_LOAD_IMBALANCE,
        maxCv,
        "cv",
        subject -> "the loads of the pods of " + subject + " are unevenly spread",
        "lower the band (StateCacheOptions.band) so new uids go to the lightest pods, use "
            + "least_load or power_of_two instead of round_robin/random, or move long-lived "
            + "links with a drain (DENY_NEW_CALL) of the heaviest pod");
  }

  /** Publication attempts failing above {@code maxRatio} (of at least {@code minimum}). */
  public static AnalysisRule publishFailures(double maxRatio, long minimum) {
    Args.ratio("maxRatio", maxRatio);
    return new RatioRule(
        "publish_failures",
        "failed state publications per attempt above " + maxRatio,
        StatefulRouteMeters.SERVER_PUBLISH,
        "failure",
        maxRatio,
        minimum,
        true,
        (subject, ratio) -> percent(ratio) + " of the state publications of " + subject + " failed",
        "check the pods' connection to Redis and the executor's commandTimeout; a pod whose "
            + "publications keep failing goes stale after stateExpiry and loses its new uids");
  }

  /** Computes that moved a link off a dead pod above {@code maxRatio}. */
  public static AnalysisRule frequentRelinks(double maxRatio, long minimum) {
    Args.ratio("maxRatio", maxRatio);
    return new RatioRule(
        "frequent_relinks",
        "computes that moved a link per compute above " + maxRatio,
        StatefulRouteMeters.CLIENT_COMPUTE,
        "relinked",
        maxRatio,
        minimum,
        true,
        (subject, ratio) ->
            percent(ratio)
                + " of the computes of "
                + subject
                + " moved a link off a pod that was not routable",
        "pods of this service stop or go stale often: check their publication (publish_failures, "
            + "stale_state), raise stateExpiry if pods are only slow to publish, and drain pods "
            + "with ServerDriver.stop() rather than killing them");
  }

  // --------------------------------------------------------------------------- machinery

  static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  static Severity severity(double measured, double threshold, boolean higherIsWorse) {
    if (higherIsWorse) {
      return measured > 2 * threshold ? Severity.CRITICAL : Severity.WARNING;
    }
    return measured < threshold / 2 ? Severity.CRITICAL : Severity.WARNING;
  }

  static String subject(Meter m) {
    return m.getId().getTag("namespace") + "/" + m.getId().getTag("service");
  }

  /** A ratio of events with one outcome per service, above or below a threshold. */
  private record RatioRule(
      String id,
      String description,
      StatefulRouteMeters meter,
      String outcome,
      double threshold,
      long minimum,
      boolean higherIsWorse,
      BiFunction<String, Double, String> message,
      String suggestion)
      implements AnalysisRule {
    @Override
    public List<Finding> evaluate(MeterRegistry registry) {
      return evaluate(MeterReadings.cumulative(registry));
    }

    @Override
    public List<Finding> evaluate(MeterReadings readings) {
      Map<String, double[]> bySubject = new TreeMap<>(); // subject -> {outcome, total}
      for (Meter m : readings.registry().find(meter.meterName()).meters()) {
        double[] acc = bySubject.computeIfAbsent(subject(m), s -> new double[2]);
        double n = readings.count(m);
        acc[1] += n;
        if (outcome.equals(m.getId().getTag("outcome"))) {
          acc[0] += n;
        }
      }
      List<Finding> out = new ArrayList<>();
      bySubject.forEach(
          (subject, acc) -> {
            if (acc[1] < minimum || acc[1] == 0) {
              return;
            }
            double ratio = acc[0] / acc[1];
            if (higherIsWorse ? ratio > threshold : ratio < threshold) {
              out.add(
                  new Finding(
                      id,
                      severity(ratio, threshold, higherIsWorse),
                      subject,
                      ratio,
                      threshold,
                      "ratio",
                      message.apply(subject, ratio)
                          + " ("
                          + (long) acc[0]
                          + " of "
                          + (long) acc[1]
                          + ")",
                      suggestion));
            }
          });
      return out;
    }
  }

  /** A per-service gauge above a threshold. */
  private record GaugeRule(
      String id,
      String description,
      StatefulRouteMeters meter,
      double threshold,
      String unit,
      Function<String, String> message,
      String suggestion)
      implements AnalysisRule {
    @Override
    public List<Finding> evaluate(MeterRegistry registry) {
      List<Finding> out = new ArrayList<>();
      for (Meter m : registry.find(meter.meterName()).meters()) {
        double v;
        if (m instanceof TimeGauge tg) {
          v = tg.value(TimeUnit.SECONDS);
        } else if (m instanceof Gauge g) {
          v = g.value();
        } else {
          continue;
        }
        if (v > threshold) {
          String subject = subject(m);
          out.add(
              new Finding(
                  id,
                  severity(v, threshold, true),
                  subject,
                  v,
                  threshold,
                  unit,
                  message.apply(subject),
                  suggestion));
        }
      }
      out.sort(Comparator.comparing(Finding::subject));
      return out;
    }
  }

  /** Executor operations whose p99 (or max) exceeds the threshold. */
  private record SlowExecutorCalls(double thresholdMillis) implements AnalysisRule {
    @Override
    public String id() {
      return "slow_executor_calls";
    }

    @Override
    public String description() {
      return "executor call p99 (max without histograms) above " + thresholdMillis + " ms";
    }

    @Override
    public List<Finding> evaluate(MeterRegistry registry) {
      return evaluate(MeterReadings.cumulative(registry));
    }

    /**
     * The p99 from the window's histogram buckets; without buckets the timer's max, which
     * Micrometer already keeps over a short rolling window of its own.
     */
    @Override
    public List<Finding> evaluate(MeterReadings readings) {
      Map<String, double[]> byOp = new TreeMap<>(); // op -> {worst ms, from histogram 1/0}
      for (Timer t :
          readings.registry().find(StatefulRouteMeters.EXECUTOR_CALL.meterName()).timers()) {
        double count = readings.count(t);
        if (count == 0) {
          continue;
        }
        double p99 = p99Millis(readings.histogram(t), count, t);
        boolean histogram = !Double.isNaN(p99);
        double v = histogram ? p99 : t.max(TimeUnit.MILLISECONDS);
        double[] acc =
            byOp.computeIfAbsent(t.getId().getTag("operation"), k -> new double[] {0, 1});
        acc[0] = Math.max(acc[0], v);
        if (!histogram) {
          acc[1] = 0;
        }
      }
      List<Finding> out = new ArrayList<>();
      byOp.forEach(
          (op, acc) -> {
            if (acc[0] > thresholdMillis) {
              String what =
                  acc[1] == 1
                      ? "p99"
                      : "max (no histogram; enable percentileHistograms " + "for a p99)";
              out.add(
                  new Finding(
                      id(),
                      severity(acc[0], thresholdMillis, true),
                      op,
                      acc[0],
                      thresholdMillis,
                      "ms",
                      "executor operation "
                          + op
                          + " is slow: "
                          + what
                          + " "
                          + AnalysisReport.format(acc[0])
                          + " ms",
                      "check Redis itself (SLOWLOG GET, LATENCY DOCTOR, CPU shared with the "
                          + "clients), the network round trip, and large batches "
                          + "(RedisExecutorOptions.batchSize); "
                          + "scripts are O(1) per uid, so a slow one usually means a busy server"));
            }
          });
      return out;
    }

    /** The p99 from cumulative buckets of {@code count} events, NaN without buckets. */
    static double p99Millis(CountAtBucket[] buckets, double count, Timer t) {
      if (buckets.length == 0 || count == 0) {
        return Double.NaN;
      }
      double target = 0.99 * count;
      for (CountAtBucket b : buckets) {
        if (b.count() >= target) {
          return b.bucket(TimeUnit.MILLISECONDS);
        }
      }
      return t.max(TimeUnit.MILLISECONDS);
    }
  }

  /** Error ratios of executor operations and of computes. */
  private record ErrorRatio(double maxRatio, long minimum) implements AnalysisRule {
    @Override
    public String id() {
      return "high_error_ratio";
    }

    @Override
    public String description() {
      return "failed executor calls or computes (outcome error) per call above " + maxRatio;
    }

    @Override
    public List<Finding> evaluate(MeterRegistry registry) {
      return evaluate(MeterReadings.cumulative(registry));
    }

    @Override
    public List<Finding> evaluate(MeterReadings readings) {
      MeterRegistry registry = readings.registry();
      Map<String, double[]> acc = new TreeMap<>();
      for (Meter m : registry.find(StatefulRouteMeters.EXECUTOR_CALL.meterName()).meters()) {
        add(acc, "operation " + m.getId().getTag("operation"), m, readings);
      }
      for (Meter m : registry.find(StatefulRouteMeters.CLIENT_COMPUTE.meterName()).meters()) {
        add(acc, "compute " + subject(m), m, readings);
      }
      List<Finding> out = new ArrayList<>();
      acc.forEach(
          (subject, a) -> {
            if (a[1] >= minimum && a[1] > 0 && a[0] / a[1] > maxRatio) {
              double r = a[0] / a[1];
              out.add(
                  new Finding(
                      id(),
                      severity(r, maxRatio, true),
                      subject,
                      r,
                      maxRatio,
                      "ratio",
                      percent(r)
                          + " of "
                          + subject
                          + " failed ("
                          + (long) a[0]
                          + " of "
                          + (long) a[1]
                          + ")",
                      "look at the exception tag of the failing meters: StoreTimeoutException "
                          + "means Redis is slow or commandTimeout too short, "
                          + "StoreUnavailableException that it cannot be reached, "
                          + "CorruptDataException that a foreign value sits on our keys"));
            }
          });
      return out;
    }

    private static void add(
        Map<String, double[]> acc, String subject, Meter m, MeterReadings readings) {
      double[] a = acc.computeIfAbsent(subject, s -> new double[2]);
      double n = readings.count(m);
      a[1] += n;
      if ("error".equals(m.getId().getTag("outcome"))) {
        a[0] += n;
      }
    }
  }
}
