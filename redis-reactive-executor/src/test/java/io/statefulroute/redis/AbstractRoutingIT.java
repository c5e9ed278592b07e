package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.NoAvailablePodException;
import io.statefulroute.core.OwnerUnavailableException;
import io.statefulroute.core.PodRoutableException;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.client.ClientDriver;
import io.statefulroute.core.client.ClientOptions;
import io.statefulroute.core.client.RouteOperator;
import io.statefulroute.core.server.ReleaseSummary;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.state.PodStateChange;
import io.statefulroute.core.state.ServiceView;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.redis.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Server drivers (pods) and client drivers (gateways) in one JVM on a real Redis, with short
 * periods (publish and refresh 200 ms, state expiry 1 s) so that state changes are seen within a
 * second. Waits poll the observable outcome with a deadline; no assertion is about speed.
 */
abstract class AbstractRoutingIT {
  static final String SVC = "game";
  private final List<ServerDriver> servers = new ArrayList<>();
  private final List<ClientDriver> clients = new ArrayList<>();
  String ns;

  abstract RedisContractTarget target();

  @BeforeEach
  void namespace() {
    ns = "r-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void stopAll() {
    clients.forEach(ClientDriver::close);
    servers.forEach(s -> s.stop().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5)));
  }

  StatefulExecutor executor() {
    return target().executors(1).get(0);
  }

  ServerDriver server(int pod) {
    return server(pod, executor(), "inc-" + pod);
  }

  ServerDriver server(int pod, StatefulExecutor executor, String incarnation) {
    ServerDriver s =
        ServerDriver.create(
            executor,
            ServerOptions.builder(ns, SVC, pod)
                .incarnation(incarnation)
                .publishPeriod(Duration.ofMillis(200))
                .stateExpiry(Duration.ofSeconds(1))
                .pruneAfter(Duration.ofSeconds(30))
                .shutdownTimeout(Duration.ofSeconds(2))
                .build());
    s.start().block(Duration.ofSeconds(5));
    servers.add(s);
    return s;
  }

  ClientDriver client(StatefulExecutor executor) {
    ClientDriver c =
        ClientDriver.create(
            executor,
            ClientOptions.builder()
                .stateCache(
                    StateCacheOptions.builder()
                        .refreshPeriod(Duration.ofMillis(200))
                        .stateExpiry(Duration.ofSeconds(1))
                        .build())
                .leaseTtl(Duration.ofSeconds(60))
                .build());
    clients.add(c);
    return c;
  }

  ClientDriver client() {
    return client(executor());
  }

  /** Waits (polling, 10 s deadline) until {@code condition} holds. */
  static void eventually(String what, BooleanSupplier condition) {
    Poll.until(Duration.ofSeconds(10), what, condition);
  }

  boolean seesState(ClientDriver c, int pod, RoutingState state) {
    return c.states()
        .refresh(ns, SVC)
        .map(
            v -> {
              var p = v.pods().get(pod);
              return p != null && p.state() == state && v.isFresh(pod);
            })
        .block(Duration.ofSeconds(5));
  }

  @Test
  void newUid_landsOnAnAvailablePod_andStaysThereForEveryClient() {
    server(0);
    server(1);
    ClientDriver a = client();
    ClientDriver b = client(target().executors(2).get(1));
    int pod = a.computeLinkedPod(ns, "alice", SVC).block(Duration.ofSeconds(5));
    assertThat(pod).isIn(0, 1);
    for (int i = 0; i < 20; i++) {
      assertThat(b.computeLinkedPod(ns, "alice", SVC).block(Duration.ofSeconds(5))).isEqualTo(pod);
      assertThat(a.computeLinkedPod(ns, "alice", SVC).block(Duration.ofSeconds(5))).isEqualTo(pod);
    }
  }

  @Test
  void drainingPod_keepsItsLinkedUids_andGetsNoNewOnes() {
    server(0);
    ServerDriver draining = server(1);
    ClientDriver c = client();
    executor().setLink(ns, "linked", SVC, 1, 60).block();
    draining.setRoutingState(RoutingState.DENY_NEW_CALL);
    eventually("client sees DENY_NEW_CALL", () -> seesState(c, 1, RoutingState.DENY_NEW_CALL));
    assertThat(c.computeLinkedPod(ns, "linked", SVC).block()).isEqualTo(1);
    for (int i = 0; i < 40; i++) {
      assertThat(c.computeLinkedPod(ns, "n" + i, SVC).block()).isZero();
    }
  }

  @Test
  void shutDownPod_temporaryLinksMove_andAllClientsConvergeOnOneNewPod() {
    server(0);
    ServerDriver leaving = server(1);
    server(2);
    List<ClientDriver> gateways =
        IntStream.range(0, 4)
            .mapToObj(i -> client(target().executors(4).get(i)))
            .collect(Collectors.toList());
    List<String> uids = IntStream.range(0, 200).mapToObj(i -> "m" + i).collect(Collectors.toList());
    uids.forEach(u -> executor().setLink(ns, u, SVC, 1, 60).block());
    leaving.stop().block(Duration.ofSeconds(5));
    gateways.forEach(
        g -> eventually("sees SHUTDOWN", () -> seesState(g, 1, RoutingState.SHUTDOWN)));
    Map<String, Set<Integer>> seen = new HashMap<>();
    Flux.fromIterable(uids)
        .flatMap(
            u ->
                Flux.fromIterable(gateways)
                    .flatMap(g -> g.computeLinkedPod(ns, u, SVC).map(p -> Map.entry(u, p))),
            64)
        .toIterable()
        .forEach(e -> seen.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
    assertThat(seen).hasSize(200);
    assertThat(seen.values())
        .allSatisfy(
            pods -> {
              assertThat(pods).hasSize(1);
              assertThat(pods.iterator().next()).isIn(0, 2);
            });
  }

  @Test
  void silentPod_goesStale_andItsTemporaryLinksMove() {
    server(0);
    FaultyExecutor cut = new FaultyExecutor(executor());
    server(1, cut, "inc-1");
    ClientDriver c = client();
    executor().setLink(ns, "s", SVC, 1, 60).block();
    assertThat(c.computeLinkedPod(ns, "s", SVC).block()).isEqualTo(1);
    cut.failing(true); // pod 1 can no longer publish: it goes stale after the expiry
    eventually("pod 1 stale", () -> !c.states().refresh(ns, SVC).block().isFresh(1));
    assertThat(c.computeLinkedPod(ns, "s", SVC).block()).isZero();
    assertThat(executor().getLink(ns, "s", SVC).block()).isZero();
  }

  @Test
  void persistentLinkToShutDownPod_isOwnerUnavailable() {
    server(0);
    ServerDriver owner = server(1);
    ClientDriver c = client();
    owner.setLinkedPod("p").block();
    owner.stop().block(Duration.ofSeconds(5));
    eventually("sees SHUTDOWN", () -> seesState(c, 1, RoutingState.SHUTDOWN));
    StepVerifier.create(c.computeLinkedPod(ns, "p", SVC))
        .expectError(OwnerUnavailableException.class)
        .verify(Duration.ofSeconds(5));
    assertThat(executor().getLinkIfPersistent(ns, "p", SVC).block()).isEqualTo(1);
  }

  /**
   * A pod that links uids persistently goes away: its links answer OwnerUnavailableException until
   * an operator releases them with a client; a release is refused while the pod is up.
   */
  @Test
  void scaledAwayPod_persistentLinksReleasedByAClient_uidsArePlacedAfresh() {
    server(0);
    ServerDriver leaving = server(1);
    ClientDriver operator = client();
    ClientDriver gateway = client(target().executors(2).get(1));
    List<String> uids = IntStream.range(0, 300).mapToObj(i -> "owned-" + i).toList();
    Flux.fromIterable(uids).flatMap(leaving::setLinkedPod, 32).blockLast(Duration.ofSeconds(30));
    executor().setLink(ns, "pod0-owned", SVC, 0, StatefulExecutor.PERSISTENT).block();
    for (String uid : uids.subList(0, 5)) {
      assertThat(gateway.computeLinkedPod(ns, uid, SVC).block(Duration.ofSeconds(5))).isEqualTo(1);
    }
    StepVerifier.create(operator.releasePersistentLinks(ns, SVC, 1, Duration.ZERO))
        .expectError(PodRoutableException.class)
        .verify(Duration.ofSeconds(10));
    assertThat(executor().getLinkIfPersistent(ns, uids.get(0), SVC).block()).isEqualTo(1);

    leaving.stop().block(Duration.ofSeconds(5)); // publishes SHUTDOWN
    eventually("gateway sees SHUTDOWN", () -> seesState(gateway, 1, RoutingState.SHUTDOWN));
    StepVerifier.create(gateway.computeLinkedPod(ns, uids.get(0), SVC))
        .expectError(OwnerUnavailableException.class)
        .verify(Duration.ofSeconds(5));

    StepVerifier.create(operator.releasePersistentLinks(ns, SVC, 1, Duration.ZERO))
        .expectNext(new ReleaseSummary(300, 0, 0))
        .verifyComplete();

    for (String uid : uids) {
      assertThat(gateway.computeLinkedPod(ns, uid, SVC).block(Duration.ofSeconds(5)))
          .as("placed afresh: %s", uid)
          .isZero();
    }
    assertThat(executor().getLinkIfPersistent(ns, "pod0-owned", SVC).block()).isZero();
    StepVerifier.create(executor().listPersistentLinks(ns, SVC, 1)).verifyComplete();
  }

  @Test
  void noPods_isNoAvailablePod() {
    ClientDriver c = client();
    StepVerifier.create(c.computeLinkedPod(ns, "nobody", SVC))
        .expectError(NoAvailablePodException.class)
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void podRestart_isSeenAsANewIncarnation() {
    ClientDriver c = client();
    Mono<PodStateChange> restart =
        c.stateChanges()
            .filter(ch -> ch.kind() == PodStateChange.Kind.RESTARTED && ch.pod() == 0)
            .next()
            .cache();
    restart.subscribe(); // listening before the restart happens
    ServerDriver first = server(0, executor(), "first");
    c.states().view(ns, SVC).block();
    first.stop().block(Duration.ofSeconds(5));
    server(0, executor(), "second");
    StepVerifier.create(restart).expectNextCount(1).expectComplete().verify(Duration.ofSeconds(10));
  }

  @Test
  void publishLoop_survivesARedisError() {
    ClientDriver c = client();
    String stateKey = KeySchema.defaults().state(ns, SVC);
    ServerDriver s = server(0);
    target().raw().del(stateKey);
    target().raw().set(stateKey, "not-a-hash"); // every publication now fails (WRONGTYPE)
    long failuresBefore = s.publicationFailures();
    eventually("failures counted", () -> s.publicationFailures() > failuresBefore + 2);
    StepVerifier.create(executor().readState(ns, SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(5));
    target().raw().del(stateKey);
    eventually("publishing again", () -> seesState(c, 0, RoutingState.READY));
  }

  @Test
  void convergence_eightClientsTwoThousandUids_whileOnePodDrains() {
    server(0);
    server(1);
    ServerDriver draining = server(2);
    server(3);
    List<StatefulExecutor> executors = target().executors(8);
    List<ClientDriver> gateways = executors.stream().map(this::client).collect(Collectors.toList());
    List<String> uids =
        IntStream.range(0, 2000).mapToObj(i -> "c" + i).collect(Collectors.toList());
    Map<String, Set<Integer>> seen = new ConcurrentHashMap<>();
    Flux.range(0, uids.size() * gateways.size())
        .parallel(4)
        .runOn(Schedulers.parallel())
        .flatMap(
            i -> {
              if (i == 4000) {
                draining.setRoutingState(RoutingState.DENY_NEW_CALL);
              }
              String uid = uids.get(i % uids.size());
              ClientDriver g = gateways.get((i / uids.size() + i) % gateways.size());
              return g.computeLinkedPod(ns, uid, SVC)
                  .doOnNext(
                      p -> seen.computeIfAbsent(uid, k -> ConcurrentHashMap.newKeySet()).add(p));
            },
            false,
            64)
        .sequential()
        .blockLast(Duration.ofMinutes(2));
    assertThat(seen).hasSize(2000);
    List<String> divergent =
        seen.entrySet().stream()
            .filter(e -> e.getValue().size() > 1)
            .map(Map.Entry::getKey)
            .collect(Collectors.toList());
    assertThat(divergent).as("uids for which two clients got different pods").isEmpty();
    Map<String, Integer> stored = executor().batchGetLinks(ns, uids, SVC).block();
    seen.forEach((uid, pods) -> assertThat(stored.get(uid)).isEqualTo(pods.iterator().next()));
  }

  @Test
  void linkMovedOrRemovedByOneClient_everyOtherClientsCacheFollows() {
    server(0);
    server(1);
    server(2);
    List<StatefulExecutor> executors = target().executors(3);
    List<ClientDriver> gateways = executors.stream().map(this::client).toList();
    for (ClientDriver g : gateways) {
      g.computeLinkedPod(ns, "first", SVC).block(Duration.ofSeconds(5)); // starts listening
    }
    eventually(
        "every gateway receives the link events",
        () -> gateways.stream().allMatch(g -> g.isCacheCoherent(ns)));
    List<String> uids = IntStream.range(0, 50).mapToObj(i -> "m" + i).toList();
    Map<String, Integer> placed = new HashMap<>();
    for (String uid : uids) {
      int pod = gateways.get(0).computeLinkedPod(ns, uid, SVC).block(Duration.ofSeconds(5));
      placed.put(uid, pod);
      for (ClientDriver g : gateways) {
        assertThat(g.computeLinkedPod(ns, uid, SVC).block(Duration.ofSeconds(5))).isEqualTo(pod);
      }
    }
    // one gateway moves every link; the other gateways' caches follow without a TTL expiry
    for (String uid : uids) {
      executors.get(0).setLink(ns, uid, SVC, (placed.get(uid) + 1) % 3, 60).block();
    }
    eventually(
        "every gateway's cache holds the moved links",
        () ->
            gateways.stream()
                .allMatch(
                    g ->
                        uids.stream()
                            .allMatch(
                                uid ->
                                    Integer.valueOf((placed.get(uid) + 1) % 3)
                                        .equals(g.getLinkedInCache(ns, uid, SVC).block()))));
    for (String uid : uids.subList(0, 10)) {
      executors.get(1).removeLink(ns, uid, SVC, Duration.ZERO).block();
    }
    eventually(
        "every gateway dropped the removed links",
        () ->
            gateways.stream()
                .allMatch(
                    g ->
                        uids.subList(0, 10).stream()
                            .allMatch(uid -> g.getLinkedInCache(ns, uid, SVC).block() == null)));
  }

  /** The gateway's cached view (no read): what its timer refreshes last read. */
  private static boolean cachedView(ClientDriver c, String ns, Predicate<ServiceView> check) {
    ServiceView v = c.states().peek(ns, SVC);
    return v != null && check.test(v);
  }

  /**
   * An operator cordons a pod on a real Redis: the pod restarts and publishes READY, and still no
   * gateway places a new uid on it (each sees the cordon through its timer's state read, with a
   * view cached before the cordon), while its existing link keeps routing; uncordon restores it.
   */
  @Test
  void cordonedPod_restartingAndRepublishingReady_staysCordonedForEveryGateway() {
    server(0);
    ServerDriver cordoned = server(1);
    ClientDriver gateway = client(target().executors(2).get(1));
    RouteOperator operator = RouteOperator.create(executor(), client());
    executor().setLink(ns, "old", SVC, 1, 60).block();
    assertThat(gateway.computeLinkedPod(ns, "old", SVC).block(Duration.ofSeconds(5))).isEqualTo(1);
    assertThat(cachedView(gateway, ns, v -> v.isAvailable(1))).isTrue();

    assertThat(operator.cordon(ns, SVC, 1).block(Duration.ofSeconds(5))).isTrue();
    cordoned.stop().block(Duration.ofSeconds(5));
    server(1, executor(), "inc-1-restarted"); // publishes READY again, every 200 ms
    eventually(
        "gateway's cached view shows the restarted pod READY and cordoned",
        () ->
            cachedView(
                gateway,
                ns,
                v ->
                    v.isCordoned(1)
                        && v.isRoutable(1)
                        && "inc-1-restarted".equals(v.pods().get(1).incarnation())));
    assertThat(cachedView(gateway, ns, v -> v.isAvailable(1))).isFalse();
    for (int i = 0; i < 30; i++) {
      assertThat(gateway.computeLinkedPod(ns, "new-" + i, SVC).block(Duration.ofSeconds(5)))
          .isZero();
    }
    assertThat(gateway.computeLinkedPod(ns, "old", SVC).block(Duration.ofSeconds(5))).isEqualTo(1);

    assertThat(operator.cordon(ns, SVC, 0).block(Duration.ofSeconds(5))).isTrue();
    assertThat(operator.uncordon(ns, SVC, 1).block(Duration.ofSeconds(5))).isTrue();
    eventually(
        "gateway sees pod 0 cordoned and pod 1 not",
        () -> cachedView(gateway, ns, v -> v.cordoned().equals(Set.of(0)) && v.isAvailable(1)));
    for (int i = 0; i < 30; i++) {
      assertThat(gateway.computeLinkedPod(ns, "after-" + i, SVC).block(Duration.ofSeconds(5)))
          .isEqualTo(1);
    }
  }

  /** A pinned uid survives its pod's own release of its links; a move then moves it. */
  @Test
  void pinnedUid_survivesThePodsReleaseLinks_andAnOperatorMoveMovesIt() {
    server(0);
    ServerDriver pod = server(1);
    RouteOperator operator = RouteOperator.create(executor(), client());
    pod.setLinkedPod("own").block(Duration.ofSeconds(5));
    operator.pin(ns, "pinned", SVC, 1).block(Duration.ofSeconds(5));
    assertThat(pod.releaseLinks(Flux.just("own", "pinned")).block(Duration.ofSeconds(10)))
        .isEqualTo(new ReleaseSummary(1, 1, 0));
    assertThat(executor().getLinkIfPersistent(ns, "pinned", SVC).block()).isEqualTo(1);
    assertThat(operator.pinnedPod(ns, "pinned", SVC).block()).isEqualTo(1);
    assertThat(executor().getLink(ns, "own", SVC).block()).isNull();

    assertThat(operator.move(ns, "pinned", SVC, 1, 0).block(Duration.ofSeconds(5)).replaced())
        .isTrue();
    assertThat(operator.pinnedPod(ns, "pinned", SVC).block()).isZero();
    assertThat(client().computeLinkedPod(ns, "pinned", SVC).block(Duration.ofSeconds(5))).isZero();
  }
}
