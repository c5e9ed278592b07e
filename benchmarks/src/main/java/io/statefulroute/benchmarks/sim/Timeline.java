package io.statefulroute.benchmarks.sim;

import java.time.Duration;

/**
 * When each {@link Phase} starts, as milliseconds from the start of the run: the five phases
 * share the duration equally (a 60 s run: 12 s each).
 */
record Timeline(long durationMillis) {

  Timeline {
    if (durationMillis < Phase.values().length * 1000L) {
      throw new IllegalArgumentException("duration too short: " + durationMillis + " ms");
    }
  }

  static Timeline of(Duration duration) {
    return new Timeline(duration.toMillis());
  }

  long startMillis(Phase phase) {
    return durationMillis * phase.ordinal() / Phase.values().length;
  }

  long endMillis(Phase phase) {
    return durationMillis * (phase.ordinal() + 1) / Phase.values().length;
  }

  /** The phase running at {@code millis} (the last one at and after the end). */
  Phase phaseAt(long millis) {
    for (Phase p : Phase.values()) {
      if (millis < endMillis(p)) {
        return p;
      }
    }
    return Phase.RECOVERY;
  }
}
