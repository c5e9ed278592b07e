package io.statefulroute.test.redis;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes; never waits without a deadline. For what
 * only shows from outside (a process's state, a Redis-side expiry), where there is no signal to
 * await.
 */
public final class Poll {

  private static final Duration INTERVAL = Duration.ofMillis(25);

  private Poll() {}

  /**
   * Checks {@code condition} every 25 ms until it holds.
   *
   * @throws IllegalStateException when {@code timeout} passes first, or on interrupt
   */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    until(timeout, what, () -> condition.getAsBoolean() ? null : "not yet");
  }

  /**
   * Calls {@code probe} every 25 ms until it returns {@code null} (the condition holds). A non-null
   * result describes the state seen, and is quoted in the timeout message; an {@link
   * UncheckedIOException} from the probe (server not reachable yet) counts as not ready. Any other
   * exception from the probe ends the wait at once.
   *
   * @throws IllegalStateException when {@code timeout} passes first, or on interrupt
   */
  static void until(Duration timeout, String what, Supplier<String> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last;
    while (true) {
      try {
        last = probe.get();
      } catch (UncheckedIOException e) {
        last = e.getMessage();
      }
      if (last == null) {
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException(
            "Timed out after "
                + timeout.toMillis()
                + " ms waiting for "
                + what
                + "; last state seen: "
                + last);
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + what, e);
      }
    }
  }
}
