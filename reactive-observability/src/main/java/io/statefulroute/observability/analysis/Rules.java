package io.statefulroute.observability.analysis;

import io.micrometer.core.instrument.Meter;
import io.statefulroute.core.spi.Args;
import io.statefulroute.observability.StatefulRouteMeters;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The built-in {@link AnalysisRule}s, each with its threshold. A finding is a {@link
 * Severity#WARNING} past the threshold and {@link Severity#CRITICAL} past twice the threshold (or
 * below half of it, for the hit-ratio floor). Ratios and percentiles are over the analyzer's window
 * ({@link MeterReadings}); rules with a {@code minimum} skip services with fewer events than that
 * in the window (too few to judge).
 */
public final class Rules {
  private Rules() {}

  /** Every built-in rule with its default threshold. */
  public static List<AnalysisRule> defaults() {
    return List.of(
        lowCacheHitRatio(0.80, 100),
        slowExecutorCalls(Duration.ofMillis(20)),
        highErrorRatio(0.01, 100),
        staleState(Duration.ofSeconds(5)),
        loadImbalance(0.5),
        publishFailures(0.05, 10),
        frequentRelinks(0.05, 100));
  }

  /** Computes answered from the cache below {@code minRatio} (of at least {@code minimum}). */
  public static AnalysisRule lowCacheHitRatio(double minRatio, long minimum) {
    Args.ratio("minRatio", minRatio);
    return new RatioRule(
        "low_cache_hit_ratio",
        "cache hits per compute below " + minRatio + " (services with >= " + minimum + " computes)",
        StatefulRouteMeters.CLIENT_COMPUTE,
        "hit",
        minRatio,
        minimum,
        false,
        (subject, ratio) ->
            "only "
                + percent(ratio)
                + " of computes of "
                + subject
                + " were answered from the link cache",
        "raise ClientOptions.cacheMaximumSize if statefulroute.client.cache.evictions grows, "
            + "or cacheExpireAfterWrite (below leaseTtl); check that pods are not flapping out "
            + "of the routable set (statefulroute.state.pods.routable)");
  }

  /** Executor calls whose p99 (histogram) or max (without histogram) exceeds {@code p99}. */
  public static AnalysisRule slowExecutorCalls(Duration p99) {
    Args.positive("p99", p99);
    return new SlowExecutorCalls(p99.toNanos() / 1e6);
  }

  /** Executor calls or computes failing with an error above {@code maxRatio}. */
  public static AnalysisRule highErrorRatio(double maxRatio, long minimum) {
    Args.ratio("maxRatio", maxRatio);
    return new ErrorRatio(maxRatio, minimum);
  }

  /** Services whose last successful state read is older than {@code maxAge}. */
  public static AnalysisRule staleState(Duration maxAge) {
    Args.positive("maxAge", maxAge);
    return new GaugeRule(
        "stale_state",
        "last successful state read older than " + maxAge.toMillis() / 1000.0 + " s",
        StatefulRouteMeters.STATE_REFRESH_AGE,
        maxAge.toNanos() / 1e9,
        "s",
        subject -> "the state of " + subject + " was last read successfully a while ago",
        "check that the client reaches Redis (statefulroute.state.refresh outcome=failure, "
            + "/health) and that refreshPeriod is below stateExpiry; until it recovers the view "
            + "is treated as empty and no uid can be placed");
  }

  /** Services whose available pods' loads vary more than {@code maxCv} (stddev / mean). */
  public static AnalysisRule loadImbalance(double maxCv) {
    Args.positive("maxCv", maxCv);
    return new GaugeRule(
        "load_imbalance",
        "coefficient of variation of available pods' loads above " + maxCv,
        StatefulRouteMeters.STATE_LOAD_IMBALANCE,
        maxCv,
        "cv",
        subject -> "the loads of the pods of " + subject + " are unevenly spread",
        "lower the band (StateCacheOptions.band) so new uids go to the lightest pods, use "
            + "least_load or power_of_two instead of round_robin/random, or move long-lived "
            + "links with a drain (DENY_NEW_CALL) of the heaviest pod");
  }

  /** Publication attempts failing above {@code maxRatio} (of at least {@code minimum}). */
  public static AnalysisRule publishFailures(double maxRatio, long minimum) {
    Args.ratio("maxRatio", maxRatio);
    return new RatioRule(
        "publish_failures",
        "failed state publications per attempt above " + maxRatio,
        StatefulRouteMeters.SERVER_PUBLISH,
        "failure",
        maxRatio,
        minimum,
        true,
        (subject, ratio) -> percent(ratio) + " of the state publications of " + subject + " failed",
        "check the pods' connection to Redis and the executor's commandTimeout; a pod whose "
            + "publications keep failing goes stale after stateExpiry and loses its new uids");
  }

  /** Computes that moved a link off a dead pod above {@code maxRatio}. */
  public static AnalysisRule frequentRelinks(double maxRatio, long minimum) {
    Args.ratio("maxRatio", maxRatio);
    return new RatioRule(
        "frequent_relinks",
        "computes that moved a link per compute above " + maxRatio,
        StatefulRouteMeters.CLIENT_COMPUTE,
        "relinked",
        maxRatio,
        minimum,
        true,
        (subject, ratio) ->
            percent(ratio)
                + " of the computes of "
                + subject
                + " moved a link off a pod that was not routable",
        "pods of this service stop or go stale often: check their publication (publish_failures, "
            + "stale_state), raise stateExpiry if pods are only slow to publish, and drain pods "
            + "with ServerDriver.stop() rather than killing them");
  }

  // --------------------------------------------------------------------------- machinery

  static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  static Severity severity(double measured, double threshold, boolean higherIsWorse) {
    if (higherIsWorse) {
      return measured > 2 * threshold ? Severity.CRITICAL : Severity.WARNING;
    }
    return measured < threshold / 2 ? Severity.CRITICAL : Severity.WARNING;
  }

  static String subject(Meter m) {
    return m.getId().getTag("namespace") + "/" + m.getId().getTag("service");
  }
}
