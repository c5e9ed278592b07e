package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The embedded store's faults, in virtual time. */
class FaultInjectingExecutorTest {
  private static final String NS = "ns";
  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private final FaultInjectingExecutor store =
      new FaultInjectingExecutor(
          () -> InMemoryStatefulExecutor.withClock(clock), clock, Duration.ofSeconds(2));

  @AfterEach
  void close() {
    store.close();
  }

  private <T> AtomicReference<Object> call(Mono<T> mono) {
    AtomicReference<Object> result = new AtomicReference<>();
    mono.subscribe(result::set, result::set, () -> result.compareAndSet(null, "empty"));
    return result;
  }

  @Test
  void stall_callLongerThanTheTimeout_failsWithStoreTimeoutAfterIt() {
    store.stall(3000);
    AtomicReference<Object> result = call(store.getLink(NS, "u", "game"));
    clock.advanceTimeBy(Duration.ofMillis(1999));
    assertThat(result.get()).isNull();
    clock.advanceTimeBy(Duration.ofMillis(1));
    assertThat(result.get()).isInstanceOf(StoreTimeoutException.class);
    assertThat(((StoreTimeoutException) result.get()).operation()).isEqualTo("get_link");
  }

  @Test
  void stall_callNearItsEnd_answersWhenTheStallEnds() {
    store.setLink(NS, "u", "game", 3, 60).block();
    store.stall(3000);
    clock.advanceTimeBy(Duration.ofMillis(1500));
    AtomicReference<Object> result = call(store.getLink(NS, "u", "game"));
    clock.advanceTimeBy(Duration.ofMillis(1499));
    assertThat(result.get()).isNull();
    clock.advanceTimeBy(Duration.ofMillis(1));
    assertThat(result.get()).isEqualTo(3);
    assertThat(call(store.getLink(NS, "u", "game")).get()).isEqualTo(3); // over: at once
  }

  @Test
  void restartEmpty_linksLost_andLinkEventsResubscribe() {
    List<LinkEvent> events = new CopyOnWriteArrayList<>();
    Disposable listening = store.linkEvents(NS).subscribe(events::add);
    store.setLink(NS, "u", "game", 3, 60).block();
    store.restartEmpty();
    assertThat(call(store.getLink(NS, "u", "game")).get()).isEqualTo("empty");
    assertThat(events).first().isInstanceOf(LinkEvent.Subscribed.class);
    assertThat(events).filteredOn(e -> e instanceof LinkEvent.Unsubscribed).hasSize(1);
    assertThat(events).last().isInstanceOf(LinkEvent.Subscribed.class);
    store.setLink(NS, "u", "game", 1, 60).block();
    store.setLink(NS, "u", "game", 2, 60).block(); // a change on the new store is heard
    assertThat(events).last().isEqualTo(new LinkEvent.Linked(NS, "u", "game", 2));
    listening.dispose();
  }
}
