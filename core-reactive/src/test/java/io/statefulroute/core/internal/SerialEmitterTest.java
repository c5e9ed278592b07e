package io.statefulroute.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SerialEmitterTest {
  private static final int THREADS = 8;
  private static final int EMITS_PER_THREAD = 1000;

  /** Every thread emits its values at once (one start latch); returns when all returned. */
  private static void emitConcurrently(Consumer<Integer> emit) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < EMITS_PER_THREAD; i++) {
                    emit.accept(thread * EMITS_PER_THREAD + i);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void next_manyThreadsConcurrently_noValueIsLost() throws Exception {
    for (int round = 0; round < 20; round++) {
      SerialEmitter<Integer> emitter = SerialEmitter.multicastBestEffort();
      List<Integer> seen = new CopyOnWriteArrayList<>();
      emitter.asFlux().subscribe(seen::add);
      emitConcurrently(emitter::next);
      assertThat(seen)
          .as("round %d", round)
          .hasSize(THREADS * EMITS_PER_THREAD)
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void next_unicastBeforeTheSubscriber_isBufferedAndKeepsItsOrder() throws Exception {
    SerialEmitter<Integer> emitter = SerialEmitter.unicast();
    emitConcurrently(emitter::next);
    emitter.complete();
    List<Integer> seen = emitter.asFlux().collectList().block();
    assertThat(seen).hasSize(THREADS * EMITS_PER_THREAD).doesNotHaveDuplicates();
    for (int t = 0; t < THREADS; t++) { // each thread's values in the order it emitted them
      int thread = t;
      assertThat(seen.stream().filter(v -> v / EMITS_PER_THREAD == thread).toList()).isSorted();
    }
  }

  @Test
  void next_fromWithinOnNext_followsTheCurrentValue() {
    SerialEmitter<Integer> emitter = SerialEmitter.multicastBestEffort();
    List<Integer> seen = new ArrayList<>();
    emitter
        .asFlux()
        .subscribe(
            v -> {
              seen.add(v);
              if (v < 3) {
                emitter.next(v + 1); // reentrant: queued, emitted once this onNext returned
              }
              seen.add(-v);
            });
    emitter.next(1);
    assertThat(seen).containsExactly(1, -1, 2, -2, 3, -3);
  }

  @Test
  void complete_afterValues_completesOnceAfterThem() {
    SerialEmitter<Integer> emitter = SerialEmitter.unicast();
    emitter.next(1);
    emitter.next(2);
    emitter.complete();
    emitter.complete();
    emitter.next(3); // after completion: dropped
    assertThat(emitter.asFlux().collectList().block()).containsExactly(1, 2);
  }

  @Test
  void next_aSubscriberThrows_laterValuesStillArrive() {
    SerialEmitter<Integer> emitter = SerialEmitter.multicastBestEffort();
    List<Integer> seen = new ArrayList<>();
    emitter
        .asFlux()
        .subscribe(
            v -> {
              if (v == 1) {
                throw new IllegalStateException("subscriber bug");
              }
            },
            e -> {});
    emitter.asFlux().subscribe(seen::add);
    emitter.next(1);
    emitter.next(2);
    assertThat(seen).containsExactly(1, 2);
  }
}
