package io.statefulroute.core;

import io.statefulroute.core.spi.Args;

/**
 * What a pod publishes about itself; the store stamps it with the Redis server clock and returns it
 * to readers as a {@link PodState}.
 *
 * @param pod the pod index, {@code >= 0}
 * @param load the pod's load, {@code >= 0}, lower is better, application-defined units
 * @param state the routing state
 * @param incarnation an id that changes when the pod process restarts (1-64 characters, no {@code
 *     |} and no control characters)
 */
public record PodStatus(int pod, int load, RoutingState state, String incarnation) {
  public PodStatus {
    Args.pod(pod);
    Args.nonNegative("load", load);
    Args.notNull("state", state);
    Args.incarnation(incarnation);
  }
}
