package io.statefulroute.core;

/**
 * The outcome of a compare-and-set of a link.
 *
 * @param replaced   {@code true} when the link was absent or pointed at the expected pod and now
 *                   points at the new pod
 * @param currentPod the pod the link points at after the call (the new pod when replaced, the
 *                   unexpected current owner otherwise)
 */
public record ReplaceResult(boolean replaced, int currentPod) {
  public ReplaceResult {
    if (currentPod < 0) {
      throw new IllegalArgumentException("currentPod must be >= 0: " + currentPod);
    }
  }
}
