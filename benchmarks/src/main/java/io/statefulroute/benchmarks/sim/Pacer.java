package io.statefulroute.benchmarks.sim;

import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Holds a virtual-time run to a pace on the wall clock ({@code --speed}): the run loop asks for
 * each tick, and the pacer waits until the wall clock has caught up with it, so that a user can
 * watch the admin endpoint change through the phases. It changes when the ticks happen, never what
 * they do: a paced run reports what an unpaced one does. A run that falls behind (a slow machine)
 * is not dropped: it goes on as fast as it can until it has caught up.
 */
final class Pacer {
  private final double speed;
  private final LongSupplier nanoTime;
  private final LongConsumer parkNanos;
  private long originNanos;
  private boolean started;

  /**
   * @param speed simulated milliseconds per wall-clock millisecond, {@code > 0} ({@link
   *     Double#POSITIVE_INFINITY}: never waits)
   * @param nanoTime the wall clock ({@link System#nanoTime()})
   * @param parkNanos how to wait ({@link LockSupport#parkNanos(long)})
   */
  Pacer(double speed, LongSupplier nanoTime, LongConsumer parkNanos) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be > 0: " + speed);
    }
    this.speed = speed;
    this.nanoTime = nanoTime;
    this.parkNanos = parkNanos;
  }

  /** A pacer at {@code speed} on the wall clock; when it is empty, one that never waits. */
  static Pacer of(OptionalDouble speed) {
    return new Pacer(
        speed.orElse(Double.POSITIVE_INFINITY), System::nanoTime, LockSupport::parkNanos);
  }

  /** The timeline's origin is now. */
  void start() {
    originNanos = nanoTime.getAsLong();
    started = true;
  }

  /**
   * Returns once the wall clock is {@code timelineMillis / speed} past {@link #start()}.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  void awaitTimeline(long timelineMillis) {
    if (!started) {
      throw new IllegalStateException("the pacer has not started");
    }
    long due = originNanos + (long) (TimeUnit.MILLISECONDS.toNanos(timelineMillis) / speed);
    long wait;
    while ((wait = due - nanoTime.getAsLong()) > 0) {
      parkNanos.accept(wait);
    }
  }
}
