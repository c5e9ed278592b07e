package io.statefulroute.observability.analysis;

import static io.statefulroute.observability.analysis.Rules.severity;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.statefulroute.observability.StatefulRouteMeters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Rules#slowExecutorCalls} rule: executor operations whose p99 (or max) exceeds the
 * threshold.
 */
record SlowExecutorCalls(double thresholdMillis) implements AnalysisRule {
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
   * The p99 from the window's histogram buckets; without buckets the timer's max, which Micrometer
   * already keeps over a short rolling window of its own.
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
      double[] acc = byOp.computeIfAbsent(t.getId().getTag("operation"), k -> new double[] {0, 1});
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
                    "check Redis itself (SLOWLOG GET, LATENCY DOCTOR, CPU shared with the"
                        + " clients), the network round trip, and large batches"
                        + " (RedisExecutorOptions.batchSize); scripts are O(1) per uid, so a"
                        + " slow one usually means a busy server"));
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
