package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.OwnerUnavailableException;
import reactor.core.Exceptions;

/**
 * What happened to one request.
 *
 * @param kind the outcome
 * @param pod the pod the gateway routed it to; {@code -1} when routing failed
 * @param computeNanos how long {@code computeLinkedPod} took (wall clock); {@code -1} if unknown
 * @param error an error's type: the simple name of the exception that ended the request (unwrapped
 *     from Reactor's wrappers), else the kind's label; {@code null} when the request succeeded
 */
record Outcome(Kind kind, int pod, long computeNanos, String error) {

  /** An outcome whose error, if any, is named by its kind. */
  Outcome(Kind kind, int pod, long computeNanos) {
    this(kind, pod, computeNanos, kind.isError() ? kind.label() : null);
  }

  /** Outcomes; every kind but SERVED and MISROUTED is an error. */
  enum Kind {
    /** The pod owned the uid and served it. */
    SERVED("served"),
    /** The request reached a pod that did not own the uid. */
    MISROUTED("misrouted"),
    /** The pod the gateway chose was down. */
    POD_DOWN("pod down"),
    /** No pod could take the uid ({@link NoAvailablePodException}). */
    NO_POD("no pod"),
    /** A persistent link's owner was not routable ({@link OwnerUnavailableException}). */
    OWNER_UNAVAILABLE("owner unavailable"),
    /** A store error or time-out, or any other failure of the route. */
    STORE_ERROR("store/other"),
    /** Not sent: too many requests in flight (real-time modes only). */
    SHED("shed");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }

    boolean isError() {
      return this != SERVED && this != MISROUTED;
    }
  }

  static Outcome failed(Throwable error, long computeNanos) {
    return failed(error, -1, computeNanos);
  }

  /** A request to {@code pod} (or {@code -1}) ended by {@code error}. */
  static Outcome failed(Throwable error, int pod, long computeNanos) {
    return new Outcome(kindOf(error), pod, computeNanos, errorName(error));
  }

  /** The simple name of {@code error}'s class, unwrapped from Reactor's exception wrappers. */
  static String errorName(Throwable error) {
    Throwable e = Exceptions.unwrap(error);
    return e.getClass().getSimpleName().isEmpty()
        ? e.getClass().getName()
        : e.getClass().getSimpleName();
  }

  static Kind kindOf(Throwable error) {
    if (error instanceof PodDownException) {
      return Kind.POD_DOWN;
    }
    if (error instanceof NoAvailablePodException) {
      return Kind.NO_POD;
    }
    if (error instanceof OwnerUnavailableException) {
      return Kind.OWNER_UNAVAILABLE;
    }
    return Kind.STORE_ERROR; // StatefulRouteException (time-outs, store down) or anything else
  }
}
