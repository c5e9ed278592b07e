package io.statefulroute.benchmarks.sim;

/** A request reached a pod whose process is down (connection refused, in real life). */
final class PodDownException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PodDownException(int pod) {
    super("pod " + pod + " is down", null, false, false);
  }
}
