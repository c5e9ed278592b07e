package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.RoutingState;
import java.util.Arrays;

/**
 * The deployment at one instant (taken every second).
 *
 * @param atMillis milliseconds since the start of the run
 * @param phase the phase running then
 * @param links per pod index: uids the store links to it
 * @param load per pod index: the load it publishes (active sessions)
 * @param states per pod index: its routing state, or {@code null} when not running
 * @param requests requests issued in the second before
 * @param errors of those, the ones that failed
 */
// a report value: never compared or hashed, so array identity in equals does not matter
@SuppressWarnings("ArrayRecordComponent")
record Sample(
    long atMillis,
    Phase phase,
    int[] links,
    int[] load,
    RoutingState[] states,
    long requests,
    long errors) {

  /** Coefficient of variation (standard deviation / mean) of {@code values} over READY pods. */
  double cvOverReady(int[] values) {
    double sum = 0;
    int n = 0;
    for (int p = 0; p < values.length; p++) {
      if (states[p] == RoutingState.READY) {
        sum += values[p];
        n++;
      }
    }
    if (n == 0 || sum == 0) {
      return 0;
    }
    double mean = sum / n;
    double squares = 0;
    for (int p = 0; p < values.length; p++) {
      if (states[p] == RoutingState.READY) {
        squares += (values[p] - mean) * (values[p] - mean);
      }
    }
    return Math.sqrt(squares / n) / mean;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s
        && atMillis == s.atMillis
        && phase == s.phase
        && Arrays.equals(links, s.links)
        && Arrays.equals(load, s.load)
        && Arrays.equals(states, s.states)
        && requests == s.requests
        && errors == s.errors;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(atMillis) * 31 + Arrays.hashCode(links);
  }

  @Override
  public String toString() {
    return "Sample["
        + atMillis
        + " ms "
        + phase
        + " links="
        + Arrays.toString(links)
        + " load="
        + Arrays.toString(load)
        + " states="
        + Arrays.toString(states)
        + " requests="
        + requests
        + " errors="
        + errors
        + "]";
  }
}
