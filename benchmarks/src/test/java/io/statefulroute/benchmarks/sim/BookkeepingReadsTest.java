package io.statefulroute.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.StoreTimeoutException;
import io.statefulroute.core.StoreUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class BookkeepingReadsTest {
  private static final Duration LIMIT = Duration.ofSeconds(5);

  @Test
  void await_storeError_isCountedByTypeNotThrown() {
    BookkeepingReads reads = new BookkeepingReads(false);
    assertThat(
            reads.await(
                Mono.error(
                    new StoreTimeoutException("batch_get_links", Duration.ofSeconds(2), null)),
                LIMIT))
        .isEmpty();
    assertThat(reads.await(Mono.error(new StoreUnavailableException("down", null)), LIMIT))
        .isEmpty();
    assertThat(reads.failures())
        .containsEntry("StoreTimeoutException", 1L)
        .containsEntry("StoreUnavailableException", 1L)
        .hasSize(2);
  }

  @Test
  void await_failsOnceThenAnswers_isRetriedOnceAndNotCounted() {
    BookkeepingReads reads = new BookkeepingReads(false);
    AtomicInteger calls = new AtomicInteger();
    Mono<String> flaky =
        Mono.defer(
            () ->
                calls.incrementAndGet() == 1
                    ? Mono.error(new StoreUnavailableException("reconnecting", null))
                    : Mono.just("links"));
    assertThat(reads.await(flaky, LIMIT)).contains("links");
    assertThat(calls).hasValue(2);
    assertThat(reads.failures()).isEmpty();
  }

  @Test
  void await_virtualTimeNoReply_isCountedAsUnanswered() {
    BookkeepingReads reads = new BookkeepingReads(true);
    AtomicInteger cancelled = new AtomicInteger();
    assertThat(reads.await(Mono.never().doOnCancel(cancelled::incrementAndGet), LIMIT)).isEmpty();
    assertThat(cancelled).hasValue(1);
    assertThat(reads.await(Mono.just(7), LIMIT)).contains(7);
    assertThat(reads.await(Mono.empty(), LIMIT)).isEmpty();
    assertThat(reads.failures()).containsExactly(Map.entry(BookkeepingReads.UNANSWERED, 1L));
  }

  @Test
  void await_virtualTimeError_isCountedByType() {
    BookkeepingReads reads = new BookkeepingReads(true);
    assertThat(reads.await(Mono.error(new StoreUnavailableException("down", null)), LIMIT))
        .isEmpty();
    assertThat(reads.failures()).containsEntry("StoreUnavailableException", 1L);
  }
}
