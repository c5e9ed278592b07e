package io.statefulroute.core;

import org.jspecify.annotations.Nullable;

/**
 * The store refused or failed a script or command: an error reply that is neither corrupt data nor
 * a timeout (for example a script rejected its arguments, or an ACL denied a command).
 */
public class ScriptException extends StatefulRouteException {
  private static final long serialVersionUID = 1L;

  public ScriptException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
