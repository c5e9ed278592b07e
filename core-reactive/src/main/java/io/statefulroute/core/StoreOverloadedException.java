package io.statefulroute.core;

/**
 * The executor refused a call at once because too many store commands were already in flight (a
 * slow or paused store): the call was not sent. A subtype of {@link StoreUnavailableException}, so
 * callers that treat an unreachable store as unavailable treat an overloaded one alike; retry later
 * with backoff.
 */
public class StoreOverloadedException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final int limit;

  public StoreOverloadedException(String operation, int limit) {
    super(operation + " refused: " + limit + " store commands already in flight", null);
    this.operation = operation;
    this.limit = limit;
  }

  /**
   * The refused operation, by its {@link StatefulExecutor.Operation#tag()}, e.g. {@code
   * set_link_if_absent}.
   */
  public String operation() {
    return operation;
  }

  /** The in-flight limit that was reached. */
  public int limit() {
    return limit;
  }
}
