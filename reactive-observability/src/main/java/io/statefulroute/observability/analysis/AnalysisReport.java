package io.statefulroute.observability.analysis;

import io.statefulroute.observability.internal.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The result of one analysis: the rules evaluated and their findings, most severe first.
 *
 * @param generatedAt when the registry was read
 * @param since where the counts judged start: the earlier analysis the window starts at, or null
 *     when they go back to the meters' start
 * @param rules the ids of the rules evaluated
 * @param findings the findings, most severe first
 * @param failures rules that threw, as {@code id: exception} (a failing rule never hides the
 *     others' findings)
 */
public record AnalysisReport(
    Instant generatedAt,
    @Nullable Instant since,
    List<String> rules,
    List<Finding> findings,
    List<String> failures) {
  public AnalysisReport {
    rules = List.copyOf(rules);
    findings = List.copyOf(findings);
    failures = List.copyOf(failures);
  }

  /** The most severe finding's severity; empty when nothing was found. */
  public Optional<Severity> worstSeverity() {
    return findings.stream().map(Finding::severity).max(Enum::compareTo);
  }

  /** The report as a JSON object: generatedAt, since, status, rules, findings, failures. */
  public String toJson() {
    return Json.write(toMap());
  }

  /** The fields of {@link #toJson()} as maps, lists, strings and numbers (for a JSON mapper). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generatedAt", generatedAt.toString());
    m.put("since", since == null ? null : since.toString());
    m.put("status", worstSeverity().map(Enum::name).orElse("OK"));
    m.put("rules", rules);
    List<Object> list = new ArrayList<>();
    findings.forEach(f -> list.add(f.toMap()));
    m.put("findings", list);
    m.put("failures", failures);
    return m;
  }

  /** The report as plain text, one block per finding. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("stateful-route performance analysis at ")
        .append(generatedAt)
        .append(since == null ? ", counts since the meters started" : ", counts since " + since)
        .append('\n');
    sb.append(rules.size())
        .append(" rules, ")
        .append(findings.size())
        .append(" findings")
        .append(failures.isEmpty() ? "" : ", " + failures.size() + " rules failed")
        .append('\n');
    for (Finding f : findings) {
      sb.append('\n')
          .append('[')
          .append(f.severity())
          .append("] ")
          .append(f.rule())
          .append(" on ")
          .append(f.subject())
          .append(": ")
          .append(f.message())
          .append('\n')
          .append("  measured ")
          .append(format(f.measured()))
          .append(' ')
          .append(f.unit())
          .append(", threshold ")
          .append(format(f.threshold()))
          .append(' ')
          .append(f.unit())
          .append('\n')
          .append("  suggestion: ")
          .append(f.suggestion())
          .append('\n');
    }
    for (String failure : failures) {
      sb.append("\n[RULE FAILED] ").append(failure).append('\n');
    }
    if (findings.isEmpty() && failures.isEmpty()) {
      sb.append("\nno findings\n");
    }
    return sb.toString();
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.4g", v);
  }
}
