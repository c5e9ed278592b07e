package io.statefulroute.benchmarks.sim;

import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientListener;
import io.statefulroute.core.server.ServerListener;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.StateCacheListener;
import io.statefulroute.observability.StatefulRouteObservability;
import io.statefulroute.observability.admin.AdminOptions;
import io.statefulroute.observability.admin.AdminServer;
import io.statefulroute.observability.analysis.AnalysisReport;
import io.statefulroute.observability.analysis.PerformanceAnalyzer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The run's instrumentation, as a user would wire the {@code reactive-observability} module: one
 * Prometheus registry with the meters of every gateway (client, link cache and state cache
 * listeners), every pod (publication listener) and their store calls (the instrumented executor);
 * the performance analyzer over it; and, with {@code --admin-port}, the admin endpoint on loopback.
 *
 * <p>The registry, the refresh-age gauge and the analyzer read the simulation's clock, so in
 * virtual time their windows and ages are in simulated time and the counters and gauges the rules
 * read are the same in every run of a seed. Durations (timers) are measured on the wall clock, as
 * the report's compute latency is: the rules that judge them ({@link #WALL_CLOCK_RULES}) vary from
 * run to run.
 */
final class Monitoring implements AutoCloseable {
  /** Rules whose findings depend on wall-clock durations, not on what the run did. */
  static final Set<String> WALL_CLOCK_RULES = Set.of("slow_executor_calls");

  private final PrometheusMeterRegistry registry;
  private final StatefulRouteObservability observability;
  private final PerformanceAnalyzer analyzer;
  private AdminServer admin;

  Monitoring(SimClock clock) {
    Clock meterClock = clock.driverScheduler() == null ? Clock.SYSTEM : new SimMeterClock(clock);
    this.registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), meterClock);
    this.observability =
        StatefulRouteObservability.builder()
            .meterRegistry(registry)
            .percentileHistograms(
                true) // slow_executor_calls judges a p99, not a max one GC pause sets
            .clock(meterClock)
            .build();
    this.analyzer =
        PerformanceAnalyzer.builder(registry)
            .clock(new SimTimeClock(clock, ZoneOffset.UTC))
            .cumulative() // the report judges the whole run, however long
            .build();
  }

  /** {@code store} timed per operation ({@code statefulroute.executor.call}). */
  StatefulExecutor executor(StatefulExecutor store) {
    return observability.executor(store);
  }

  ClientListener clientListener() {
    return observability.clientListener();
  }

  StateCacheListener stateCacheListener() {
    return observability.stateCacheListener();
  }

  ServerListener serverListener() {
    return observability.serverListener();
  }

  /** Binds gateway {@code index}'s link cache meters, tagged {@code client=gw-<index>}. */
  ClientDriver gateway(ClientDriver driver, int index) {
    return observability.clientDriver(driver, "client", "gw-" + index);
  }

  /**
   * Starts the admin endpoint on {@code 127.0.0.1:port}. It reads the store directly (its reads are
   * not counted in the meters it shows) and one gateway's state cache ({@code /routes}).
   *
   * @return the endpoint's base URL, e.g. {@code http://127.0.0.1:9464}
   * @throws IllegalStateException when the port cannot be bound
   */
  String serve(int port, StatefulExecutor store, ServiceStateCache states) {
    AdminOptions options =
        AdminOptions.builder()
            .port(port)
            .prometheus(registry)
            .executor(store)
            .stateCache(states)
            .observability(observability)
            .analyzer(analyzer)
            .build();
    try {
      admin = AdminServer.start(options).block(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot serve the admin endpoint on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    return "http://" + options.host() + ":" + admin.port();
  }

  /** The analyzer's findings over everything the registry holds now. */
  AnalysisReport analyze() {
    return analyzer.analyze();
  }

  /** Stops the admin endpoint (when it runs) and closes the registry. */
  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    registry.close();
  }

  /** Micrometer's clock on the simulation's (virtual) clock. */
  private record SimMeterClock(SimClock clock) implements Clock {
    @Override
    public long wallTime() {
      return clock.nowMillis();
    }

    @Override
    public long monotonicTime() {
      return TimeUnit.MILLISECONDS.toNanos(clock.nowMillis());
    }
  }

  /** The analysis reports' timestamps on the simulation's clock. */
  private static final class SimTimeClock extends java.time.Clock {
    private final SimClock clock;
    private final ZoneId zone;

    SimTimeClock(SimClock clock, ZoneId zone) {
      this.clock = clock;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public java.time.Clock withZone(ZoneId zone) {
      return new SimTimeClock(clock, zone);
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(clock.nowMillis());
    }
  }
}
