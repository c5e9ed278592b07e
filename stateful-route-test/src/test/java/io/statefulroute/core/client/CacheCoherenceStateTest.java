package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The namespace state of {@link CacheCoherence} is one value changed by compare-and-set: a settle
 * (the subscription lasted the cache TTL) racing an Unsubscribed never leaves the namespace
 * settled, nor the hit path's unsettled count off by one.
 */
class CacheCoherenceStateTest {
  private static final long UNCONFIRMED = Duration.ofSeconds(1).toNanos();
  private static final long CACHE_TTL = Duration.ofSeconds(30).toNanos();

  private static final class Fixture {
    final VirtualTimeScheduler clock = VirtualClock.create();
    final Sinks.Many<LinkEvent> events = Sinks.many().multicast().directBestEffort();
    final CacheCoherence coherence;

    final List<Throwable> recheckFailures = new CopyOnWriteArrayList<>();

    Fixture() {
      this(ns -> Mono.empty());
    }

    Fixture(Function<String, Mono<Void>> recheck) {
      FaultyExecutor executor =
          new FaultyExecutor(InMemoryStatefulExecutor.withClock(clock)) {
            @Override
            public Flux<LinkEvent> linkEvents(String ns) {
              return events.asFlux();
            }
          };
      coherence =
          new CacheCoherence(
              executor,
              clock,
              () -> clock.now(TimeUnit.NANOSECONDS),
              UNCONFIRMED,
              CACHE_TTL,
              e -> {},
              recheck,
              (ns, e) -> recheckFailures.add(e));
      coherence.watch("ns");
    }

    void emit(LinkEvent e) {
      events.emitNext(e, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }
  }

  @Test
  void subscribedThenSettled_thenUnsubscribed_isUnsettledAgain() {
    Fixture f = new Fixture();
    f.emit(new LinkEvent.Subscribed("ns"));
    assertThat(f.coherence.isCoherent("ns")).isTrue();
    assertThat(f.coherence.allSettled()).isFalse();
    f.clock.advanceTimeBy(Duration.ofNanos(CACHE_TTL));
    assertThat(f.coherence.allSettled()).isTrue();
    f.emit(new LinkEvent.Unsubscribed("ns", "lost"));
    CacheCoherence.State st = f.coherence.state("ns");
    assertThat(st.confirmed()).isFalse();
    assertThat(st.settled()).isFalse();
    assertThat(st.suspect()).isTrue();
    assertThat(f.coherence.allSettled()).isFalse();
    assertThat(f.coherence.trusted("ns", Duration.ofSeconds(5).toNanos())).isFalse();
  }

  @Test
  void backgroundRecheckFails_isReportedAndRetried_notSwallowed() {
    // review: the background re-read after Subscribed swallowed its errors
    Fixture f = new Fixture(ns -> Mono.error(new IllegalStateException("store said no")));
    f.emit(new LinkEvent.Subscribed("ns"));
    assertThat(f.recheckFailures).hasSize(1);
    assertThat(f.recheckFailures.get(0)).hasMessage("store said no");
    assertThat(f.coherence.isCoherent("ns")).isFalse(); // not verified
    f.clock.advanceTimeBy(Duration.ofNanos(UNCONFIRMED));
    assertThat(f.recheckFailures).hasSize(2); // retried, reported again
  }

  @Test
  void settleRacingUnsubscribed_neverLeavesTheNamespaceSettled() throws Exception {
    for (int round = 0; round < 300; round++) {
      Fixture f = new Fixture();
      f.emit(new LinkEvent.Subscribed("ns"));
      CyclicBarrier start = new CyclicBarrier(2);
      Thread settle =
          new Thread(
              () -> {
                await(start);
                f.clock.advanceTimeBy(Duration.ofNanos(CACHE_TTL)); // runs the settle task
              });
      settle.start();
      await(start);
      f.emit(new LinkEvent.Unsubscribed("ns", "lost"));
      settle.join();
      CacheCoherence.State st = f.coherence.state("ns");
      assertThat(st.confirmed()).as("round %d", round).isFalse();
      assertThat(st.settled()).as("round %d", round).isFalse();
      assertThat(f.coherence.allSettled()).as("round %d: unsettled count", round).isFalse();
      // confirmed again, the count comes back to zero exactly once the new TTL has passed
      f.emit(new LinkEvent.Subscribed("ns"));
      f.clock.advanceTimeBy(Duration.ofNanos(CACHE_TTL));
      assertThat(f.coherence.allSettled()).as("round %d: settled again", round).isTrue();
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
