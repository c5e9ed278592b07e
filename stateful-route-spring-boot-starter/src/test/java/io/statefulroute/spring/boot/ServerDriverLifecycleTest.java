package io.statefulroute.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.PodState;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.publisher.Mono;

/** The phases against Boot's and Spring Data Redis's, and the start and asynchronous stop. */
class ServerDriverLifecycleTest {
  @Test
  void phase_isAboveTheWebServersGracefulShutdownAndItsStartStop() {
    // started after the web server (lower phases start first), stopped before it stops
    assertThat(ServerDriverLifecycle.PHASE)
        .isGreaterThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE)
        .isGreaterThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
    assertThat(ExecutorShutdown.PHASE)
        .isGreaterThan(new LettuceConnectionFactory().getPhase())
        .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
  }

  @Test
  void startThenStop_publishesReadyThenShutdown_andCallsBackWhenStopped() throws Exception {
    StatefulExecutor executor = InMemoryStatefulExecutor.create();
    AtomicBoolean drained = new AtomicBoolean();
    ServerDriver driver =
        ServerDriver.create(
            executor,
            ServerOptions.builder("eu", "game", 1)
                .drainTimeout(Duration.ofSeconds(30))
                .drainedWhen(drained::get)
                .build());
    ServerDriverLifecycle lifecycle = new ServerDriverLifecycle(driver);
    lifecycle.start();
    assertThat(lifecycle.isRunning()).isTrue();
    // polled without blocking: the repeats run on a timer thread, where block() fails
    stateOf(executor)
        .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(10)))
        .block(Duration.ofSeconds(5));
    assertThat(state(executor)).isEqualTo(RoutingState.READY);

    CountDownLatch stopped = new CountDownLatch(1);
    lifecycle.stop(stopped::countDown); // returns while the drain goes on: it does not block
    stateOf(executor)
        .filter(s -> s == RoutingState.DENY_NEW_CALL)
        .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(10)))
        .block(Duration.ofSeconds(5));
    assertThat(stopped.getCount()).as("still draining").isOne();
    drained.set(true);
    assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(lifecycle.isRunning()).isFalse();
    assertThat(state(executor)).isEqualTo(RoutingState.SHUTDOWN);

    CountDownLatch again = new CountDownLatch(1);
    lifecycle.stop(again::countDown); // not running: calls back at once
    assertThat(again.getCount()).isZero();
  }

  private static Mono<RoutingState> stateOf(StatefulExecutor executor) {
    return executor
        .readState("eu", "game")
        .flatMap(read -> Mono.justOrEmpty(read.pods().get(1)))
        .map(PodState::state);
  }

  private static RoutingState state(StatefulExecutor executor) {
    PodState pod = executor.readState("eu", "game").block(Duration.ofSeconds(5)).pods().get(1);
    return pod == null ? null : pod.state();
  }
}
