package io.statefulroute.observability.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One problem a rule found.
 *
 * @param rule the rule's id, e.g. {@code low_cache_hit_ratio}
 * @param severity how urgent
 * @param subject what it is about, e.g. {@code eu-1/game} or {@code set_link_if_absent}
 * @param measured the measured value
 * @param threshold the threshold it crossed (same unit)
 * @param unit the unit of both, e.g. {@code ratio}, {@code ms}, {@code s}
 * @param message what was found, in one sentence
 * @param suggestion a concrete next step
 */
public record Finding(
    String rule,
    Severity severity,
    String subject,
    double measured,
    double threshold,
    String unit,
    String message,
    String suggestion) {
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(suggestion, "suggestion");
  }

  /** The finding as an ordered map (for JSON). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", rule);
    m.put("severity", severity.name());
    m.put("subject", subject);
    m.put("measured", measured);
    m.put("threshold", threshold);
    m.put("unit", unit);
    m.put("message", message);
    m.put("suggestion", suggestion);
    return m;
  }
}
