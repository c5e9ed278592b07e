package io.statefulroute.core.server;

/**
 * No pod index could be found, or a source held a value that is not one ({@link PodIdentity}). The
 * message names every source tried and what each held.
 */
public final class PodIdentityException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public PodIdentityException(String message) {
    super(message);
  }
}
