package io.statefulroute.core.client;

import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.OwnerUnavailableException;
import java.util.Locale;

/**
 * How one {@link ClientDriver#computeLinkedPod} call ended, as reported to a {@link
 * ClientListener}. A closed set: safe as a metric tag ({@link #tagValue()}).
 */
public enum ComputeOutcome {
  /** Answered from the local cache on the fast path (no I/O). */
  HIT,
  /**
   * Answered past the fast path without moving a link: an existing link or a new placement (one
   * set-if-absent script call), or the result of a computation in flight for the same key.
   */
  LINKED,
  /** The linked pod was not routable and the caller's computation moved the temporary link. */
  RELINKED,
  /** Failed with {@link NoAvailablePodException}. */
  NO_POD,
  /** Failed with {@link OwnerUnavailableException}. */
  OWNER_UNAVAILABLE,
  /** Failed with any other error (store timeout, unavailable store, corrupt data, ...). */
  ERROR;

  private final String tagValue = name().toLowerCase(Locale.ROOT);

  /** The lowercase name, e.g. {@code no_pod}. */
  public String tagValue() {
    return tagValue;
  }

  /** The outcome of a compute that failed with {@code error}. */
  public static ComputeOutcome ofError(Throwable error) {
    if (error instanceof NoAvailablePodException) {
      return NO_POD;
    }
    if (error instanceof OwnerUnavailableException) {
      return OWNER_UNAVAILABLE;
    }
    return ERROR;
  }
}
