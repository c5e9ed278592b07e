package io.statefulroute.benchmarks.sim;

import java.time.Duration;

/**
 * When each {@link Phase} starts, as milliseconds from the start of the run: the seven phases share
 * the duration equally (a 70 s run: 10 s each). Within {@link Phase#STORE_FAULT} the store stalls
 * at the phase's start for {@link Phase#STALL_MILLIS}, and restarts empty at {@link
 * #restartMillis()}: halfway through the phase, and at least 1 s after the stall.
 */
record Timeline(long durationMillis) {

  Timeline {
    if (durationMillis / Phase.values().length < Phase.STALL_MILLIS + 2000) {
      throw new IllegalArgumentException("duration too short: " + durationMillis + " ms");
    }
  }

  static Timeline of(Duration duration) {
    return new Timeline(duration.toMillis());
  }

  @SuppressWarnings("EnumOrdinal") // the phases run in declaration order, in equal slices
  long startMillis(Phase phase) {
    return durationMillis * phase.ordinal() / Phase.values().length;
  }

  @SuppressWarnings("EnumOrdinal")
  long endMillis(Phase phase) {
    return durationMillis * (phase.ordinal() + 1) / Phase.values().length;
  }

  /** The phase running at {@code millis} (the last one at and after the end). */
  Phase phaseAt(long millis) {
    Phase[] phases = Phase.values();
    for (Phase p : phases) {
      if (millis < endMillis(p)) {
        return p;
      }
    }
    return phases[phases.length - 1];
  }

  /** When the store stalls: the start of the store-fault phase. */
  long stallMillis() {
    return startMillis(Phase.STORE_FAULT);
  }

  /** When the store restarts empty. */
  long restartMillis() {
    long start = startMillis(Phase.STORE_FAULT);
    long half = (endMillis(Phase.STORE_FAULT) - start) / 2;
    return start + Math.max(Phase.STALL_MILLIS + 1000, half);
  }
}
