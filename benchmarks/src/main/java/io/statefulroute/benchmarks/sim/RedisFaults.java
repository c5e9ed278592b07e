package io.statefulroute.benchmarks.sim;

import io.statefulroute.test.redis.RedisProcess;
import java.time.Duration;
import java.util.Locale;

/**
 * The store faults on the redis-server this run started ({@code --redis local}, launched with
 * {@code --enable-debug-command yes}): the stall is {@code DEBUG SLEEP} (sent by redis-cli on a
 * thread of its own, so the run goes on while the server sleeps), the restart a SIGKILL and a start
 * on the same port with persistence off, so the server comes back empty.
 */
final class RedisFaults implements StoreFaults {
  private final RedisProcess process;
  private final Duration commandTimeout;
  private volatile String failure;

  RedisFaults(RedisProcess process, Duration commandTimeout) {
    this.process = process;
    this.commandTimeout = commandTimeout;
  }

  @Override
  public boolean injects() {
    return true;
  }

  @Override
  public String description() {
    String how =
        "injected into the redis-server (DEBUG SLEEP; then SIGKILL and a start with "
            + "persistence off)";
    return failure == null ? how : how + " (" + failure + ")";
  }

  @Override
  public Duration commandTimeout() {
    return commandTimeout;
  }

  @Override
  public void stall(long millis) {
    String seconds = String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    Thread sleeper =
        new Thread(
            () -> {
              try {
                String reply = process.redisCli("DEBUG", "SLEEP", seconds);
                if (!reply.equals("OK")) {
                  failure = "DEBUG SLEEP replied " + reply;
                }
              } catch (RuntimeException e) {
                failure = "DEBUG SLEEP failed: " + e.getMessage();
              }
            },
            "sim-debug-sleep");
    sleeper.setDaemon(true);
    sleeper.start();
  }

  @Override
  public void restartEmpty() {
    try {
      process.kill();
      process.start();
    } catch (RuntimeException e) {
      failure = "restart failed: " + e.getMessage();
    }
  }
}
