package io.statefulroute.core;

/** The store could not be reached (connection refused, closed, reset). */
public class StoreUnavailableException extends StatefulRouteException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
