package io.statefulroute.core.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RebalancerLease;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.core.server.ServerDriver;
import io.statefulroute.core.server.ServerOptions;
import io.statefulroute.core.server.ShedRequest;
import io.statefulroute.core.state.ServiceStateCache;
import io.statefulroute.core.state.StateCacheOptions;
import io.statefulroute.test.FaultyExecutor;
import io.statefulroute.test.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The rebalancer on the in-memory executor in virtual time: one leader per service through the
 * lease, a takeover after the lease lapses, shed requests reaching the pod's server driver, the
 * fleet-wide suspension, a failing store, and links that are never moved by it.
 */
class RebalancerTest {
  private static final Duration PRUNE = Duration.ofMinutes(5);
  private VirtualTimeScheduler clock;
  private InMemoryStatefulExecutor store;
  private ServiceStateCache states;
  private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    clock = VirtualClock.create();
    store = InMemoryStatefulExecutor.withClock(clock);
    states = ServiceStateCache.create(store, StateCacheOptions.builder().scheduler(clock).build());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    states.close();
  }

  private Rebalancer rebalancer(StatefulExecutor executor, String owner) {
    Rebalancer r =
        Rebalancer.create(
            executor,
            states,
            RebalancerOptions.builder("ns", "svc").owner(owner).scheduler(clock).build());
    closing.add(r);
    return r;
  }

  private void publish(int pod, int load) {
    store
        .publishState("ns", "svc", new PodStatus(pod, load, RoutingState.READY, "i" + pod), PRUNE)
        .block();
  }

  /** {@code seconds} pass; pods 0 to 2 publish loads 1000, 1000, 0 every second. */
  private void run(int seconds) {
    for (int s = 0; s < seconds; s++) {
      publish(0, 1000);
      publish(1, 1000);
      publish(2, 0);
      clock.advanceTimeBy(Duration.ofSeconds(1));
    }
  }

  @Test
  void oneLeaderAtATime_anotherTakesOverOnceTheLeaseLapses() {
    Rebalancer a = rebalancer(store, "a");
    Rebalancer b = rebalancer(store, "b");
    a.start();
    b.start();
    run(21); // cycles at 5, 10, 15, 20 s
    assertThat(a.cycles()).isEqualTo(4);
    assertThat(b.cycles()).isEqualTo(4);
    assertThat(a.cyclesLed()).isEqualTo(4);
    assertThat(b.cyclesLed()).isZero();
    assertThat(b.lastReport().lease()).isEqualTo(RebalancerLease.HELD_ELSEWHERE);
    a.close();
    run(15); // a renewed at 20 s for 15 s: b's cycle at 35 s takes the lease
    assertThat(b.cyclesLed()).isGreaterThanOrEqualTo(1);
    assertThat(b.lastReport().lease()).isEqualTo(RebalancerLease.HELD);
    assertThat(a.cycles()).isEqualTo(4);
  }

  @Test
  void theLeaderAsksTheOverTargetPods_andTheirServerDriverHearsIt() {
    ServerDriver pod0 =
        ServerDriver.create(
            store,
            ServerOptions.builder("ns", "svc", 0)
                .incarnation("i0")
                .loadSupplier(() -> 1000)
                .scheduler(clock)
                .build());
    closing.add(pod0);
    List<ShedRequest> heard = new CopyOnWriteArrayList<>();
    Disposable listening = pod0.shedRequests().subscribe(heard::add);
    pod0.start().subscribe();
    publish(1, 1000);
    publish(2, 0);
    clock.advanceTime();

    Rebalancer a = rebalancer(store, "a");
    RebalanceReport report = a.runCycle().block();
    // mean 666.7; pod 2 is short of it by 667; 100 moves/s x 5 s = 500 allowed, split by excess
    // (250 each) and capped at 10 % of each pod's load (100)
    assertThat(report.lease()).isEqualTo(RebalancerLease.HELD);
    assertThat(report.plan().needed()).isEqualTo(667);
    assertThat(report.plan().shed()).containsOnly(Map.entry(0, 100), Map.entry(1, 100));
    assertThat(heard).isEmpty();
    clock.advanceTimeBy(Duration.ofSeconds(1)); // the pod publishes, then takes its request
    assertThat(heard).containsExactly(new ShedRequest(100));
    assertThat(pod0.shedRequestsReceived()).isEqualTo(1);
    assertThat(store.takeShedRequest("ns", "svc", 1).block()).isEqualTo(100);

    // the next cycle counts the 200 links asked for and not yet shown: 467 more are needed
    publish(1, 1000);
    publish(2, 0);
    RebalanceReport next = a.runCycle().block();
    assertThat(next.plan().needed()).isEqualTo(467);
    assertThat(next.loads()).containsEntry(0, 900).containsEntry(1, 900);
    listening.dispose();
  }

  @Test
  void aPodThatJoinsLater_isLeftToPlacementForTheJoinGrace() {
    Rebalancer a = rebalancer(store, "a");
    publish(0, 1000);
    publish(1, 1000);
    assertThat(a.runCycle().block().requested()).isZero(); // balanced: nothing needed
    clock.advanceTimeBy(Duration.ofSeconds(1));
    publish(0, 1000);
    publish(1, 1000);
    publish(2, 0);
    assertThat(a.runCycle().block().plan().needed()).isZero(); // pod 2 just joined
    clock.advanceTimeBy(Duration.ofSeconds(10));
    publish(0, 1000);
    publish(1, 1000);
    publish(2, 0);
    RebalanceReport later = a.runCycle().block();
    assertThat(later.plan().needed()).isEqualTo(667);
    assertThat(later.requested()).isEqualTo(200);
  }

  @Test
  void aPodNobodyListensFor_takesNothing() {
    ServerDriver pod0 =
        ServerDriver.create(
            store,
            ServerOptions.builder("ns", "svc", 0).incarnation("i0").scheduler(clock).build());
    closing.add(pod0);
    pod0.start().subscribe();
    store.requestShed("ns", "svc", 0, 7, Duration.ofMinutes(1)).block();
    clock.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(pod0.publications()).isGreaterThanOrEqualTo(3);
    assertThat(pod0.shedRequestsReceived()).isZero();
    assertThat(store.takeShedRequest("ns", "svc", 0).block()).isEqualTo(7);
  }

  @Test
  void suspended_nobodyAsks_untilResumed() {
    Rebalancer a = rebalancer(store, "a");
    run(1);
    assertThat(a.suspend().block()).isTrue();
    RebalanceReport report = rebalancer(store, "b").runCycle().block();
    assertThat(report.lease()).isEqualTo(RebalancerLease.SUSPENDED);
    assertThat(report.requested()).isZero();
    assertThat(store.takeShedRequest("ns", "svc", 0).block()).isNull();
    assertThat(a.resume().block()).isTrue();
    assertThat(a.runCycle().block().requested()).isPositive();
  }

  @Test
  void aFailingStore_isCounted_andTheNextCycleWorks() {
    FaultyExecutor faulty = new FaultyExecutor(store);
    Rebalancer a = rebalancer(faulty, "a");
    a.start();
    faulty.failing(true);
    run(11);
    assertThat(a.failures()).isEqualTo(2);
    assertThat(a.lastReport().error()).isNotNull();
    faulty.failing(false);
    run(5);
    assertThat(a.cyclesLed()).isEqualTo(1);
    assertThat(a.lastReport().error()).isNull();
    assertThat(a.requested()).isPositive();
  }

  @Test
  void neverMovesALink_persistentOrNot() {
    store.setLink("ns", "p", "svc", 0, StatefulExecutor.PERSISTENT).block();
    store.setLink("ns", "t", "svc", 0, 600).block();
    store.pinLink("ns", "q", "svc", 1).block();
    Rebalancer a = rebalancer(store, "a");
    a.start();
    run(31);
    assertThat(a.requested()).isPositive();
    assertThat(store.getLinkLease("ns", "p", "svc").block().expiresIn()).isEmpty();
    assertThat(store.getLink("ns", "p", "svc").block()).isZero();
    assertThat(store.getLink("ns", "t", "svc").block()).isZero();
    assertThat(store.getLinkPin("ns", "q", "svc").block()).isEqualTo(1);
  }

  @Test
  void badOptions_failAtOnce() {
    assertThatThrownBy(() -> RebalancerOptions.builder("", "svc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RebalancerOptions.builder("ns", "svc").tolerance(1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RebalancerOptions.builder("ns", "svc").maxShedRatio(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RebalancerOptions.builder("ns", "svc").owner("a|b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                RebalancerOptions.builder("ns", "svc")
                    .period(Duration.ofSeconds(10))
                    .leaseTtl(Duration.ofSeconds(5))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("period < leaseTtl");
    RebalancerOptions defaults = RebalancerOptions.builder("ns", "svc").build();
    assertThat(defaults.leaseTtl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(defaults.maxMovesPerCycle()).isEqualTo(500);
    assertThat(defaults.toString()).contains("maxShedRatio=0.1");
  }
}
