package io.statefulroute.core.rebalance;

import io.statefulroute.core.PodState;
import io.statefulroute.core.RebalancerLease;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.ServiceView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@link Rebalancer}: one cycle per period, on the options' scheduler. */
final class DefaultRebalancer implements Rebalancer {
  private final StatefulExecutor executor;
  private final ServiceStateCache states;
  private final RebalancerOptions options;
  private final AtomicReference<@Nullable RebalanceReport> last = new AtomicReference<>();
  private final AtomicReference<@Nullable Disposable> timer = new AtomicReference<>();
  private final LongAdder cycles = new LongAdder();
  private final LongAdder led = new LongAdder();
  private final LongAdder requested = new LongAdder();
  private final LongAdder failures = new LongAdder();

  /** Pod to the incarnation seen and when it was first seen (store millis). */
  private final Map<Integer, Map.Entry<String, Long>> seen = new HashMap<>();

  /** Pod to its requests not yet shown by its publications: {store millis, links}. */
  private final Map<Integer, List<long[]>> pending = new HashMap<>();

  DefaultRebalancer(
      StatefulExecutor executor, ServiceStateCache states, RebalancerOptions options) {
    this.executor = Args.notNull("executor", executor);
    this.states = Args.notNull("states", states);
    this.options = Args.notNull("options", options);
  }

  @Override
  public RebalancerOptions options() {
    return options;
  }

  @Override
  public void start() {
    if (timer.get() != null) {
      return;
    }
    Disposable loop =
        Flux.interval(options.period(), options.period(), options.scheduler())
            .onBackpressureDrop()
            .concatMap(tick -> runCycle(), 1)
            .subscribe();
    if (!timer.compareAndSet(null, loop)) {
      loop.dispose();
    }
  }

  @Override
  public Mono<RebalanceReport> runCycle() {
    return Mono.defer(
        () -> {
          cycles.increment();
          return executor
              .acquireRebalancer(
                  options.namespace(), options.service(), options.owner(), options.leaseTtl())
              .flatMap(lease -> lease == RebalancerLease.HELD ? lead() : Mono.just(idle(lease)))
              .onErrorResume(
                  e -> {
                    failures.increment();
                    return Mono.just(
                        new RebalanceReport(now(), null, Map.of(), null, e.toString()));
                  })
              .doOnNext(last::set);
        });
  }

  private RebalanceReport idle(RebalancerLease lease) {
    synchronized (pending) {
      pending.clear(); // another holder's requests are not ours to count
    }
    return new RebalanceReport(now(), lease, Map.of(), null, null);
  }

  private Mono<RebalanceReport> lead() {
    led.increment();
    return states
        .refresh(options.namespace(), options.service())
        .flatMap(
            view -> {
              long storeNow = view.serverTimeMillis();
              List<PodState> available = view.availablePods();
              Map<Integer, Integer> pendingNow = pendingFor(view, available);
              RebalancePlan plan =
                  RebalancePlan.compute(
                      available,
                      pendingNow,
                      young(available, storeNow),
                      options.tolerance(),
                      options.maxMovesPerCycle(),
                      options.maxShedRatio());
              Map<Integer, Integer> loads = new HashMap<>();
              for (PodState pod : available) {
                loads.put(
                    pod.pod(), Math.max(0, pod.load() - pendingNow.getOrDefault(pod.pod(), 0)));
              }
              return Flux.fromIterable(plan.sorted())
                  .concatMap(
                      e ->
                          executor
                              .requestShed(
                                  options.namespace(),
                                  options.service(),
                                  e.getKey(),
                                  e.getValue(),
                                  options.period())
                              .then(
                                  Mono.fromRunnable(
                                      () -> asked(e.getKey(), e.getValue(), storeNow))))
                  .then(
                      Mono.fromCallable(
                          () ->
                              new RebalanceReport(now(), RebalancerLease.HELD, loads, plan, null)));
            });
  }

  /** The pods whose incarnation was first seen less than {@code joinGrace} ago. */
  private Set<Integer> young(List<PodState> available, long storeNow) {
    Set<Integer> young = new HashSet<>();
    long grace = options.joinGrace().toMillis();
    synchronized (seen) {
      boolean firstCycle = seen.isEmpty(); // the pods present then are not young
      for (PodState pod : available) {
        Map.Entry<String, Long> first = seen.get(pod.pod());
        if (first == null || !first.getKey().equals(pod.incarnation())) {
          long since = firstCycle ? Long.MIN_VALUE / 2 : storeNow;
          first = Map.entry(pod.incarnation(), since);
          seen.put(pod.pod(), first);
        }
        if (storeNow - first.getValue() < grace) {
          young.add(pod.pod());
        }
      }
    }
    return young;
  }

  /** Drops what the pods' publications show by now, and sums the rest per pod. */
  private Map<Integer, Integer> pendingFor(ServiceView view, List<PodState> available) {
    Map<Integer, Integer> sums = new HashMap<>();
    long settle = options.settleTime().toMillis();
    synchronized (pending) {
      pending.keySet().retainAll(view.pods().keySet());
      for (PodState pod : available) {
        List<long[]> list = pending.get(pod.pod());
        if (list == null) {
          continue;
        }
        list.removeIf(r -> pod.serverTimeMillis() >= r[0] + settle);
        long sum = 0;
        for (long[] r : list) {
          sum += r[1];
        }
        if (sum > 0) {
          sums.put(pod.pod(), (int) Math.min(Integer.MAX_VALUE, sum));
        }
      }
    }
    return sums;
  }

  private void asked(int pod, int links, long storeMillis) {
    requested.add(links);
    synchronized (pending) {
      pending.computeIfAbsent(pod, p -> new ArrayList<>()).add(new long[] {storeMillis, links});
    }
  }

  private long now() {
    return options.scheduler().now(TimeUnit.MILLISECONDS);
  }

  @Override
  public Mono<Boolean> suspend() {
    return executor.suspendRebalancing(options.namespace(), options.service(), true);
  }

  @Override
  public Mono<Boolean> resume() {
    return executor.suspendRebalancing(options.namespace(), options.service(), false);
  }

  @Override
  public @Nullable RebalanceReport lastReport() {
    return last.get();
  }

  @Override
  public long cycles() {
    return cycles.sum();
  }

  @Override
  public long cyclesLed() {
    return led.sum();
  }

  @Override
  public long requested() {
    return requested.sum();
  }

  @Override
  public long failures() {
    return failures.sum();
  }

  @Override
  public void close() {
    Disposable loop = timer.getAndSet(null);
    if (loop != null) {
      loop.dispose();
    }
  }
}
