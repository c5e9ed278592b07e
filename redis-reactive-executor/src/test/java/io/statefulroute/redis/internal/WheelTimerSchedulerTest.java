package io.statefulroute.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;

class WheelTimerSchedulerTest {
  private final HashedWheelTimer timer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);
  private final WheelTimerScheduler scheduler = new WheelTimerScheduler(timer);

  @AfterEach
  void stop() {
    timer.stop();
  }

  @Test
  void timeout_onTheWheel_endsANeverCompletingMono() {
    StepVerifier.create(Mono.never().timeout(Duration.ofMillis(50), scheduler))
        .expectError(TimeoutException.class)
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void timeout_sourceFirst_valuePassesAndTheTimeoutIsCancelled() throws Exception {
    StepVerifier.create(Mono.just(7).timeout(Duration.ofMillis(50), scheduler))
        .expectNext(7)
        .verifyComplete();
    AtomicBoolean ran = new AtomicBoolean();
    Disposable d = scheduler.schedule(() -> ran.set(true), 50, TimeUnit.MILLISECONDS);
    d.dispose();
    assertThat(d.isDisposed()).isTrue();
    awaitLaterTask();
    assertThat(ran).isFalse();
  }

  @Test
  void schedule_runsTasks_workerDisposalCancelsItsTasks() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    scheduler.schedule(done::countDown);
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();

    Scheduler.Worker worker = scheduler.createWorker();
    AtomicBoolean ran = new AtomicBoolean();
    worker.schedule(() -> ran.set(true), 50, TimeUnit.MILLISECONDS);
    worker.dispose();
    awaitLaterTask();
    assertThat(ran).isFalse();
    assertThatThrownBy(() -> worker.schedule(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
  }

  /** Waits for a task due after the cancelled ones: the wheel runs due tasks in order. */
  private void awaitLaterTask() throws InterruptedException {
    CountDownLatch later = new CountDownLatch(1);
    scheduler.schedule(later::countDown, 100, TimeUnit.MILLISECONDS);
    assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void stoppedTimer_isARejection() {
    timer.stop();
    assertThatThrownBy(() -> scheduler.schedule(() -> {}, 1, TimeUnit.SECONDS))
        .isInstanceOf(RejectedExecutionException.class);
  }
}
