package io.statefulroute.observability.analysis;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * One check of the {@link PerformanceAnalyzer}, evaluated over the meters of a registry at the
 * time of the call (counters are cumulative since the meters were created). Implement it to add
 * a rule: {@code PerformanceAnalyzer.builder(registry).rule(myRule)}. Implementations must be
 * thread-safe, fast and must not block.
 */
public interface AnalysisRule {

  /** A stable identifier, lowercase with underscores (the {@code rule} of its findings). */
  String id();

  /** What the rule checks, with its threshold, in one sentence. */
  String description();

  /**
   * Evaluates the rule.
   *
   * @return the findings (empty when all is well); never {@code null}
   */
  List<Finding> evaluate(MeterRegistry registry);
}
