package io.statefulroute.core.client;

import io.statefulroute.core.placement.PodSelector;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.OptionsText;
import io.statefulroute.core.state.StateCacheOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Immutable options of a {@link ClientDriver}. Each setter validates at once; {@link
 * Builder#build()} checks the cross-field rules and names the violated rule.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>stateCache</td><td>{@link StateCacheOptions#defaults()}</td><td>refresh 1 s, state
 *       expiry 5 s, band 10</td></tr>
 *   <tr><td>leaseTtl</td><td>5 min</td><td>TTL of the temporary links the client places (whole
 *       seconds); refreshed on every cache miss</td></tr>
 *   <tr><td>cacheMaximumSize</td><td>100,000</td><td>link cache entries (W-TinyLFU
 *       eviction)</td></tr>
 *   <tr><td>cacheExpireAfterWrite</td><td>30 s</td><td>must be shorter than leaseTtl, so a
 *       cached link is re-confirmed (and its lease refreshed) before the lease can end</td></tr>
 *   <tr><td>cacheExpireAfterAccess</td><td>none</td><td>optional idle expiry</td></tr>
 *   <tr><td>cacheInvalidation</td><td>true</td><td>follow the store's link events
 *       ({@code StatefulExecutor.linkEvents}): a link moved or removed by anyone updates or drops
 *       the cached entry at once</td></tr>
 *   <tr><td>unconfirmedCacheTtl</td><td>1 s</td><td>while the link events of a namespace are not
 *       being received (not yet subscribed, or the subscription was lost), a cached link older
 *       than this is re-read from the store before use (the store unreachable: the cached link
 *       is used); has no effect when not shorter than cacheExpireAfterWrite</td></tr>
 *   <tr><td>selector</td><td>power of two choices</td><td>placement strategy (a new one per
 *       driver)</td></tr>
 *   <tr><td>ejectAfterFailures</td><td>3</td><td>consecutive reported call failures that eject a
 *       pod from new placements</td></tr>
 *   <tr><td>ejectionCoolDown</td><td>10 s</td><td>how long an ejected pod gets no new
 *       links</td></tr>
 *   <tr><td>publishPeriod</td><td>1 s</td><td>the servers' publish period (their {@code
 *       ServerOptions.publishPeriod}): the heartbeat the fast failover expects</td></tr>
 *   <tr><td>missedHeartbeatFactor</td><td>2.0</td><td>a pod with observed failures (passive
 *       health, {@link ClientDriver#reportFailure}) whose record was published longer ago than
 *       this many publish periods is treated as down at once (its temporary links move); from 1
 *       to 100; has no effect when factor x publishPeriod is not shorter than the state
 *       expiry</td></tr>
 *   <tr><td>placementPeers</td><td>1</td><td>how many clients place new uids on the service at
 *       once (the gateways of a fleet, each with about the same share of traffic): this client's
 *       placements since a pod's publication count that many times in its predicted load, for
 *       the others' placements it cannot see until the next publication; 1 to 1,024</td></tr>
 *   <tr><td>listener</td><td>{@link ClientListener#NOOP}</td><td>compute, placement and
 *       ejection events (the observability module's metrics)</td></tr>
 * </table>
 */
public final class ClientOptions {
  private final StateCacheOptions stateCache;
  private final Duration leaseTtl;
  private final long cacheMaximumSize;
  private final Duration cacheExpireAfterWrite;
  private final @Nullable Duration cacheExpireAfterAccess;
  private final boolean cacheInvalidation;
  private final Duration unconfirmedCacheTtl;
  private final Supplier<PodSelector> selector;
  private final int ejectAfterFailures;
  private final Duration ejectionCoolDown;
  private final Duration publishPeriod;
  private final double missedHeartbeatFactor;
  private final int placementPeers;
  private final ClientListener listener;

  private ClientOptions(Builder b) {
    this.stateCache = b.stateCache;
    this.leaseTtl = b.leaseTtl;
    this.cacheMaximumSize = b.cacheMaximumSize;
    this.cacheExpireAfterWrite = b.cacheExpireAfterWrite;
    this.cacheExpireAfterAccess = b.cacheExpireAfterAccess;
    this.cacheInvalidation = b.cacheInvalidation;
    this.unconfirmedCacheTtl = b.unconfirmedCacheTtl;
    this.selector = b.selector;
    this.ejectAfterFailures = b.ejectAfterFailures;
    this.ejectionCoolDown = b.ejectionCoolDown;
    this.publishPeriod = b.publishPeriod;
    this.missedHeartbeatFactor = b.missedHeartbeatFactor;
    this.placementPeers = b.placementPeers;
    this.listener = b.listener;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static ClientOptions defaults() {
    return builder().build();
  }

  /**
   * A builder holding these options, to change some of them. It copies through the builder's own
   * setters, so every option is validated again and a bad value set on it is refused at once.
   */
  public Builder toBuilder() {
    return new Builder()
        .stateCache(stateCache)
        .leaseTtl(leaseTtl)
        .cacheMaximumSize(cacheMaximumSize)
        .cacheExpireAfterWrite(cacheExpireAfterWrite)
        .cacheExpireAfterAccess(cacheExpireAfterAccess)
        .cacheInvalidation(cacheInvalidation)
        .unconfirmedCacheTtl(unconfirmedCacheTtl)
        .selector(selector)
        .ejectAfterFailures(ejectAfterFailures)
        .ejectionCoolDown(ejectionCoolDown)
        .publishPeriod(publishPeriod)
        .missedHeartbeatFactor(missedHeartbeatFactor)
        .placementPeers(placementPeers)
        .listener(listener);
  }

  public StateCacheOptions stateCache() {
    return stateCache;
  }

  public Duration leaseTtl() {
    return leaseTtl;
  }

  public long cacheMaximumSize() {
    return cacheMaximumSize;
  }

  public Duration cacheExpireAfterWrite() {
    return cacheExpireAfterWrite;
  }

  public Optional<Duration> cacheExpireAfterAccess() {
    return Optional.ofNullable(cacheExpireAfterAccess);
  }

  public boolean cacheInvalidation() {
    return cacheInvalidation;
  }

  public Duration unconfirmedCacheTtl() {
    return unconfirmedCacheTtl;
  }

  /** A new selector (each driver gets its own strategy state). */
  public PodSelector newSelector() {
    return selector.get();
  }

  public int ejectAfterFailures() {
    return ejectAfterFailures;
  }

  public Duration ejectionCoolDown() {
    return ejectionCoolDown;
  }

  /** The servers' publish period, the heartbeat the fast failover expects. */
  public Duration publishPeriod() {
    return publishPeriod;
  }

  /**
   * Publish periods after which a pod's record has missed a heartbeat; with observed failures the
   * pod is then treated as down (see {@link ClientDriver#reportFailure}).
   */
  public double missedHeartbeatFactor() {
    return missedHeartbeatFactor;
  }

  /** How many clients place at once: this client's placements count that many times. */
  public int placementPeers() {
    return placementPeers;
  }

  /** How long a record may be unpublished before it missed a heartbeat: factor x period. */
  long missedHeartbeatMillis() {
    return heartbeatMillis(publishPeriod, missedHeartbeatFactor);
  }

  private static long heartbeatMillis(Duration period, double factor) {
    return (long) Math.ceil(period.toMillis() * factor);
  }

  /** The listener of compute, placement and ejection events ({@link ClientListener#NOOP}). */
  public ClientListener listener() {
    return listener;
  }

  /**
   * Every option as {@code name=value}, in declaration order; the selector and the listener by
   * their class only ({@link OptionsText#type}).
   */
  @Override
  public String toString() {
    return OptionsText.of("ClientOptions")
        .add("stateCache", stateCache)
        .add("leaseTtl", leaseTtl)
        .add("cacheMaximumSize", cacheMaximumSize)
        .add("cacheExpireAfterWrite", cacheExpireAfterWrite)
        .add(
            "cacheExpireAfterAccess",
            (cacheExpireAfterAccess == null ? "none" : cacheExpireAfterAccess))
        .add("cacheInvalidation", cacheInvalidation)
        .add("unconfirmedCacheTtl", unconfirmedCacheTtl)
        .type("selector", selector)
        .add("ejectAfterFailures", ejectAfterFailures)
        .add("ejectionCoolDown", ejectionCoolDown)
        .add("publishPeriod", publishPeriod)
        .add("missedHeartbeatFactor", missedHeartbeatFactor)
        .add("placementPeers", placementPeers)
        .type("listener", listener)
        .toString();
  }

  /** Builds {@link ClientOptions}; not thread-safe. */
  public static final class Builder {
    private StateCacheOptions stateCache = StateCacheOptions.defaults();
    private Duration leaseTtl = Duration.ofMinutes(5);
    private long cacheMaximumSize = 100_000;
    private Duration cacheExpireAfterWrite = Duration.ofSeconds(30);
    private @Nullable Duration cacheExpireAfterAccess;
    private boolean cacheInvalidation = true;
    private Duration unconfirmedCacheTtl = Duration.ofSeconds(1);
    private Supplier<PodSelector> selector = PodSelectors::powerOfTwoChoices;
    private int ejectAfterFailures = 3;
    private Duration ejectionCoolDown = Duration.ofSeconds(10);
    private Duration publishPeriod = Duration.ofSeconds(1);
    private double missedHeartbeatFactor = 2.0;
    private int placementPeers = 1;
    private ClientListener listener = ClientListener.NOOP;

    private Builder() {}

    public Builder stateCache(StateCacheOptions stateCache) {
      this.stateCache = Args.notNull("stateCache", stateCache);
      return this;
    }

    /**
     * TTL of placed temporary links: whole seconds, from 1 s to {@link Args#MAX_TTL_SECONDS}
     * seconds (Redis's EXPIRE range).
     */
    public Builder leaseTtl(Duration leaseTtl) {
      Args.positive("leaseTtl", leaseTtl, Duration.ofSeconds(Args.MAX_TTL_SECONDS));
      this.leaseTtl = Args.wholeSeconds("leaseTtl", leaseTtl);
      return this;
    }

    /** Link cache entries, {@code >= 0}. */
    public Builder cacheMaximumSize(long cacheMaximumSize) {
      this.cacheMaximumSize = Args.nonNegative("cacheMaximumSize", cacheMaximumSize);
      return this;
    }

    public Builder cacheExpireAfterWrite(Duration d) {
      this.cacheExpireAfterWrite = Args.positive("cacheExpireAfterWrite", d);
      return this;
    }

    /** Optional idle expiry of cached links; {@code null} turns it off. */
    public Builder cacheExpireAfterAccess(@Nullable Duration d) {
      this.cacheExpireAfterAccess = d == null ? null : Args.positive("cacheExpireAfterAccess", d);
      return this;
    }

    /** Whether cached links follow the store's link events (default true). */
    public Builder cacheInvalidation(boolean cacheInvalidation) {
      this.cacheInvalidation = cacheInvalidation;
      return this;
    }

    /** How old a cached link may be while link events are not being received (default 1 s). */
    public Builder unconfirmedCacheTtl(Duration d) {
      this.unconfirmedCacheTtl = Args.positive("unconfirmedCacheTtl", d);
      return this;
    }

    /** The placement strategy; the supplier is called once per driver. */
    public Builder selector(Supplier<PodSelector> selector) {
      this.selector = Args.notNull("selector", selector);
      return this;
    }

    /** Consecutive reported call failures that eject a pod, {@code >= 1}. */
    public Builder ejectAfterFailures(int failures) {
      this.ejectAfterFailures = Args.atLeast("ejectAfterFailures", failures, 1);
      return this;
    }

    public Builder ejectionCoolDown(Duration coolDown) {
      this.ejectionCoolDown = Args.positive("ejectionCoolDown", coolDown);
      return this;
    }

    /** The servers' publish period ({@code ServerOptions.publishPeriod}; default 1 s), > 0. */
    public Builder publishPeriod(Duration period) {
      this.publishPeriod = Args.positive("publishPeriod", period);
      return this;
    }

    /**
     * Publish periods without a publication after which a pod with observed failures is treated as
     * down (default 2.0), from 1 to 100: below 1 a pod that publishes on time would look late.
     */
    public Builder missedHeartbeatFactor(double factor) {
      this.missedHeartbeatFactor = Args.inRange("missedHeartbeatFactor", factor, 1.0, 100.0);
      return this;
    }

    /**
     * How many clients place new uids on a service at once, 1 to 1,024 (default 1): this client's
     * placements since a pod's publication count that many times in its predicted load, for the
     * placements of the others that only the pod's next publication shows (without it, a fleet of N
     * gateways fills a pod that joined up to N times its share before the publication).
     */
    public Builder placementPeers(int peers) {
      this.placementPeers = Args.inRange("placementPeers", peers, 1, 1024);
      return this;
    }

    /** Receives compute, placement and ejection events (metrics, tracing); default no-op. */
    public Builder listener(ClientListener listener) {
      this.listener = Args.notNull("listener", listener);
      return this;
    }

    public ClientOptions build() {
      Args.rule(
          cacheExpireAfterWrite.compareTo(leaseTtl) < 0,
          "cache TTL < lease TTL",
          "cacheExpireAfterWrite ("
              + cacheExpireAfterWrite
              + ") must be shorter than leaseTtl ("
              + leaseTtl
              + ")");
      Args.rule(
          stateCache.stateExpiry().compareTo(leaseTtl) < 0,
          "state expiry < lease TTL",
          "stateExpiry ("
              + stateCache.stateExpiry()
              + ") must be shorter than leaseTtl ("
              + leaseTtl
              + ")");
      return new ClientOptions(this);
    }
  }
}
