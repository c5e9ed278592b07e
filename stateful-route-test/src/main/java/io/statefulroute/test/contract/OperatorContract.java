package io.statefulroute.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.test.LinkEventRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import reactor.test.StepVerifier;

/**
 * The part of the executor contract on operator control: cordons, pins and moves. It is one link of
 * a chain of abstract classes, one concern each; extend {@link StatefulExecutorContract}, which
 * runs them all.
 */
public abstract class OperatorContract extends PodStateContract {
  // ------------------------------------------------------------------- operator control

  protected String cordons() {
    return keys.cordons(ns, SVC);
  }

  protected String pin(String uid) {
    return keys.linkPin(ns, uid, SVC);
  }

  private static PodStatus ready(int pod) {
    return new PodStatus(pod, 10, RoutingState.READY, "inc-" + pod);
  }

  @Test
  void cordonPod_podRepublishesReady_staysCordonedForEveryReader() {
    List<StatefulExecutor> readers = executors(2);
    await(executor().publishState(ns, SVC, ready(1), PRUNE));
    await(executor().publishState(ns, SVC, ready(2), PRUNE));
    StepVerifier.create(executor().cordonPod(ns, SVC, 1)).expectNext(true).verifyComplete();
    // the pod restarts (new incarnation) and publishes READY again, twice
    await(executor().publishState(ns, SVC, new PodStatus(1, 0, RoutingState.READY, "i2"), PRUNE));
    await(executor().publishState(ns, SVC, new PodStatus(1, 0, RoutingState.READY, "i2"), PRUNE));
    for (StatefulExecutor reader : readers) {
      StateSnapshot snap = await(reader.readState(ns, SVC));
      assertThat(snap.pods()).containsKeys(1, 2);
      assertThat(snap.pods().get(1).state()).isEqualTo(RoutingState.READY);
      assertThat(snap.cordoned()).containsExactly(1);
      assertThat(snap.isCordoned(2)).isFalse();
    }
    StepVerifier.create(executor().cordonPod(ns, SVC, 1)).expectNext(false).verifyComplete();
  }

  @Test
  void uncordonPod_liftsTheCordon_once() {
    await(executor().publishState(ns, SVC, ready(1), PRUNE));
    await(executor().cordonPod(ns, SVC, 1));
    StepVerifier.create(executor().uncordonPod(ns, SVC, 1)).expectNext(true).verifyComplete();
    assertThat(await(executor().readState(ns, SVC)).cordoned()).isEmpty();
    StepVerifier.create(executor().uncordonPod(ns, SVC, 1)).expectNext(false).verifyComplete();
    assertThat(await(executor().readState(ns, SVC)).pods()).containsKey(1);
  }

  @Test
  void cordonPod_withoutRecord_isKeptAndNeverPruned() {
    StepVerifier.create(executor().cordonPod(ns, SVC, 7)).expectNext(true).verifyComplete();
    await(executor().publishState(ns, SVC, ready(1), Duration.ofMillis(1)));
    StateSnapshot snap = await(executor().readState(ns, SVC));
    assertThat(snap.cordoned()).containsExactly(7);
    assertThat(snap.pods()).containsOnlyKeys(1);
    assertThat(await(executor().readState(ns, "other")).cordoned()).isEmpty();
  }

  @Test
  void cordonPod_onAForeignValue_failsCorruptAndReadStateToo() {
    writeRawString(cordons(), "not-a-hash");
    StepVerifier.create(executor().cordonPod(ns, SVC, 1))
        .expectError(CorruptDataException.class)
        .verify();
    StepVerifier.create(executor().readState(ns, SVC))
        .expectError(CorruptDataException.class)
        .verify();
  }

  @Test
  void operatorCalls_badArguments_throwBeforeAnyIo() {
    StatefulExecutor ex = executor();
    List<Executable> calls =
        List.of(
            () -> ex.cordonPod(null, SVC, 1),
            () -> ex.cordonPod("", SVC, 1),
            () -> ex.cordonPod("n".repeat(257), SVC, 1),
            () -> ex.cordonPod(ns, "", 1),
            () -> ex.cordonPod(ns, SVC, -1),
            () -> ex.uncordonPod(ns, null, 1),
            () -> ex.uncordonPod(ns, SVC, -1),
            () -> ex.moveLink(ns, "u1", SVC, -1, 1),
            () -> ex.moveLink(ns, "u1", SVC, 1, -1),
            () -> ex.moveLink(ns, "", SVC, 1, 2),
            () -> ex.pinLink(ns, "u1", SVC, -1),
            () -> ex.pinLink(null, "u1", SVC, 1),
            () -> ex.unpinLink(ns, "u1", ""),
            () -> ex.getLinkPin(ns, null, SVC));
    for (Executable call : calls) {
      assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(await(ex.readState(ns, SVC)).cordoned()).isEmpty();
  }

  @Test
  void moveLink_persistent_isMovedWithItsIndexEntry_whereReplaceLinkRefuses() {
    await(executor().setLink(ns, "u1", SVC, 1, P));
    assertThat(await(executor().replaceLink(ns, "u1", SVC, 1, 2, 30)))
        .isEqualTo(ReplaceResult.persistentOwner(1));
    StepVerifier.create(executor().moveLink(ns, "u1", SVC, 1, 2))
        .expectNext(ReplaceResult.replaced(2))
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(2).verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsExactly(Map.entry(SVC, 2));
  }

  @Test
  void moveLink_temporary_keepsItsLeaseAndStaysUnindexed() {
    await(executor().setLink(ns, "u1", SVC, 1, 30));
    assertThat(await(executor().moveLink(ns, "u1", SVC, 1, 3)))
        .isEqualTo(ReplaceResult.replaced(3));
    assertThat(pttl(link("u1"))).isBetween(1L, 30_000L);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).isEmpty();
  }

  @Test
  void moveLink_inDelayedRemoval_staysInDelayedRemoval() {
    await(executor().setLink(ns, "u1", SVC, 1, P));
    await(executor().removeLink(ns, "u1", SVC, Duration.ofSeconds(60)));
    assertThat(await(executor().moveLink(ns, "u1", SVC, 1, 2)))
        .isEqualTo(ReplaceResult.replaced(2));
    assertThat(pttl(link("u1"))).isBetween(1L, 60_000L);
    assertThat(pttl(removal("u1"))).isBetween(1L, 60_000L);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).isEmpty();
  }

  @Test
  void moveLink_otherOwnerOrAbsent_leavesItAlone() {
    await(executor().setLink(ns, "u1", SVC, 3, P));
    StepVerifier.create(executor().moveLink(ns, "u1", SVC, 1, 2))
        .expectNext(ReplaceResult.otherOwner(3))
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(3).verifyComplete();
    StepVerifier.create(executor().moveLink(ns, "none", SVC, 1, 2)).verifyComplete();
    StepVerifier.create(executor().getLink(ns, "none", SVC)).verifyComplete();
  }

  @Test
  void moveLink_isAnnounced() {
    try (LinkEventRecorder events = events(executor(), ns)) {
      await(executor().setLink(ns, "m", SVC, 1, P));
      events.expect(new LinkEvent.Linked(ns, "m", SVC, 1));
      await(executor().moveLink(ns, "m", SVC, 1, 4));
      events.expect(new LinkEvent.Linked(ns, "m", SVC, 4));
    }
  }

  @Test
  void pinLink_survivesThePodsLinkRelease_untilUnpinned() {
    StepVerifier.create(executor().pinLink(ns, "u1", SVC, 4)).verifyComplete();
    StepVerifier.create(executor().getLinkPin(ns, "u1", SVC)).expectNext(4).verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsExactly(Map.entry(SVC, 4));
    assertThat(listed(executor(), ns, SVC, 4)).containsExactly("u1");
    // the pod's own release, and a client's release of a gone pod's links, leave it alone
    StepVerifier.create(executor().removeLinkIfOwner(ns, "u1", SVC, 4, NOW))
        .expectNext(false)
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(4).verifyComplete();
    StepVerifier.create(executor().unpinLink(ns, "u1", SVC)).expectNext(true).verifyComplete();
    StepVerifier.create(executor().getLinkPin(ns, "u1", SVC)).verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(4).verifyComplete();
    StepVerifier.create(executor().removeLinkIfOwner(ns, "u1", SVC, 4, NOW))
        .expectNext(true)
        .verifyComplete();
  }

  @Test
  void pinLink_overAnotherLink_answersThePreviousPod() {
    await(executor().setLink(ns, "u1", SVC, 2, 30));
    StepVerifier.create(executor().pinLink(ns, "u1", SVC, 5)).expectNext(2).verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
    StepVerifier.create(executor().getLinkPin(ns, "u1", SVC)).expectNext(5).verifyComplete();
  }

  @Test
  void pin_endedByAnUnconditionalWrite_neverComesBack() {
    await(executor().pinLink(ns, "u1", SVC, 4));
    await(executor().setLink(ns, "u1", SVC, 6, P)); // the explicit unconditional write wins
    StepVerifier.create(executor().getLinkPin(ns, "u1", SVC)).verifyComplete();
    assertThat(pttl(pin("u1"))).isEqualTo(-2); // the marker went with the pin
    await(executor().setLink(ns, "u1", SVC, 4, P)); // back on the pod it was pinned to
    StepVerifier.create(executor().getLinkPin(ns, "u1", SVC)).verifyComplete();
    await(executor().setLink(ns, "u1", SVC, 6, P));
    StepVerifier.create(executor().removeLinkIfOwner(ns, "u1", SVC, 6, NOW))
        .expectNext(true)
        .verifyComplete();
    await(executor().pinLink(ns, "u2", SVC, 4));
    await(executor().setLink(ns, "u2", SVC, 4, 30)); // made temporary: no longer pinned
    StepVerifier.create(executor().getLinkPin(ns, "u2", SVC)).verifyComplete();
    StepVerifier.create(executor().unpinLink(ns, "u2", SVC)).expectNext(false).verifyComplete();
    assertThat(pttl(pin("u2"))).isEqualTo(-2);
  }

  @Test
  void pin_keptByTheSamePodsPersistentWrites_endedByARemovalOrATemporaryClaim() {
    await(executor().pinLink(ns, "u1", SVC, 4));
    await(executor().claimLink(ns, "u1", SVC, 4, P)); // the pod claims its own pinned uid
    await(executor().setLinkIfAbsent(ns, "u1", SVC, 2, 30));
    StepVerifier.create(executor().getLinkPin(ns, "u1", SVC)).expectNext(4).verifyComplete();
    assertThat(await(executor().claimLink(ns, "u1", SVC, 5, P)).claimed()).isFalse();
    await(executor().claimLink(ns, "u1", SVC, 4, 30)); // made temporary: the pin ends
    StepVerifier.create(executor().getLinkPin(ns, "u1", SVC)).verifyComplete();
    assertThat(pttl(pin("u1"))).isEqualTo(-2);

    await(executor().pinLink(ns, "u2", SVC, 4));
    await(executor().removeLink(ns, "u2", SVC, Duration.ofSeconds(60))); // delayed removal
    assertThat(pttl(pin("u2"))).isEqualTo(-2);
    StepVerifier.create(executor().removeLinkIfOwner(ns, "u2", SVC, 4, NOW))
        .expectNext(true)
        .verifyComplete();
  }

  @Test
  void moveLink_ofAPinnedLink_movesThePin() {
    await(executor().pinLink(ns, "u1", SVC, 1));
    assertThat(await(executor().moveLink(ns, "u1", SVC, 1, 2)))
        .isEqualTo(ReplaceResult.replaced(2));
    StepVerifier.create(executor().getLinkPin(ns, "u1", SVC)).expectNext(2).verifyComplete();
    StepVerifier.create(executor().removeLinkIfOwner(ns, "u1", SVC, 2, NOW))
        .expectNext(false)
        .verifyComplete();
  }

  @Test
  void pinLink_onAForeignPinValue_failsCorruptAndWritesNothing() {
    writeRawHashField(pin("u1"), "f", "v");
    StepVerifier.create(executor().pinLink(ns, "u1", SVC, 1))
        .expectError(CorruptDataException.class)
        .verify();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).verifyComplete();
  }
}
