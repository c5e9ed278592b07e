package io.statefulroute.core.memory;

import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.test.VirtualClock;
import io.statefulroute.test.contract.StatefulExecutorContract;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The executor contract on the in-memory executor, with its clock in virtual time. */
class InMemoryStatefulExecutorContractTest extends StatefulExecutorContract {
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor executor;

  @BeforeEach
  void createExecutor() {
    clock = VirtualClock.create(); // a realistic epoch time
    executor = InMemoryStatefulExecutor.withClock(clock);
  }

  @Override
  protected StatefulExecutor executor() {
    return executor;
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
  protected long pttl(String key) {
    return executor.pttl(key);
  }

  @Override
  protected void writeRawString(String key, String value) {
    executor.putRawString(key, value);
  }

  @Override
  protected void writeRawHashField(String key, String field, String value) {
    executor.putRawHashField(key, field, value);
  }

  @Override
  protected void flushScripts() {
    // no script cache in memory
  }
}
