package io.statefulroute.benchmarks;

import io.lettuce.core.KeyValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * A closed loop that keeps exactly {@code inFlight} operations running: {@link #acquire()} takes a
 * permit (waiting for a completion when all are taken), {@link #run} subscribes to one operation
 * and gives the permit back when it completes or fails. The benchmark thread issues, the
 * connection's event loop completes: the number in flight stays at {@code inFlight} in the steady
 * state, without the ramp-up and drain that a fork-join burst of {@code inFlight} operations per
 * invocation would add.
 *
 * <p>Every reply is checked (the expected pod, or a full batch); errors and wrong replies are
 * counted and {@link #drain()} fails the iteration on any, so a broken setup cannot pass as a fast
 * one.
 */
final class ClosedLoop {
  private static final long TIMEOUT_SECONDS = 30;

  private final int inFlight;
  private final Semaphore permits;
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

  ClosedLoop(int inFlight) {
    if (inFlight < 1) {
      throw new IllegalArgumentException("inFlight must be at least 1: " + inFlight);
    }
    this.inFlight = inFlight;
    this.permits = new Semaphore(inFlight);
  }

  /** Waits until fewer than {@code inFlight} operations run. */
  void acquire() throws InterruptedException {
    if (!permits.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "no operation completed in " + TIMEOUT_SECONDS + " s (" + inFlight + " in flight)");
    }
  }

  /**
   * Runs {@code operation}, after {@link #acquire()}. It must emit {@code expectedEntries} link
   * entries in all: a pod equal to {@code expectedPod} (single-link operations), or maps and
   * key-values with a value (batch reads).
   */
  void run(Publisher<?> operation, String expectedPod, int expectedEntries) {
    operation.subscribe(new Completion(expectedPod, expectedEntries));
  }

  /** Operations completed so far, with or without error. */
  long completed() {
    return completed.sum();
  }

  /**
   * Waits until every operation issued has completed, then fails if any failed or replied wrongly
   * since the last call.
   */
  void drain() throws InterruptedException {
    if (!permits.tryAcquire(inFlight, TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("operations still running after " + TIMEOUT_SECONDS + " s");
    }
    permits.release(inFlight);
    long failures = failed.sumThenReset();
    Throwable first = firstFailure.getAndSet(null);
    if (failures > 0) {
      throw new IllegalStateException(failures + " operations failed or replied wrongly", first);
    }
  }

  private void fail(Throwable cause) {
    failed.increment();
    firstFailure.compareAndSet(null, cause);
  }

  private void done() {
    completed.increment();
    permits.release();
  }

  private final class Completion implements CoreSubscriber<Object> {
    private final String expectedPod;
    private final int expectedEntries;
    private int entries;

    Completion(String expectedPod, int expectedEntries) {
      this.expectedPod = expectedPod;
      this.expectedEntries = expectedEntries;
    }

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Object reply) {
      if (reply instanceof Map) {
        entries += ((Map<?, ?>) reply).size();
      } else if (reply instanceof List) {
        for (Object value : (List<?>) reply) {
          entries += value != null ? 1 : 0;
        }
      } else if (reply instanceof KeyValue) {
        entries += ((KeyValue<?, ?>) reply).hasValue() ? 1 : 0;
      } else if (expectedPod.equals(reply.toString())) {
        entries++;
      }
    }

    @Override
    public void onError(Throwable t) {
      fail(t);
      done();
    }

    @Override
    public void onComplete() {
      if (entries != expectedEntries) {
        fail(
            new IllegalStateException(
                "expected "
                    + expectedEntries
                    + " link(s) with the pre-populated pods, got "
                    + entries));
      }
      done();
    }
  }
}
