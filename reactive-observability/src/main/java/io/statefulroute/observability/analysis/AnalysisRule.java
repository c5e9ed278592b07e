package io.statefulroute.observability.analysis;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * One check of the {@link PerformanceAnalyzer}, evaluated over the meters of a registry at the time
 * of the call. Implement it to add a rule: {@code
 * PerformanceAnalyzer.builder(registry).rule(myRule)}. Implementations must be thread-safe, fast
 * and must not block.
 *
 * <p>A rule that judges counters or timers should override {@link #evaluate(MeterReadings)} and
 * take its counts from the readings: they cover the analyzer's window (by default the last five
 * minutes), not the meters' whole life. A rule that implements only {@link
 * #evaluate(MeterRegistry)} sees the registry as it is (cumulative counters).
 */
public interface AnalysisRule {

  /** A stable identifier, lowercase with underscores (the {@code rule} of its findings). */
  String id();

  /** What the rule checks, with its threshold, in one sentence. */
  String description();

  /**
   * Evaluates the rule over the registry as it is (counters cumulative since their start).
   *
   * @return the findings (empty when all is well); never {@code null}
   */
  List<Finding> evaluate(MeterRegistry registry);

  /**
   * Evaluates the rule with counts over the analyzer's window. The default judges the registry as
   * it is ({@link #evaluate(MeterRegistry)}).
   *
   * @return the findings (empty when all is well); never {@code null}
   */
  default List<Finding> evaluate(MeterReadings readings) {
    return evaluate(readings.registry());
  }
}
