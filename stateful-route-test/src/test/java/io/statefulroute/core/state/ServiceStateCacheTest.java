package io.statefulroute.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StoreUnavailableException;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ServiceStateCacheTest {
  private static final Duration PRUNE = Duration.ofMinutes(5);
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;
  private FaultyExecutor executor;
  private ServiceStateCache cache;
  private final List<PodStateChange> changes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
    executor = new FaultyExecutor(store);
    cache =
        ServiceStateCache.create(
            executor,
            StateCacheOptions.builder()
                .refreshPeriod(Duration.ofSeconds(1))
                .stateExpiry(Duration.ofSeconds(5))
                .defaultBand(10)
                .scheduler(clock)
                .build());
    cache.changes().subscribe(changes::add);
  }

  @AfterEach
  void tearDown() {
    cache.close();
  }

  private void publish(int pod, int load, RoutingState state, String incarnation) {
    store.publishState("ns", "svc", new PodStatus(pod, load, state, incarnation), PRUNE).block();
  }

  @Test
  void unusedWatches_areForgottenAfterTheIdleTimeout_usedOnesStay() {
    // review: watches were never released, so per-tenant namespaces grew without bound
    ServiceStateCache idle =
        ServiceStateCache.create(
            executor,
            StateCacheOptions.builder()
                .refreshPeriod(Duration.ofSeconds(1))
                .stateExpiry(Duration.ofSeconds(5))
                .idleWatchTimeout(Duration.ofMinutes(1))
                .scheduler(clock)
                .build());
    try {
      for (int t = 0; t < 50; t++) {
        idle.view("tenant-" + t, "svc").block();
      }
      idle.view("busy", "svc").block();
      assertThat(idle.watchedServices()).isEqualTo(51);
      for (int s = 0; s < 130; s++) { // two sweeps; "busy" is used every second
        clock.advanceTimeBy(Duration.ofSeconds(1));
        idle.peek("busy", "svc");
      }
      assertThat(idle.watchedServices()).isEqualTo(1);
      int reads = executor.calls("readState");
      clock.advanceTimeBy(Duration.ofSeconds(10));
      assertThat(executor.calls("readState") - reads)
          .as("only the busy service is read")
          .isBetween(9, 11);
      // a forgotten service is watched again on its next use
      assertThat(idle.view("tenant-3", "svc").block()).isNotNull();
      assertThat(idle.watchedServices()).isEqualTo(2);
    } finally {
      idle.close();
    }
  }

  @Test
  void peek_ofAForgottenService_answersNothing_evenRightAfterPeekingIt() {
    // peek remembers the last watch it found (the hit path's lookup): a watch forgotten since
    // must not be answered from there
    publish(0, 1, RoutingState.READY, "a");
    cache.view("ns", "svc").block();
    cache.view("ns", "other").block();
    assertThat(cache.peek("ns", "svc")).isNotNull();
    assertThat(cache.peek("ns", "svc")).as("remembered").isNotNull();
    cache.unwatch("ns", "svc");
    assertThat(cache.peek("ns", "svc")).isNull();
    assertThat(cache.peek("ns", "other")).as("another service, looked up").isNotNull();
    assertThat(cache.peek("other-ns", "svc")).isNull();
  }

  @Test
  void coldService_concurrentFirstCallsShareOneRead() {
    publish(0, 1, RoutingState.READY, "a");
    List<ServiceView> views =
        Flux.range(0, 20).flatMap(i -> cache.view("ns", "svc")).collectList().block();
    assertThat(views).hasSize(20).allSatisfy(v -> assertThat(v.isRoutable(0)).isTrue());
    assertThat(executor.calls("readState")).isEqualTo(1);
  }

  @Test
  void watchedService_isReadEveryPeriod_andTransitionsAreEmitted() {
    publish(0, 1, RoutingState.READY, "a");
    cache.view("ns", "svc").block();
    assertThat(changes)
        .extracting(PodStateChange::kind)
        .containsExactly(PodStateChange.Kind.APPEARED);

    publish(1, 2, RoutingState.READY, "b");
    publish(0, 7, RoutingState.READY, "a");
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(executor.calls("readState")).isEqualTo(2);
    assertThat(changes)
        .extracting(PodStateChange::kind)
        .containsExactlyInAnyOrder(
            PodStateChange.Kind.APPEARED,
            PodStateChange.Kind.APPEARED,
            PodStateChange.Kind.LOAD_CHANGED);

    changes.clear();
    publish(0, 7, RoutingState.DENY_NEW_CALL, "a");
    publish(1, 2, RoutingState.READY, "b2");
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(changes)
        .extracting(PodStateChange::kind)
        .containsExactlyInAnyOrder(
            PodStateChange.Kind.ROUTING_STATE_CHANGED, PodStateChange.Kind.RESTARTED);

    changes.clear();
    clock.advanceTimeBy(Duration.ofSeconds(3)); // pod 1 keeps publishing, pod 0 goes silent
    publish(1, 2, RoutingState.READY, "b2");
    clock.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(changes).extracting(PodStateChange::kind).contains(PodStateChange.Kind.WENT_STALE);
    assertThat(changes)
        .filteredOn(c -> c.kind() == PodStateChange.Kind.WENT_STALE)
        .extracting(PodStateChange::pod)
        .containsOnly(0);
  }

  @Test
  void failedRefresh_keepsLastGoodView_countsIt_andAnOldViewIsTreatedAsEmpty() {
    publish(0, 1, RoutingState.READY, "a");
    assertThat(cache.view("ns", "svc").block().isRoutable(0)).isTrue();
    executor.failing(true);
    clock.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(cache.refreshFailures()).isEqualTo(3);
    assertThat(cache.view("ns", "svc").block().isRoutable(0)).isTrue(); // last good view
    clock.advanceTimeBy(Duration.ofSeconds(3)); // the view is now older than the expiry
    assertThat(cache.view("ns", "svc").block().routableCount()).isZero();
    assertThat(cache.peek("ns", "svc").routableCount()).isZero();

    executor.failing(false);
    publish(0, 1, RoutingState.READY, "a");
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(cache.view("ns", "svc").block().isRoutable(0)).isTrue(); // resumed
  }

  @Test
  void refreshTick_whileAReadIsInFlight_isDropped() {
    // a read that takes 2.5 periods: the ticks in between are dropped, not queued
    ServiceStateCache slow =
        ServiceStateCache.create(
            new FaultyExecutor(store) {
              @Override
              public Mono<StateSnapshot> readState(String ns, String svc) {
                return super.readState(ns, svc).delayElement(Duration.ofMillis(2500), clock);
              }
            },
            StateCacheOptions.builder()
                .refreshPeriod(Duration.ofSeconds(1))
                .stateExpiry(Duration.ofSeconds(10))
                .scheduler(clock)
                .build());
    publish(0, 1, RoutingState.READY, "a");
    slow.view("ns", "svc").subscribe();
    clock.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(slow.refreshes()).isBetween(3L, 4L); // not 10
    slow.close();
  }

  @Test
  void firstReadFailure_isNotCached() {
    executor.failing(true);
    assertThatThrownBy(() -> cache.view("ns", "svc").block())
        .isInstanceOf(StoreUnavailableException.class);
    executor.failing(false);
    publish(0, 1, RoutingState.READY, "a");
    assertThat(cache.view("ns", "svc").block().isRoutable(0)).isTrue();
  }

  @Test
  void workloadState_singleBatchAndReady() {
    store.setWorkloadState("ns", "svc", "ready").block();
    store.setWorkloadState("ns", "other", "starting").block();
    assertThat(cache.isWorkloadReady("ns", "svc").block()).isTrue();
    assertThat(cache.isWorkloadReady("ns", "other").block()).isFalse();
    assertThat(cache.isWorkloadReady("ns", "none").block()).isFalse();
    assertThat(cache.workloadStates("ns", List.of("svc", "other", "none")).block())
        .containsOnlyKeys("svc", "other");
  }

  @Test
  void options_refreshMustBeShorterThanExpiry() {
    assertThatThrownBy(
            () ->
                StateCacheOptions.builder()
                    .refreshPeriod(Duration.ofSeconds(5))
                    .stateExpiry(Duration.ofSeconds(5))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refreshPeriod");
  }

  // ------------------------------------------- slow reads (refresh 200 ms, state expiry 1 s)

  private static final Duration FAST_REFRESH = Duration.ofMillis(200);
  private static final Duration SHORT_EXPIRY = Duration.ofSeconds(1);

  /** Three READY pods publishing every 200 ms (as a server driver would), from now on. */
  private Disposable publishEvery200ms() {
    return Flux.interval(Duration.ZERO, Duration.ofMillis(200), clock)
        .subscribe(
            t -> {
              for (int pod = 0; pod < 3; pod++) {
                publish(pod, 0, RoutingState.READY, "p" + pod);
              }
            });
  }

  private ServiceStateCache fastCache() {
    return ServiceStateCache.create(
        executor,
        StateCacheOptions.builder()
            .refreshPeriod(FAST_REFRESH)
            .stateExpiry(SHORT_EXPIRY)
            .scheduler(clock)
            .build());
  }

  private ClientDriver client(ServiceStateCache states) {
    return ClientDriver.create(
        executor,
        ClientOptions.builder()
            .stateCache(states.options())
            .leaseTtl(Duration.ofSeconds(60))
            .cacheExpireAfterWrite(Duration.ofSeconds(30))
            .build(),
        states);
  }

  /** READY records in the store younger than the expiry, on the store's own clock. */
  private long freshReadyInStore() {
    StateSnapshot s = store.readState("ns", "svc").block();
    return s.pods().values().stream()
        .filter(p -> p.state() == RoutingState.READY)
        .filter(p -> p.ageMillis(s.serverTimeMillis()) <= SHORT_EXPIRY.toMillis())
        .count();
  }

  private long now() {
    return clock.now(TimeUnit.MILLISECONDS);
  }

  @Test
  void slowRead_whileRecordsAreFresh_keepsTheView_andNewUidsArePlaced() {
    Disposable pods = publishEvery200ms();
    ServiceStateCache states = fastCache();
    ClientDriver client = client(states);
    try {
      StepVerifier.create(client.computeLinkedPod("ns", "first", "svc"))
          .assertNext(pod -> assertThat(pod).isBetween(0, 2))
          .verifyComplete();
      clock.advanceTimeBy(Duration.ofSeconds(1)); // steady state: a read every 200 ms
      long refreshes = states.refreshes();
      executor.delayNext("readState", Duration.ofMillis(900), clock);
      // the view's read is at most 200 ms old here; the delayed read starts within 200 ms and
      // answers 900 ms later, so the view is older than the expiry (local clock) meanwhile
      for (int step = 0; step < 110; step++) {
        clock.advanceTimeBy(Duration.ofMillis(10));
        assertThat(freshReadyInStore()).isEqualTo(3);
        assertThat(states.peek("ns", "svc").availableCount())
            .as("at %d ms", step * 10)
            .isEqualTo(3);
        StepVerifier.create(client.computeLinkedPod("ns", "uid" + step, "svc"))
            .assertNext(pod -> assertThat(pod).isBetween(0, 2))
            .verifyComplete();
      }
      assertThat(states.refreshes() - refreshes)
          .as("the delayed read held the refreshes back")
          .isLessThanOrEqualTo(2);
      assertThat(states.refreshFailures()).isZero();
    } finally {
      pods.dispose();
      client.close();
      states.close();
    }
  }

  @Test
  void randomlySlowReads_whileRecordsAreFresh_neverFailACompute() {
    Random random = new Random(20240611L);
    Disposable pods = publishEvery200ms();
    ServiceStateCache states = fastCache();
    ClientDriver client = client(states);
    List<String> failures = new ArrayList<>(); // the first ones, with the store's state
    AtomicLong failed = new AtomicLong();
    AtomicLong placed = new AtomicLong();
    long emptyViews = 0;
    AtomicLong slowest = new AtomicLong();
    try {
      StepVerifier.create(states.view("ns", "svc"))
          .assertNext(v -> assertThat(v.availableCount()).isEqualTo(3))
          .verifyComplete();
      executor.delayEach(
          "readState",
          () -> {
            long ms = random.nextInt(1501);
            slowest.accumulateAndGet(ms, Math::max);
            return Duration.ofMillis(ms);
          },
          clock);
      for (int step = 0; step < 1200; step++) { // 60 s, a new uid every 50 ms
        clock.advanceTimeBy(Duration.ofMillis(50));
        long storeFresh = freshReadyInStore();
        long at = step * 50L;
        client
            .computeLinkedPod("ns", "u" + step, "svc")
            .subscribe(
                pod -> placed.incrementAndGet(),
                e -> {
                  if (failed.incrementAndGet() <= 10) {
                    failures.add(
                        "at " + at + " ms, " + storeFresh + " fresh READY in the store: " + e);
                  }
                });
        if (states.peek("ns", "svc").availableCount() != 3) {
          emptyViews++;
        }
      }
      assertThat(failures).as("%d computes failed; the first ones", failed.get()).isEmpty();
      assertThat(placed.get()).isEqualTo(1200); // each answered at once (in-memory store)
      assertThat(emptyViews).as("steps whose view lacked a fresh pod").isZero();
      assertThat(slowest.get())
          .as("some reads were slower than the expiry")
          .isGreaterThan(SHORT_EXPIRY.toMillis());
      assertThat(states.refreshFailures()).isZero();
    } finally {
      executor.delayEach("readState", null, clock);
      pods.dispose();
      client.close();
      states.close();
    }
  }

  @Test
  void failingReads_forLongerThanTheExpiry_dropTheView() {
    Disposable pods = publishEvery200ms();
    ServiceStateCache states = fastCache();
    ClientDriver client = client(states);
    try {
      StepVerifier.create(states.view("ns", "svc"))
          .assertNext(v -> assertThat(v.availableCount()).isEqualTo(3))
          .verifyComplete();
      clock.advanceTimeBy(Duration.ofMillis(500));
      long fetchedAt = states.peek("ns", "svc").fetchedAtMillis();
      executor.failing(true); // the pods keep publishing; this client cannot read
      clock.advanceTimeBy(Duration.ofMillis(900));
      assertThat(states.refreshFailures()).isPositive();
      assertThat(now() - fetchedAt).isLessThanOrEqualTo(SHORT_EXPIRY.toMillis());
      assertThat(states.peek("ns", "svc").availableCount()).as("within the expiry").isEqualTo(3);
      clock.advanceTimeBy(Duration.ofMillis(200));
      assertThat(now() - fetchedAt).isGreaterThan(SHORT_EXPIRY.toMillis());
      assertThat(states.peek("ns", "svc").routableCount()).isZero();
      StepVerifier.create(states.view("ns", "svc"))
          .assertNext(v -> assertThat(v.routableCount()).isZero())
          .verifyComplete();
      StepVerifier.create(client.computeLinkedPod("ns", "new", "svc"))
          .verifyError(
              StoreUnavailableException.class); // no pod to place on; the link lookup fails
      executor.failing(false);
      clock.advanceTimeBy(FAST_REFRESH);
      assertThat(states.peek("ns", "svc").availableCount()).as("resumed").isEqualTo(3);
    } finally {
      pods.dispose();
      client.close();
      states.close();
    }
  }

  @Test
  void slowRead_thatFails_afterTheExpiry_dropsTheViewWhenItFails() {
    Disposable pods = publishEvery200ms();
    ServiceStateCache states = fastCache();
    try {
      StepVerifier.create(states.view("ns", "svc"))
          .assertNext(v -> assertThat(v.availableCount()).isEqualTo(3))
          .verifyComplete();
      long fetchedAt = states.peek("ns", "svc").fetchedAtMillis();
      executor.failing(true); // from now on reads fail; the next one only after 1.5 s
      executor.delayNext("readState", Duration.ofMillis(1500), clock);
      clock.advanceTimeBy(Duration.ofMillis(1200));
      assertThat(now() - fetchedAt).isGreaterThan(SHORT_EXPIRY.toMillis());
      assertThat(states.refreshFailures()).isZero();
      assertThat(states.peek("ns", "svc").availableCount()).as("in flight").isEqualTo(3);
      clock.advanceTimeBy(Duration.ofMillis(500)); // the read has failed: 1.7 s without an answer
      assertThat(states.refreshFailures()).isPositive();
      assertThat(states.peek("ns", "svc").routableCount()).isZero();
      executor.failing(false);
      clock.advanceTimeBy(FAST_REFRESH); // the next read succeeds
      assertThat(states.peek("ns", "svc").availableCount()).isEqualTo(3);
    } finally {
      pods.dispose();
      states.close();
    }
  }

  @Test
  void recordsAgedPastTheExpiryOnTheStoreClock_areDropped_evenWhenTheReadWasSlow() {
    Disposable pods = publishEvery200ms();
    ServiceStateCache states = fastCache();
    ClientDriver client = client(states);
    try {
      StepVerifier.create(states.view("ns", "svc"))
          .assertNext(v -> assertThat(v.availableCount()).isEqualTo(3))
          .verifyComplete();
      clock.advanceTimeBy(Duration.ofMillis(500));
      pods.dispose(); // every pod goes silent (last records at +400 ms)
      executor.delayNext("readState", Duration.ofMillis(900), clock); // sent at +600 ms
      clock.advanceTimeBy(Duration.ofMillis(800));
      // in flight; on the store's clock the records are 900 ms old: the view is kept
      assertThat(states.peek("ns", "svc").availableCount()).isEqualTo(3);
      clock.advanceTimeBy(Duration.ofMillis(200)); // it answers at +1.5 s, the next read follows
      assertThat(freshReadyInStore()).isZero();
      ServiceView view = states.peek("ns", "svc");
      assertThat(view.pods()).hasSize(3);
      assertThat(view.freshCount()).isZero();
      assertThat(view.pods().values())
          .allSatisfy(
              p ->
                  assertThat(p.ageMillis(view.serverTimeMillis()))
                      .isGreaterThan(SHORT_EXPIRY.toMillis()));
      StepVerifier.create(client.computeLinkedPod("ns", "new", "svc"))
          .verifyError(NoAvailablePodException.class);
    } finally {
      client.close();
      states.close();
    }
  }

  @Test
  void slowRead_answeringAfterANewerRead_doesNotReplaceItsView() {
    ServiceStateCache states = fastCache();
    List<PodStateChange> seen = new CopyOnWriteArrayList<>();
    states.changes().subscribe(seen::add);
    try {
      publish(0, 0, RoutingState.READY, "a");
      publish(1, 0, RoutingState.READY, "b");
      StepVerifier.create(states.view("ns", "svc"))
          .assertNext(v -> assertThat(v.availableCount()).isEqualTo(2))
          .verifyComplete();
      executor.delayNext("readState", Duration.ofMillis(600), clock);
      clock.advanceTimeBy(FAST_REFRESH); // the timer's read starts: pod 1 READY in its answer
      publish(0, 0, RoutingState.READY, "a");
      publish(1, 0, RoutingState.DENY_NEW_CALL, "b");
      StepVerifier.create(states.refresh("ns", "svc"))
          .assertNext(v -> assertThat(v.isAvailable(1)).isFalse())
          .verifyComplete();
      seen.clear();
      clock.advanceTimeBy(Duration.ofMillis(600)); // the older read answers now
      assertThat(states.peek("ns", "svc").isAvailable(1)).isFalse();
      assertThat(states.peek("ns", "svc").isRoutable(1)).isTrue();
      assertThat(seen)
          .as("the older answer was not applied (pod 1 never went back to READY)")
          .noneMatch(c -> c.kind() == PodStateChange.Kind.ROUTING_STATE_CHANGED);
    } finally {
      states.close();
    }
  }
}
