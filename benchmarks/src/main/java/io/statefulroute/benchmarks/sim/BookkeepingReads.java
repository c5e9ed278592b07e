package io.statefulroute.benchmarks.sim;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The simulation's own waits on the store (links per pod for the samples, the readiness waits
 * before the timeline, the final clean-up): none of them may end the run. A failed wait is counted
 * by the simulated store's error type (the simple name of its exception) and the caller goes on
 * with what it knew before.
 *
 * <p>In real time a wait is retried once and bounded by its {@code limit} in all. In virtual time
 * nothing can be waited for (the run loop is the only thing that moves the clock), so an operation
 * must complete as it is subscribed, as the embedded executor's do; one held up by a stall is
 * cancelled and counted as {@value #UNANSWERED}.
 */
final class BookkeepingReads {
  static final String UNANSWERED = "no reply (virtual time does not wait)";

  private final boolean virtualTime;
  private final Map<String, Long> failures = new TreeMap<>();

  BookkeepingReads(boolean virtualTime) {
    this.virtualTime = virtualTime;
  }

  /** The value of {@code operation}, or empty when it failed, completed empty or timed out. */
  <T> Optional<T> await(Mono<T> operation, Duration limit) {
    if (virtualTime) {
      return now(operation);
    }
    try {
      return Optional.ofNullable(
          operation
              .retryWhen(Retry.max(1).onRetryExhaustedThrow((spec, signal) -> signal.failure()))
              .timeout(limit)
              .onErrorResume(
                  e -> {
                    failed(Outcome.errorName(e));
                    return Mono.empty();
                  })
              .block());
    } catch (RuntimeException e) { // interrupted, or anything the operators above let out
      failed(Outcome.errorName(e));
      return Optional.empty();
    }
  }

  private <T> Optional<T> now(Mono<T> operation) {
    AtomicReference<T> value = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    AtomicReference<Boolean> done = new AtomicReference<>(false);
    Disposable subscription =
        operation.subscribe(
            value::set,
            e -> {
              error.set(e);
              done.set(true);
            },
            () -> done.set(true));
    if (error.get() != null) {
      failed(Outcome.errorName(error.get()));
      return Optional.empty();
    }
    if (!done.get() && value.get() == null) {
      subscription.dispose();
      failed(UNANSWERED);
      return Optional.empty();
    }
    return Optional.ofNullable(value.get());
  }

  private synchronized void failed(String type) {
    failures.merge(type, 1L, Long::sum);
  }

  /** Failed waits so far, by error type. */
  synchronized Map<String, Long> failures() {
    return Map.copyOf(failures);
  }
}
