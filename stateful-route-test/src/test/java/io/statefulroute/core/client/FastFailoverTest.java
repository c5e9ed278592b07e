package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.OwnerUnavailableException;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Fast failover ({@link ClientDriver#reportFailure}, {@link FastFailover}): a pod with observed
 * failures whose record missed a heartbeat (published longer ago than 2 publish periods of 1 s) is
 * treated as down at once, well before the state expiry of 5 s; a pod that keeps publishing is
 * never treated as down, whatever one gateway reports. Virtual time throughout: no timed assertion.
 */
class FastFailoverTest {
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

  private void publish(int pod) {
    store
        .publishState("ns", "svc", new PodStatus(pod, 0, RoutingState.READY, "inc" + pod), PRUNE)
        .block();
  }

  /** One second passes; the pods in {@code publishing} publish, the client's view is read. */
  private void second(int... publishing) {
    clock.advanceTimeBy(Duration.ofMillis(500));
    for (int pod : publishing) {
      publish(pod);
    }
    clock.advanceTimeBy(Duration.ofMillis(500));
  }

  private Integer link(String uid) {
    return store.getLink("ns", uid, "svc").block();
  }

  /** Pods 0 and 1 READY; {@code uid} temporarily linked to pod 1 and cached by the client. */
  private void linkedToPodOne(String uid) {
    store.setLink("ns", uid, "svc", 1, 60).block();
    assertThat(client.computeLinkedPod("ns", uid, "svc").block()).isEqualTo(1);
  }

  @Test
  void reportFailure_onAPodThatKeepsPublishing_movesNothing() {
    publish(0);
    publish(1);
    linkedToPodOne("u");
    for (int s = 0; s < 8; s++) { // past the state expiry: the reports never add up to a move
      for (int i = 0; i < 20; i++) {
        assertThat(client.reportFailure("ns", "u", "svc", 1).block()).isEqualTo(1);
      }
      second(0, 1);
    }
    assertThat(link("u")).isEqualTo(1);
    assertThat(executor.calls("replaceLink")).isZero();
    assertThat(client.computeLinkedPod("ns", "u", "svc").block()).isEqualTo(1);
  }

  @Test
  void reportFailure_onAPodThatMissedAHeartbeat_movesItsTemporaryLinksAtOnce() {
    publish(0);
    publish(1);
    linkedToPodOne("u");
    store.setLink("ns", "other", "svc", 1, 60).block();
    second(0); // pod 1 stops publishing: its record is 1 s old at this read
    second(0); // 2 s: not yet more than 2 publish periods
    assertThat(client.reportFailure("ns", "u", "svc", 1).block())
        .as("a record 2 s old has not missed a heartbeat yet")
        .isEqualTo(1);
    second(0); // 3 s old: missed a heartbeat, still fresh (expiry 5 s)
    assertThat(client.states().peek("ns", "svc").isRoutable(1)).isTrue();
    assertThat(client.reportFailure("ns", "u", "svc", 1).block()).isZero();
    assertThat(link("u")).isZero();
    // every temporary link of the pod moves on its next compute, before the state expiry
    assertThat(client.computeLinkedPod("ns", "other", "svc").block()).isZero();
    assertThat(link("other")).isZero();
    assertThat(executor.calls("replaceLink")).isEqualTo(2);
    // and the pod gets no new links
    for (int i = 0; i < 20; i++) {
      assertThat(client.computeLinkedPod("ns", "new" + i, "svc").block()).isZero();
    }
  }

  @Test
  void missedHeartbeat_withoutObservedFailures_movesNothingBeforeTheStateExpiry() {
    publish(0);
    publish(1);
    linkedToPodOne("u");
    for (int s = 0; s < 4; s++) {
      second(0);
      assertThat(client.computeLinkedPod("ns", "u", "svc").block()).isEqualTo(1);
    }
    assertThat(executor.calls("replaceLink")).isZero();
  }

  @Test
  void everyRecordLate_aStalledStoreOrCutOffPublishers_movesNothingBeforeTheStateExpiry() {
    publish(0);
    publish(1);
    linkedToPodOne("u");
    second(); // no pod's publication reaches the store
    second();
    second();
    for (int i = 0; i < 3; i++) {
      client.feedback().callFinished("ns", "svc", 0, Duration.ofMillis(5), false);
      client.feedback().callFinished("ns", "svc", 1, Duration.ofMillis(5), false);
    }
    assertThat(client.reportFailure("ns", "u", "svc", 1).block()).isEqualTo(1);
    assertThat(client.computeLinkedPod("ns", "new", "svc").block()).isBetween(0, 1);
    assertThat(link("u")).isEqualTo(1);
    assertThat(executor.calls("replaceLink")).isZero();
  }

  @Test
  void passiveHealthEjection_andAMissedHeartbeat_moveTheLinksToo() {
    publish(0);
    publish(1);
    linkedToPodOne("u");
    second(0);
    second(0);
    second(0);
    for (int i = 0; i < 3; i++) {
      client.feedback().callFinished("ns", "svc", 1, Duration.ofMillis(5), false);
    }
    assertThat(client.isEjected("ns", "svc", 1)).isTrue();
    assertThat(client.computeLinkedPod("ns", "u", "svc").block()).isZero();
    assertThat(link("u")).isZero();
  }

  @Test
  void persistentLinks_neverMove_theyAnswerOwnerUnavailable() {
    publish(0);
    publish(1);
    store.setLink("ns", "p", "svc", 1, -1).block();
    assertThat(client.computeLinkedPod("ns", "p", "svc").block()).isEqualTo(1);
    second(0);
    second(0);
    second(0);
    StepVerifier.create(client.reportFailure("ns", "p", "svc", 1))
        .expectError(OwnerUnavailableException.class)
        .verify();
    assertThat(link("p")).isEqualTo(1);
    assertThat(store.getLinkIfPersistent("ns", "p", "svc").block()).isEqualTo(1);
  }

  @Test
  void aPodThatResumesPublishing_isTrustedAgain() {
    publish(0);
    publish(1);
    linkedToPodOne("u");
    second(0);
    second(0);
    second(0);
    assertThat(client.reportFailure("ns", "u", "svc", 1).block()).isZero();
    second(0, 1); // pod 1 is back (the failures still count: cool-down 10 s)
    store.setLink("ns", "back", "svc", 1, 60).block();
    assertThat(client.computeLinkedPod("ns", "back", "svc").block()).isEqualTo(1);
    assertThat(client.reportFailure("ns", "back", "svc", 1).block())
        .as("its record is fresh again: a failure moves nothing")
        .isEqualTo(1);
    assertThat(link("back")).isEqualTo(1);
    boolean placedOnOne = false;
    for (int i = 0; i < 40 && !placedOnOne; i++) {
      placedOnOne = client.computeLinkedPod("ns", "new" + i, "svc").block() == 1;
    }
    assertThat(placedOnOne).as("it takes new links again").isTrue();
  }

  @Test
  void concurrentReports_fromManyThreadsAndTwoGateways_convergeOnOnePodPerUid() throws Exception {
    publish(0);
    publish(1);
    publish(2);
    List<String> uids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      uids.add("c" + i);
      store.setLink("ns", "c" + i, "svc", 1, 60).block();
    }
    ClientDriver other = ClientDriver.create(executor, options().build());
    assertThat(other.computeLinkedPod("ns", "c0", "svc").block()).isEqualTo(1);
    assertThat(client.computeLinkedPod("ns", "c0", "svc").block()).isEqualTo(1);
    second(0, 2);
    second(0, 2);
    second(0, 2);
    Map<String, List<Integer>> answers = new ConcurrentHashMap<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < 8; t++) {
        ClientDriver gateway = t % 2 == 0 ? client : other;
        done.add(
            threads.submit(
                () -> {
                  start.await();
                  for (String uid : uids) {
                    try {
                      Integer pod = gateway.reportFailure("ns", uid, "svc", 1).block();
                      answers.computeIfAbsent(uid, k -> new CopyOnWriteArrayList<>()).add(pod);
                    } catch (RuntimeException e) {
                      errors.add(e);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(errors).isEmpty();
    for (String uid : uids) {
      Integer stored = link(uid);
      assertThat(stored).as(uid).isIn(0, 2);
      assertThat(answers.get(uid)).as(uid).hasSize(8).containsOnly(stored);
    }
    other.close();
  }

  @Test
  void partition_aPodThatKeepsPublishingThroughItsServerDriver_neverLosesALink() {
    ServerDriver live =
        ServerDriver.create(store, ServerOptions.builder("ns", "svc", 1).scheduler(clock).build());
    ServerDriver peer =
        ServerDriver.create(store, ServerOptions.builder("ns", "svc", 0).scheduler(clock).build());
    live.start().subscribe();
    peer.start().subscribe();
    clock.advanceTimeBy(Duration.ofMillis(10));
    linkedToPodOne("u");
    ClientDriver other = ClientDriver.create(executor, options().build());
    assertThat(other.computeLinkedPod("ns", "u", "svc").block()).isEqualTo(1);
    // this gateway cannot reach pod 1 for 30 s and reports every failure; pod 1 keeps publishing
    for (int ms = 0; ms < 30_000; ms += 50) {
      assertThat(client.reportFailure("ns", "u", "svc", 1).block()).isEqualTo(1);
      client.feedback().callFinished("ns", "svc", 1, Duration.ofMillis(50), false);
      clock.advanceTimeBy(Duration.ofMillis(50));
    }
    assertThat(client.isEjected("ns", "svc", 1)).isTrue(); // no new links from this gateway
    assertThat(link("u")).isEqualTo(1);
    assertThat(executor.calls("replaceLink")).isZero();
    assertThat(other.computeLinkedPod("ns", "u", "svc").block()).isEqualTo(1);
    other.close();
    live.close();
    peer.close();
  }

  @Test
  void reportFailure_badInput_isRefusedBeforeAnyIo_andMarksNothing() {
    publish(0);
    publish(1);
    linkedToPodOne("u");
    second(0);
    second(0);
    second(0);
    int calls = executor.calls("setLinkIfAbsentLease") + executor.calls("readState");
    assertThatThrownBy(() -> client.reportFailure(null, "u", "svc", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.reportFailure("ns", "", "svc", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.reportFailure("ns", "u", null, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.reportFailure("ns", "u", "svc", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pod");
    assertThatThrownBy(() -> client.reportFailure("ns", "u".repeat(20_000), "svc", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(executor.calls("setLinkIfAbsentLease") + executor.calls("readState"))
        .isEqualTo(calls);
    // nothing was marked: pod 1 is still trusted for "u"
    assertThat(client.computeLinkedPod("ns", "u", "svc").block()).isEqualTo(1);
    assertThat(executor.calls("replaceLink")).isZero();
  }

  @Test
  void reportFailure_doesNothingBeforeSubscription() {
    publish(0);
    publish(1);
    linkedToPodOne("u");
    second(0);
    second(0);
    second(0);
    client.reportFailure("ns", "u", "svc", 1); // not subscribed
    assertThat(client.computeLinkedPod("ns", "u", "svc").block()).isEqualTo(1);
    assertThat(link("u")).isEqualTo(1);
  }

  @Test
  void options_missedHeartbeatFactor_isValidated() {
    assertThat(ClientOptions.defaults().missedHeartbeatFactor()).isEqualTo(2.0);
    assertThat(ClientOptions.defaults().publishPeriod()).isEqualTo(Duration.ofSeconds(1));
    for (double bad : new double[] {0.5, 0, -1, 100.5, Double.NaN}) {
      assertThatThrownBy(() -> ClientOptions.builder().missedHeartbeatFactor(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("missedHeartbeatFactor must be between 1.0 and 100.0");
    }
    assertThatThrownBy(() -> ClientOptions.builder().publishPeriod(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("publishPeriod");
    assertThat(ClientOptions.builder().missedHeartbeatFactor(4.9).build().missedHeartbeatMillis())
        .isEqualTo(4900);
  }
}
