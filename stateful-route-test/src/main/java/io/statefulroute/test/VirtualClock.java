package io.statefulroute.test;

import java.time.Duration;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Virtual time for the drivers' tests, starting at a realistic epoch time (not 1970). */
public final class VirtualClock {
  private VirtualClock() {}

  /** A new virtual-time scheduler whose clock reads about 2024 (20,000 days after the epoch). */
  public static VirtualTimeScheduler create() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    clock.advanceTimeBy(Duration.ofDays(20_000));
    return clock;
  }
}
