package io.statefulroute.test.redis;

import java.time.Duration;

/**
 * Lets real time pass, for the tests whose subject is a real clock: Redis expires keys on its own
 * clock (TTLs, delayed removals), which no test can virtualise. Everything else waits for a signal
 * ({@link Poll}) or runs in virtual time.
 */
public final class RealTime {
  private RealTime() {}

  /** Blocks the test thread for {@code d}; an interrupt fails the test. */
  public static void pass(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while letting real time pass", e);
    }
  }
}
