package io.statefulroute.benchmarks.sim;

import static io.statefulroute.benchmarks.sim.Simulation.MAX_IN_FLIGHT;
import static io.statefulroute.benchmarks.sim.Simulation.SERVICE;

import io.statefulroute.benchmarks.sim.Simulation.Deployment;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.rebalance.Rebalancer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The timeline of a {@link Simulation}, run tick by tick on its {@link Deployment}: the requests
 * due in each tick, a {@link Sample} every second, each phase's event at its start and its totals
 * at its end, all recorded in the {@link MetricsCollector}.
 */
final class SimulationRun {
  private static final long TICK_MILLIS = 10;
  private static final long SAMPLE_MILLIS = 1000;
  private static final long WARM_UP_MILLIS = 3000;

  private final SimulationOptions options;
  private final ProgressLine progress;
  private final Deployment d;
  private final Frontend frontend;
  private final SimClock clock;
  private final MetricsCollector metrics;
  private final String[] uids;
  private final ZipfSampler users;
  private final SplittableRandom random;
  private final Timeline timeline;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Pacer pacer;
  private final StoreFaults faults;
  private final StoreFaultMetrics faultMetrics;
  private final BookkeepingReads bookkeeping;
  private final Duration readLimit;
  private Map<String, Integer> lastLinks = Map.of();
  private final List<Long> moveTrace = new ArrayList<>();
  private boolean restarted;
  private long origin;
  private long lookupsBefore;
  private long relinksBefore;

  SimulationRun(
      SimulationOptions options,
      ProgressLine progress,
      Deployment d,
      Frontend frontend,
      SimClock clock,
      MetricsCollector metrics,
      String[] uids,
      SplittableRandom random,
      StoreFaults faults,
      StoreFaultMetrics faultMetrics,
      BookkeepingReads bookkeeping) {
    this.options = options;
    this.progress = progress;
    this.timeline = Timeline.of(options.duration());
    this.pacer = Pacer.of(options.speed());
    this.faults = faults;
    this.faultMetrics = faultMetrics;
    this.bookkeeping = bookkeeping;
    // a batch read of every link: 1 s, more with many users (it holds up the run loop)
    this.readLimit = Duration.ofMillis(Math.max(1000, uids.length / 50L));
    this.d = d;
    this.frontend = frontend;
    this.clock = clock;
    this.metrics = metrics;
    this.uids = uids;
    this.random = random.split();
    this.users = new ZipfSampler(uids.length, options.zipf(), random.split());
  }

  void execute() {
    List<Mono<Void>> published = new ArrayList<>();
    for (int p = 0; p < options.pods(); p++) {
      published.add(start(d.pods().get(p)));
    }
    origin = clock.nowMillis();
    d.rebalancers().forEach(Rebalancer::start);
    clock.advanceTo(origin + TICK_MILLIS); // virtual time: the first publications land
    if (!options.virtualTime()) {
      bookkeeping.await(Flux.merge(published).then(), Duration.ofSeconds(30));
      for (ClientDriver g : d.gateways()) { // each gateway reads the pods before traffic
        bookkeeping.await(g.states().refresh(d.namespace(), SERVICE), Duration.ofSeconds(30));
      }
      warmUp();
      origin = clock.nowMillis(); // the timeline starts after the warm-up
    }
    for (CountingExecutor c : d.gatewayConnections()) {
      lookupsBefore += c.lookups();
      relinksBefore += c.relinks();
    }
    Phase phase = null;
    long phaseStart = 0;
    double due = 0;
    long duration = timeline.durationMillis();
    pacer.start();
    for (long at = 0; at < duration; at += TICK_MILLIS) {
      pacer.awaitTimeline(at);
      clock.advanceTo(origin + at);
      Phase now = timeline.phaseAt(at);
      if (now != phase) {
        if (phase != null) {
          endPhase(phase, phaseStart, at);
        }
        phase = now;
        phaseStart = at;
        begin(now, at);
      }
      if (now == Phase.STORE_FAULT && !restarted && at >= timeline.restartMillis()) {
        restarted = true;
        restart(at);
      }
      if (at > 0 && at % SAMPLE_MILLIS == 0) {
        Sample s = sample(at, now);
        progress.update(s, metrics.misroutes(), false);
      }
      due += options.rate() * (double) TICK_MILLIS / 1000;
      for (; due >= 1; due--) {
        issue(now);
      }
    }
    pacer.awaitTimeline(duration);
    clock.advanceTo(origin + duration);
    awaitInFlight();
    Sample last = sample(duration, phase);
    progress.update(last, metrics.misroutes(), true);
    progress.done();
    endPhase(phase, phaseStart, duration);
  }

  /** Starts a pod process: its HTTP endpoint listens (HTTP mode) before it publishes. */
  private Mono<Void> start(SimPod pod) {
    frontend.podStarted(pod);
    return pod.start();
  }

  /**
   * Real time only: {@value #WARM_UP_MILLIS} ms of traffic at the configured rate, not recorded,
   * then a wait for it to finish, so that connections, the state caches and the JIT are ready when
   * the timeline starts (else its first seconds measure the warm-up, and requests queue and are
   * shed).
   */
  private void warmUp() {
    long start = clock.nowMillis();
    double due = 0;
    for (long at = 0; at < WARM_UP_MILLIS; at += TICK_MILLIS) {
      clock.advanceTo(start + at);
      due += options.rate() * (double) TICK_MILLIS / 1000;
      for (; due >= 1; due--) {
        if (inFlight.get() < MAX_IN_FLIGHT) {
          inFlight.incrementAndGet();
          frontend
              .send(random.nextInt(options.gateways()), uids[users.next()])
              .doFinally(signal -> inFlight.decrementAndGet())
              .subscribe();
        }
      }
    }
    awaitInFlight();
  }

  private void issue(Phase phase) {
    int user = users.next();
    int gateway = random.nextInt(options.gateways());
    long issued = elapsed();
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      Outcome shed = new Outcome(Outcome.Kind.SHED, -1, -1);
      metrics.record(phase, user, shed, issued);
      faultMetrics.record(issued, issued, shed);
      return;
    }
    frontend
        .send(gateway, uids[user])
        .doFinally(signal -> inFlight.decrementAndGet())
        .subscribe(
            outcome -> {
              long done = elapsed();
              metrics.record(phase, user, outcome, done);
              faultMetrics.record(issued, done, outcome);
            });
  }

  private long elapsed() {
    return clock.nowMillis() - origin;
  }

  /** The event that opens {@code phase}. */
  private void begin(Phase phase, long at) {
    List<SimPod> pods = d.pods();
    switch (phase) {
      case STEADY -> {}
      case SCALE_OUT -> start(pods.get(options.pods()));
      case DRAIN -> pods.get(Phase.DRAINING_POD).setRoutingState(RoutingState.DENY_NEW_CALL);
      case CRASH -> {
        SimPod crashing = pods.get(Phase.CRASHING_POD);
        Map<String, Integer> links = readLinks();
        boolean[] linked = new boolean[uids.length];
        for (int i = 0; i < uids.length; i++) {
          Integer pod = links.get(uids[i]);
          linked[i] = pod != null && pod == crashing.index();
        }
        metrics.crashed(crashing.index(), at, linked);
        crashing.crash();
        frontend.podCrashed(crashing);
      }
      case RECOVERY -> {
        start(pods.get(Phase.CRASHING_POD));
        pods.get(Phase.DRAINING_POD).setRoutingState(RoutingState.READY);
      }
      case CORDON ->
          bookkeeping.await(
              d.store().cordonPod(d.namespace(), SERVICE, Phase.CORDONED_POD), readLimit);
      case STORE_FAULT -> {
        bookkeeping.await(
            d.store().uncordonPod(d.namespace(), SERVICE, Phase.CORDONED_POD), readLimit);
        metrics.crashObservedUntil(at);
        if (faults.injects()) {
          faultMetrics.opened("stall", at, at + Phase.STALL_MILLIS, lookups());
          faults.stall(Phase.STALL_MILLIS);
        }
      }
      default -> throw new IllegalStateException("unknown phase " + phase);
    }
  }

  /** The store restarts empty; the window of the restart opens when it answers again. */
  private void restart(long at) {
    if (faults.injects()) {
      faultMetrics.closed(at, lookups());
      faults.restartEmpty();
      long back = elapsed();
      faultMetrics.opened("restart", at, Math.max(at, back), lookups());
    }
  }

  /** The gateways' store lookups (cache misses) so far. */
  private long lookups() {
    long lookups = 0;
    for (CountingExecutor c : d.gatewayConnections()) {
      lookups += c.lookups();
    }
    return lookups;
  }

  private void endPhase(Phase phase, long start, long end) {
    long lookups = -lookupsBefore;
    long relinks = -relinksBefore;
    for (CountingExecutor c : d.gatewayConnections()) {
      lookups += c.lookups();
      relinks += c.relinks();
    }
    if (phase == Phase.STORE_FAULT) {
      faultMetrics.closed(end, lookups + lookupsBefore);
    }
    metrics.phaseEnded(phase, start, end, observe(end, phase), lookups, relinks);
  }

  /** Per sample, the links the pods had released for rebalancers by then. */
  List<Long> moveTrace() {
    return List.copyOf(moveTrace);
  }

  private Sample sample(long at, Phase phase) {
    Sample s = observe(at, phase);
    long released = 0;
    for (SimPod pod : d.pods()) {
      released += pod.shedReleased();
    }
    moveTrace.add(released);
    return metrics.sample(at, phase, s.links(), s.load(), s.states());
  }

  /**
   * The deployment now: links per pod from the store, each pod's load and routing state (no request
   * counts: {@link MetricsCollector#sample} adds them to the per-second samples).
   */
  private Sample observe(long at, Phase phase) {
    int slots = d.pods().size();
    int[] links = new int[slots];
    for (Integer pod : readLinks().values()) {
      if (pod >= 0 && pod < slots) {
        links[pod]++;
      }
    }
    int[] load = new int[slots];
    RoutingState[] states = new RoutingState[slots];
    for (SimPod pod : d.pods()) {
      states[pod.index()] = pod.routingState();
      load[pod.index()] = pod.isUp() ? pod.load() : 0;
    }
    if (phase == Phase.CORDON && states[Phase.CORDONED_POD] == RoutingState.READY) {
      states[Phase.CORDONED_POD] = RoutingState.DENY_NEW_CALL; // as every client treats it
    }
    return new Sample(at, phase, links, load, states, 0, 0);
  }

  /** Every user's link, from the store; the last ones read when the store does not answer. */
  private Map<String, Integer> readLinks() {
    bookkeeping
        .await(d.store().batchGetLinks(d.namespace(), Arrays.asList(uids), SERVICE), readLimit)
        .ifPresent(links -> lastLinks = links);
    return lastLinks;
  }

  private void awaitInFlight() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      clock.advanceTo(clock.nowMillis() + 1);
      if (clock.driverScheduler() == null) {
        Thread.onSpinWait();
      }
    }
  }
}
