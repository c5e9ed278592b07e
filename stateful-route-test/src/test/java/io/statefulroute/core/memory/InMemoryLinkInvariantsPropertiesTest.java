package io.statefulroute.core.memory;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.test.VirtualClock;
import io.statefulroute.test.contract.LinkInvariantsProperties;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The link invariants on the in-memory executor in virtual time: exact, so many tries. */
class InMemoryLinkInvariantsPropertiesTest extends LinkInvariantsProperties {
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor executor;

  @Override
  protected void beforeSequence() {
    clock = VirtualClock.create();
    executor = InMemoryStatefulExecutor.withClock(clock);
  }

  @Test
  void linkOperations_randomSequences_keepTheInvariants() {
    checkRandomSequences(500, 2000);
  }

  @Override
  protected List<StatefulExecutor> executors(int n) {
    return Collections.nCopies(n, executor);
  }

  @Override
  protected void advance(Duration d) {
    clock.advanceTimeBy(d);
  }

  @Override
  protected long nowMillis() {
    return clock.now(TimeUnit.MILLISECONDS);
  }

  @Override
  protected long toleranceMillis() {
    return 0;
  }

  @Override
  protected int maxSteps() {
    return 40;
  }

  @Override
  protected int executorCount() {
    return 1; // one store, one instance: more executors would only lengthen counterexamples
  }
}
