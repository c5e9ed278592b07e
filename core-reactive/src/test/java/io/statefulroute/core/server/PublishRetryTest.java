package io.statefulroute.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class PublishRetryTest {

  @Test
  void delay_doublesFromTheFirst_cappedAtOneSecond_withinHalfOfItself() {
    Duration first = Duration.ofMillis(100);
    for (long seed = 0; seed < 50; seed++) {
      for (int attempt = 0; attempt < 6; attempt++) {
        long base = Math.min(100L << attempt, 1000);
        assertThat(PublishRetry.delay(first, attempt, seed).toMillis())
            .isBetween(base / 2, base + base / 2);
      }
    }
  }

  @Test
  void delay_dependsOnlyOnItsInputs_andSpreadsPods() {
    Duration first = Duration.ofMillis(100);
    assertThat(PublishRetry.delay(first, 1, 7)).isEqualTo(PublishRetry.delay(first, 1, 7));
    Set<Duration> pods = new HashSet<>();
    for (int pod = 0; pod < 8; pod++) {
      pods.add(PublishRetry.delay(first, 0, 31L * pod));
    }
    assertThat(pods).hasSizeGreaterThan(4); // the pods of a service do not retry in step
  }

  @Test
  void retries_thenFailsWithTheLastFailure_onTheOptionsScheduler() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    ServerOptions options =
        ServerOptions.builder("ns", "svc", 2)
            .publishRetry(3, Duration.ofMillis(100))
            .scheduler(clock)
            .build();
    AtomicInteger calls = new AtomicInteger();
    Mono<Long> failing =
        Mono.defer(
            () -> Mono.error(new IllegalStateException("attempt " + calls.incrementAndGet())));
    long upTo = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      upTo +=
          PublishRetry.delay(
                  Duration.ofMillis(100), attempt, 31L * 2 + options.incarnation().hashCode())
              .toMillis();
    }
    long expected = upTo;
    StepVerifier.withVirtualTime(() -> failing.retryWhen(PublishRetry.of(options)), () -> clock, 1)
        .expectSubscription()
        .then(() -> clock.advanceTimeBy(Duration.ofMillis(expected - 1)))
        .then(() -> assertThat(calls).hasValue(3)) // the third retry is still waiting
        .then(() -> clock.advanceTimeBy(Duration.ofMillis(1)))
        .expectErrorMessage("attempt 4")
        .verify(Duration.ofSeconds(5));
  }
}
