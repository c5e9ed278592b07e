package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Races and timings found by an adversarial review of the lease reads, the per-key re-read and the
 * namespace release; each test failed before its fix.
 */
class ClientCacheRacesTest {
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
    publishAll();
  }

  private void publishAll() {
    for (int pod = 0; pod < 4; pod++) {
      store
          .publishState("ns", "svc", new PodStatus(pod, 0, RoutingState.READY, "i" + pod), PRUNE)
          .block();
    }
  }

  private void pass(Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      publishAll();
      clock.advanceTimeBy(Duration.ofSeconds(1));
    }
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
  }

  private ClientOptions.Builder options() {
    return ClientOptions.builder()
        .stateCache(
            StateCacheOptions.builder()
                .scheduler(clock)
                .idleWatchTimeout(Duration.ofHours(1))
                .build())
        .leaseTtl(Duration.ofSeconds(60))
        .cacheExpireAfterWrite(Duration.ofSeconds(30));
  }

  private static CacheCoherence coherence(ClientDriver c) {
    return ((DefaultClientDriver) c).coherence();
  }

  /**
   * A use of an idle namespace that lands inside the sweep (between its read of 'used' and the
   * removal) was lost: the namespace was released although a link of it was just cached, and with
   * no other unsettled namespace the entry was trusted at any age: a change announced afterwards
   * was never heard and the stale pod answered until the cache TTL.
   */
  @Test
  void useDuringTheSweep_namespaceIsFollowedAfresh_andTheEntryFollowsTheNextChange() {
    client = ClientDriver.create(executor, options().build());
    CacheCoherence coherence = coherence(client);
    store.setLink("ns", "u", "svc", 1, 60).block();
    assertThat(client.getLinkedPod("ns", "other", "svc").block()).isNull(); // watches "ns"
    assertThat(coherence.watched()).containsExactly("ns");
    coherence.releaseUnused(Set.of()); // first sweep: used -> false
    assertThat(coherence.watched()).containsExactly("ns");

    // second sweep; the caller's getLinkedPod runs between the sweep's read of 'used' and the
    // removal (here: from inUse.contains, which the sweep calls in exactly that window)
    Set<String> inUse =
        new AbstractSet<>() {
          @Override
          public boolean contains(Object o) {
            assertThat(client.getLinkedPod("ns", "u", "svc").block()).isEqualTo(1);
            return false;
          }

          @Override
          public Iterator<String> iterator() {
            return Set.<String>of().iterator();
          }

          @Override
          public int size() {
            return 0;
          }
        };
    coherence.releaseUnused(inUse);

    assertThat(client.getLinkedInCache("ns", "u", "svc").block()).as("cached").isEqualTo(1);
    store.setLink("ns", "u", "svc", 2, 60).block(); // announced; nobody of this client listens
    pass(Duration.ofSeconds(20));
    assertThat(client.getLinkedPod("ns", "u", "svc").block())
        .as("the store moved to 2 twenty seconds ago")
        .isEqualTo(2);
  }

  /**
   * One cached link whose stored value cannot be decoded made the whole per-key re-read fail: the
   * namespace was never verified, and every cached link of it was re-read again each
   * unconfirmedCacheTtl (48 reads of 10 links in 5 s). Now that entry is dropped, the rest
   * verified.
   */
  @Test
  void recheck_oneCorruptLink_isDropped_andTheOthersAreVerifiedOnce() throws Exception {
    Sinks.Many<LinkEvent> events = Sinks.many().multicast().directBestEffort();
    executor.overrideLinkEvents(events.asFlux());
    client = ClientDriver.create(executor, options().build());
    for (int i = 0; i < 10; i++) {
      client.computeLinkedPod("ns", "u" + i, "svc").block();
    }
    store.putRawString(KeySchema.defaults().link("ns", "u0", "svc"), "not-a-pod");
    int before = executor.calls("getLinkLease");
    events.tryEmitNext(new LinkEvent.Subscribed("ns"));
    pass(Duration.ofSeconds(5));
    int reads = executor.calls("getLinkLease") - before;
    assertThat(reads).as("lease reads of 10 cached links in 5 s").isLessThanOrEqualTo(10);
    assertThat(client.isCacheCoherent("ns")).as("verified after the re-read").isTrue();
    assertThat(client.getLinkedInCache("ns", "u0", "svc").block())
        .as("unreadable: dropped")
        .isNull();
  }

  /**
   * The lease cap compared the life at the read with a cache TTL that starts at the fill: a reply
   * that arrived late (here 2 s, a slow Redis within commandTimeout) left the entry living past the
   * link's end by up to that delay, beyond "the link's end + 100 ms".
   */
  @Test
  void getLinkedPod_lateReplyOfALinkWithJustMoreLifeThanTheCacheTtl_endsWithTheLink() {
    client = ClientDriver.create(executor, options().build()); // cacheExpireAfterWrite 30 s
    store.setLink("ns", "u", "svc", 2, 31).block(); // another client's lease, 31 s left
    executor.delayNext("getLinkLease", Duration.ofSeconds(2), clock);
    var answer = client.getLinkedPod("ns", "u", "svc").toFuture();
    clock.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(answer.join()).isEqualTo(2);
    clock.advanceTimeBy(Duration.ofMillis(29_500)); // t = 31.5 s: the link ended 0.5 s ago
    assertThat(store.getLink("ns", "u", "svc").block()).as("store: gone").isNull();
    assertThat(client.getLinkedPod("ns", "u", "svc").block())
        .as("ended 500 ms ago (bound: 100 ms)")
        .isNull();
  }

  /**
   * The re-read after Subscribed reads each link with its lease; a move announced while one such
   * read is in flight must win over the read's older reply.
   */
  @Test
  void moveAnnouncedDuringTheReReadAfterSubscribed_olderReplyNeverOverwritesIt() {
    Sinks.Many<LinkEvent> events = Sinks.many().multicast().directBestEffort();
    executor.overrideLinkEvents(events.asFlux());
    client = ClientDriver.create(executor, options().build());
    store.setLink("ns", "u", "svc", 1, 60).block();
    assertThat(client.getLinkedPod("ns", "u", "svc").block()).isEqualTo(1); // cached, unconfirmed
    executor.delayNext("getLinkLease", Duration.ofMillis(500), clock); // reads 1, answers late

    events.tryEmitNext(new LinkEvent.Subscribed("ns")); // starts the re-read
    store.setLink("ns", "u", "svc", 3, 60).block();
    events.tryEmitNext(new LinkEvent.Linked("ns", "u", "svc", 3));
    clock.advanceTimeBy(Duration.ofMillis(500)); // the re-read's reply (1) arrives now

    assertThat(client.getLinkedInCache("ns", "u", "svc").block())
        .as("the moved pod, or nothing")
        .isIn(null, 3);
    assertThat(client.getLinkedPod("ns", "u", "svc").block()).isEqualTo(3);
  }
}
