package io.statefulroute.observability;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One service's last state read as the state cache listener saw it (what {@code /health} judges).
 *
 * @param namespace the service's namespace
 * @param service the service
 * @param ageMillis time since the last successful read (the observability clock); -1 when no read
 *     has succeeded yet
 * @param lastError the last read's error as {@code SimpleClassName: message}, or {@code null} when
 *     the last read succeeded
 */
public record StateRefresh(
    String namespace, String service, long ageMillis, @Nullable String lastError) {

  /** The last read's error, empty when it succeeded. */
  public Optional<String> error() {
    return Optional.ofNullable(lastError);
  }
}
