package io.statefulroute.core;

import java.util.Map;

/**
 * The state hash of one service as read in one atomic step, with the Redis server clock read in the
 * same step, so ages are computed on one clock.
 *
 * @param pods pod index to its last published record (unmodifiable)
 * @param serverTimeMillis the Redis server time of the read, epoch milliseconds
 * @param malformedFields how many stored fields could not be decoded and were skipped
 */
public record StateSnapshot(
    Map<Integer, PodState> pods, long serverTimeMillis, int malformedFields) {
  public StateSnapshot {
    pods = Map.copyOf(pods);
    if (malformedFields < 0) {
      throw new IllegalArgumentException("malformedFields must be >= 0: " + malformedFields);
    }
  }
}
