package io.statefulroute.core;

import org.jspecify.annotations.Nullable;

/**
 * The routing state a pod publishes for itself.
 *
 * <ul>
 *   <li>{@link #READY}: serves its linked uids and takes new links.
 *   <li>{@link #DENY_NEW_CALL}: draining; serves its linked uids, takes no new ones.
 *   <li>{@link #SHUTDOWN}: serves nothing; its temporary links move elsewhere.
 * </ul>
 */
public enum RoutingState {
  READY('R'),
  DENY_NEW_CALL('D'),
  SHUTDOWN('S');

  private final char code;

  RoutingState(char code) {
    this.code = code;
  }

  /** The one-character code stored in the pod state record. */
  public char code() {
    return code;
  }

  /** Whether an existing link to a pod in this state is honoured. */
  public boolean isRoutable() {
    return this != SHUTDOWN;
  }

  /** Whether a new link may be placed on a pod in this state. */
  public boolean isAvailable() {
    return this == READY;
  }

  /**
   * Decodes a stored code.
   *
   * @return the state, or {@code null} when the code is unknown (callers treat it as malformed)
   */
  public static @Nullable RoutingState fromCode(char code) {
    return switch (code) {
      case 'R' -> READY;
      case 'D' -> DENY_NEW_CALL;
      case 'S' -> SHUTDOWN;
      default -> null;
    };
  }
}
