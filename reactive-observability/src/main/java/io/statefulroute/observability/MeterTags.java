package io.statefulroute.observability;

import org.jspecify.annotations.Nullable;

/** Tag keys and values shared by the meters (bounded values only). */
final class MeterTags {
  static final String NAMESPACE = "namespace";
  static final String SERVICE = "service";
  static final String OPERATION = "operation";
  static final String OUTCOME = "outcome";
  static final String EXCEPTION = "exception";
  static final String STRATEGY = "strategy";
  static final String DOWN = "down";
  static final String NONE = "none";
  static final String SUCCESS = "success";
  static final String ERROR = "error";
  static final String FAILURE = "failure";

  private MeterTags() {}

  /** The exception tag value: the simple class name (the class name for anonymous classes). */
  static String exception(@Nullable Throwable error) {
    if (error == null) {
      return NONE;
    }
    String simple = error.getClass().getSimpleName();
    return simple.isEmpty() ? error.getClass().getName() : simple;
  }
}
