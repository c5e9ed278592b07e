package io.statefulroute.observability.analysis;

import static io.statefulroute.observability.analysis.Rules.severity;
import static io.statefulroute.observability.analysis.Rules.subject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.statefulroute.observability.StatefulRouteMeters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@link Rules} rule on a per-service gauge above a threshold: {@code stale_state}, {@code
 * load_imbalance}.
 */
record GaugeRule(
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
