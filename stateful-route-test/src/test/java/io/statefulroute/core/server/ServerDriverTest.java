package io.statefulroute.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.PodState;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StoreUnavailableException;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.spi.Args;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ServerDriverTest {
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;
  private FaultyExecutor executor;

  @BeforeEach
  void setUp() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
    executor = new FaultyExecutor(store);
  }

  private ServerOptions.Builder options(int pod) {
    return ServerOptions.builder("ns", "svc", pod).incarnation("inc-" + pod).scheduler(clock);
  }

  private PodState published(int pod) {
    return store.readState("ns", "svc").block().pods().get(pod);
  }

  @Test
  void start_publishesAtOnce_thenEveryPeriod() {
    ServerDriver server = ServerDriver.create(executor, options(0).build());
    StepVerifier.create(server.start()).verifyComplete();
    assertThat(server.publications()).isEqualTo(1);
    assertThat(published(0).state()).isEqualTo(RoutingState.READY);
    clock.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(server.publications()).isEqualTo(11);
    StepVerifier.create(server.start()).expectError(IllegalStateException.class).verify();
  }

  @Test
  void loadOrStateChange_publishesAtOnce_withoutWaitingForTheTimer() {
    ServerDriver server = ServerDriver.create(executor, options(1).build());
    server.start().block();
    server.setLoad(42);
    assertThat(published(1).load()).isEqualTo(42);
    server.setRoutingState(RoutingState.DENY_NEW_CALL);
    assertThat(published(1).state()).isEqualTo(RoutingState.DENY_NEW_CALL);
    long before = server.publications();
    server.setLoad(42); // unchanged: no publication
    assertThat(server.publications()).isEqualTo(before);
  }

  @Test
  void changesWhilePublishing_conflateToTheLatest() {
    // publications take 500 ms: 100 load changes meanwhile end in a couple of writes, the last
    // one carrying the latest load
    FaultyExecutor slow =
        new FaultyExecutor(store) {
          @Override
          public Mono<Long> publishState(String ns, String svc, PodStatus status, Duration prune) {
            return super.publishState(ns, svc, status, prune)
                .delayElement(Duration.ofMillis(500), clock);
          }
        };
    ServerDriver server = ServerDriver.create(slow, options(2).build());
    server.start().subscribe();
    for (int i = 1; i <= 100; i++) {
      server.setLoad(i);
    }
    clock.advanceTimeBy(Duration.ofMillis(900));
    assertThat(slow.calls("publishState")).isLessThanOrEqualTo(3);
    assertThat(published(2).load()).isEqualTo(100);
  }

  @Test
  void failedPublications_areRetriedCounted_andNeverEndTheLoop() {
    ServerDriver server =
        ServerDriver.create(executor, options(3).publishRetry(2, Duration.ofMillis(100)).build());
    executor.failing(true);
    StepVerifier.create(server.start())
        .then(() -> clock.advanceTimeBy(Duration.ofSeconds(1)))
        .expectError(StoreUnavailableException.class)
        .verify(Duration.ofSeconds(5));
    clock.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(server.publicationFailures()).isGreaterThanOrEqualTo(6);
    executor.failing(false);
    clock.advanceTimeBy(Duration.ofSeconds(1)); // republishes within one period
    assertThat(published(3)).isNotNull();
    assertThat(server.publications()).isPositive();
  }

  @Test
  void stop_deniesNewCalls_drains_thenPublishesShutdown_andStopsTheTimer() {
    AtomicBoolean drained = new AtomicBoolean();
    ServerDriver server =
        ServerDriver.create(
            executor,
            options(4).drainTimeout(Duration.ofSeconds(30)).drainedWhen(drained::get).build());
    server.start().block();
    StepVerifier.withVirtualTime(() -> server.stop(), () -> clock, Long.MAX_VALUE)
        .then(() -> assertThat(published(4).state()).isEqualTo(RoutingState.DENY_NEW_CALL))
        .thenAwait(Duration.ofSeconds(5))
        .then(() -> assertThat(published(4).state()).isEqualTo(RoutingState.DENY_NEW_CALL))
        .then(() -> drained.set(true))
        .thenAwait(Duration.ofMillis(200))
        .verifyComplete();
    assertThat(published(4).state()).isEqualTo(RoutingState.SHUTDOWN);
    long after = server.publications();
    clock.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(server.publications()).isEqualTo(after); // the timer is cancelled
    StepVerifier.create(server.stop()).verifyComplete(); // idempotent
  }

  @Test
  void stop_drainWaitIsBoundedByItsTimeout() {
    ServerDriver server =
        ServerDriver.create(
            executor,
            options(5).drainTimeout(Duration.ofSeconds(3)).drainedWhen(() -> false).build());
    server.start().block();
    StepVerifier.withVirtualTime(() -> server.stop(), () -> clock, Long.MAX_VALUE)
        .thenAwait(Duration.ofSeconds(2))
        .then(() -> assertThat(published(5).state()).isEqualTo(RoutingState.DENY_NEW_CALL))
        .thenAwait(Duration.ofSeconds(2))
        .verifyComplete();
    assertThat(published(5).state()).isEqualTo(RoutingState.SHUTDOWN);
  }

  @Test
  void stop_whenRedisIsDown_endsWithinTheShutdownTimeouts() {
    ServerDriver server =
        ServerDriver.create(executor, options(6).shutdownTimeout(Duration.ofSeconds(1)).build());
    server.start().block();
    executor.failing(true);
    StepVerifier.withVirtualTime(() -> server.stop(), () -> clock, Long.MAX_VALUE)
        .thenAwait(Duration.ofSeconds(2))
        .verifyComplete();
  }

  @Test
  void load_weightedWithQueue_isRoundedAndClampedAtZero() {
    AtomicInteger queue = new AtomicInteger(10);
    ServerDriver server =
        ServerDriver.create(executor, options(7).queueWeighted(0.25, queue::get).build());
    server.setLoad(3);
    assertThat(server.load()).isEqualTo(Math.round(0.25 * 10 + 0.75 * 3)); // 4.75 -> 5
    queue.set(-1_000); // a misbehaving supplier never makes the load negative
    assertThat(server.load()).isZero();
    ServerDriver supplied =
        ServerDriver.create(executor, options(8).loadSupplier(() -> 17).build());
    assertThat(supplied.load()).isEqualTo(17);
    assertThatThrownBy(() -> supplied.setLoad(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> server.setLoad(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------ load supplier failures

  /** A supplier of {@code loads}, in order; {@code null} entries throw. Then the last value. */
  private static IntSupplier scripted(Integer... loads) {
    AtomicInteger calls = new AtomicInteger();
    return () -> {
      Integer v = loads[Math.min(calls.getAndIncrement(), loads.length - 1)];
      if (v == null) {
        throw new IllegalStateException("load probe failed");
      }
      return v;
    };
  }

  /** A listener that records the load supplier failures it is told about. */
  private static final class LoadFailures implements ServerListener {
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Override
    public void loadSupplierFailed(String namespace, String service, int pod, Throwable error) {
      errors.add(error);
    }
  }

  @Test
  void publish_loadSupplierThrowsOnce_publicationContinuesWithLastGoodLoad() {
    LoadFailures reported = new LoadFailures();
    ServerDriver server =
        ServerDriver.create(
            executor, options(10).loadSupplier(scripted(10, null, 30)).listener(reported).build());
    StepVerifier.create(server.start()).expectComplete().verify(Duration.ofSeconds(5));
    assertThat(published(10).load()).isEqualTo(10);
    clock.advanceTimeBy(Duration.ofSeconds(1)); // the supplier throws: the last good load goes
    assertThat(server.publications()).isEqualTo(2);
    assertThat(published(10).load()).isEqualTo(10);
    assertThat(server.loadSupplierFailures()).isEqualTo(1);
    assertThat(reported.errors).singleElement().isInstanceOf(IllegalStateException.class);
    clock.advanceTimeBy(Duration.ofSeconds(1)); // the supplier works again
    assertThat(published(10).load()).isEqualTo(30);
    clock.advanceTimeBy(Duration.ofSeconds(5)); // the loop never ended
    assertThat(server.publications()).isEqualTo(8);
    assertThat(server.publicationFailures()).isZero();
    assertThat(server.loadSupplierFailures()).isEqualTo(1);
  }

  @Test
  void start_firstLoadSupplierCallThrows_completesAndPublishes() {
    LoadFailures reported = new LoadFailures();
    ServerDriver server =
        ServerDriver.create(
            executor, options(11).loadSupplier(scripted(null, 7)).listener(reported).build());
    StepVerifier.create(server.start()).expectComplete().verify(Duration.ofSeconds(5));
    assertThat(server.publications()).isEqualTo(1);
    // no good load yet: the documented default
    assertThat(published(11).load()).isEqualTo(ServerDriver.DEFAULT_LOAD).isZero();
    assertThat(server.loadSupplierFailures()).isEqualTo(1);
    assertThat(reported.errors).hasSize(1);
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(published(11).load()).isEqualTo(7);
    assertThat(server.publications()).isEqualTo(2);
  }

  @Test
  void publish_loadSupplierReturnsNegative_publicationContinuesWithLastGoodLoad() {
    LoadFailures reported = new LoadFailures();
    ServerDriver server =
        ServerDriver.create(
            executor, options(12).loadSupplier(scripted(5, -3, 8)).listener(reported).build());
    server.start().block();
    assertThat(published(12).load()).isEqualTo(5);
    clock.advanceTimeBy(Duration.ofSeconds(1)); // -3 is not a load: the last good one goes
    assertThat(server.publications()).isEqualTo(2);
    assertThat(published(12).load()).isEqualTo(5);
    assertThat(server.loadSupplierFailures()).isEqualTo(1);
    assertThat(reported.errors).hasSize(1);
    assertThat(reported.errors.get(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("load >= 0");
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(published(12).load()).isEqualTo(8);
  }

  @Test
  void publish_queueLengthSupplierThrows_publicationContinuesWithLastGoodLoad() {
    ServerDriver server =
        ServerDriver.create(executor, options(13).queueWeighted(1, scripted(4, null, 6)).build());
    server.start().block();
    assertThat(published(13).load()).isEqualTo(4);
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(published(13).load()).isEqualTo(4);
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(published(13).load()).isEqualTo(6);
    assertThat(server.publications()).isEqualTo(3);
    assertThat(server.loadSupplierFailures()).isEqualTo(1);
  }

  // ------------------------------------------------------------- concurrent triggers

  private static final int THREADS = 8;
  private static final int CHANGES_PER_THREAD = 1000;

  /**
   * Runs {@code body(thread)} on {@link #THREADS} threads released together by one latch, and
   * returns when all of them returned (their errors fail the test).
   */
  private static void concurrently(IntConsumer body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  body.accept(thread);
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void setLoad_manyThreadsConcurrently_theLatestLoadIsAlwaysPublished() throws Exception {
    for (int round = 0; round < 30; round++) {
      setUp();
      ServerDriver server = ServerDriver.create(executor, options(14).build());
      server.start().block();
      CyclicBarrier last = new CyclicBarrier(THREADS);
      concurrently(
          thread -> {
            for (int i = 1; i <= CHANGES_PER_THREAD; i++) {
              if (i == CHANGES_PER_THREAD) {
                await(last); // the last changes of all threads race each other
              }
              server.setLoad(thread * CHANGES_PER_THREAD + i);
            }
          });
      // no timer tick ran (virtual time stood still): only the change triggers published
      assertThat(published(14).load()).as("round %d", round).isEqualTo(server.load());
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void setLoad_whileAnotherThreadPublishes_theNewLoadIsPublished() {
    // the first change's publication runs on this thread; in the middle of it another thread
    // changes the load (and is waited for): its trigger must not be lost
    AtomicInteger pending = new AtomicInteger(1);
    AtomicReference<ServerDriver> driver = new AtomicReference<>();
    FaultyExecutor interleaving =
        new FaultyExecutor(store) {
          @Override
          public Mono<Long> publishState(String ns, String svc, PodStatus status, Duration prune) {
            if (status.load() == 1 && pending.getAndDecrement() == 1) {
              Thread other = new Thread(() -> driver.get().setLoad(2));
              other.start();
              join(other);
            }
            return super.publishState(ns, svc, status, prune);
          }
        };
    ServerDriver server = ServerDriver.create(interleaving, options(16).build());
    driver.set(server);
    server.start().block();
    server.setLoad(1);
    assertThat(server.load()).isEqualTo(2);
    assertThat(published(16).load()).isEqualTo(2); // virtual time stood still: no tick did it
  }

  @Test
  void stop_whileAnotherThreadPublishes_publishesShutdown() {
    // a load change's publication runs on this thread; in the middle of it another thread
    // stops the driver (and is waited for): its DENY_NEW_CALL trigger must not be lost
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicInteger pending = new AtomicInteger(1);
    AtomicReference<ServerDriver> driver = new AtomicReference<>();
    FaultyExecutor interleaving =
        new FaultyExecutor(store) {
          @Override
          public Mono<Long> publishState(String ns, String svc, PodStatus status, Duration prune) {
            if (status.load() == 1 && pending.getAndDecrement() == 1) {
              Thread other =
                  new Thread(
                      () ->
                          driver.get().stop().subscribe(v -> {}, e -> {}, () -> stopped.set(true)));
              other.start();
              join(other);
            }
            return super.publishState(ns, svc, status, prune);
          }
        };
    ServerDriver server = ServerDriver.create(interleaving, options(17).build());
    driver.set(server);
    server.start().block();
    server.setLoad(1);
    // virtual time stood still: no shutdownTimeout ended the stop, its publications did
    assertThat(stopped).isTrue();
    assertThat(published(17).state()).isEqualTo(RoutingState.SHUTDOWN);
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void stop_concurrentWithLoadChanges_alwaysPublishesShutdown() throws Exception {
    for (int round = 0; round < 30; round++) {
      setUp();
      ServerDriver server = ServerDriver.create(executor, options(15).build());
      server.start().block();
      AtomicBoolean stopped = new AtomicBoolean();
      concurrently(
          thread -> {
            for (int i = 1; i <= CHANGES_PER_THREAD; i++) {
              server.setLoad(thread * CHANGES_PER_THREAD + i);
              if (thread == 0 && i == CHANGES_PER_THREAD - 10) {
                server.stop().subscribe(v -> {}, e -> {}, () -> stopped.set(true));
              }
            }
          });
      // virtual time stood still: no timeout ended the stop, its publications did
      assertThat(stopped).as("round %d: stop completed", round).isTrue();
      assertThat(published(15).state()).as("round %d", round).isEqualTo(RoutingState.SHUTDOWN);
    }
  }

  @Test
  void links_setClaimRemove_areThisPodsPersistentLinks() {
    ServerDriver pod1 = ServerDriver.create(executor, options(1).build());
    ServerDriver pod2 = ServerDriver.create(executor, options(2).build());
    StepVerifier.create(pod1.setLinkedPod("alice")).verifyComplete();
    assertThat(store.getLinkIfPersistent("ns", "alice", "svc").block()).isEqualTo(1);
    assertThat(pod2.trySetLinkedPod("alice").block().claimed()).isFalse();
    assertThat(pod2.removeLinkedPodWithId("alice", 2, Duration.ZERO).block()).isFalse();
    assertThat(pod1.removeLinkedPod("alice").block()).isEqualTo(1);
    assertThat(pod2.trySetLinkedPod("alice").block().claimed()).isTrue();
    pod1.setWorkloadState("ready").block();
    assertThat(store.getWorkloadState("ns", "svc").block()).isEqualTo("ready");
  }

  @Test
  void removeLinkedPod_withDelay_keepsAnsweringUntilTheDelayEnds() {
    ServerDriver pod =
        ServerDriver.create(executor, options(1).removeDelay(Duration.ofSeconds(5)).build());
    pod.setLinkedPod("bob").block();
    pod.removeLinkedPod("bob").block();
    clock.advanceTimeBy(Duration.ofSeconds(4));
    assertThat(store.getLink("ns", "bob", "svc").block()).isEqualTo(1);
    clock.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(store.getLink("ns", "bob", "svc").block()).isNull();
  }

  @Test
  void releaseLinks_batchesRemovals_andCountsOutcomes() {
    ServerDriver pod =
        ServerDriver.create(
            executor, options(1).releaseBatching(50, Duration.ofMillis(10), 2).build());
    Flux.range(0, 300).flatMap(i -> pod.setLinkedPod("u" + i)).blockLast();
    store.setLink("ns", "u7", "svc", 9, -1).block(); // moved to another pod meanwhile
    Flux<String> uids =
        Flux.fromIterable(
            IntStream.range(0, 320).mapToObj(i -> "u" + i).collect(Collectors.toList()));
    StepVerifier.create(pod.releaseLinks(uids))
        .expectNext(new ReleaseSummary(299, 21, 0))
        .verifyComplete();
    assertThat(store.getLink("ns", "u7", "svc").block()).isEqualTo(9);
    assertThat(store.getLink("ns", "u8", "svc").block()).isNull();
    // released links are gone: a second release finds nothing owned
    StepVerifier.create(pod.releaseLinks(uids))
        .expectNext(new ReleaseSummary(0, 320, 0))
        .verifyComplete();
  }

  @Test
  void releaseLinks_storeErrors_areCountedNotFatal_andBadUidsFailTheRelease() {
    ServerDriver pod = ServerDriver.create(executor, options(1).build());
    pod.setLinkedPod("a").block();
    executor.failNext(1);
    ReleaseSummary s = pod.releaseLinks(Flux.just("a", "b")).block();
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.total()).isEqualTo(2);
    StepVerifier.create(pod.releaseLinks(Flux.just("c", "")))
        .expectError(IllegalArgumentException.class)
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void options_incarnationLongerThanTheReadersAccept_isRejectedAtBuildTime() {
    int max = Args.MAX_INCARNATION_LENGTH;
    assertThatThrownBy(() -> options(0).incarnation("x".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rule 'incarnation is 1 to 64 characters' violated: 256");
    assertThatThrownBy(() -> options(0).incarnation("x".repeat(max + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("incarnation");
    assertThatThrownBy(() -> options(0).incarnation(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("incarnation");
    // the longest accepted one is published and read back (no I/O happened for the others)
    ServerDriver server =
        ServerDriver.create(executor, options(18).incarnation("x".repeat(max)).build());
    server.start().block();
    assertThat(published(18).incarnation()).hasSize(max);
    assertThat(executor.calls("publishState")).isEqualTo(1);
  }

  @Test
  void options_crossFieldRules_nameTheRule() {
    assertThatThrownBy(
            () ->
                options(0)
                    .publishPeriod(Duration.ofSeconds(3))
                    .stateExpiry(Duration.ofSeconds(5))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 x publishPeriod");
    assertThatThrownBy(() -> options(0).removeDelay(Duration.ofMinutes(10)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("removeDelay");
    assertThatThrownBy(() -> options(0).pruneAfter(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pruneAfter");
    assertThatThrownBy(() -> ServerOptions.builder("ns", "svc", -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerOptions.builder("", "svc", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> options(0).queueWeighted(1.5, () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
