package io.statefulroute.soak;

import java.time.Duration;

/**
 * What a soak runs.
 *
 * @param duration how long the load and the churn run (the check follows)
 * @param clients gateways (client drivers), each on its own executor
 * @param pods server pods (server drivers), each on its own executor
 * @param uids the uid pool the clients draw from (uniformly)
 * @param callsPerSecond compute calls per second per client (issued on a timer, open loop)
 * @param churnPeriod one pod leaves and returns this often
 * @param restarts how a pod leaves: drains, shuts down and returns as a new incarnation (its
 *     temporary links move to other pods while it is away); or, when false, drains (DENY_NEW_CALL)
 *     for a second and returns to READY (no link moves)
 * @param warmUp figures before this are not compared for flatness
 */
public record SoakConfig(
    Duration duration,
    int clients,
    int pods,
    int uids,
    int callsPerSecond,
    Duration churnPeriod,
    boolean restarts,
    Duration warmUp) {
  public SoakConfig {
    if (duration.isNegative()
        || duration.isZero()
        || clients < 1
        || pods < 2
        || uids < 1
        || callsPerSecond < 1
        || churnPeriod.isNegative()
        || churnPeriod.isZero()
        || warmUp.isNegative()
        || warmUp.compareTo(duration) >= 0) {
      throw new IllegalArgumentException("invalid soak configuration: " + this);
    }
  }

  /** The soak: 60 s, 4 clients, 8 pods. */
  public static SoakConfig standard() {
    return new SoakConfig(
        Duration.ofSeconds(60),
        4,
        8,
        20_000,
        2_000,
        Duration.ofSeconds(4),
        true,
        Duration.ofSeconds(20));
  }
}
