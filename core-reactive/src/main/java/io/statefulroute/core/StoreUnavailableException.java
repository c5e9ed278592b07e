package io.statefulroute.core;

import org.jspecify.annotations.Nullable;

/** The store could not be reached (connection refused, closed, reset). */
public class StoreUnavailableException extends StatefulRouteException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
