package io.statefulroute.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StatefulExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The part of the executor contract on link writes: setLink, setLinkIfAbsent, claimLink,
 * replaceLink, getLinkIfPersistent and the leases. It is one link of a chain of abstract classes,
 * one concern each; extend {@link StatefulExecutorContract}, which runs them all.
 */
public abstract class LinkWriteContract extends ExecutorContractSupport {
  // ------------------------------------------------------------------------------- set

  @Test
  void setLink_persistent_hasNoTtlAndIsIndexed() {
    StepVerifier.create(executor().setLink(ns, "u1", SVC, 3, P)).verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsExactly(Map.entry(SVC, 3));
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(3).verifyComplete();
  }

  @Test
  void setLink_temporary_hasTtlAndIsNotIndexed() {
    await(executor().setLink(ns, "u1", SVC, 2, 30));
    assertThat(pttl(link("u1"))).isBetween(25_000L, 30_000L);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).isEmpty();
  }

  @Test
  void setLink_existing_returnsPreviousPod() {
    await(executor().setLink(ns, "u1", SVC, 1, P));
    StepVerifier.create(executor().setLink(ns, "u1", SVC, 4, P)).expectNext(1).verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(4).verifyComplete();
  }

  @Test
  void setLink_persistentThenTemporary_dropsIndexEntryAndGetsTtl() {
    await(executor().setLink(ns, "u1", SVC, 1, P));
    await(executor().setLink(ns, "u1", SVC, 1, 20));
    assertThat(await(executor().getLinkIndex(ns, "u1"))).isEmpty();
    assertThat(pttl(link("u1"))).isPositive();
  }

  @Test
  void setLink_temporaryThenPersistent_removesTtl() {
    await(executor().setLink(ns, "u1", SVC, 1, 20));
    await(executor().setLink(ns, "u1", SVC, 2, P));
    assertThat(pttl(link("u1"))).isEqualTo(-1);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsEntry(SVC, 2);
  }

  @Test
  void setLink_podZero_isAValidPod() {
    await(executor().setLink(ns, "u0", SVC, 0, P));
    StepVerifier.create(executor().getLink(ns, "u0", SVC)).expectNext(0).verifyComplete();
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u0", SVC, 5, 10))
        .expectNext(0)
        .verifyComplete();
  }

  @Test
  void getLink_absent_completesEmpty() {
    StepVerifier.create(executor().getLink(ns, "nobody", SVC)).verifyComplete();
  }

  @Test
  void temporaryLink_afterTtl_isGone() {
    await(executor().setLink(ns, "u1", SVC, 1, 1));
    advance(Duration.ofMillis(1300));
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).verifyComplete();
  }

  // ------------------------------------------------------------------------- set-if-absent

  @Test
  void setLinkIfAbsent_absent_setsCandidate() {
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 7, 30))
        .expectNext(7)
        .verifyComplete();
    assertThat(pttl(link("u1"))).isPositive();
  }

  @Test
  void setLinkIfAbsent_existingTemporary_keepsPodAndRefreshesLease() {
    await(executor().setLink(ns, "u1", SVC, 2, 5));
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 9, 300))
        .expectNext(2)
        .verifyComplete();
    assertThat(pttl(link("u1"))).isGreaterThan(200_000L);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).isEmpty();
  }

  @Test
  void setLinkIfAbsent_existingTemporaryWithPersistentTtl_becomesPersistent() {
    await(executor().setLink(ns, "u1", SVC, 2, 5));
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 9, P))
        .expectNext(2)
        .verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsEntry(SVC, 2);
  }

  @Test
  void setLinkIfAbsent_existingPersistent_neverTouched() {
    await(executor().setLink(ns, "u1", SVC, 1, P));
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 9, 10))
        .expectNext(1)
        .verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsEntry(SVC, 1);
  }

  // ------------------------------------------------------------------------------- claim

  @Test
  void claimLink_absent_claimsWithoutPrevious() {
    StepVerifier.create(executor().claimLink(ns, "u1", SVC, 3, P))
        .expectNext(new ClaimResult(true, 3, Optional.empty()))
        .verifyComplete();
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsEntry(SVC, 3);
  }

  @Test
  void claimLink_persistentOfAnotherPod_isRefusedAndUntouched() {
    await(executor().setLink(ns, "u1", SVC, 1, P));
    StepVerifier.create(executor().claimLink(ns, "u1", SVC, 2, P))
        .expectNext(new ClaimResult(false, 1, Optional.of(1)))
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(1).verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
  }

  @Test
  void claimLink_persistentOfSamePod_succeeds() {
    await(executor().setLink(ns, "u1", SVC, 1, P));
    StepVerifier.create(executor().claimLink(ns, "u1", SVC, 1, 30))
        .expectNext(new ClaimResult(true, 1, Optional.of(1)))
        .verifyComplete();
    assertThat(pttl(link("u1"))).isPositive();
  }

  @Test
  void claimLink_temporaryOfAnotherPod_takesItOver() {
    await(executor().setLink(ns, "u1", SVC, 1, 30));
    StepVerifier.create(executor().claimLink(ns, "u1", SVC, 2, P))
        .expectNext(new ClaimResult(true, 2, Optional.of(1)))
        .verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsEntry(SVC, 2);
  }

  // ----------------------------------------------------------------------------- replace

  @Test
  void replaceLink_expectedPod_movesLink() {
    await(executor().setLink(ns, "u1", SVC, 1, 30));
    StepVerifier.create(executor().replaceLink(ns, "u1", SVC, 1, 4, 30))
        .expectNext(ReplaceResult.replaced(4))
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(4).verifyComplete();
  }

  @Test
  void replaceLink_otherPod_refusedAndReportsOwner() {
    await(executor().setLink(ns, "u1", SVC, 2, 30));
    StepVerifier.create(executor().replaceLink(ns, "u1", SVC, 1, 4, 30))
        .expectNext(ReplaceResult.otherOwner(2))
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(2).verifyComplete();
  }

  @Test
  void replaceLink_absent_setsNewPod() {
    StepVerifier.create(executor().replaceLink(ns, "u1", SVC, 1, 4, P))
        .expectNext(ReplaceResult.replaced(4))
        .verifyComplete();
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsEntry(SVC, 4);
  }

  @Test
  void replaceLink_persistentOfExpectedPod_isRefusedAndUntouched() {
    // review break 2: compare-and-set moved a persistent link and dropped its index entry
    await(executor().setLink(ns, "u1", SVC, 7, P));
    StepVerifier.create(executor().replaceLink(ns, "u1", SVC, 7, 9, 300))
        .expectNext(ReplaceResult.persistentOwner(7))
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(7).verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsEntry(SVC, 7);
  }

  @Test
  void replaceLink_persistentOfAnotherPod_isRefusedAndSaysPersistent() {
    await(executor().setLink(ns, "u1", SVC, 2, P));
    StepVerifier.create(executor().replaceLink(ns, "u1", SVC, 1, 4, P))
        .expectNext(ReplaceResult.persistentOwner(2))
        .verifyComplete();
    assertThat(await(executor().getLinkIndex(ns, "u1"))).containsEntry(SVC, 2);
  }

  @Test
  void replaceLink_inDelayedRemovalOfExpectedPod_movesLinkAndEndsTheRemoval() {
    await(executor().setLink(ns, "u1", SVC, 3, 300));
    await(executor().removeLink(ns, "u1", SVC, Duration.ofMillis(800)));
    StepVerifier.create(executor().replaceLink(ns, "u1", SVC, 3, 4, 300))
        .expectNext(ReplaceResult.replaced(4))
        .verifyComplete();
    advance(Duration.ofMillis(1100));
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(4).verifyComplete();
    assertThat(pttl(removal("u1"))).isEqualTo(-2);
  }

  @Test
  void replaceLink_concurrentCallersExpectingDeadPod_convergeOnOnePod() {
    await(executor().setLink(ns, "u1", SVC, 9, 30));
    List<StatefulExecutor> clients = executors(4);
    List<ReplaceResult> results =
        Flux.range(0, 200)
            .flatMap(
                i ->
                    clients
                        .get(i % clients.size())
                        .replaceLink(ns, "u1", SVC, 9, i % 7, 30)
                        .subscribeOn(Schedulers.parallel()),
                64)
            .collectList()
            .block(Duration.ofSeconds(30));
    assertThat(results).hasSize(200);
    assertThat(results).filteredOn(ReplaceResult::replaced).hasSize(1);
    int winner = results.stream().filter(ReplaceResult::replaced).findFirst().get().currentPod();
    assertThat(results).allSatisfy(r -> assertThat(r.currentPod()).isEqualTo(winner));
  }

  // ------------------------------------------------------------------ get-if-persistent

  @Test
  void getLinkIfPersistent_onlyAnswersForPersistentLinks() {
    await(executor().setLink(ns, "p", SVC, 1, P));
    await(executor().setLink(ns, "t", SVC, 2, 30));
    StepVerifier.create(executor().getLinkIfPersistent(ns, "p", SVC))
        .expectNext(1)
        .verifyComplete();
    StepVerifier.create(executor().getLinkIfPersistent(ns, "t", SVC)).verifyComplete();
    StepVerifier.create(executor().getLinkIfPersistent(ns, "absent", SVC)).verifyComplete();
  }

  @Test
  void setLinkIfAbsentLease_answersThePodAndItsRemainingLife() {
    assertThat(await(executor().setLinkIfAbsentLease(ns, "new", SVC, 1, 30)))
        .isEqualTo(LinkLease.expiring(1, Duration.ofSeconds(30)));
    assertThat(await(executor().setLinkIfAbsentLease(ns, "new", SVC, 2, 40)))
        .as("refreshed to the given TTL")
        .isEqualTo(LinkLease.expiring(1, Duration.ofSeconds(40)));
    assertThat(await(executor().setLinkIfAbsentLease(ns, "p", SVC, 3, P)))
        .isEqualTo(LinkLease.persistent(3));
    assertThat(await(executor().setLinkIfAbsentLease(ns, "p", SVC, 4, 30)))
        .as("an existing persistent link, left alone")
        .isEqualTo(LinkLease.persistent(3));
    await(executor().setLink(ns, "d", SVC, 2, 30));
    await(executor().removeLink(ns, "d", SVC, Duration.ofMillis(800)));
    LinkLease removing = await(executor().setLinkIfAbsentLease(ns, "d", SVC, 1, 30));
    assertThat(removing.pod()).isEqualTo(2);
    assertThat(removing.expiresIn())
        .as("in delayed removal: the delay left, not the lease")
        .hasValueSatisfying(left -> assertThat(left).isLessThanOrEqualTo(Duration.ofMillis(800)));
    assertThat(pttl(link("d"))).isLessThanOrEqualTo(800L);
  }

  @Test
  void getLinkLease_answersThePodAndTheLinksRemainingLife() {
    await(executor().setLink(ns, "p", SVC, 1, P));
    await(executor().setLink(ns, "t", SVC, 2, 30));
    await(executor().setLink(ns, "d", SVC, 3, 30));
    await(executor().removeLink(ns, "d", SVC, Duration.ofMillis(800)));
    assertThat(await(executor().getLinkLease(ns, "p", SVC))).isEqualTo(LinkLease.persistent(1));
    LinkLease temporary = await(executor().getLinkLease(ns, "t", SVC));
    assertThat(temporary.pod()).isEqualTo(2);
    assertThat(temporary.expiresIn())
        .hasValueSatisfying(
            left ->
                assertThat(left)
                    .isGreaterThan(Duration.ofSeconds(25))
                    .isLessThanOrEqualTo(Duration.ofSeconds(30)));
    LinkLease removing = await(executor().getLinkLease(ns, "d", SVC));
    assertThat(removing.pod()).isEqualTo(3);
    assertThat(removing.expiresIn())
        .as("a link in delayed removal: the delay left")
        .hasValueSatisfying(left -> assertThat(left).isLessThanOrEqualTo(Duration.ofMillis(800)));
    StepVerifier.create(executor().getLinkLease(ns, "absent", SVC)).verifyComplete();
    advance(Duration.ofMillis(1300));
    StepVerifier.create(executor().getLinkLease(ns, "d", SVC)).verifyComplete();
  }
}
