package io.statefulroute.benchmarks.sim;

import java.time.Duration;

/**
 * The faults the {@link Phase#STORE_FAULT} phase injects into the store: a stall (every call waits;
 * the ones that would wait longer than the command timeout fail with it) and a restart that loses
 * every key. {@link FaultInjectingExecutor} injects them into the embedded executor, {@link
 * RedisFaults} into a redis-server this run started; a Redis at a URI is left alone.
 */
interface StoreFaults {

  /** Whether {@link #stall} and {@link #restartEmpty} do anything. */
  boolean injects();

  /** How the faults are made, for the report. */
  String description();

  /** The store's timeout of one call: the longest a stalled call may wait. */
  Duration commandTimeout();

  /** The store stops answering for {@code millis}, from now; returns at once. */
  void stall(long millis);

  /** The store restarts with its data lost (returns when it answers again). */
  void restartEmpty();

  /** No faults: the store belongs to someone else. */
  static StoreFaults none(String why, Duration commandTimeout) {
    return new StoreFaults() {
      @Override
      public boolean injects() {
        return false;
      }

      @Override
      public String description() {
        return why;
      }

      @Override
      public Duration commandTimeout() {
        return commandTimeout;
      }

      @Override
      public void stall(long millis) {}

      @Override
      public void restartEmpty() {}
    };
  }
}
