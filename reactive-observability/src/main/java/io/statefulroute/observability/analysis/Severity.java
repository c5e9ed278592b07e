package io.statefulroute.observability.analysis;

/** How urgent a {@link Finding} is. */
public enum Severity {
  /** Worth knowing; nothing is wrong yet. */
  INFO,
  /** Past the rule's threshold: performance or correctness suffers. */
  WARNING,
  /** Far past the threshold (the rule's critical factor): act now. */
  CRITICAL
}
