package io.statefulroute.redis.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import reactor.core.scheduler.Scheduler;

/**
 * The command timeouts of {@link DirectCommands}: every call in flight is in one queue, and one
 * sweep per period, while calls are in flight, drops the calls that ended and times out those past
 * their deadline. A call costs one queue insertion; nothing is cancelled when it ends. A timer task
 * per call (what the executor scheduled before, on Lettuce's hashed-wheel timer) costs a task
 * object, its scheduling and its cancellation, all worked through by the timer's thread: at 16
 * set-if-absent calls in flight that thread took about a tenth of the path's samples, half of it
 * for these timeouts and half for Lettuce's own command expiry (benchmarks/README.md, run M).
 *
 * <p>A call times out between its deadline and one period later; the period is a tenth of the
 * timeout, at most 100 ms (the tick of Lettuce's timer, which ran the timeouts before, so the
 * precision is what it was). No sweep runs while no call is in flight.
 *
 * <p>Internal, not API: may change.
 */
final class CallTimeouts {
  private static final Logger LOG = Logger.getLogger(CallTimeouts.class.getName());
  private static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** A call in flight, as the sweep sees it. */
  interface Timed {
    /** The {@code nanoTime} past which the call times out. */
    long deadline();

    /** Whether the call ended (reply, error, cancel): it is dropped. */
    boolean ended();

    /** Times the call out (a no-op when it ended meanwhile). */
    void timeOut();
  }

  private final ConcurrentLinkedQueue<Timed> calls = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final Scheduler timer;
  private final LongSupplier nanoClock;
  private final long timeoutNanos;
  private final long periodNanos;

  /**
   * @param timer where the sweeps run (Lettuce's timer, through {@link WheelTimerScheduler})
   * @param nanoClock the clock of the deadlines ({@code System::nanoTime})
   */
  CallTimeouts(Scheduler timer, Duration timeout, LongSupplier nanoClock) {
    this.timer = timer;
    this.nanoClock = nanoClock;
    this.timeoutNanos = timeout.toNanos();
    this.periodNanos = Math.max(1, Math.min(MAX_PERIOD_NANOS, timeoutNanos / 10));
  }

  /** The deadline of a call that starts now. */
  long deadlineFromNow() {
    return nanoClock.getAsLong() + timeoutNanos;
  }

  /**
   * Times {@code call} from now on (its {@link Timed#deadline()} set before).
   *
   * @throws java.util.concurrent.RejectedExecutionException when the timer is stopped (the client
   *     was shut down)
   */
  void add(Timed call) {
    calls.offer(call);
    if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
      scheduleSweep();
    }
  }

  /** Calls being timed (tests). */
  int size() {
    return calls.size();
  }

  private void scheduleSweep() {
    try {
      timer.schedule(this::sweep, periodNanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException stopped) {
      sweeping.set(false);
      throw stopped;
    }
  }

  private void sweep() {
    long now = nanoClock.getAsLong();
    for (Iterator<Timed> it = calls.iterator(); it.hasNext(); ) {
      Timed call = it.next();
      if (call.ended()) {
        it.remove();
      } else if (now - call.deadline() >= 0) {
        it.remove();
        try {
          call.timeOut();
        } catch (RuntimeException e) { // a subscriber's failure must not stop the other timeouts
          LOG.log(Level.WARNING, "a command timeout's subscriber failed", e);
        }
      }
    }
    try {
      if (!calls.isEmpty()) {
        timer.schedule(this::sweep, periodNanos, TimeUnit.NANOSECONDS);
        return;
      }
      sweeping.set(false);
      // a call added after the check above found the sweep still running and did not start one
      if (!calls.isEmpty() && sweeping.compareAndSet(false, true)) {
        timer.schedule(this::sweep, periodNanos, TimeUnit.NANOSECONDS);
      }
    } catch (RuntimeException stopped) { // the timer was stopped: the client is shut down
      sweeping.set(false);
    }
  }
}
