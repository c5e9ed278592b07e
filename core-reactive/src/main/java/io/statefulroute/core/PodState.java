package io.statefulroute.core;

import io.statefulroute.core.spi.Args;

/**
 * A pod state record as stored, stamped with the Redis server clock when it was published.
 *
 * @param pod the pod index, {@code >= 0}
 * @param load the pod's load, {@code >= 0}
 * @param state the routing state
 * @param serverTimeMillis the Redis server time of the publication, epoch milliseconds
 * @param incarnation the publishing process's incarnation id
 */
public record PodState(
    int pod, int load, RoutingState state, long serverTimeMillis, String incarnation) {
  public PodState {
    Args.pod(pod);
    Args.nonNegative("load", load);
    Args.notNull("state", state);
    Args.incarnation(incarnation);
  }

  /** The record's age at {@code nowServerMillis} (a Redis clock reading), never negative. */
  public long ageMillis(long nowServerMillis) {
    return Math.max(0L, nowServerMillis - serverTimeMillis);
  }
}
