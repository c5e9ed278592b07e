package io.statefulroute.observability.analysis;

import static io.statefulroute.observability.analysis.Rules.percent;
import static io.statefulroute.observability.analysis.Rules.severity;
import static io.statefulroute.observability.analysis.Rules.subject;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.statefulroute.observability.StatefulRouteMeters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@link Rules#highErrorRatio} rule: error ratios of executor operations and of computes. */
record ErrorRatio(double maxRatio, long minimum) implements AnalysisRule {
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
                    "look at the exception tag of the failing meters: StoreTimeoutException"
                        + " means Redis is slow or commandTimeout too short,"
                        + " StoreUnavailableException that it cannot be reached,"
                        + " CorruptDataException that a foreign value sits on our keys"));
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
