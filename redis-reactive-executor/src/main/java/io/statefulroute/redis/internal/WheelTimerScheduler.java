package io.statefulroute.redis.internal;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * A Reactor {@link Scheduler} for delayed tasks on Lettuce's hashed-wheel timer (its {@code
 * ClientResources.timer()}), for {@code Mono.timeout(Duration, Scheduler)}: scheduling and
 * cancelling a timeout are O(1) queue operations, where Reactor's default timer ({@code
 * Schedulers.parallel()}) keeps a heap of scheduled futures per command, which costs throughput at
 * hundreds of thousands of commands per second. Tasks run on the timer's thread, with the timer's
 * precision (Lettuce's default tick is 100 ms), as Lettuce's own command timeouts do. Periodic
 * scheduling is not supported.
 *
 * <p>Internal, not API: may change.
 */
public final class WheelTimerScheduler implements Scheduler {
  private final Timer timer;

  public WheelTimerScheduler(Timer timer) {
    this.timer = timer;
  }

  @Override
  public Disposable schedule(Runnable task) {
    return schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
    Timeout timeout;
    try {
      timeout = timer.newTimeout(t -> task.run(), delay, unit);
    } catch (IllegalStateException stopped) { // the client's resources were shut down
      throw new RejectedExecutionException("Lettuce's timer is stopped", stopped);
    }
    return new Disposable() {
      @Override
      public void dispose() {
        timeout.cancel();
      }

      @Override
      public boolean isDisposed() {
        return timeout.isCancelled() || timeout.isExpired();
      }
    };
  }

  @Override
  public Worker createWorker() {
    return new Worker() {
      private final Disposable.Composite tasks = Disposables.composite();

      @Override
      public Disposable schedule(Runnable task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
      }

      @Override
      public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        if (tasks.isDisposed()) {
          throw new RejectedExecutionException("worker disposed");
        }
        Disposable d = WheelTimerScheduler.this.schedule(task, delay, unit);
        tasks.add(d);
        return d;
      }

      @Override
      public void dispose() {
        tasks.dispose();
      }

      @Override
      public boolean isDisposed() {
        return tasks.isDisposed();
      }
    };
  }
}
