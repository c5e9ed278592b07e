package io.statefulroute.redis.internal;

/**
 * Signalled by {@link CommandFlusher} instead of sending a command when its in-flight limit is
 * reached; {@link ErrorTranslator} turns it into a {@link
 * io.statefulroute.core.StoreOverloadedException} naming the operation.
 *
 * <p>Internal, not API: may change.
 */
public final class InFlightLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int limit;

  public InFlightLimitException(int limit) {
    super(limit + " commands in flight", null, false, false);
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }
}
