package io.statefulroute.core;

/**
 * The outcome of a compare-and-set of a link.
 *
 * @param replaced {@code true} when the link was absent or pointed at the expected pod, was
 *     temporary, and now points at the new pod
 * @param currentPod the pod the link points at after the call (the new pod when replaced, the
 *     current owner otherwise)
 * @param persistent {@code true} when the link is persistent and was therefore left alone: a
 *     compare-and-set never moves a persistent link, whatever pod it points at
 */
public record ReplaceResult(boolean replaced, int currentPod, boolean persistent) {
  public ReplaceResult {
    if (currentPod < 0) {
      throw new IllegalArgumentException("currentPod must be >= 0: " + currentPod);
    }
    if (replaced && persistent) {
      throw new IllegalArgumentException("a persistent link is never replaced");
    }
  }

  /** The link now points at {@code pod}. */
  public static ReplaceResult replaced(int pod) {
    return new ReplaceResult(true, pod, false);
  }

  /** The temporary link points at another pod than the expected one and was left alone. */
  public static ReplaceResult otherOwner(int currentPod) {
    return new ReplaceResult(false, currentPod, false);
  }

  /** The link is persistent (on {@code owner}) and was left alone. */
  public static ReplaceResult persistentOwner(int owner) {
    return new ReplaceResult(false, owner, true);
  }
}
