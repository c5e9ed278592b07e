package io.statefulroute.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.LinkEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;

class LinkEventHubTest {

  /**
   * A subscriber arriving while the executor starts listening gets exactly one Subscribed, first
   * (regression: it could get one from the start of listening and another from its own arrival,
   * which a clean-clone CI run of the link-event contract caught).
   */
  @Test
  void slowSubscriber_fallsBehindThePerSubscriberBuffer_isToldAndSubscribedAfresh() {
    // review: the hub buffered a slow subscriber's events without bound
    LinkEventHub hub = LinkEventHub.inProcess(); // always listening: Subscribed on arrival
    List<LinkEvent> seen = new CopyOnWriteArrayList<>();
    BaseSubscriber<LinkEvent> slow =
        new BaseSubscriber<>() {
          @Override
          protected void hookOnSubscribe(Subscription s) {
            s.request(1);
          }

          @Override
          protected void hookOnNext(LinkEvent e) {
            seen.add(e);
          }
        };
    hub.events("ns").subscribe(slow);
    for (int i = 0; i <= LinkEventHub.SUBSCRIBER_BUFFER + 10; i++) {
      hub.deliver(new LinkEvent.Linked("ns", "u" + i, "svc", 1));
    }
    assertThat(seen).containsExactly(new LinkEvent.Subscribed("ns"));
    slow.request(LinkEventHub.SUBSCRIBER_BUFFER + 100);
    assertThat(seen).hasSizeGreaterThan(2);
    assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOf(LinkEvent.Unsubscribed.class));
    assertThat(seen.get(seen.size() - 1))
        .as("subscribed afresh, listening again")
        .isEqualTo(new LinkEvent.Subscribed("ns"));
    hub.deliver(new LinkEvent.Linked("ns", "after", "svc", 2));
    slow.request(1);
    assertThat(seen.get(seen.size() - 1)).isEqualTo(new LinkEvent.Linked("ns", "after", "svc", 2));
    slow.dispose();
  }

  @Test
  void subscriberRacingTheStartOfListening_getsExactlyOneSubscribed_first() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 2_000; round++) {
        LinkEventHub hub = new LinkEventHub(ns -> {}, ns -> {});
        List<LinkEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        Future<Disposable> subscriber =
            pool.submit(
                () -> {
                  go.await();
                  return hub.events("ns").subscribe(seen::add);
                });
        Future<?> executor =
            pool.submit(
                () -> {
                  go.await();
                  hub.listening("ns");
                  return null;
                });
        go.countDown();
        Disposable subscription = subscriber.get();
        executor.get();
        hub.deliver(new LinkEvent.Linked("ns", "u", "svc", 1));

        assertThat(seen)
            .as("round %d", round)
            .containsExactly(
                new LinkEvent.Subscribed("ns"), new LinkEvent.Linked("ns", "u", "svc", 1));
        subscription.dispose();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void changesMayBeLost_whileListening_unsubscribedThenSubscribed_otherwiseNothing() {
    LinkEventHub hub = new LinkEventHub(ns -> {}, ns -> {});
    List<LinkEvent> seen = new CopyOnWriteArrayList<>();
    Disposable subscription = hub.events("ns").subscribe(seen::add);
    hub.changesMayBeLost("ns", "not listening yet");
    assertThat(seen).isEmpty();
    hub.listening("ns");
    hub.changesMayBeLost("ns", "cluster masters changed");
    hub.deliver(new LinkEvent.Linked("ns", "u", "svc", 1));
    assertThat(seen)
        .containsExactly(
            new LinkEvent.Subscribed("ns"),
            new LinkEvent.Unsubscribed("ns", "cluster masters changed"),
            new LinkEvent.Subscribed("ns"),
            new LinkEvent.Linked("ns", "u", "svc", 1));
    assertThat(hub.isListening("ns")).isTrue();
    hub.notListening("ns", "lost");
    hub.changesMayBeLost("ns", "while lost");
    assertThat(seen).hasSize(5).last().isEqualTo(new LinkEvent.Unsubscribed("ns", "lost"));
    subscription.dispose();
  }
}
