package io.statefulroute.test;

import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The example of docs/testing.md ("In memory, in virtual time"), as written there. */
class VirtualTimeExampleTest {

  @Test
  void temporaryLink_inVirtualTime_endsWithItsLease() {
    VirtualTimeScheduler clock = VirtualClock.create();
    InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);

    StepVerifier.create(store.setLink("ns", "alice", "game", 3, 30)).verifyComplete();
    StepVerifier.create(store.getLink("ns", "alice", "game")).expectNext(3).verifyComplete();

    clock.advanceTimeBy(Duration.ofSeconds(31)); // the 30 s lease ends
    StepVerifier.create(store.getLink("ns", "alice", "game")).verifyComplete();
  }
}
