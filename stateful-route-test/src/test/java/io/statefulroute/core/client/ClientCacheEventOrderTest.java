package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Announcements of one uid heard out of order (on a cluster, from the old and the new master across
 * a failover): an older one never undoes a newer one in the cache (issue 10, item 7). The store
 * holds the outcome of the newest change; the test plays the announcements itself.
 */
class ClientCacheEventOrderTest {
  private static final String NS = "ns";
  private static final String SVC = "svc";
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;
  private FaultyExecutor executor;
  private Sinks.Many<LinkEvent> events;
  private ClientDriver client;

  @BeforeEach
  void setUp() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
    for (int pod = 0; pod < 4; pod++) {
      store
          .publishState(
              NS, SVC, new PodStatus(pod, 0, RoutingState.READY, "i" + pod), Duration.ofMinutes(5))
          .block();
    }
    executor = new FaultyExecutor(store);
    events = Sinks.many().multicast().directBestEffort();
    executor.overrideLinkEvents(events.asFlux());
    client =
        ClientDriver.create(
            executor,
            ClientOptions.builder()
                .stateCache(StateCacheOptions.builder().scheduler(clock).build())
                .leaseTtl(Duration.ofSeconds(60))
                .cacheExpireAfterWrite(Duration.ofSeconds(30))
                .build());
    read("warm-up"); // the client follows the namespace's events from its first use
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private static LinkEvent.Linked linked(String uid, int pod, long version) {
    return new LinkEvent.Linked(NS, uid, SVC, pod, OptionalLong.of(version));
  }

  private static LinkEvent.Removed removed(String uid, long version) {
    return new LinkEvent.Removed(NS, uid, SVC, Duration.ZERO, OptionalLong.of(version));
  }

  private void play(LinkEvent event) {
    assertThat(events.tryEmitNext(event)).isEqualTo(Sinks.EmitResult.OK);
  }

  private Integer cached(String uid) {
    return client.getLinkedInCache(NS, uid, SVC).block();
  }

  /** Reads the link through the client (a cache miss reads the store and fills the cache). */
  private Integer read(String uid) {
    return client.getLinkedPod(NS, uid, SVC).block();
  }

  @Test
  void newerThenOlderAnnouncement_cacheNeverAnswersTheOlderPod() {
    store.setLink(NS, "u", SVC, 1, 60).block();
    assertThat(read("u")).isEqualTo(1); // cached from the store: no version
    store.setLink(NS, "u", SVC, 2, 60).block(); // Q, the newer change; P=3 came before it

    play(linked("u", 2, 20)); // s:Q from the new master
    assertThat(cached("u")).isEqualTo(2);
    play(linked("u", 3, 10)); // s:P from the old master, heard late

    assertThat(cached("u")).as("never the older pod").isIn(null, 2);
    int reads = executor.calls("getLinkLease");
    assertThat(read("u")).isEqualTo(2);
    assertThat(executor.calls("getLinkLease")).as("dropped, so read again").isEqualTo(reads + 1);
    assertThat(cached("u")).isEqualTo(2);
  }

  @Test
  void olderThenNewerAnnouncement_bothApplyInTurn_noStoreRead() {
    store.setLink(NS, "u", SVC, 1, 60).block();
    assertThat(read("u")).isEqualTo(1);
    int reads = executor.calls("getLinkLease");

    play(linked("u", 3, 10));
    assertThat(cached("u")).isEqualTo(3);
    play(linked("u", 2, 20));
    assertThat(cached("u")).isEqualTo(2);

    assertThat(read("u")).isEqualTo(2);
    assertThat(executor.calls("getLinkLease")).as("served from the cache").isEqualTo(reads);
  }

  @Test
  void twoAnnouncementsOfTheSameVersion_cannotBeOrdered_entryIsDropped() {
    store.setLink(NS, "u", SVC, 1, 60).block();
    read("u");
    play(linked("u", 2, 20));
    play(linked("u", 3, 20));
    assertThat(cached("u")).isNull();
  }

  @Test
  void newerRemoval_thenARefill_thenAnOlderAnnouncement_refillIsNotUndone() {
    // the removal's announcement came first; the uid was read (placed) again; then an older
    // move's announcement arrived: a read made after the removal reflects it
    store.setLink(NS, "u", SVC, 1, 60).block();
    read("u");
    store.removeLink(NS, "u", SVC, Duration.ZERO).block();
    store.setLink(NS, "u", SVC, 0, 60).block(); // placed again since (not announced here)
    play(removed("u", 20));
    assertThat(cached("u")).isNull();
    assertThat(read("u")).isEqualTo(0);

    play(linked("u", 3, 10)); // older than the removal

    assertThat(cached("u")).as("never the older pod").isIn(null, 0);
    assertThat(read("u")).isEqualTo(0);
  }

  @Test
  void newerAnnouncement_thenOlderRemoval_entryIsDropped() {
    store.setLink(NS, "u", SVC, 1, 60).block();
    read("u");
    store.setLink(NS, "u", SVC, 2, 60).block();
    play(linked("u", 2, 20));
    play(removed("u", 10));
    assertThat(cached("u")).isNull();
    assertThat(read("u")).isEqualTo(2);
  }

  @Test
  void announcementsWithoutVersion_applyAsTheyCome() {
    // the form published by earlier versions of the scripts (during a rolling upgrade)
    store.setLink(NS, "u", SVC, 1, 60).block();
    read("u");
    play(linked("u", 2, 20));
    play(new LinkEvent.Linked(NS, "u", SVC, 3));
    assertThat(cached("u")).isEqualTo(3);
    play(linked("u", 1, 10)); // after an unordered one: nothing to compare with
    assertThat(cached("u")).isEqualTo(1);
  }

  /**
   * Random orders of the announcements of n changes of one uid, with store reads and cache expiries
   * in between: once the newest announcement has been heard, the cache answers only the newest
   * change's pod (or nothing).
   */
  @Test
  void randomArrivalOrders_onceTheNewestIsHeard_onlyItsPodIsEverCached() {
    Random random = new Random(10);
    for (int round = 0; round < 500; round++) {
      String uid = "r" + round;
      int changes = 2 + random.nextInt(6);
      List<LinkEvent> announced = new ArrayList<>();
      for (int v = 1; v <= changes; v++) {
        long version = 1_000L * round + v;
        announced.add(
            v < changes && random.nextInt(4) == 0
                ? removed(uid, version)
                : linked(uid, random.nextInt(4), version));
      }
      int last = ((LinkEvent.Linked) announced.get(changes - 1)).pod();
      store.setLink(NS, uid, SVC, last, 60).block(); // the store holds the newest change
      if (random.nextBoolean()) {
        read(uid);
      }
      List<LinkEvent> arrival = new ArrayList<>(announced);
      Collections.shuffle(arrival, random);
      boolean newestHeard = false;
      List<String> trace = new ArrayList<>();
      for (LinkEvent event : arrival) {
        switch (random.nextInt(3)) {
          case 0 -> {
            read(uid);
            trace.add("read");
          }
          case 1 -> {
            client.cacheExpired(NS, uid, SVC);
            trace.add("expired");
          }
          default -> {}
        }
        play(event);
        trace.add(event.toString());
        newestHeard |= event == announced.get(changes - 1);
        if (newestHeard) {
          assertThat(cached(uid)).as("round %d: %s", round, trace).isIn(null, last);
        }
      }
      assertThat(read(uid)).as("round %d: %s", round, trace).isEqualTo(last);
      assertThat(cached(uid)).isEqualTo(last);
    }
  }
}
