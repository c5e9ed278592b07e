package io.statefulroute.observability;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.ObservationRegistry;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientListener;
import io.statefulroute.core.placement.PodSelector;
import io.statefulroute.core.rebalance.Rebalancer;
import io.statefulroute.core.server.ServerListener;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.state.StateCacheListener;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of the module: binds stateful-route's drivers and executor to Micrometer meters
 * ({@link StatefulRouteMeters}) and observations ({@link StatefulRouteObservations}).
 *
 * <pre>{@code
 * StatefulRouteObservability obs = StatefulRouteObservability.builder()
 *     .meterRegistry(prometheusRegistry)          // metrics (optional)
 *     .observationRegistry(observationRegistry)   // tracing (optional)
 *     .build();
 * StatefulExecutor executor = obs.executor(RedisStatefulExecutor.create(client, redisOptions));
 * ClientDriver gateway = obs.clientDriver(ClientDriver.create(executor, ClientOptions.builder()
 *     .listener(obs.clientListener())
 *     .selector(obs.selector(PodSelectors::powerOfTwoChoices))
 *     .stateCache(StateCacheOptions.builder().listener(obs.stateCacheListener()).build())
 *     .build()));
 * ServerDriver pod = ServerDriver.create(executor,
 *     ServerOptions.builder("eu-2", "game", 3).listener(obs.serverListener()).build());
 * }</pre>
 *
 * Without a meter registry the listeners are no-ops; without an observation registry (or with
 * {@link ObservationRegistry#NOOP}) the decorators return what they are given, except the executor,
 * which is then timed only. Thread-safe; one instance per registry.
 */
public final class StatefulRouteObservability {
  private final @Nullable MeterRegistry meterRegistry;
  private final MetricsOptions metricsOptions;
  private final Tracing tracing;
  private final ClientListener clientListener;
  private final ServerListener serverListener;

  /** Null when metrics are off. */
  private final @Nullable StateMetrics stateMetrics;

  private StatefulRouteObservability(Builder b) {
    this.meterRegistry = b.meterRegistry;
    this.metricsOptions = new MetricsOptions(b.percentileHistograms);
    this.tracing =
        new Tracing(
            b.observationRegistry,
            b.convention != null
                ? b.convention
                : new DefaultRouteObservationConvention(b.uidInTraces),
            b.uidInTraces,
            b.dbSystem);
    if (meterRegistry != null) {
      this.clientListener = new ClientMetrics(meterRegistry, metricsOptions);
      this.serverListener = new ServerMetrics(meterRegistry, metricsOptions);
      this.stateMetrics = new StateMetrics(meterRegistry, metricsOptions, b.clock);
    } else {
      this.clientListener = ClientListener.NOOP;
      this.serverListener = ServerListener.NOOP;
      this.stateMetrics = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The meter registry, or {@code null} when metrics are off. */
  public @Nullable MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** For {@code ClientOptions.builder().listener(...)}: compute, placement, ejection meters. */
  public ClientListener clientListener() {
    return clientListener;
  }

  /** For {@code ServerOptions.builder(...).listener(...)}: the publication timer. */
  public ServerListener serverListener() {
    return serverListener;
  }

  /** For {@code StateCacheOptions.builder().listener(...)}: refresh, age, pod set meters. */
  public StateCacheListener stateCacheListener() {
    return stateMetrics != null ? stateMetrics : StateCacheListener.NOOP;
  }

  /**
   * The state refresh record of every service seen by {@link #stateCacheListener()} (what {@code
   * /health} judges); empty when metrics are off.
   */
  public List<StateRefresh> stateRefreshes() {
    return stateMetrics != null ? stateMetrics.services() : List.of();
  }

  /** {@code executor} timed per operation and, when tracing is on, observed per call. */
  public StatefulExecutor executor(StatefulExecutor executor) {
    Args.notNull("executor", executor);
    if (meterRegistry == null && !tracing.enabled()) {
      return executor;
    }
    return new InstrumentedExecutor(executor, meterRegistry, metricsOptions, tracing);
  }

  /**
   * Binds the driver's link cache statistics (from {@link ClientDriver#cacheStats()}: one hit or
   * miss per caller lookup) as {@code statefulroute.client.cache.*} meters and, when tracing is on,
   * returns the driver decorated to trace {@code computeLinkedPod}; otherwise returns {@code
   * driver} itself.
   *
   * @param extraTags tags that tell several drivers in one registry apart (for example {@code
   *     client=gateway-1}); none for a single driver
   */
  public ClientDriver clientDriver(ClientDriver driver, String... extraTags) {
    Args.notNull("driver", driver);
    if (meterRegistry != null) {
      bindCache(meterRegistry, driver, Tags.of(extraTags));
    }
    return tracing.enabled() ? new ObservedClientDriver(driver, tracing) : driver;
  }

  /**
   * Binds a rebalancer's counters as {@code statefulroute.rebalance.*} meters (tagged with its
   * namespace and service); returns it.
   */
  public Rebalancer rebalancer(Rebalancer rebalancer) {
    Args.notNull("rebalancer", rebalancer);
    if (meterRegistry != null) {
      Tags tags =
          Tags.of(
              MeterTags.NAMESPACE,
              rebalancer.options().namespace(),
              MeterTags.SERVICE,
              rebalancer.options().service());
      String cycles = StatefulRouteMeters.REBALANCE_CYCLES.meterName();
      String description = StatefulRouteMeters.REBALANCE_CYCLES.description();
      FunctionCounter.builder(cycles, rebalancer, Rebalancer::cyclesLed)
          .description(description)
          .tags(tags.and(MeterTags.OUTCOME, "led"))
          .register(meterRegistry);
      FunctionCounter.builder(cycles, rebalancer, r -> r.cycles() - r.cyclesLed() - r.failures())
          .description(description)
          .tags(tags.and(MeterTags.OUTCOME, "idle"))
          .register(meterRegistry);
      FunctionCounter.builder(cycles, rebalancer, Rebalancer::failures)
          .description(description)
          .tags(tags.and(MeterTags.OUTCOME, MeterTags.FAILURE))
          .register(meterRegistry);
      FunctionCounter.builder(
              StatefulRouteMeters.REBALANCE_REQUESTED.meterName(),
              rebalancer,
              Rebalancer::requested)
          .description(StatefulRouteMeters.REBALANCE_REQUESTED.description())
          .tags(tags)
          .register(meterRegistry);
    }
    return rebalancer;
  }

  /**
   * A selector supplier whose selectors are observed ({@code statefulroute.placement}) within a
   * traced compute; {@code selector} itself when tracing is off.
   */
  public Supplier<PodSelector> selector(Supplier<PodSelector> selector) {
    Args.notNull("selector", selector);
    return tracing.enabled() ? () -> new ObservedPodSelector(selector.get(), tracing) : selector;
  }

  private static void bindCache(MeterRegistry meterRegistry, ClientDriver driver, Tags extra) {
    for (String outcome : new String[] {"hit", "miss"}) {
      boolean hit = outcome.equals("hit");
      FunctionCounter.builder(
              StatefulRouteMeters.CLIENT_CACHE_GETS.meterName(),
              driver,
              d -> hit ? d.cacheStats().hitCount() : d.cacheStats().missCount())
          .description(StatefulRouteMeters.CLIENT_CACHE_GETS.description())
          .tags(extra.and(MeterTags.OUTCOME, outcome))
          .register(meterRegistry);
    }
    FunctionCounter.builder(
            StatefulRouteMeters.CLIENT_CACHE_EVICTIONS.meterName(),
            driver,
            d -> d.cacheStats().evictionCount())
        .description(StatefulRouteMeters.CLIENT_CACHE_EVICTIONS.description())
        .tags(extra)
        .register(meterRegistry);
    Gauge.builder(
            StatefulRouteMeters.CLIENT_CACHE_SIZE.meterName(), driver, ClientDriver::cacheSize)
        .description(StatefulRouteMeters.CLIENT_CACHE_SIZE.description())
        .baseUnit(StatefulRouteMeters.CLIENT_CACHE_SIZE.baseUnit())
        .tags(extra)
        .strongReference(true)
        .register(meterRegistry);
  }

  /** Builds {@link StatefulRouteObservability}; not thread-safe. */
  public static final class Builder {
    private @Nullable MeterRegistry meterRegistry;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private boolean percentileHistograms;
    private boolean uidInTraces;
    private @Nullable RouteObservationConvention convention;
    private String dbSystem = "redis";
    private Clock clock = Clock.SYSTEM;

    private Builder() {}

    /** Where meters go; none (the default) turns metrics off. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Args.notNull("meterRegistry", registry);
      return this;
    }

    /** Where observations go; {@link ObservationRegistry#NOOP} (the default) turns tracing off. */
    public Builder observationRegistry(ObservationRegistry registry) {
      this.observationRegistry = Args.notNull("observationRegistry", registry);
      return this;
    }

    /** Publishes histogram buckets for every timer (off by default: one series per bucket). */
    public Builder percentileHistograms(boolean enabled) {
      this.percentileHistograms = enabled;
      return this;
    }

    /** Adds the uid as a high-cardinality key to observations (off by default). */
    public Builder uidInTraces(boolean enabled) {
      this.uidInTraces = enabled;
      return this;
    }

    /**
     * A custom observation convention (names, keys); default {@link
     * DefaultRouteObservationConvention}.
     */
    public Builder convention(RouteObservationConvention convention) {
      this.convention = Args.notNull("convention", convention);
      return this;
    }

    /** The {@code db.system} key value of executor observations; default {@code redis}. */
    public Builder dbSystem(String dbSystem) {
      Args.notNull("dbSystem", dbSystem);
      if (dbSystem.isBlank()) {
        throw new IllegalArgumentException("dbSystem must not be blank");
      }
      this.dbSystem = dbSystem;
      return this;
    }

    /**
     * The clock of the refresh age gauge; default the system clock ({@code MockClock} in tests).
     */
    public Builder clock(Clock clock) {
      this.clock = Args.notNull("clock", clock);
      return this;
    }

    public StatefulRouteObservability build() {
      return new StatefulRouteObservability(this);
    }
  }
}
