package io.statefulroute.observability.analysis;

import static io.statefulroute.observability.analysis.Rules.severity;
import static io.statefulroute.observability.analysis.Rules.subject;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.statefulroute.observability.StatefulRouteMeters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * A {@link Rules} rule on a ratio of events with one outcome per service, above or below a
 * threshold: {@code low_cache_hit_ratio}, {@code publish_failures}, {@code frequent_relinks}.
 */
record RatioRule(
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
