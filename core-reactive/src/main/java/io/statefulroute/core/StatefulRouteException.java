package io.statefulroute.core;

import org.jspecify.annotations.Nullable;

/** Base of every error signalled by stateful-route. Unchecked. */
public class StatefulRouteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StatefulRouteException(String message) {
    super(message);
  }

  public StatefulRouteException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
