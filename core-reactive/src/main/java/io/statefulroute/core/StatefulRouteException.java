package io.statefulroute.core;

/** Base of every error signalled by stateful-route. Unchecked. */
public class StatefulRouteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StatefulRouteException(String message) {
    super(message);
  }

  public StatefulRouteException(String message, Throwable cause) {
    super(message, cause);
  }
}
