package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.rebalance.Rebalancer;
import io.statefulroute.core.rebalance.RebalancerOptions;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.observability.analysis.AnalysisReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The simulated deployment and its run: the store, K+1 pod slots ({@link SimPod}, one {@code
 * ServerDriver} each), M gateways (one {@code ClientDriver} each), U users drawn by a {@link
 * ZipfSampler}, the {@link Timeline} of phase events, and the {@link MetricsCollector}.
 *
 * <p>The run loop moves in 10 ms ticks: it issues the requests due in the tick (each through a
 * random gateway), takes a {@link Sample} every second, and applies each phase's event at its
 * start. On the embedded executor the ticks are virtual (every timer of the drivers fires on the
 * same virtual clock, every operation completes synchronously), so a run is deterministic for a
 * seed; with Redis or HTTP they follow the wall clock and requests run concurrently (at most
 * {@value #MAX_IN_FLIGHT} in flight; more are shed and counted). With {@code --speed} a {@link
 * Pacer} holds the virtual ticks to the wall clock. The run is a {@link SimulationRun}.
 *
 * <p>The drivers and their store calls are instrumented ({@link Monitoring}); the run's own
 * observations (links per pod, the final clean-up) read the store directly and are not counted
 * there: they go through {@link BookkeepingReads}, which bounds each wait and counts the failed
 * ones for the report, so that a store fault (the {@link Phase#STORE_FAULT} phase's, or one from
 * outside) never ends the run. The store-fault phase stalls the store and restarts it empty through
 * {@link StoreFaults}; {@link StoreFaultMetrics} measures the requests of each fault. With {@code
 * --admin-port} the admin endpoint serves the meters and the deployment while the run lasts; the
 * report ends with the analyzer's findings.
 */
final class Simulation {
  static final String SERVICE = "game";
  static final int MAX_IN_FLIGHT = 1024;

  private final SimulationOptions options;
  private final ProgressLine progress;

  Simulation(SimulationOptions options, ProgressLine progress) {
    this.options = options;
    this.progress = progress;
  }

  /** The running deployment; {@code store} is the uninstrumented store. */
  record Deployment(
      String namespace,
      StatefulExecutor store,
      List<SimPod> pods,
      List<ClientDriver> gateways,
      List<CountingExecutor> gatewayConnections,
      List<Rebalancer> rebalancers) {}

  /**
   * Runs the whole timeline.
   *
   * @throws IllegalStateException when the store cannot be opened or reached
   */
  SimulationResult run() {
    long wallStart = System.nanoTime();
    SimClock clock = options.virtualTime() ? SimClock.virtual() : SimClock.wall();
    SplittableRandom random = new SplittableRandom(options.seed());
    String[] uids = new String[options.users()];
    for (int i = 0; i < uids.length; i++) {
      uids[i] = "user-" + i;
    }
    try (SimStore store = SimStore.open(options, clock);
        Monitoring monitoring = new Monitoring(clock)) {
      String ns = store.namespace();
      StatefulExecutor metered = monitoring.executor(store.executor());
      List<SimPod> pods = new ArrayList<>();
      for (int p = 0; p <= options.pods(); p++) { // the last slot joins at scale-out
        pods.add(new SimPod(p, ns, SERVICE, metered, clock, monitoring.serverListener()));
      }
      List<CountingExecutor> connections = new ArrayList<>();
      List<ClientDriver> gateways = new ArrayList<>();
      for (int g = 0; g < options.gateways(); g++) {
        CountingExecutor connection = new CountingExecutor(metered);
        connections.add(connection);
        gateways.add(
            monitoring.gateway(
                ClientDriver.create(connection, clientOptions(clock, random.split(), monitoring)),
                g));
      }
      // every gateway runs a rebalancer; the lease lets one of them act at a time
      List<Rebalancer> rebalancers = new ArrayList<>();
      for (int g = 0; g < gateways.size(); g++) {
        RebalancerOptions.Builder rb = RebalancerOptions.builder(ns, SERVICE).owner("gateway-" + g);
        if (clock.driverScheduler() != null) {
          rb.scheduler(clock.driverScheduler());
        }
        rebalancers.add(
            Rebalancer.create(connections.get(g), gateways.get(g).states(), rb.build()));
      }
      Deployment deployment =
          new Deployment(ns, store.executor(), pods, gateways, connections, rebalancers);
      Frontend frontend =
          options.http()
              ? new HttpFrontend(ns, SERVICE, gateways, pods)
              : new InProcessFrontend(ns, SERVICE, gateways, pods);
      try {
        if (options.adminPort().isPresent()) {
          String url =
              monitoring.serve(
                  options.adminPort().getAsInt(), store.executor(), gateways.get(0).states());
          announce(url, ns, uids[0]);
        }
        MetricsCollector metrics = new MetricsCollector(options.users());
        StoreFaultMetrics faultMetrics = new StoreFaultMetrics();
        BookkeepingReads bookkeeping = new BookkeepingReads(options.virtualTime());
        SimulationRun run =
            new SimulationRun(
                options,
                progress,
                deployment,
                frontend,
                clock,
                metrics,
                uids,
                random,
                store.faults(),
                faultMetrics,
                bookkeeping);
        run.execute();
        RebalanceResult rebalance =
            RebalanceResult.of(
                metrics.samples(),
                run.moveTrace(),
                options.pods(),
                Timeline.of(options.duration()).startMillis(Phase.SCALE_OUT),
                rebalancers.stream().mapToLong(Rebalancer::requested).sum(),
                pods.stream().mapToLong(SimPod::shedReleased).sum());
        AnalysisReport analysis = monitoring.analyze();
        if (store.isRedis()) {
          removeLinks(store.executor(), ns, uids, bookkeeping);
        }
        StoreFaultResult storeFault =
            new StoreFaultResult(
                store.faults().injects(),
                store.faults().description(),
                store.faults().commandTimeout(),
                faultMetrics.windows(),
                bookkeeping.failures());
        return new SimulationResult(
            options,
            store.description(),
            pods.size(),
            metrics.phases(),
            metrics.samples(),
            metrics.crash(),
            storeFault,
            rebalance,
            (System.nanoTime() - wallStart) / 1_000_000,
            analysis);
      } finally {
        frontend.close();
        rebalancers.forEach(Rebalancer::close);
        stopAll(pods, gateways, clock);
      }
    }
  }

  /** Where the admin endpoint listens and what to fetch there, on the progress stream. */
  private void announce(String url, String ns, String uid) {
    String pace =
        options.speed().isPresent()
            ? String.format(
                Locale.ROOT,
                "; the %d s timeline runs at %sx real time",
                options.duration().toSeconds(),
                TerminalReport.speed(options.speed().getAsDouble()))
            : "";
    progress.message("admin endpoint: " + url + " (while the run lasts" + pace + ")");
    progress.message(
        "  "
            + url
            + "/routes/"
            + ns
            + "/"
            + SERVICE
            + "   the pods: load, routing "
            + "state, age, sets (gateway 0's view)");
    progress.message(
        "  " + url + "/links/" + ns + "/" + uid + "?service=" + SERVICE + "   a user's links");
    progress.message(
        "  " + url + "/metrics   " + url + "/health   " + url + "/analysis?format=text");
  }

  private ClientOptions clientOptions(
      SimClock clock, SplittableRandom random, Monitoring monitoring) {
    StateCacheOptions.Builder states =
        StateCacheOptions.builder().listener(monitoring.stateCacheListener());
    if (clock.driverScheduler() != null) {
      states.scheduler(clock.driverScheduler());
    }
    String selector = options.selector();
    if (selector.equals(SelectorComparison.RANDOM_NO_BAND)) {
      // the comparison's baseline without load awareness: any available pod, at random
      states.defaultBand(Integer.MAX_VALUE).bandRatio(0);
      return ClientOptions.builder()
          .listener(monitoring.clientListener())
          .stateCache(states.build())
          .selector(() -> PodSelectors.random(random))
          .build();
    }
    return ClientOptions.builder()
        .listener(monitoring.clientListener())
        .stateCache(states.build())
        .selector(() -> PodSelectors.byName(selector, random))
        .placementPeers(options.gateways()) // the gateways share the traffic evenly
        .build();
  }

  private static void removeLinks(
      StatefulExecutor store, String ns, String[] uids, BookkeepingReads bookkeeping) {
    bookkeeping.await(
        Flux.fromArray(uids)
            .flatMap(
                uid ->
                    store
                        .removeLink(ns, uid, SERVICE, Duration.ZERO)
                        .onErrorResume(e -> Mono.empty()),
                64)
            .then(),
        Duration.ofSeconds(60));
  }

  private static void stopAll(List<SimPod> pods, List<ClientDriver> gateways, SimClock clock) {
    gateways.forEach(ClientDriver::close);
    Mono<Void> stops = Flux.fromIterable(pods).flatMap(SimPod::stop).then();
    if (clock.driverScheduler() != null) {
      stops.subscribe(v -> {}, e -> {});
      clock.advanceTo(clock.nowMillis() + 10_000);
    } else {
      try {
        stops.onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        // the pods' SHUTDOWN did not land in 10 s: their records expire on their own
      }
    }
  }
}
