package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.LinkLease;
import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.OwnerUnavailableException;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StoreUnavailableException;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.placement.PodSelectors;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ClientDriverTest {
  private static final Duration PRUNE = Duration.ofMinutes(5);
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;
  private FaultyExecutor executor;
  private ClientDriver client;

  @BeforeEach
  void setUp() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
    executor = new FaultyExecutor(store);
    client = ClientDriver.create(executor, options().build());
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private ClientOptions.Builder options() {
    return ClientOptions.builder()
        .stateCache(StateCacheOptions.builder().scheduler(clock).build())
        .leaseTtl(Duration.ofSeconds(60))
        .cacheExpireAfterWrite(Duration.ofSeconds(30));
  }

  private void publish(int pod, int load, RoutingState state) {
    store.publishState("ns", "svc", new PodStatus(pod, load, state, "inc" + pod), PRUNE).block();
  }

  private void refresh() {
    clock.advanceTimeBy(Duration.ofSeconds(1));
  }

  @Test
  void newUid_landsOnAnAvailablePod_andStaysThere() {
    publish(0, 0, RoutingState.READY);
    publish(1, 0, RoutingState.READY);
    int pod = client.computeLinkedPod("ns", "alice", "svc").block();
    assertThat(pod).isBetween(0, 1);
    assertThat(store.getLink("ns", "alice", "svc").block()).isEqualTo(pod);
    int scripts = executor.calls("setLinkIfAbsent");
    for (int i = 0; i < 100; i++) {
      assertThat(client.computeLinkedPod("ns", "alice", "svc").block()).isEqualTo(pod);
    }
    assertThat(executor.calls("setLinkIfAbsent")).isEqualTo(scripts); // cache hits: no I/O
    // one hit or miss per compute (Caffeine's own lookups would count the first miss 2-3 times)
    assertThat(client.cacheStats().hitCount()).isEqualTo(100);
    assertThat(client.cacheStats().missCount()).isEqualTo(1);
    assertThat(client.cacheStats().loadSuccessCount()).isEqualTo(1);
  }

  /**
   * The hit path looks the cache up without checking its arguments (LinkKey.lookup): every invalid
   * argument must still fail at once, typed, with no I/O, while valid keys are cached.
   */
  @Test
  @SuppressWarnings("NullAway") // null arguments on purpose
  void invalidArguments_failBeforeAnyIo_evenWithEveryValidKeyCached() {
    publish(0, 0, RoutingState.READY);
    assertThat(client.computeLinkedPod("ns", "alice", "svc").block()).isZero();
    int calls = executor.calls("setLinkIfAbsent");
    String[][] invalid = {
      {null, "alice", "svc"},
      {"ns", null, "svc"},
      {"ns", "alice", null},
      {"", "alice", "svc"},
      {"ns", "", "svc"},
      {"ns", "alice", ""},
      {"ns", "alice\ud800", "svc"},
      {"ns", "x".repeat(Args.MAX_UID_LENGTH + 1), "svc"},
      {"n".repeat(Args.MAX_NAME_LENGTH + 1), "alice", "svc"},
    };
    for (String[] a : invalid) {
      assertThatThrownBy(() -> client.computeLinkedPod(a[0], a[1], a[2]))
          .as("computeLinkedPod(%s, %s, %s)", a[0], a[1], a[2])
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(executor.calls("setLinkIfAbsent")).isEqualTo(calls);
    assertThat(client.computeLinkedPod("ns", "alice", "svc").block()).isZero();
  }

  @Test
  void podZero_isAValidPlacement() {
    publish(0, 0, RoutingState.READY);
    StepVerifier.create(client.computeLinkedPod("ns", "u", "svc")).expectNext(0).verifyComplete();
  }

  @Test
  void drainingPod_keepsItsUids_andGetsNoNewOnes() {
    publish(0, 0, RoutingState.READY);
    publish(1, 0, RoutingState.READY);
    store.setLink("ns", "linked", "svc", 1, 60).block();
    publish(1, 0, RoutingState.DENY_NEW_CALL);
    assertThat(client.computeLinkedPod("ns", "linked", "svc").block()).isEqualTo(1);
    for (int i = 0; i < 50; i++) {
      assertThat(client.computeLinkedPod("ns", "new" + i, "svc").block()).isZero();
    }
  }

  @Test
  void shutDownPod_itsTemporaryLinksMove_andClientsConverge() {
    publish(0, 0, RoutingState.READY);
    publish(1, 0, RoutingState.READY);
    publish(2, 0, RoutingState.READY);
    store.setLink("ns", "u", "svc", 1, 60).block();
    ClientDriver other = ClientDriver.create(executor, options().build());
    assertThat(client.computeLinkedPod("ns", "u", "svc").block()).isEqualTo(1);
    assertThat(other.computeLinkedPod("ns", "u", "svc").block()).isEqualTo(1);
    publish(1, 0, RoutingState.SHUTDOWN);
    refresh();
    int a = client.computeLinkedPod("ns", "u", "svc").block();
    int b = other.computeLinkedPod("ns", "u", "svc").block();
    assertThat(a).isNotEqualTo(1).isEqualTo(b);
    assertThat(store.getLink("ns", "u", "svc").block()).isEqualTo(a);
    other.close();
  }

  @Test
  void stalePod_isTreatedAsGone() {
    publish(0, 0, RoutingState.READY);
    publish(1, 0, RoutingState.READY);
    store.setLink("ns", "u", "svc", 1, 60).block();
    assertThat(client.computeLinkedPod("ns", "u", "svc").block()).isEqualTo(1);
    clock.advanceTimeBy(Duration.ofSeconds(4));
    publish(0, 0, RoutingState.READY); // pod 1 stopped publishing
    clock.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(client.computeLinkedPod("ns", "u", "svc").block()).isZero();
  }

  @Test
  void persistentLinkToShutDownPod_isOwnerUnavailable() {
    publish(0, 0, RoutingState.READY);
    publish(1, 0, RoutingState.SHUTDOWN);
    store.setLink("ns", "p", "svc", 1, -1).block();
    StepVerifier.create(client.computeLinkedPod("ns", "p", "svc"))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(OwnerUnavailableException.class);
              assertThat(((OwnerUnavailableException) e).owner()).isEqualTo(1);
            })
        .verify(Duration.ofSeconds(5));
    assertThat(store.getLink("ns", "p", "svc").block()).isEqualTo(1); // untouched
    assertThat(client.getLinkedInCache("ns", "p", "svc").block()).isNull(); // not cached
  }

  @Test
  void relink_podClaimsPersistentlyBeforeTheCompareAndSet_linkIsNeverMoved() {
    // review break 2: persistence was checked in an earlier call than the compare-and-set
    publish(0, 0, RoutingState.READY);
    publish(1, 0, RoutingState.SHUTDOWN);
    publish(2, 0, RoutingState.SHUTDOWN);
    store.setLink("ns", "p", "svc", 1, 60).block();
    executor.beforeNext("replaceLink", store.claimLink("ns", "p", "svc", 2, -1));
    StepVerifier.create(client.computeLinkedPod("ns", "p", "svc"))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(OwnerUnavailableException.class);
              assertThat(((OwnerUnavailableException) e).owner()).isEqualTo(2);
            })
        .verify(Duration.ofSeconds(5));
    assertThat(store.getLinkIfPersistent("ns", "p", "svc").block()).isEqualTo(2);
    assertThat(store.getLinkIndex("ns", "p").block()).containsEntry("svc", 2);
  }

  @Test
  void relink_persistentOwnerRoutable_answersTheOwner() {
    publish(0, 0, RoutingState.READY);
    publish(1, 0, RoutingState.SHUTDOWN);
    publish(2, 0, RoutingState.READY);
    store.setLink("ns", "p", "svc", 1, 60).block();
    executor.beforeNext("replaceLink", store.claimLink("ns", "p", "svc", 2, -1));
    StepVerifier.create(client.computeLinkedPod("ns", "p", "svc")).expectNext(2).verifyComplete();
    assertThat(store.getLinkIfPersistent("ns", "p", "svc").block()).isEqualTo(2);
  }

  @Test
  void noCandidate_aStateReadLandingDuringTheLinkLookup_placesOnTheCurrentView() {
    publish(0, 0, RoutingState.DENY_NEW_CALL); // routable, takes no new links
    StepVerifier.create(client.states().view("ns", "svc"))
        .assertNext(v -> assertThat(v.availableCount()).isZero())
        .verifyComplete();
    // while the client looks the link up, pod 1 comes up and a state read shows it
    executor.beforeNext(
        "getLink",
        Mono.defer(
            () -> {
              publish(1, 0, RoutingState.READY);
              return client.states().refresh("ns", "svc");
            }));
    StepVerifier.create(client.computeLinkedPod("ns", "new", "svc")).expectNext(1).verifyComplete();
    assertThat(store.getLink("ns", "new", "svc").block()).isEqualTo(1);
  }

  @Test
  void noCandidate_linkToAPodGoneDuringTheLookup_movesOnTheCurrentView() {
    publish(0, 0, RoutingState.DENY_NEW_CALL);
    store.setLink("ns", "u", "svc", 0, 60).block();
    StepVerifier.create(client.states().view("ns", "svc"))
        .assertNext(v -> assertThat(v.availableCount()).isZero())
        .verifyComplete();
    // the view the compute starts from has no candidate (it must look the link up); meanwhile
    // pod 0 shuts down, pod 1 comes up, and a state read shows both
    executor.beforeNext(
        "getLink",
        Mono.defer(
            () -> {
              publish(0, 0, RoutingState.SHUTDOWN);
              publish(1, 0, RoutingState.READY);
              return client.states().refresh("ns", "svc");
            }));
    StepVerifier.create(client.computeLinkedPod("ns", "u", "svc")).expectNext(1).verifyComplete();
    assertThat(store.getLink("ns", "u", "svc").block()).isEqualTo(1);
  }

  @Test
  void noPods_isNoAvailablePod_namingTheCounts_andNothingIsCached() {
    publish(0, 0, RoutingState.DENY_NEW_CALL);
    StepVerifier.create(client.computeLinkedPod("ns", "x", "svc"))
        .expectErrorSatisfies(
            e -> {
              assertThat(e)
                  .isInstanceOf(NoAvailablePodException.class)
                  .hasMessageContaining("svc")
                  .hasMessageContaining("ns");
              NoAvailablePodException n = (NoAvailablePodException) e;
              assertThat(n.knownPods()).isEqualTo(1);
              assertThat(n.routablePods()).isEqualTo(1);
              assertThat(n.availablePods()).isZero();
            })
        .verify(Duration.ofSeconds(5));
    assertThat(store.getLink("ns", "x", "svc").block()).isNull(); // never a fallback to pod 0
    assertThat(client.cacheSize()).isZero();
    publish(1, 0, RoutingState.READY);
    refresh();
    assertThat(client.computeLinkedPod("ns", "x", "svc").block()).isEqualTo(1);
  }

  @Test
  void concurrentComputesOfOneKey_shareOnePlacement() {
    publish(0, 0, RoutingState.READY);
    publish(1, 0, RoutingState.READY);
    List<Integer> pods =
        Flux.range(0, 50)
            .flatMap(i -> client.computeLinkedPod("ns", "same", "svc"))
            .collectList()
            .block();
    assertThat(pods).hasSize(50).containsOnly(pods.get(0));
    assertThat(executor.calls("setLinkIfAbsent")).isEqualTo(1);
  }

  @Test
  void failedComputation_isNotCached() {
    publish(0, 0, RoutingState.READY);
    client.states().view("ns", "svc").block();
    executor.failNext(1);
    StepVerifier.create(client.computeLinkedPod("ns", "f", "svc"))
        .expectError(StoreUnavailableException.class)
        .verify(Duration.ofSeconds(5));
    StepVerifier.create(client.computeLinkedPod("ns", "f", "svc")).expectNext(0).verifyComplete();
  }

  /**
   * Holds the answer of the first setLinkIfAbsent until the test fails it: a store that is slow to
   * fail, so that the callers wait on the placement before it fails.
   */
  private static final class HeldPlacementExecutor extends FaultyExecutor {
    final Sinks.One<LinkLease> held = Sinks.one();
    private final AtomicBoolean holdNext = new AtomicBoolean(true);

    HeldPlacementExecutor(InMemoryStatefulExecutor store) {
      super(store);
    }

    /** The placement set-if-absent (the client's) is held until {@link #failHeld}. */
    @Override
    public Mono<LinkLease> setLinkIfAbsentLease(
        String ns, String uid, String service, int pod, long ttl) {
      Mono<LinkLease> real = super.setLinkIfAbsentLease(ns, uid, service, pod, ttl);
      return holdNext.compareAndSet(true, false) ? held.asMono() : real;
    }

    void failHeld() {
      held.tryEmitError(new StoreUnavailableException("setLinkIfAbsent: injected failure", null));
    }
  }

  /**
   * A failed placement completes its cache entry with null, and Caffeine drops the entry only after
   * the callers waiting on it got the error: a caller that retries at once, from its error handler,
   * still finds the failed entry in the cache.
   */
  @Test
  void computeLinkedPod_retriedWhileTheFailedPlacementIsStillCached_placesAgain() {
    HeldPlacementExecutor slow = new HeldPlacementExecutor(store);
    try (ClientDriver c = ClientDriver.create(slow, options().build())) {
      publish(0, 0, RoutingState.READY);
      c.states().view("ns", "svc").block();
      List<Long> cachedAtRetry = new CopyOnWriteArrayList<>();
      StepVerifier.create(
              c.computeLinkedPod("ns", "f", "svc")
                  .onErrorResume(
                      StoreUnavailableException.class,
                      e -> {
                        cachedAtRetry.add(c.cacheSize());
                        return c.computeLinkedPod("ns", "f", "svc");
                      }))
          .then(slow::failHeld)
          .expectNext(0)
          .verifyComplete();
      assertThat(cachedAtRetry)
          .as("the failed entry was still cached at the retry")
          .containsExactly(1L);
      assertThat(slow.calls("setLinkIfAbsent")).isEqualTo(1); // the held call is not counted
    }
  }

  @Test
  void getLinkedPod_whileTheFailedPlacementIsStillCached_readsTheStoreAsAMiss() {
    HeldPlacementExecutor slow = new HeldPlacementExecutor(store);
    try (ClientDriver c = ClientDriver.create(slow, options().build())) {
      publish(0, 0, RoutingState.READY);
      c.states().view("ns", "svc").block();
      List<Long> cachedAtRead = new CopyOnWriteArrayList<>();
      StepVerifier.create(
              c.computeLinkedPod("ns", "f", "svc")
                  .onErrorResume(
                      StoreUnavailableException.class,
                      e -> {
                        cachedAtRead.add(c.cacheSize());
                        return c.getLinkedInCache("ns", "f", "svc")
                            .switchIfEmpty(c.getLinkedPod("ns", "f", "svc"));
                      }))
          .then(slow::failHeld)
          .verifyComplete();
      assertThat(cachedAtRead)
          .as("the failed entry was still cached at the read")
          .containsExactly(1L);
      assertThat(slow.calls("getLinkLease")).isEqualTo(1);
      assertThat(c.cacheStats().hitCount()).isZero();
    }
  }

  @Test
  void passiveHealth_ejectsAFailingPodFromNewPlacements() {
    publish(0, 0, RoutingState.READY);
    publish(1, 0, RoutingState.READY);
    for (int i = 0; i < 3; i++) {
      client.feedback().callFinished("ns", "svc", 0, Duration.ofMillis(5), false);
    }
    assertThat(client.isEjected("ns", "svc", 0)).isTrue();
    for (int i = 0; i < 30; i++) {
      assertThat(client.computeLinkedPod("ns", "e" + i, "svc").block()).isEqualTo(1);
    }
    clock.advanceTimeBy(Duration.ofSeconds(11));
    assertThat(client.isEjected("ns", "svc", 0)).isFalse();
  }

  @Test
  void band_keepsNewUidsOffHeavilyLoadedPods() {
    publish(0, 100, RoutingState.READY);
    publish(1, 5, RoutingState.READY);
    publish(2, 8, RoutingState.READY);
    for (int i = 0; i < 60; i++) {
      assertThat(client.computeLinkedPod("ns", "b" + i, "svc").block()).isIn(1, 2);
    }
  }

  @Test
  void seedReadOperations_behaveAsDocumented() {
    publish(0, 0, RoutingState.READY);
    store.setLink("ns", "t", "svc", 0, 60).block();
    store.setLink("ns", "p", "svc", 0, -1).block();
    store.setLink("ns", "p", "chat", 3, -1).block();
    StepVerifier.create(client.getLinkedInCache("ns", "t", "svc")).verifyComplete();
    StepVerifier.create(client.getLinkedPodInCacheOrIfPersist("ns", "t", "svc")).verifyComplete();
    StepVerifier.create(client.getLinkedPodInCacheOrIfPersist("ns", "p", "svc"))
        .expectNext(0)
        .verifyComplete();
    StepVerifier.create(client.getLinkedPod("ns", "t", "svc")).expectNext(0).verifyComplete();
    StepVerifier.create(client.getLinkedInCache("ns", "t", "svc")).expectNext(0).verifyComplete();
    client.cacheExpired("ns", "t", "svc");
    StepVerifier.create(client.getLinkedInCache("ns", "t", "svc")).verifyComplete();
    client.setCache("ns", "z", "svc", 7);
    StepVerifier.create(client.getLinkedInCache("ns", "z", "svc")).expectNext(7).verifyComplete();
    StepVerifier.create(client.getLinkedPodNotCache("ns", "z", "svc")).verifyComplete();
    assertThat(client.getLinkServices("ns", "p").block())
        .containsOnly(Map.entry("svc", 0), Map.entry("chat", 3));
    store.setLink("ns", "q", "svc", 2, 60).block();
    Map<Integer, List<String>> byPod =
        client.batchGetLinkedPod("ns", List.of("t", "p", "q", "none"), "svc").block();
    assertThat(byPod).containsOnlyKeys(0, 2);
    assertThat(byPod.get(0)).containsExactlyInAnyOrder("p", "t");
    assertThat(byPod.get(2)).containsExactly("q");
    assertThat(client.setLinkedPodIfAbsent("ns", "t", "svc", 5).block()).isZero();
    assertThat(client.setLinkedPodIfAbsent("ns", "n", "svc", 5).block()).isEqualTo(5);
    StepVerifier.create(client.getLinkedInCache("ns", "n", "svc")).expectNext(5).verifyComplete();
    client.flushCache();
    assertThat(client.cacheSize()).isZero();
    assertThatThrownBy(() -> client.setCache("ns", "z", "svc", -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.computeLinkedPod("ns", "", "svc"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rendezvousSelector_independentClientsPlaceTheSameWay() {
    for (int i = 0; i < 4; i++) {
      publish(i, 0, RoutingState.READY);
    }
    ClientDriver a =
        ClientDriver.create(executor, options().selector(PodSelectors::rendezvous).build());
    for (int i = 0; i < 40; i++) {
      String uid = "r" + i;
      int pod = a.computeLinkedPod("ns", uid, "svc").block();
      store.removeLink("ns", uid, "svc", Duration.ZERO).block();
      a.cacheExpired("ns", uid, "svc");
      assertThat(client.states().view("ns", "svc").block().goodPods()).hasSize(4);
      ClientDriver b =
          ClientDriver.create(executor, options().selector(PodSelectors::rendezvous).build());
      assertThat(b.computeLinkedPod("ns", uid, "svc").block()).isEqualTo(pod);
      b.close();
    }
    a.close();
  }

  @Test
  void options_crossFieldRules_nameTheRule() {
    assertThatThrownBy(
            () ->
                ClientOptions.builder()
                    .leaseTtl(Duration.ofSeconds(20))
                    .cacheExpireAfterWrite(Duration.ofSeconds(30))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache TTL < lease TTL");
    assertThatThrownBy(() -> ClientOptions.builder().leaseTtl(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClientOptions.builder().cacheMaximumSize(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ClientOptions.defaults().leaseTtl()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void failedPlacements_reachTheCaller_notCached_andNotLoggedByTheCache() {
    Logger caffeine = Logger.getLogger("com.github.benmanes.caffeine");
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    caffeine.addHandler(handler);
    try {
      publish(0, 0, RoutingState.READY);
      client.states().refresh("ns", "svc").block();
      executor.failing(true);
      for (int i = 0; i < 20; i++) {
        StepVerifier.create(client.computeLinkedPod("ns", "u" + i, "svc"))
            .expectError(StoreUnavailableException.class)
            .verify(Duration.ofSeconds(5));
      }
      assertThat(client.cacheSize()).isZero();
      assertThat(records).as("Caffeine log records").isEmpty();
      executor.failing(false);
      StepVerifier.create(client.computeLinkedPod("ns", "u0", "svc"))
          .expectNext(0)
          .verifyComplete();
    } finally {
      caffeine.removeHandler(handler);
    }
  }
}
