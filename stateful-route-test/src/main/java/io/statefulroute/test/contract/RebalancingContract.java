package io.statefulroute.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.RebalancerLease;
import io.statefulroute.core.StatefulExecutor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The part of the executor contract on the rebalancer lease, its suspension and shed requests. It
 * is one link of a chain of abstract classes, one concern each; extend {@link
 * StatefulExecutorContract}, which runs them all.
 */
public abstract class RebalancingContract extends LinkEventsContract {
  // ------------------------------------------------------------------------------ rebalancing

  @Test
  void acquireRebalancer_oneOwnerAtATime_renewsForTheHolder() {
    Duration ttl = Duration.ofSeconds(30);
    StepVerifier.create(executor().acquireRebalancer(ns, SVC, "a", ttl))
        .expectNext(RebalancerLease.HELD)
        .verifyComplete();
    for (StatefulExecutor other : executors(2)) {
      StepVerifier.create(other.acquireRebalancer(ns, SVC, "b", ttl))
          .expectNext(RebalancerLease.HELD_ELSEWHERE)
          .verifyComplete();
    }
    StepVerifier.create(executor().acquireRebalancer(ns, SVC, "a", ttl))
        .expectNext(RebalancerLease.HELD)
        .verifyComplete();
    assertThat(pttl(keys.rebalancer(ns, SVC))).isBetween(25_000L, 30_000L);
    // another service has a lease of its own
    StepVerifier.create(executor().acquireRebalancer(ns, "other", "b", ttl))
        .expectNext(RebalancerLease.HELD)
        .verifyComplete();
  }

  @Test
  void acquireRebalancer_afterTheLeaseLapses_anotherOwnerTakesIt() {
    await(executor().acquireRebalancer(ns, SVC, "a", Duration.ofMillis(200)));
    advance(Duration.ofMillis(400));
    StepVerifier.create(executor().acquireRebalancer(ns, SVC, "b", Duration.ofSeconds(30)))
        .expectNext(RebalancerLease.HELD)
        .verifyComplete();
    StepVerifier.create(executor().acquireRebalancer(ns, SVC, "a", Duration.ofSeconds(30)))
        .expectNext(RebalancerLease.HELD_ELSEWHERE)
        .verifyComplete();
  }

  @Test
  void suspendRebalancing_nobodyHoldsTheLease_untilResumed() {
    await(executor().acquireRebalancer(ns, SVC, "a", Duration.ofSeconds(30)));
    StepVerifier.create(executor().suspendRebalancing(ns, SVC, true))
        .expectNext(true)
        .verifyComplete();
    StepVerifier.create(executor().suspendRebalancing(ns, SVC, true))
        .expectNext(false)
        .verifyComplete();
    for (String owner : List.of("a", "b")) {
      StepVerifier.create(executor().acquireRebalancer(ns, SVC, owner, Duration.ofSeconds(30)))
          .expectNext(RebalancerLease.SUSPENDED)
          .verifyComplete();
    }
    StepVerifier.create(executor().suspendRebalancing(ns, SVC, false))
        .expectNext(true)
        .verifyComplete();
    StepVerifier.create(executor().suspendRebalancing(ns, SVC, false))
        .expectNext(false)
        .verifyComplete();
    StepVerifier.create(executor().acquireRebalancer(ns, SVC, "a", Duration.ofSeconds(30)))
        .expectNext(RebalancerLease.HELD)
        .verifyComplete();
  }

  @Test
  void acquireRebalancer_badArguments_failBeforeAnyWrite() {
    for (String owner : new String[] {"", "x".repeat(65), "a|b"}) {
      assertThatThrownBy(
              () -> executor().acquireRebalancer(ns, SVC, owner, Duration.ofSeconds(1)).block())
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> executor().acquireRebalancer(ns, SVC, "a", Duration.ZERO).block())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(pttl(keys.rebalancer(ns, SVC))).isEqualTo(-2L);
  }

  @Test
  void acquireRebalancer_onAForeignValue_failsCorrupt() {
    writeRawHashField(keys.rebalancer(ns, SVC), "f", "v");
    StepVerifier.create(executor().acquireRebalancer(ns, SVC, "a", Duration.ofSeconds(1)))
        .expectError(CorruptDataException.class)
        .verify();
  }

  @Test
  void shedRequest_isTakenOnce_andTheLatestWins() {
    StepVerifier.create(executor().takeShedRequest(ns, SVC, 2)).verifyComplete();
    await(executor().requestShed(ns, SVC, 2, 40, Duration.ofSeconds(30)));
    await(executor().requestShed(ns, SVC, 2, 25, Duration.ofSeconds(30)));
    assertThat(pttl(keys.shed(ns, SVC, 2))).isBetween(25_000L, 30_000L);
    StepVerifier.create(executor().takeShedRequest(ns, SVC, 3)).verifyComplete();
    StepVerifier.create(executor().takeShedRequest(ns, SVC, 2)).expectNext(25).verifyComplete();
    StepVerifier.create(executor().takeShedRequest(ns, SVC, 2)).verifyComplete();
  }

  @Test
  void shedRequest_lapsesWhenNotTaken() {
    await(executor().requestShed(ns, SVC, 0, 5, Duration.ofMillis(200)));
    advance(Duration.ofMillis(400));
    StepVerifier.create(executor().takeShedRequest(ns, SVC, 0)).verifyComplete();
  }

  @Test
  void shedRequest_badArgumentsOrAMalformedValue_writeNothingAndReadAsNone() {
    assertThatThrownBy(() -> executor().requestShed(ns, SVC, 1, 0, Duration.ofSeconds(1)).block())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> executor().requestShed(ns, SVC, -1, 3, Duration.ofSeconds(1)).block())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> executor().requestShed(ns, SVC, 1, 3, Duration.ZERO).block())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(pttl(keys.shed(ns, SVC, 1))).isEqualTo(-2L);
    writeRawString(keys.shed(ns, SVC, 1), "lots");
    StepVerifier.create(executor().takeShedRequest(ns, SVC, 1)).verifyComplete();
    assertThat(pttl(keys.shed(ns, SVC, 1))).isEqualTo(-2L);
  }
}
