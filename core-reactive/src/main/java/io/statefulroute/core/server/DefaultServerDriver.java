package io.statefulroute.core.server;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.internal.SerialEmitter;
import io.statefulroute.core.spi.Args;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The {@link ServerDriver}: publishes the pod's state on an interval and manages its links. */
final class DefaultServerDriver implements ServerDriver {
  private enum Phase {
    NEW,
    STARTED,
    STOPPING,
    STOPPED
  }

  private final StatefulExecutor executor;
  private final ServerOptions options;
  private final LoadSampler loadSampler;
  private final ShedRequests shedRequests;

  private final AtomicReference<RoutingState> state = new AtomicReference<>(RoutingState.READY);
  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);

  /** Bumped on every change of load or state; a publication records the version it carried. */
  private final AtomicLong version = new AtomicLong();

  /** Change triggers; emitted from any thread (setLoad, setRoutingState, stop): serialized. */
  private final SerialEmitter<Long> changes = SerialEmitter.unicast();

  private final Sinks.Many<Long> published = Sinks.many().replay().latest();
  private final Sinks.Empty<Void> stopTicks = Sinks.empty();
  private final AtomicBoolean publishing = new AtomicBoolean();
  private final LongAdder publications = new LongAdder();
  private final LongAdder failures = new LongAdder();

  /** The publication loop; null until {@link #start} subscribed it. */
  private volatile @Nullable Disposable loop;

  DefaultServerDriver(StatefulExecutor executor, ServerOptions options) {
    this.executor = Args.notNull("executor", executor);
    this.options = Args.notNull("options", options);
    this.loadSampler = new LoadSampler(options);
    this.shedRequests = new ShedRequests(executor, options);
  }

  @Override
  public ServerOptions options() {
    return options;
  }

  // ------------------------------------------------------------------------- lifecycle

  @Override
  public Mono<Void> start() {
    return Mono.defer(
        () -> {
          if (!phase.compareAndSet(Phase.NEW, Phase.STARTED)) {
            return Mono.error(new IllegalStateException("server driver already " + phase.get()));
          }
          Sinks.One<Void> first = Sinks.one();
          Flux<Long> ticks =
              Flux.interval(Duration.ZERO, options.publishPeriod(), options.scheduler())
                  .takeUntilOther(stopTicks.asMono())
                  .filter(
                      tick ->
                          !publishing.get()) // a tick that finds a publication in flight is dropped
                  .onBackpressureDrop();
          loop =
              Flux.merge(ticks, changes.asFlux())
                  .onBackpressureLatest() // changes conflate: the latest state wins
                  .concatMap(trigger -> publishOnce(first), 1)
                  .subscribe();
          return first.asMono();
        });
  }

  private Mono<Long> publishOnce(Sinks.One<Void> first) {
    return Mono.defer(
        () -> {
          publishing.set(true);
          long carried = version.get();
          // never throws: load() turns a failing supplier into the last good load (a throw here
          // would end the loop and leave 'publishing' set)
          PodStatus status = status();
          return timedPublish(status)
              .doOnError(e -> failures.increment())
              .retryWhen(PublishRetry.of(options))
              .doOnNext(
                  serverTime -> {
                    publications.increment();
                    published.tryEmitNext(carried); // one publication at a time (concatMap): serial
                    first.tryEmitEmpty();
                    shedRequests.poll();
                  })
              .onErrorResume(
                  e -> {
                    first.tryEmitError(e); // start() reports it; the loop goes on
                    return Mono.empty();
                  })
              .doFinally(signal -> publishing.set(false));
        });
  }

  /** One publication attempt, reported to the listener (each retry re-subscribes: one each). */
  private Mono<Long> timedPublish(PodStatus status) {
    Mono<Long> call =
        executor.publishState(options.namespace(), options.service(), status, options.pruneAfter());
    ServerListener listener = options.listener();
    if (listener == ServerListener.NOOP) {
      return call;
    }
    return Mono.defer(
        () -> {
          long start = System.nanoTime();
          return call.doOnSuccess(
                  t ->
                      listener.published(
                          options.namespace(),
                          options.service(),
                          options.pod(),
                          System.nanoTime() - start))
              .doOnError(
                  e ->
                      listener.publishFailed(
                          options.namespace(),
                          options.service(),
                          options.pod(),
                          e,
                          System.nanoTime() - start));
        });
  }

  @Override
  public Mono<Void> stop() {
    return Mono.defer(
        () -> {
          Phase before =
              phase.getAndUpdate(p -> p == Phase.STARTED || p == Phase.NEW ? Phase.STOPPING : p);
          if (before == Phase.NEW) {
            phase.set(Phase.STOPPED);
            return Mono.empty();
          }
          if (before != Phase.STARTED) {
            return Mono.empty();
          }
          return awaitPublished(RoutingState.DENY_NEW_CALL)
              .then(drainWait())
              .then(Mono.fromRunnable(stopTicks::tryEmitEmpty))
              .then(awaitPublished(RoutingState.SHUTDOWN))
              .doFinally(
                  signal -> {
                    Disposable l = loop;
                    if (l != null) {
                      l.dispose();
                    }
                    phase.set(Phase.STOPPED);
                    changes.complete();
                    shedRequests.complete();
                  });
        });
  }

  /** Sets the state and waits (bounded) until a publication carrying it succeeded. */
  private Mono<Void> awaitPublished(RoutingState target) {
    return Mono.defer(
        () -> {
          state.set(target);
          long wanted = version.incrementAndGet();
          changes.next(wanted);
          return published
              .asFlux()
              .filter(v -> v >= wanted)
              .next()
              .timeout(options.shutdownTimeout(), options.scheduler())
              .onErrorResume(
                  e -> {
                    failures.increment();
                    return Mono.empty();
                  })
              .then();
        });
  }

  private Mono<Void> drainWait() {
    Duration timeout = options.drainTimeout();
    if (timeout.isZero()) {
      return Mono.empty();
    }
    if (options.drainedWhen().isEmpty()) {
      return Mono.delay(timeout, options.scheduler()).then();
    }
    return Flux.interval(Duration.ZERO, Duration.ofMillis(100), options.scheduler())
        .filter(tick -> options.drainedWhen().get().getAsBoolean())
        .next()
        .timeout(timeout, Mono.just(0L), options.scheduler())
        .then();
  }

  @Override
  public void close() {
    stop().subscribe(v -> {}, e -> {});
  }

  // ------------------------------------------------------------------------ load, state

  @Override
  public void setLoad(int load) {
    if (loadSampler.set(load)) {
      changed();
    }
  }

  @Override
  public int load() {
    return loadSampler.sample();
  }

  @Override
  public void setRoutingState(RoutingState routingState) {
    Args.notNull("routingState", routingState);
    if (state.getAndSet(routingState) != routingState) {
      changed();
    }
  }

  @Override
  public RoutingState routingState() {
    return currentState();
  }

  @Override
  public PodStatus status() {
    return new PodStatus(options.pod(), load(), currentState(), options.incarnation());
  }

  /** The routing state: READY from construction on, and never set to null (setRoutingState). */
  private RoutingState currentState() {
    return Objects.requireNonNull(state.get(), "the routing state is never null");
  }

  private void changed() {
    long v = version.incrementAndGet();
    if (phase.get() == Phase.STARTED || phase.get() == Phase.STOPPING) {
      changes.next(v);
    }
  }

  @Override
  public long publications() {
    return publications.sum();
  }

  @Override
  public long publicationFailures() {
    return failures.sum();
  }

  @Override
  public Flux<ShedRequest> shedRequests() {
    return shedRequests.asFlux();
  }

  @Override
  public long shedRequestsReceived() {
    return shedRequests.received();
  }

  @Override
  public long loadSupplierFailures() {
    return loadSampler.failures();
  }

  // ------------------------------------------------------------------------------ links

  @Override
  public Mono<Integer> setLinkedPod(String uid) {
    return executor.setLink(
        options.namespace(), uid, options.service(), options.pod(), StatefulExecutor.PERSISTENT);
  }

  @Override
  public Mono<ClaimResult> trySetLinkedPod(String uid) {
    return executor.claimLink(
        options.namespace(), uid, options.service(), options.pod(), StatefulExecutor.PERSISTENT);
  }

  @Override
  public Mono<Integer> removeLinkedPod(String uid) {
    return executor.removeLink(options.namespace(), uid, options.service(), options.removeDelay());
  }

  @Override
  public Mono<Boolean> removeLinkedPodWithId(String uid, int pod, Duration delay) {
    return executor.removeLinkIfOwner(options.namespace(), uid, options.service(), pod, delay);
  }

  @Override
  public Mono<ReleaseSummary> releaseLinks(Flux<String> uids) {
    Args.notNull("uids", uids);
    int batch = options.releaseBatchSize();
    return uids.bufferTimeout(batch, options.releaseBatchTimeout(), options.scheduler(), true)
        .flatMap(this::releaseBatch, options.releaseConcurrency())
        .reduce(
            new long[3],
            (acc, counts) -> {
              acc[0] += counts[0];
              acc[1] += counts[1];
              acc[2] += counts[2];
              return acc;
            })
        .map(acc -> new ReleaseSummary(acc[0], acc[1], acc[2]));
  }

  /** One batch: its removals issued together (pipelined), counted by outcome. */
  private Mono<long[]> releaseBatch(List<String> uids) {
    return Flux.fromIterable(uids)
        .flatMap(
            uid ->
                executor
                    .removeLinkIfOwner(
                        options.namespace(),
                        uid,
                        options.service(),
                        options.pod(),
                        options.removeDelay())
                    .map(removed -> removed ? 0 : 1)
                    .onErrorResume(
                        e -> !(e instanceof IllegalArgumentException), e -> Mono.just(2)),
            uids.size())
        .reduce(
            new long[3],
            (acc, outcome) -> {
              acc[outcome]++;
              return acc;
            });
  }

  @Override
  public Mono<Void> setWorkloadState(String value) {
    return executor.setWorkloadState(options.namespace(), options.service(), value);
  }
}
