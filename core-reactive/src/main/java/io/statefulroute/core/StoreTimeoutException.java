package io.statefulroute.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A store operation did not complete within its timeout. Its outcome is unknown. */
public class StoreTimeoutException extends StatefulRouteException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final Duration timeout;

  public StoreTimeoutException(String operation, Duration timeout, @Nullable Throwable cause) {
    super(operation + " did not complete within " + timeout.toMillis() + " ms", cause);
    this.operation = operation;
    this.timeout = timeout;
  }

  /**
   * The operation that timed out, by its {@link StatefulExecutor.Operation#tag()}, e.g. {@code
   * set_link_if_absent}.
   */
  public String operation() {
    return operation;
  }

  /** The timeout that elapsed. */
  public Duration timeout() {
    return timeout;
  }
}
