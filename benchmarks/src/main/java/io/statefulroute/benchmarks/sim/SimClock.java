package io.statefulroute.benchmarks.sim;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The time the simulation runs in: virtual time on the embedded executor (the run loop moves the
 * clock, every timer of the drivers fires on it, a 60 s run takes a few seconds), or the wall clock
 * with Redis and HTTP (the run loop waits for it).
 */
interface SimClock {

  /** Milliseconds since the epoch, on this clock. */
  long nowMillis();

  /** Moves to {@code millis}: runs the virtual timers due until then, or waits for the wall. */
  void advanceTo(long millis);

  /** The scheduler the drivers' timers run on; {@code null} for their default. */
  Scheduler driverScheduler();

  /** A virtual clock starting at a realistic epoch time (so stamps look like real ones). */
  static SimClock virtual() {
    VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
    scheduler.advanceTimeBy(Duration.ofDays(20_000));
    return new SimClock() {
      @Override
      public long nowMillis() {
        return scheduler.now(TimeUnit.MILLISECONDS);
      }

      @Override
      public void advanceTo(long millis) {
        long delta = millis - nowMillis();
        if (delta > 0) {
          scheduler.advanceTimeBy(Duration.ofMillis(delta));
        }
      }

      @Override
      public Scheduler driverScheduler() {
        return scheduler;
      }
    };
  }

  /** The wall clock. */
  static SimClock wall() {
    return new SimClock() {
      @Override
      public long nowMillis() {
        return System.currentTimeMillis();
      }

      @Override
      public void advanceTo(long millis) {
        long wait;
        while ((wait = millis - System.currentTimeMillis()) > 0) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
        }
      }

      @Override
      public Scheduler driverScheduler() {
        return null;
      }
    };
  }
}
