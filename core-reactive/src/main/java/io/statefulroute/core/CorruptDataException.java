package io.statefulroute.core;

import org.jspecify.annotations.Nullable;

/**
 * A value stored under one of our keys cannot be decoded: a link that is not a pod index, a key of
 * the wrong Redis type. The stored value is left as it is.
 */
public class CorruptDataException extends StatefulRouteException {
  private static final long serialVersionUID = 1L;

  public CorruptDataException(String message) {
    super(message);
  }

  public CorruptDataException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
