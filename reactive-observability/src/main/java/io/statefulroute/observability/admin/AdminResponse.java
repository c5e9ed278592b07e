package io.statefulroute.observability.admin;

import io.statefulroute.observability.internal.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One answer of the admin endpoint: status, content type, body. */
record AdminResponse(int status, String contentType, String body) {
  static final String JSON = "application/json; charset=utf-8";
  static final String TEXT = "text/plain; charset=utf-8";

  /** The Prometheus text exposition format, version 0.0.4. */
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  static AdminResponse json(int status, Object value) {
    return new AdminResponse(status, JSON, Json.write(value) + "\n");
  }

  /** A report as JSON, or as plain text when its body is a string. */
  static AdminResponse of(AdminReport report) {
    return report.body() instanceof String text
        ? new AdminResponse(report.status(), TEXT, text)
        : json(report.status(), report.body());
  }

  /** An error answer; {@code message} may be null (an exception without one). */
  static AdminResponse error(int status, @Nullable String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("error", message);
    return json(status, m);
  }
}
