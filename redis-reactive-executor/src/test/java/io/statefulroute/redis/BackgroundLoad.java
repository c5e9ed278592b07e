package io.statefulroute.redis;

import io.statefulroute.core.StatefulRouteException;
import io.statefulroute.test.redis.Poll;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Calls issued in the background by fault-injection tests, {@code concurrency} at a time, each
 * after a short pause (a steady load, not a benchmark), until {@link #close()}. Every call's end is
 * counted by outcome: {@code ok}, the simple name of its error, or {@value #HANG} when it did not
 * end within {@code hangAfter} (a hang; the call is cancelled).
 */
final class BackgroundLoad implements AutoCloseable {
  static final String OK = "ok";
  static final String HANG = "HANG";
  static final String UNTYPED = "UNTYPED";

  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final AtomicLong slowestMillis = new AtomicLong();
  private volatile String slowestOutcome = "";
  private final Disposable running;

  BackgroundLoad(int concurrency, Duration pause, Duration hangAfter, IntFunction<Mono<?>> call) {
    running =
        Flux.range(0, Integer.MAX_VALUE)
            .flatMap(i -> Mono.delay(pause).then(timed(call, i, hangAfter)), concurrency)
            .subscribe();
  }

  private Mono<Void> timed(IntFunction<Mono<?>> call, int i, Duration hangAfter) {
    return Mono.defer(
        () -> {
          long start = System.nanoTime();
          String[] outcome = {OK};
          return Mono.defer(() -> call.apply(i))
              .timeout(hangAfter)
              .doOnSuccess(v -> count(OK))
              .onErrorResume(
                  e -> {
                    outcome[0] =
                        e instanceof TimeoutException
                            ? HANG
                            : e instanceof StatefulRouteException
                                ? e.getClass().getSimpleName()
                                : UNTYPED + ":" + e;
                    count(outcome[0]);
                    return Mono.empty();
                  })
              .doFinally(
                  s -> {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (slowestMillis.getAndAccumulate(millis, Math::max) < millis) {
                      slowestOutcome = outcome[0] + " (call " + i + ")";
                    }
                  })
              .then();
        });
  }

  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  /** Outcome -> calls so far, sorted by outcome. */
  Map<String, Long> outcomes() {
    Map<String, Long> out = new TreeMap<>();
    outcomes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Calls that ended with {@code outcome} so far. */
  long calls(String outcome) {
    LongAdder a = outcomes.get(outcome);
    return a == null ? 0 : a.sum();
  }

  /** Waits until {@code n} more calls have ended {@code ok} (the load is running). */
  void awaitOk(long n, Duration timeout) {
    long target = calls(OK) + n;
    Poll.until(timeout, n + " more successful calls", () -> calls(OK) >= target);
  }

  /** The longest any call took to end (or to be declared hung), in ms. */
  long slowestMillis() {
    return slowestMillis.get();
  }

  /** The outcome of the slowest call, and its index. */
  String slowestOutcome() {
    return slowestOutcome;
  }

  @Override
  public void close() {
    running.dispose();
  }
}
