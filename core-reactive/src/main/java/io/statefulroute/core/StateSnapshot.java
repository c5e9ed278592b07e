package io.statefulroute.core;

import java.util.Map;
import java.util.Set;

/**
 * The state hash of one service as read in one atomic step, with the Redis server clock read in the
 * same step, so ages are computed on one clock.
 *
 * @param pods pod index to its last published record (unmodifiable)
 * @param serverTimeMillis the Redis server time of the read, epoch milliseconds
 * @param malformedFields how many stored fields could not be decoded and were skipped
 * @param cordoned the pods an operator has cordoned ({@link StatefulExecutor#cordonPod}), read in
 *     the same atomic step as the records (unmodifiable; a cordon may name a pod without a record)
 */
public record StateSnapshot(
    Map<Integer, PodState> pods,
    long serverTimeMillis,
    int malformedFields,
    Set<Integer> cordoned) {
  public StateSnapshot {
    pods = Map.copyOf(pods);
    cordoned = Set.copyOf(cordoned);
    if (malformedFields < 0) {
      throw new IllegalArgumentException("malformedFields must be >= 0: " + malformedFields);
    }
  }

  /** A snapshot with no cordon. */
  public StateSnapshot(Map<Integer, PodState> pods, long serverTimeMillis, int malformedFields) {
    this(pods, serverTimeMillis, malformedFields, Set.of());
  }

  /** Whether an operator has cordoned {@code pod}: no new links are placed on it. */
  public boolean isCordoned(int pod) {
    return cordoned.contains(pod);
  }
}
