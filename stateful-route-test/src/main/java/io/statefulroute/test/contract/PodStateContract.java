package io.statefulroute.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.PodState;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StateSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The part of the executor contract on pod state (publish, read, prune) and workload state. It is
 * one link of a chain of abstract classes, one concern each; extend {@link
 * StatefulExecutorContract}, which runs them all.
 */
public abstract class PodStateContract extends LinkListingContract {
  // ------------------------------------------------------------------------------- state

  @Test
  void publishAndReadState_roundTripWithStoreClock() {
    long t1 =
        await(
            executor()
                .publishState(ns, SVC, new PodStatus(0, 12, RoutingState.READY, "inc-a"), PRUNE));
    await(
        executor()
            .publishState(
                ns, SVC, new PodStatus(1, 3, RoutingState.DENY_NEW_CALL, "inc-b"), PRUNE));
    StateSnapshot snap = await(executor().readState(ns, SVC));
    assertThat(snap.malformedFields()).isZero();
    assertThat(snap.pods()).containsOnlyKeys(0, 1);
    PodState p0 = snap.pods().get(0);
    assertThat(p0.load()).isEqualTo(12);
    assertThat(p0.state()).isEqualTo(RoutingState.READY);
    assertThat(p0.incarnation()).isEqualTo("inc-a");
    assertThat(p0.serverTimeMillis()).isEqualTo(t1);
    assertThat(snap.serverTimeMillis()).isGreaterThanOrEqualTo(t1);
    assertThat(snap.pods().get(1).state()).isEqualTo(RoutingState.DENY_NEW_CALL);
  }

  @Test
  void readState_nothingPublished_isEmptyWithClock() {
    StateSnapshot snap = await(executor().readState(ns, SVC));
    assertThat(snap.pods()).isEmpty();
    assertThat(snap.serverTimeMillis()).isPositive();
  }

  @Test
  void publishState_prunesRecordsOlderThanTheWindow() {
    Duration window = Duration.ofMillis(800);
    await(executor().publishState(ns, SVC, new PodStatus(0, 1, RoutingState.READY, "a"), window));
    advance(Duration.ofMillis(1200));
    await(executor().publishState(ns, SVC, new PodStatus(1, 1, RoutingState.READY, "b"), window));
    assertThat(await(executor().readState(ns, SVC)).pods()).containsOnlyKeys(1);
  }

  @Test
  void publishState_republish_replacesRecord() {
    await(executor().publishState(ns, SVC, new PodStatus(2, 5, RoutingState.READY, "a"), PRUNE));
    await(executor().publishState(ns, SVC, new PodStatus(2, 7, RoutingState.SHUTDOWN, "b"), PRUNE));
    PodState s = await(executor().readState(ns, SVC)).pods().get(2);
    assertThat(s.load()).isEqualTo(7);
    assertThat(s.state()).isEqualTo(RoutingState.SHUTDOWN);
    assertThat(s.incarnation()).isEqualTo("b");
  }

  // ---------------------------------------------------------------------------- workload

  @Test
  void workloadState_setGetAndBatch() {
    StepVerifier.create(executor().getWorkloadState(ns, "a")).verifyComplete();
    StepVerifier.create(executor().setWorkloadState(ns, "a", "ready")).verifyComplete();
    await(executor().setWorkloadState(ns, "b", "replicas=3"));
    StepVerifier.create(executor().getWorkloadState(ns, "a")).expectNext("ready").verifyComplete();
    assertThat(await(executor().batchGetWorkloadStates(ns, List.of("a", "b", "c"))))
        .containsOnly(Map.entry("a", "ready"), Map.entry("b", "replicas=3"));
  }
}
