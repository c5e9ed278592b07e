package io.statefulroute.core.state;

import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.OptionsText;
import io.statefulroute.core.spi.TimerScheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.scheduler.Scheduler;

/**
 * Immutable options of the {@link ServiceStateCache}. Setters validate at once; {@link
 * Builder#build()} checks the cross-field rule (refresh period shorter than the state expiry).
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>refreshPeriod</td><td>1 s</td><td>how often a watched service's state is read</td></tr>
 *   <tr><td>stateExpiry</td><td>5 s</td><td>records older than this (Redis clock) are not
 *       fresh; once a read has failed, a local view older than this is treated as empty (not
 *       while a read is in flight)</td></tr>
 *   <tr><td>defaultBand</td><td>10</td><td>good band above the minimum load: its floor, in load
 *       units</td></tr>
 *   <tr><td>band(service)</td><td>-</td><td>a band floor per service</td></tr>
 *   <tr><td>bandRatio</td><td>0.1</td><td>the band as a share of the minimum load: a pod is
 *       good when its load is at most {@code min + max(band, ceil(bandRatio x min))} (see {@link
 *       #goodLimit}); 0 keeps the absolute band only</td></tr>
 *   <tr><td>scheduler</td><td>statefulroute-timer</td><td>runs the refresh timers (one shared
 *       daemon thread); its clock is the local clock (pass a VirtualTimeScheduler in
 *       tests)</td></tr>
 *   <tr><td>listener</td><td>{@link StateCacheListener#NOOP}</td><td>state read events (the
 *       observability module's metrics and health)</td></tr>
 *   <tr><td>idleWatchTimeout</td><td>10 min</td><td>a watched service not used for this long
 *       (no view, peek or refresh) stops being read and is forgotten; its next use reads it
 *       again. Bounds the timers of per-tenant namespaces. A client driver also stops following
 *       the link events of a namespace neither used nor holding a cached link for one such
 *       period. Longer than refreshPeriod</td></tr>
 * </table>
 */
public final class StateCacheOptions {
  private final Duration refreshPeriod;
  private final Duration stateExpiry;
  private final int defaultBand;
  private final Map<String, Integer> bands;
  private final double bandRatio;
  private final Scheduler scheduler;
  private final StateCacheListener listener;
  private final Duration idleWatchTimeout;

  private StateCacheOptions(Builder b) {
    this.refreshPeriod = b.refreshPeriod;
    this.stateExpiry = b.stateExpiry;
    this.defaultBand = b.defaultBand;
    this.bands = Map.copyOf(b.bands);
    this.bandRatio = b.bandRatio;
    this.scheduler = b.scheduler;
    this.listener = b.listener;
    this.idleWatchTimeout = b.idleWatchTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static StateCacheOptions defaults() {
    return builder().build();
  }

  /**
   * A builder holding these options, to change some of them. It copies through the builder's own
   * setters, so every option is validated again and a bad value set on it is refused at once.
   */
  public Builder toBuilder() {
    Builder b =
        new Builder()
            .refreshPeriod(refreshPeriod)
            .stateExpiry(stateExpiry)
            .defaultBand(defaultBand)
            .bandRatio(bandRatio)
            .scheduler(scheduler)
            .listener(listener)
            .idleWatchTimeout(idleWatchTimeout);
    bands.forEach(b::band);
    return b;
  }

  public Duration refreshPeriod() {
    return refreshPeriod;
  }

  public Duration stateExpiry() {
    return stateExpiry;
  }

  public int defaultBand() {
    return defaultBand;
  }

  /** The band of {@code service}: its own, or the default. */
  public int band(String service) {
    return bands.getOrDefault(service, defaultBand);
  }

  public Map<String, Integer> bands() {
    return bands;
  }

  /** The band as a share of the minimum load (0.1 by default; 0: the absolute band only). */
  public double bandRatio() {
    return bandRatio;
  }

  /**
   * The highest load of a good pod of {@code service} when the least loaded available pod has
   * {@code minLoad}: {@code minLoad + max(band(service), ceil(bandRatio x minLoad))}. The band
   * scales with the load (10 % of 5,000 is 500), and never narrows below the absolute band.
   */
  public long goodLimit(String service, long minLoad) {
    return ServiceView.goodLimit(minLoad, band(service), bandRatio);
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** The listener of state reads ({@link StateCacheListener#NOOP} by default). */
  public StateCacheListener listener() {
    return listener;
  }

  /** How long a watched service may go unused before it is forgotten. */
  public Duration idleWatchTimeout() {
    return idleWatchTimeout;
  }

  /**
   * Every option as {@code name=value}, in declaration order; the bands sorted by service, the
   * scheduler and the listener by their class only ({@link OptionsText#type}).
   */
  @Override
  public String toString() {
    return OptionsText.of("StateCacheOptions")
        .add("refreshPeriod", refreshPeriod)
        .add("stateExpiry", stateExpiry)
        .add("defaultBand", defaultBand)
        .add("bands", new TreeMap<>(bands))
        .add("bandRatio", bandRatio)
        .type("scheduler", scheduler)
        .type("listener", listener)
        .add("idleWatchTimeout", idleWatchTimeout)
        .toString();
  }

  /** Builds {@link StateCacheOptions}; not thread-safe. */
  public static final class Builder {
    private Duration refreshPeriod = Duration.ofSeconds(1);
    private Duration stateExpiry = Duration.ofSeconds(5);
    private int defaultBand = 10;
    private final Map<String, Integer> bands = new HashMap<>();
    private double bandRatio = 0.1;
    private Scheduler scheduler = TimerScheduler.get();
    private StateCacheListener listener = StateCacheListener.NOOP;
    private Duration idleWatchTimeout = Duration.ofMinutes(10);

    private Builder() {}

    /** A watched service unused for this long stops being read; default 10 min. */
    public Builder idleWatchTimeout(Duration idleWatchTimeout) {
      this.idleWatchTimeout = Args.positive("idleWatchTimeout", idleWatchTimeout);
      return this;
    }

    public Builder refreshPeriod(Duration refreshPeriod) {
      this.refreshPeriod = Args.positive("refreshPeriod", refreshPeriod);
      return this;
    }

    public Builder stateExpiry(Duration stateExpiry) {
      this.stateExpiry = Args.positive("stateExpiry", stateExpiry);
      return this;
    }

    /** The good band above the minimum load of services without a band of their own, >= 0. */
    public Builder defaultBand(int band) {
      this.defaultBand = Args.nonNegative("defaultBand", band);
      return this;
    }

    /** The good band of {@code service}, >= 0. */
    public Builder band(String service, int band) {
      bands.put(Args.service(service), Args.nonNegative("band", band));
      return this;
    }

    /**
     * The good band as a share of the minimum load, between 0 and 10; default 0.1. The absolute
     * band ({@link #defaultBand}, {@link #band}) stays its floor.
     */
    public Builder bandRatio(double bandRatio) {
      this.bandRatio = Args.inRange("bandRatio", bandRatio, 0.0, 10.0);
      return this;
    }

    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Args.notNull("scheduler", scheduler);
      return this;
    }

    /** Receives state read events (metrics, health); default no-op. */
    public Builder listener(StateCacheListener listener) {
      this.listener = Args.notNull("listener", listener);
      return this;
    }

    public StateCacheOptions build() {
      if (refreshPeriod.compareTo(stateExpiry) >= 0) {
        throw new IllegalArgumentException(
            "refreshPeriod ("
                + refreshPeriod
                + ") must be shorter than stateExpiry ("
                + stateExpiry
                + ")");
      }
      if (idleWatchTimeout.compareTo(refreshPeriod) <= 0) {
        throw new IllegalArgumentException(
            "idleWatchTimeout ("
                + idleWatchTimeout
                + ") must be longer than refreshPeriod ("
                + refreshPeriod
                + ")");
      }
      return new StateCacheOptions(this);
    }
  }
}
