package io.statefulroute.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerListener;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.ServiceView;
import io.statefulroute.core.state.StateCacheListener;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The ServerListener and StateCacheListener SPIs report each attempt, with its outcome. */
class ServerAndStateListenerTest {
  private final VirtualTimeScheduler clock = VirtualClock.create();
  private final InMemoryStatefulExecutor store = InMemoryStatefulExecutor.withClock(clock);
  private final FaultyExecutor executor = new FaultyExecutor(store);
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Test
  void serverListener_publicationsAndFailedAttempts_areReported() {
    ServerDriver server =
        ServerDriver.create(
            executor,
            ServerOptions.builder("ns", "svc", 2)
                .scheduler(clock)
                .publishRetry(1, Duration.ofMillis(100))
                .listener(
                    new ServerListener() {
                      @Override
                      public void published(String ns, String svc, int pod, long nanos) {
                        events.add("published " + ns + "/" + svc + "/" + pod);
                      }

                      @Override
                      public void publishFailed(
                          String ns, String svc, int pod, Throwable e, long nanos) {
                        events.add(
                            "failed "
                                + ns
                                + "/"
                                + svc
                                + "/"
                                + pod
                                + " "
                                + e.getClass().getSimpleName());
                      }
                    })
                .build());
    executor.failNext(1); // the first attempt fails, its retry succeeds
    StepVerifier.create(server.start())
        .then(() -> clock.advanceTimeBy(Duration.ofSeconds(1)))
        .verifyComplete();
    assertThat(events)
        .startsWith("failed ns/svc/2 StoreUnavailableException", "published ns/svc/2");
    server.close();
  }

  @Test
  void stateCacheListener_readsAndFailedReads_areReported() {
    store
        .publishState(
            "ns", "svc", new PodStatus(0, 3, RoutingState.READY, "i0"), Duration.ofMinutes(1))
        .block();
    ServiceStateCache states =
        ServiceStateCache.create(
            executor,
            StateCacheOptions.builder()
                .scheduler(clock)
                .listener(
                    new StateCacheListener() {
                      @Override
                      public void refreshed(ServiceView view, long nanos) {
                        events.add(
                            "refreshed "
                                + view.namespace()
                                + "/"
                                + view.service()
                                + " "
                                + view.availableCount());
                      }

                      @Override
                      public void refreshFailed(String ns, String svc, Throwable e, long nanos) {
                        events.add("failed " + ns + "/" + svc + " " + e.getClass().getSimpleName());
                      }
                    })
                .build());
    StepVerifier.create(states.view("ns", "svc")).expectNextCount(1).verifyComplete();
    executor.failing(true);
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(events)
        .containsExactly("refreshed ns/svc 1", "failed ns/svc StoreUnavailableException");
    states.close();
  }
}
