package io.statefulroute.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.testing.FaultyExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import io.statefulroute.core.testing.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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
    cache = ServiceStateCache.create(executor, StateCacheOptions.builder()
        .refreshPeriod(Duration.ofSeconds(1)).stateExpiry(Duration.ofSeconds(5))
        .defaultBand(10).scheduler(clock).build());
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
  void coldService_concurrentFirstCallsShareOneRead() {
    publish(0, 1, RoutingState.READY, "a");
    List<ServiceView> views = Flux.range(0, 20)
        .flatMap(i -> cache.view("ns", "svc"))
        .collectList().block();
    assertThat(views).hasSize(20).allSatisfy(v -> assertThat(v.isRoutable(0)).isTrue());
    assertThat(executor.calls("readState")).isEqualTo(1);
  }

  @Test
  void watchedService_isReadEveryPeriod_andTransitionsAreEmitted() {
    publish(0, 1, RoutingState.READY, "a");
    cache.view("ns", "svc").block();
    assertThat(changes).extracting(PodStateChange::kind)
        .containsExactly(PodStateChange.Kind.APPEARED);

    publish(1, 2, RoutingState.READY, "b");
    publish(0, 7, RoutingState.READY, "a");
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(executor.calls("readState")).isEqualTo(2);
    assertThat(changes).extracting(PodStateChange::kind).containsExactlyInAnyOrder(
        PodStateChange.Kind.APPEARED, PodStateChange.Kind.APPEARED,
        PodStateChange.Kind.LOAD_CHANGED);

    changes.clear();
    publish(0, 7, RoutingState.DENY_NEW_CALL, "a");
    publish(1, 2, RoutingState.READY, "b2");
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(changes).extracting(PodStateChange::kind).containsExactlyInAnyOrder(
        PodStateChange.Kind.ROUTING_STATE_CHANGED, PodStateChange.Kind.RESTARTED);

    changes.clear();
    clock.advanceTimeBy(Duration.ofSeconds(3)); // pod 1 keeps publishing, pod 0 goes silent
    publish(1, 2, RoutingState.READY, "b2");
    clock.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(changes).extracting(PodStateChange::kind)
        .contains(PodStateChange.Kind.WENT_STALE);
    assertThat(changes).filteredOn(c -> c.kind() == PodStateChange.Kind.WENT_STALE)
        .extracting(PodStateChange::pod).containsOnly(0);
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
    ServiceStateCache slow = ServiceStateCache.create(
        new FaultyExecutor(store) {
          @Override
          public Mono<io.statefulroute.core.StateSnapshot> readState(String ns, String svc) {
            return super.readState(ns, svc).delayElement(Duration.ofMillis(2500), clock);
          }
        },
        StateCacheOptions.builder().refreshPeriod(Duration.ofSeconds(1))
            .stateExpiry(Duration.ofSeconds(10)).scheduler(clock).build());
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
        .isInstanceOf(io.statefulroute.core.StoreUnavailableException.class);
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
    assertThatThrownBy(() -> StateCacheOptions.builder().refreshPeriod(Duration.ofSeconds(5))
        .stateExpiry(Duration.ofSeconds(5)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshPeriod");
  }
}
