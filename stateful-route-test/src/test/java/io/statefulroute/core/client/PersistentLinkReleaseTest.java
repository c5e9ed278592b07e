package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.OwnerUnavailableException;
import io.statefulroute.core.PodRoutableException;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.StoreUnavailableException;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.server.ReleaseSummary;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@link ClientDriver#releasePersistentLinks}: an operator releases the persistent links a gone pod
 * left behind; a routable pod is refused before anything is written.
 */
class PersistentLinkReleaseTest {
  private static final long P = StatefulExecutor.PERSISTENT;
  private static final Duration PRUNE = Duration.ofMinutes(5);
  private static final Duration NOW = Duration.ZERO;
  private static final Duration WAIT = Duration.ofSeconds(5);
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;
  private FaultyExecutor executor;
  private ClientDriver client;

  @BeforeEach
  void setUp() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
    executor = new FaultyExecutor(store);
    client =
        ClientDriver.create(
            executor,
            ClientOptions.builder()
                .stateCache(StateCacheOptions.builder().scheduler(clock).build())
                .leaseTtl(Duration.ofSeconds(60))
                .build());
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private void publish(int pod, RoutingState state) {
    store.publishState("ns", "svc", new PodStatus(pod, 0, state, "inc" + pod), PRUNE).block();
  }

  private List<String> linkPersistently(int pod, int count) {
    List<String> uids = IntStream.range(0, count).mapToObj(i -> "p" + pod + "-" + i).toList();
    uids.forEach(uid -> store.setLink("ns", uid, "svc", pod, P).block());
    return uids;
  }

  @Test
  void routablePod_isRefusedBeforeAnythingIsListedOrWritten() {
    publish(0, RoutingState.READY);
    publish(1, RoutingState.DENY_NEW_CALL);
    List<String> ready = linkPersistently(0, 5);
    List<String> draining = linkPersistently(1, 5);
    StepVerifier.create(client.releasePersistentLinks("ns", "svc", 0, NOW))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(PodRoutableException.class);
              PodRoutableException refused = (PodRoutableException) e;
              assertThat(refused.pod()).isZero();
              assertThat(refused.state()).isEqualTo(RoutingState.READY);
              assertThat(refused.namespace()).isEqualTo("ns");
              assertThat(refused.service()).isEqualTo("svc");
            })
        .verify(WAIT);
    StepVerifier.create(client.releasePersistentLinks("ns", "svc", 1, NOW))
        .expectErrorSatisfies(
            e ->
                assertThat(((PodRoutableException) e).state())
                    .isEqualTo(RoutingState.DENY_NEW_CALL))
        .verify(WAIT);
    assertThat(executor.calls("listPersistentLinks")).isZero();
    assertThat(executor.calls("removeLinkIfOwner")).isZero();
    ready.forEach(uid -> assertThat(store.getLinkIfPersistent("ns", uid, "svc").block()).isZero());
    draining.forEach(
        uid -> assertThat(store.getLinkIfPersistent("ns", uid, "svc").block()).isEqualTo(1));
  }

  @Test
  void shutDownPod_itsPersistentLinksAreReleased_andTheUidsPlacedAfresh() {
    publish(0, RoutingState.READY);
    publish(1, RoutingState.SHUTDOWN);
    List<String> gone = linkPersistently(1, 20);
    List<String> live = linkPersistently(0, 3);
    store.setLink("ns", "leased", "svc", 1, 60).block(); // temporary: clients move it
    store.setLink("ns", gone.get(0), "chat", 1, P).block(); // another service: not this one's
    StepVerifier.create(client.computeLinkedPod("ns", gone.get(0), "svc"))
        .expectError(OwnerUnavailableException.class)
        .verify(WAIT);

    StepVerifier.create(client.releasePersistentLinks("ns", "svc", 1, NOW))
        .expectNext(new ReleaseSummary(20, 0, 0))
        .verifyComplete();

    for (String uid : gone) {
      StepVerifier.create(client.computeLinkedPod("ns", uid, "svc")).expectNext(0).verifyComplete();
    }
    live.forEach(uid -> assertThat(store.getLinkIfPersistent("ns", uid, "svc").block()).isZero());
    assertThat(store.getLink("ns", "leased", "svc").block()).isEqualTo(1);
    assertThat(store.getLinkIfPersistent("ns", gone.get(0), "chat").block()).isEqualTo(1);
  }

  @Test
  void podThatStoppedPublishing_isReleased() {
    publish(1, RoutingState.READY);
    List<String> gone = linkPersistently(1, 4);
    clock.advanceTimeBy(Duration.ofSeconds(10)); // older than the state expiry (5 s): stale
    publish(0, RoutingState.READY);
    StepVerifier.create(client.releasePersistentLinks("ns", "svc", 1, NOW))
        .expectNext(new ReleaseSummary(4, 0, 0))
        .verifyComplete();
    gone.forEach(uid -> assertThat(store.getLink("ns", uid, "svc").block()).isNull());
  }

  @Test
  void uidClaimedByALivePodDuringTheRelease_isLeftAlone() {
    publish(0, RoutingState.READY);
    publish(1, RoutingState.SHUTDOWN);
    List<String> gone = linkPersistently(1, 5);
    // pod 0 takes one of them after the listing, before the removals reach the store
    executor.beforeNext("removeLinkIfOwner", store.setLink("ns", gone.get(3), "svc", 0, P));
    StepVerifier.create(client.releasePersistentLinks("ns", "svc", 1, NOW))
        .expectNext(new ReleaseSummary(4, 1, 0))
        .verifyComplete();
    assertThat(store.getLinkIfPersistent("ns", gone.get(3), "svc").block()).isZero();
    assertThat(store.getLinkIndex("ns", gone.get(3)).block()).containsEntry("svc", 0);
  }

  @Test
  void podComesBackDuringTheRelease_theReleaseStopsWithPodRoutable() {
    publish(0, RoutingState.READY);
    publish(1, RoutingState.SHUTDOWN);
    List<String> gone = linkPersistently(1, 10);
    executor.beforeNext(
        "removeLinkIfOwner",
        Mono.fromRunnable(() -> publish(1, RoutingState.READY))
            .then(client.states().refresh("ns", "svc")));
    StepVerifier.create(client.releasePersistentLinks("ns", "svc", 1, NOW))
        .expectError(PodRoutableException.class)
        .verify(WAIT);
    long kept =
        gone.stream()
            .filter(
                uid ->
                    Integer.valueOf(1).equals(store.getLinkIfPersistent("ns", uid, "svc").block()))
            .count();
    assertThat(kept).as("links kept once the pod was back").isEqualTo(9);
  }

  @Test
  void aRemovalFails_isCountedAndTheOthersAreReleased() {
    publish(1, RoutingState.SHUTDOWN);
    List<String> gone = linkPersistently(1, 6);
    executor.beforeNext("removeLinkIfOwner", Mono.fromRunnable(() -> executor.failNext(1)));
    StepVerifier.create(client.releasePersistentLinks("ns", "svc", 1, NOW))
        .expectNext(new ReleaseSummary(5, 0, 1))
        .verifyComplete();
    assertThat(gone.stream().filter(uid -> store.getLink("ns", uid, "svc").block() != null))
        .hasSize(1);
  }

  @Test
  void theStateReadFails_theReleaseFailsAndNothingIsWritten() {
    publish(1, RoutingState.SHUTDOWN);
    linkPersistently(1, 3);
    executor.failNext(1);
    StepVerifier.create(client.releasePersistentLinks("ns", "svc", 1, NOW))
        .expectError(StoreUnavailableException.class)
        .verify(WAIT);
    assertThat(executor.calls("listPersistentLinks")).isZero();
    assertThat(executor.calls("removeLinkIfOwner")).isZero();
  }

  @Test
  void withADelay_theLinksKeepAnsweringUntilItEnds() {
    publish(0, RoutingState.READY);
    publish(1, RoutingState.SHUTDOWN);
    List<String> gone = linkPersistently(1, 3);
    StepVerifier.create(client.releasePersistentLinks("ns", "svc", 1, Duration.ofSeconds(5)))
        .expectNext(new ReleaseSummary(3, 0, 0))
        .verifyComplete();
    gone.forEach(
        uid -> {
          assertThat(store.getLink("ns", uid, "svc").block()).isEqualTo(1);
          assertThat(store.getLinkIfPersistent("ns", uid, "svc").block()).isNull();
        });
    StepVerifier.create(executor.listPersistentLinks("ns", "svc", 1)).verifyComplete();
    clock.advanceTimeBy(Duration.ofSeconds(6));
    gone.forEach(uid -> assertThat(store.getLink("ns", uid, "svc").block()).isNull());
  }

  @Test
  void badArguments_throwAtOnce_andNothingIsRead() {
    List<Executable> calls =
        List.of(
            () -> client.releasePersistentLinks(null, "svc", 1, NOW),
            () -> client.releasePersistentLinks("", "svc", 1, NOW),
            () -> client.releasePersistentLinks("ns", null, 1, NOW),
            () -> client.releasePersistentLinks("ns", "", 1, NOW),
            () -> client.releasePersistentLinks("ns", "svc", -1, NOW),
            () -> client.releasePersistentLinks("ns", "svc", 1, null),
            () -> client.releasePersistentLinks("ns", "svc", 1, Duration.ofMillis(-1)));
    for (Executable call : calls) {
      assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(executor.calls("readState")).isZero();
  }
}
