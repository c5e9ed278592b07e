package io.statefulroute.observability.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One answer of {@link AdminReports}: an HTTP status and a body of maps, lists, strings and numbers
 * (a JSON value for any mapper), or a {@code String} of plain text. The admin endpoint writes it
 * with its own JSON writer, the Spring Boot starter's actuator endpoint with the application's.
 *
 * @param status the HTTP status (200, or 400, 403, 404, 409, 503 with {@code {status, error}})
 * @param body the value
 */
public record AdminReport(int status, Object body) {
  static AdminReport ok(Object body) {
    return new AdminReport(200, body);
  }

  /** An error answer {@code {status, error}}; {@code message} may be null. */
  static AdminReport error(int status, @Nullable String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("error", message);
    return new AdminReport(status, m);
  }
}
