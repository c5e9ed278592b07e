package io.statefulroute.core;

import java.time.Duration;
import java.util.Optional;

/**
 * A link as read with its remaining life: what a cache needs so that a cached link never outlives
 * the lease it was read with.
 *
 * @param pod the pod the link points at
 * @param expiresIn how long the link has left (a temporary lease, or a link in delayed removal);
 *     empty for a persistent link
 */
public record LinkLease(int pod, Optional<Duration> expiresIn) {
  public LinkLease {
    if (pod < 0) {
      throw new IllegalArgumentException("pod must be >= 0: " + pod);
    }
    expiresIn = expiresIn == null ? Optional.empty() : expiresIn;
    if (expiresIn.isPresent() && expiresIn.get().isNegative()) {
      throw new IllegalArgumentException("expiresIn must not be negative: " + expiresIn.get());
    }
  }

  /** A persistent link to {@code pod}. */
  public static LinkLease persistent(int pod) {
    return new LinkLease(pod, Optional.empty());
  }

  /** A link to {@code pod} that ends in {@code expiresIn}. */
  public static LinkLease expiring(int pod, Duration expiresIn) {
    return new LinkLease(pod, Optional.of(expiresIn));
  }

  /** Whether the link has no TTL. */
  public boolean isPersistent() {
    return expiresIn.isEmpty();
  }
}
