package io.statefulroute.redis.internal;

import io.lettuce.core.api.StatefulConnection;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The coalescing write path. The connection runs with auto-flush off; every command goes through
 * {@link #execute} which dispatches it (Lettuce's reactive publisher writes the command into the
 * connection's buffer when it is subscribed and requested) and then decides when to flush:
 *
 * <ul>
 *   <li>no other command in flight: flush at once on the calling thread (a lone command pays no
 *       latency);</li>
 *   <li>{@code maxBatch} commands waiting: flush at once;</li>
 *   <li>otherwise: one flush is scheduled on an event executor; every command dispatched before
 *       it runs goes out with it.</li>
 * </ul>
 *
 * <p>No command is left unflushed: a command either flushes, or finds a scheduled flush that has
 * not started yet (the flag is cleared before the flush, so a command that sees it set was
 * dispatched before that flush). Commands that Lettuce writes later on its own (cluster node
 * connections still connecting, reconnect buffers) are caught by a backstop flush every
 * {@value #BACKSTOP_MILLIS} ms while commands are in flight.
 */
public final class CommandFlusher implements AutoCloseable {
  static final long BACKSTOP_MILLIS = 5;

  private final StatefulConnection<?, ?> connection;
  private final boolean coalescing;
  private final int maxBatch;
  private final EventExecutor executor;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger unflushed = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable scheduledFlush = this::scheduledFlush;
  private final ScheduledFuture<?> backstop;

  public CommandFlusher(
      StatefulConnection<?, ?> connection, boolean coalescing, int maxBatch,
      EventExecutor executor) {
    this.connection = connection;
    this.coalescing = coalescing;
    this.maxBatch = maxBatch;
    this.executor = executor;
    connection.setAutoFlushCommands(!coalescing);
    this.backstop = coalescing
        ? executor.scheduleAtFixedRate(
            this::backstopFlush, BACKSTOP_MILLIS, BACKSTOP_MILLIS, TimeUnit.MILLISECONDS)
        : null;
  }

  /**
   * Runs one command: subscribes to the publisher {@code command} creates, flushes as described
   * above and relays its first value (or completion, or error).
   */
  public <T> Mono<T> execute(Supplier<? extends Publisher<T>> command) {
    if (!coalescing) {
      return Mono.defer(() -> Mono.from(command.get()));
    }
    return Mono.create(sink -> {
      boolean idle = inFlight.getAndIncrement() == 0;
      Completion done = new Completion();
      Disposable d;
      try {
        // the in-flight count drops BEFORE the result is relayed: a caller that issues its next
        // command from the callback must find the connection idle and flush at once
        d = Mono.from(command.get()).subscribe(
            value -> {
              done.run();
              sink.success(value);
            },
            error -> {
              done.run();
              sink.error(error);
            },
            () -> {
              done.run();
              sink.success();
            });
      } catch (RuntimeException e) {
        done.run();
        sink.error(e);
        return;
      }
      sink.onCancel(() -> {
        done.run();
        d.dispose();
      });
      afterDispatch(idle);
    });
  }

  /** Decrements the in-flight count once per command, whichever signal comes first. */
  private final class Completion extends AtomicBoolean implements Runnable {
    @Override
    public void run() {
      if (compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    }
  }

  /** Commands issued and not completed yet (for tests and metrics). */
  public int inFlight() {
    return inFlight.get();
  }

  private void afterDispatch(boolean idle) {
    int waiting = unflushed.incrementAndGet();
    if (idle || waiting >= maxBatch) {
      flush();
    } else if (scheduled.compareAndSet(false, true)) {
      executor.execute(scheduledFlush);
    }
  }

  private void scheduledFlush() {
    scheduled.set(false);
    flush();
  }

  private void backstopFlush() {
    if (inFlight.get() > 0) {
      flush();
    }
  }

  private void flush() {
    unflushed.set(0);
    connection.flushCommands();
  }

  @Override
  public void close() {
    if (backstop != null) {
      backstop.cancel(false);
    }
  }
}
