package io.statefulroute.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.ForwardingStatefulExecutor;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * What a user of the kit writes to check a decorator of their own: the executor contract on a
 * {@link ForwardingStatefulExecutor} that counts calls by operation, over the in-memory executor in
 * virtual time. Only public API is used (this class lives outside every package of core), so it
 * shows that the contract's hooks can be implemented from outside.
 */
class DecoratedExecutorContractTest extends StatefulExecutorContract {
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;
  private CountingExecutor executor;

  /** The user's decorator: counts every call by operation and passes it on unchanged. */
  static final class CountingExecutor extends ForwardingStatefulExecutor {
    final Map<Operation, AtomicLong> calls = new ConcurrentHashMap<>();

    CountingExecutor(StatefulExecutor delegate) {
      super(delegate);
    }

    @Override
    protected <T> Mono<T> around(
        Operation operation,
        String ns,
        @Nullable String service,
        @Nullable String uid,
        Mono<T> call) {
      return call.doOnSubscribe(s -> count(operation));
    }

    @Override
    protected <T> Flux<T> around(
        Operation operation,
        String ns,
        @Nullable String service,
        @Nullable String uid,
        Flux<T> call) {
      return call.doOnSubscribe(s -> count(operation));
    }

    private void count(Operation operation) {
      calls.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
    }
  }

  @BeforeEach
  void createExecutor() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
    executor = new CountingExecutor(store);
  }

  /** The contract's calls go through the decorator: it sees them. */
  @Test
  void decorator_countsTheCallsItForwards() {
    StepVerifier.create(executor().setLink(ns, "u1", SVC, 3, P)).verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(3).verifyComplete();
    assertThat(executor.calls.get(StatefulExecutor.Operation.GET_LINK)).hasValue(1);
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
    return store.pttl(key);
  }

  @Override
  protected void writeRawString(String key, String value) {
    store.putRawString(key, value);
  }

  @Override
  protected void writeRawHashField(String key, String field, String value) {
    store.putRawHashField(key, field, value);
  }

  @Override
  protected void flushScripts() {
    // no script cache in memory
  }
}
