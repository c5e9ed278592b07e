package io.statefulroute.core;

import java.util.Optional;

/**
 * The outcome of a claim (try-set) of a link.
 *
 * @param claimed {@code true} when the link now points at the claiming pod; {@code false} when a
 *     persistent link to another pod refused the claim
 * @param currentPod the pod the link points at after the call
 * @param previousPod the pod the link pointed at before the call, empty when there was none
 */
public record ClaimResult(boolean claimed, int currentPod, Optional<Integer> previousPod) {
  public ClaimResult {
    if (currentPod < 0) {
      throw new IllegalArgumentException("currentPod must be >= 0: " + currentPod);
    }
    previousPod = previousPod == null ? Optional.empty() : previousPod;
  }
}
