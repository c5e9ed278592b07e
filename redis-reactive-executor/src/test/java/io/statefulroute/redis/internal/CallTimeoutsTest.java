package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

class CallTimeoutsTest {
  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private final CallTimeouts timeouts =
      new CallTimeouts(clock, Duration.ofSeconds(2), () -> clock.now(TimeUnit.NANOSECONDS));

  /** A call as the sweep sees it, recording its timeouts. */
  private final class FakeCall implements CallTimeouts.Timed {
    final long deadline = timeouts.deadlineFromNow();
    volatile boolean ended;
    int timedOut;

    @Override
    public long deadline() {
      return deadline;
    }

    @Override
    public boolean ended() {
      return ended;
    }

    @Override
    public void timeOut() {
      timedOut++;
      ended = true;
    }
  }

  private FakeCall start() {
    FakeCall call = new FakeCall();
    timeouts.add(call);
    return call;
  }

  @Test
  void aCallWithNoReply_timesOutOnce_betweenItsDeadlineAndOnePeriodLater() {
    FakeCall call = start();
    clock.advanceTimeBy(Duration.ofMillis(1_999));
    assertThat(call.timedOut).isZero();
    clock.advanceTimeBy(Duration.ofMillis(101)); // the deadline plus one sweep period (100 ms)
    assertThat(call.timedOut).isEqualTo(1);
    clock.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(call.timedOut).isEqualTo(1);
    assertThat(timeouts.size()).isZero();
  }

  @Test
  void endedCalls_neverTimeOut_andLeaveTheQueueAtTheNextSweep() {
    FakeCall answered = start();
    FakeCall late = start();
    answered.ended = true;
    clock.advanceTimeBy(Duration.ofMillis(100));
    assertThat(timeouts.size()).isEqualTo(1); // only the call still waiting
    clock.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(answered.timedOut).isZero();
    assertThat(late.timedOut).isEqualTo(1);
  }

  /** A call waiting behind a stuck one is timed out at its own deadline, not the other's. */
  @Test
  void callsAreTimedOutEachAtItsDeadline_inWhateverOrderTheyEnd() {
    List<FakeCall> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      FakeCall call = start();
      call.ended = i == 1 || i == 3; // answered at once
      calls.add(call);
      clock.advanceTimeBy(Duration.ofMillis(500));
    }
    // the first started 2.5 s ago: past its deadline; the last 0.5 s ago
    assertThat(calls).extracting(c -> c.timedOut).containsExactly(1, 0, 0, 0, 0);
    clock.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(calls).extracting(c -> c.timedOut).containsExactly(1, 0, 1, 0, 1);
    assertThat(timeouts.size()).isZero();
  }

  /** No sweep runs while nothing is in flight; the next call starts one again. */
  @Test
  void theSweepStops_whenNoCallIsInFlight_andRestartsWithTheNextCall() {
    AtomicInteger sweeps = new AtomicInteger();
    Scheduler counting =
        new Scheduler() {
          @Override
          public Disposable schedule(Runnable task) {
            return clock.schedule(task);
          }

          @Override
          public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            sweeps.incrementAndGet();
            return clock.schedule(task, delay, unit);
          }

          @Override
          public Worker createWorker() {
            return clock.createWorker();
          }
        };
    CallTimeouts idle =
        new CallTimeouts(counting, Duration.ofSeconds(2), () -> clock.now(TimeUnit.NANOSECONDS));
    FakeCall first = new FakeCall();
    idle.add(first);
    first.ended = true;
    clock.advanceTimeBy(Duration.ofMillis(100));
    assertThat(idle.size()).isZero();
    int before = sweeps.get();
    clock.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(sweeps.get()).isEqualTo(before);

    FakeCall second = new FakeCall();
    idle.add(second);
    clock.advanceTimeBy(Duration.ofMillis(2_100));
    assertThat(second.timedOut).isEqualTo(1);
  }

  /** A subscriber that throws from its timeout does not stop the others'. */
  @Test
  void aThrowingTimeout_doesNotStopTheOthers() {
    FakeCall after = new FakeCall();
    CallTimeouts.Timed throwing =
        new CallTimeouts.Timed() {
          @Override
          public long deadline() {
            return after.deadline;
          }

          @Override
          public boolean ended() {
            return false;
          }

          @Override
          public void timeOut() {
            throw new IllegalStateException("a broken subscriber");
          }
        };
    timeouts.add(throwing);
    timeouts.add(after);
    clock.advanceTimeBy(Duration.ofMillis(2_100));
    assertThat(after.timedOut).isEqualTo(1);
    assertThat(timeouts.size()).isZero();
  }

  @Test
  void aStoppedTimer_refusesTheCall() {
    Scheduler stopped = Schedulers.newSingle("stopped");
    stopped.dispose();
    CallTimeouts refused = new CallTimeouts(stopped, Duration.ofSeconds(2), System::nanoTime);
    assertThatThrownBy(() -> refused.add(new FakeCall()))
        .isInstanceOf(RejectedExecutionException.class);
  }
}
