package io.statefulroute.redis.internal;

import io.lettuce.core.api.StatefulConnection;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.ThreadExecutorMap;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The coalescing write path, over two connections of the executor:
 *
 * <ul>
 *   <li>a command issued while fewer than {@value #COALESCE_FROM} others are in flight goes to the
 *       <em>direct</em> connection, which flushes after every command as Lettuce does by default:
 *       no latency added at low concurrency;
 *   <li>a command issued while more are in flight goes to the <em>buffered</em> connection
 *       (auto-flush off): Lettuce's reactive publisher writes it into the connection's buffer when
 *       it is subscribed, and it goes out with the next flush: at once when {@code maxBatch}
 *       commands wait, otherwise with the one flush scheduled on an event executor, which carries
 *       every command dispatched before it runs.
 * </ul>
 *
 * <p>Where the scheduled flush runs: on the buffered connection's own event loop once it is known
 * (learned from the thread its replies complete on, through Netty's {@code ThreadExecutorMap}),
 * else on the client's event executor. On the event loop a flush is one more task for the thread
 * that writes to the socket anyway, run after the replies it is reading: no extra thread wake-up
 * per flush (the before/after figures are in benchmarks/README.md, run J). Should that Netty class
 * be missing, or the loop refuse the task (shut down), the executor or an immediate flush takes
 * over.
 *
 * <p>No command is left unflushed: a buffered command either flushes, or finds a scheduled flush
 * that has not started yet (the flag is cleared before the flush, so a command that sees it set was
 * dispatched before that flush). Commands that Lettuce writes later on its own (cluster node
 * connections still connecting, reconnect buffers) are caught by a backstop flush every {@value
 * #BACKSTOP_MILLIS} ms while commands are in flight. Commands of one caller are issued one after
 * the other's completion, so using two connections never reorders a caller's commands.
 *
 * <p>In-flight commands are bounded: a command issued while {@code maxInFlight} others are
 * outstanding is not sent; it fails at once with {@link InFlightLimitException}. A command is
 * outstanding from its dispatch until its reply, or until Lettuce fails it (connection reset, or
 * Lettuce's own command timeout), whether or not its caller still waits: a caller's timeout does
 * not free its slot. A command whose caller stopped waiting keeps it at most {@code
 * outstandingBound}, on every topology and whatever Lettuce's timeout options. A slow or paused
 * Redis therefore never holds more than {@code maxInFlight} commands of this executor, however long
 * it stalls and whatever the call rate.
 *
 * <p>Internal, not API: may change.
 */
public final class CommandFlusher<C> implements AutoCloseable {
  static final long BACKSTOP_MILLIS = 5;

  /**
   * Commands in flight from which a new one is buffered for a shared flush. Below it a flush per
   * command keeps the commands streaming; a shared flush there makes the few in flight wait for one
   * another in turns: at 16 set-if-absent calls in flight, buffering each one issued while another
   * was in flight gave 0.80x raw Lettuce's throughput, with the JVM at half the CPU it used; at 64
   * and 256, where a flush carries 30 to 70 commands, 1.2x and 1.5x (benchmarks/README.md, run M).
   */
  static final int COALESCE_FROM = 32;

  /** Whether Netty's ThreadExecutorMap (an internal class) is there to tell the current loop. */
  private static final boolean THREAD_EXECUTOR_MAP = threadExecutorMapPresent();

  /** The connection of {@link #buffered}; both null when not coalescing. */
  private final @Nullable StatefulConnection<?, ?> connection;

  private final C direct;
  private final @Nullable C buffered;
  private final boolean coalescing;
  private final int maxBatch;
  private final int maxInFlight;
  private final Scheduler releaseTimer;
  private final Duration outstandingBound;
  private final EventExecutor executor;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger unflushed = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** The event loop buffered commands complete on, once known (see learnFlushLoop). */
  private volatile @Nullable EventExecutor flushLoop;

  private final Runnable scheduledFlush = this::scheduledFlush;

  /** The backstop flush; null when not coalescing. */
  private final @Nullable ScheduledFuture<?> backstop;

  /**
   * @param direct commands of an auto-flushing connection: lone commands go there
   * @param connection the connection of {@code buffered}, switched to manual flushing (null when
   *     not coalescing)
   * @param buffered commands of {@code connection} (null when not coalescing)
   * @param maxInFlight commands in flight beyond which new ones fail at once
   * @param releaseTimer runs the release of a command whose caller stopped waiting
   * @param outstandingBound how long such a command keeps its slot at most without a reply
   */
  public CommandFlusher(
      C direct,
      @Nullable StatefulConnection<?, ?> connection,
      @Nullable C buffered,
      boolean coalescing,
      int maxBatch,
      int maxInFlight,
      EventExecutor executor,
      Scheduler releaseTimer,
      Duration outstandingBound) {
    this.releaseTimer = releaseTimer;
    this.outstandingBound = outstandingBound;
    this.direct = direct;
    this.maxInFlight = maxInFlight;
    this.connection = connection;
    this.buffered = buffered;
    this.coalescing = coalescing;
    this.maxBatch = maxBatch;
    this.executor = executor;
    if (coalescing) {
      Objects.requireNonNull(connection, "coalescing needs the buffered connection")
          .setAutoFlushCommands(false);
    }
    this.backstop =
        coalescing
            ? executor.scheduleAtFixedRate(
                this::backstopFlush, BACKSTOP_MILLIS, BACKSTOP_MILLIS, TimeUnit.MILLISECONDS)
            : null;
  }

  /**
   * Runs one command: subscribes to the publisher {@code command} creates, flushes as described
   * above and relays its first value (or completion, or error). Fails with {@link
   * InFlightLimitException}, sending nothing, when {@code maxInFlight} commands are in flight.
   */
  public <T> Mono<T> execute(Function<C, ? extends Publisher<T>> command) {
    return Mono.create(
        sink -> {
          int before = tryAcquire();
          if (before < 0) {
            sink.error(new InFlightLimitException(maxInFlight));
            return;
          }
          boolean toBuffered = coalescing && before >= COALESCE_FROM;
          Completion done = new Completion();
          Disposable d;
          try {
            // the in-flight count drops BEFORE the result is relayed: a caller that issues its next
            // command from the callback must find the connection idle and flush at once
            // a lone command takes the auto-flushing connection: exactly Lettuce's own write path
            // a Mono's lambda subscriber runs the completion callback right after the value one; an
            // empty success() then would drop a value the sink holds for a subscriber that has not
            // requested yet (Mono.create keeps it until the request): only a reply without a value
            // completes the sink empty
            d =
                Mono.from(command.apply(toBuffered ? buffered : direct))
                    .subscribe(
                        value -> {
                          if (toBuffered) {
                            learnFlushLoop();
                          }
                          done.valued = true;
                          done.run();
                          sink.success(value);
                        },
                        error -> {
                          done.run();
                          sink.error(error);
                        },
                        () -> {
                          done.run();
                          if (!done.valued) {
                            sink.success();
                          }
                        });
          } catch (RuntimeException e) {
            done.run();
            sink.error(e);
            return;
          }
          // A caller that stops waiting (its timeout, a cancel) does not end the command: it was
          // handed to Lettuce and stays outstanding until its reply or the connection's reset. So
          // the inner subscription is kept and frees the in-flight slot only then: maxInFlight
          // bounds the commands actually outstanding, and a stalled Redis never accumulates more.
          // the bound of a command nobody answers: its slot is freed (and Lettuce's subscription
          // cancelled) after outstandingBound, whatever Lettuce's own timeout options are
          sink.onCancel(
              () ->
                  releaseTimer.schedule(
                      () -> {
                        done.run();
                        d.dispose();
                      },
                      outstandingBound.toNanos(),
                      TimeUnit.NANOSECONDS));
          if (toBuffered) {
            afterDispatch();
          }
        });
  }

  /**
   * Decrements the in-flight count once per command, whichever signal comes first; remembers
   * whether the reply carried a value (set and read by the command's own, serial, signals).
   */
  private final class Completion extends AtomicBoolean implements Runnable {
    boolean valued;

    @Override
    public void run() {
      if (compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    }
  }

  /**
   * Takes an in-flight slot for a command sent without {@link #execute} ({@link DirectCommands}):
   * the number in flight before it (below {@link #COALESCE_FROM}, the command goes to the direct
   * connection; from it, to the buffered one when coalescing), or -1 when {@code maxInFlight} are
   * in flight (nothing taken). Each slot taken is given back once with {@link #release()}.
   */
  int tryAcquire() {
    int before;
    do { // never counts past the limit, not even for a moment
      before = inFlight.get();
      if (before >= maxInFlight) {
        return -1;
      }
    } while (!inFlight.compareAndSet(before, before + 1));
    return before;
  }

  /** Gives back a slot of {@link #tryAcquire()}. */
  void release() {
    inFlight.decrementAndGet();
  }

  int maxInFlight() {
    return maxInFlight;
  }

  /** A command was written to the buffered connection: flushes or schedules the flush. */
  void bufferedDispatched() {
    afterDispatch();
  }

  /** Commands issued and not completed yet (for tests and metrics). */
  public int inFlight() {
    return inFlight.get();
  }

  private void afterDispatch() {
    int waiting = unflushed.incrementAndGet();
    if (waiting >= maxBatch) {
      flush();
    } else if (scheduled.compareAndSet(false, true)) {
      EventExecutor loop = flushLoop;
      try {
        (loop != null ? loop : executor).execute(scheduledFlush);
      } catch (RejectedExecutionException shutDown) {
        flushLoop = null;
        scheduledFlush();
      }
    }
  }

  /**
   * Called where a buffered command completes: on the buffered connection's event loop (unless
   * Lettuce publishes elsewhere). Scheduled flushes run there from then on: the loop that writes to
   * the socket anyway, so a flush costs no extra thread wake-up, and commands written while it
   * reads replies go out together after the read.
   */
  void learnFlushLoop() {
    if (!THREAD_EXECUTOR_MAP) {
      return;
    }
    EventExecutor current = ThreadExecutorMap.currentExecutor();
    if (current != null && current != flushLoop && !current.isShuttingDown()) {
      flushLoop = current;
    }
  }

  private static boolean threadExecutorMapPresent() {
    try {
      ThreadExecutorMap.currentExecutor();
      return true;
    } catch (LinkageError missing) {
      return false;
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
    // only buffered commands are flushed, and there are some only when coalescing
    Objects.requireNonNull(connection, "a flush happens only when coalescing").flushCommands();
  }

  @Override
  public void close() {
    if (backstop != null) {
      backstop.cancel(false);
    }
  }
}
