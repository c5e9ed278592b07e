package io.statefulroute.core.internal;

import io.statefulroute.core.spi.Args;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;

/**
 * A {@link Sinks.Many} that any number of threads may emit into at once without losing a signal. A
 * plain sink's {@code tryEmitNext} fails with {@code FAIL_NON_SERIALIZED} when another thread is
 * emitting, and a result that is ignored loses the signal. Here the sink comes from {@link
 * Sinks#unsafe()} and this class serializes the calls itself (queue-drain): a caller that finds
 * another one emitting leaves its value in a queue, which the emitting caller drains before it
 * returns. Never blocks, never spins; a subscriber may emit again from within {@code onNext} (its
 * value follows the current one).
 *
 * <p>What the sink itself refuses by its kind is unchanged: no subscriber on a multicast sink,
 * cancelled or terminated sinks drop the value, as {@code tryEmitNext} does.
 *
 * <p>Internal, not API: may change.
 */
public final class SerialEmitter<T> {
  private final Sinks.Many<T> sink;
  private final Queue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile boolean completeRequested;

  /** Only read and written by the thread that drains (wip held). */
  private boolean completed;

  private SerialEmitter(Sinks.Many<T> sink) {
    this.sink = sink;
  }

  /** Over a unicast sink that buffers (unbounded) until its one subscriber takes the values. */
  public static <T> SerialEmitter<T> unicast() {
    return new SerialEmitter<>(Sinks.unsafe().many().unicast().onBackpressureBuffer());
  }

  /**
   * Over a multicast sink without buffering: a subscriber without demand misses the value, the
   * others get it; without subscribers the value is dropped.
   */
  public static <T> SerialEmitter<T> multicastBestEffort() {
    return new SerialEmitter<>(Sinks.unsafe().many().multicast().directBestEffort());
  }

  /** The emitted values (unicast: one subscriber). */
  public Flux<T> asFlux() {
    return sink.asFlux();
  }

  /** Emits {@code value}, now or, when another thread is emitting, right after its value. */
  public void next(T value) {
    queue.offer(Args.notNull("value", value));
    drain();
  }

  /** Completes the sink after the values already passed to {@link #next}. Idempotent. */
  public void complete() {
    completeRequested = true;
    drain();
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return; // the thread that holds wip emits our value before it leaves
    }
    int missed = 1;
    do {
      for (T v = queue.poll(); v != null; v = queue.poll()) {
        if (!completed) {
          emit(v);
        }
      }
      if (completeRequested && !completed) {
        completed = true;
        sink.tryEmitComplete();
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void emit(T value) {
    try {
      sink.tryEmitNext(value); // serialized here: only the sink's own refusals remain
    } catch (Throwable e) {
      // a subscriber that throws must not leave wip held (every later value would be lost)
      Exceptions.throwIfJvmFatal(e);
      Operators.onErrorDropped(e, Context.empty());
    }
  }
}
