package io.statefulroute.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.PodState;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.state.ServiceView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PlacementLoadTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final PlacementLoad load =
      new PlacementLoad(now::get, Duration.ofSeconds(7), Duration.ofMinutes(10), 1);

  /** A view read now whose pods published {@code loads} at {@code publishedAt}. */
  private ServiceView view(long publishedAt, int... loads) {
    Map<Integer, PodState> pods = new java.util.HashMap<>();
    for (int p = 0; p < loads.length; p++) {
      pods.put(p, new PodState(p, loads[p], RoutingState.READY, publishedAt, "inc" + p));
    }
    return ServiceView.of("ns", "svc", new StateSnapshot(pods, now.get(), 0), 5000, 10, now.get());
  }

  @Test
  void predicted_isThePublishedLoadPlusOwnPlacementsSince() {
    ServiceView v = view(now.get(), 100, 100);
    now.addAndGet(200);
    for (int i = 0; i < 30; i++) {
      load.placed("ns", "svc", 0);
    }
    assertThat(load.predicted(v, 0)).isEqualTo(130);
    assertThat(load.predicted(v, 1)).isEqualTo(100);
  }

  /** With N peers placing alike, each own placement stands for N until the next publication. */
  @Test
  void placementPeers_countOwnPlacementsThatManyTimes_untilThePodPublishes() {
    PlacementLoad fleet =
        new PlacementLoad(now::get, Duration.ofSeconds(7), Duration.ofMinutes(10), 3);
    long t0 = now.get();
    now.addAndGet(200);
    for (int i = 0; i < 10; i++) {
      fleet.placed("ns", "svc", 0);
    }
    assertThat(fleet.predicted(view(t0, 100, 100), 0)).isEqualTo(130);
    assertThat(fleet.predicted(view(t0, 100, 100), 1)).isEqualTo(100);
    now.addAndGet(1000); // the pod publishes: the fleet's placements are in its load
    assertThat(fleet.predicted(view(now.get(), 131, 100), 0)).isEqualTo(131);
  }

  @Test
  void newerPublication_dropsThePlacementsItAlreadyHolds() {
    long t0 = now.get();
    for (int i = 0; i < 50; i++) {
      load.placed("ns", "svc", 0);
    }
    now.addAndGet(1000); // the pod publishes 1 s later: the 50 are in its load
    long t1 = now.get();
    for (int i = 0; i < 7; i++) {
      load.placed("ns", "svc", 0);
    }
    now.addAndGet(300);
    assertThat(load.predicted(view(t0, 100), 0)).isEqualTo(157);
    assertThat(load.predicted(view(t1, 150), 0)).isEqualTo(157); // 150 published + 7 since
    now.addAndGet(1000);
    assertThat(load.predicted(view(now.get(), 160), 0)).isEqualTo(160); // reset
  }

  @Test
  void undo_takesAPlacementBack() {
    ServiceView v = view(now.get(), 10);
    long token = load.placed("ns", "svc", 0);
    load.placed("ns", "svc", 0);
    load.undo("ns", "svc", 0, token);
    assertThat(load.predicted(v, 0)).isEqualTo(11);
  }

  @Test
  void placementsOlderThanTheHorizon_areForgotten_andPodsWithoutRecordDropped() {
    long t0 = now.get();
    load.placed("ns", "svc", 0);
    load.placed("ns", "svc", 5);
    now.addAndGet(60_000);
    assertThat(load.predicted(view(t0, 10), 0)).isEqualTo(10); // the ring slot is stale
  }

  @Test
  void concurrentPlacementsFromSeveralThreads_noneIsLost() throws Exception {
    ServiceView v = view(now.get(), 0, 0, 0, 0);
    int threads = 8;
    int each = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int pod = t % 4;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    long token = load.placed("ns", "svc", pod);
                    if (i % 10 == 0) {
                      load.undo("ns", "svc", pod, token);
                    }
                    load.predict(v, v.availablePods());
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int p = 0; p < 4; p++) {
      assertThat(load.predicted(v, p)).as("pod %d", p).isEqualTo(2L * (each - each / 10));
    }
  }
}
