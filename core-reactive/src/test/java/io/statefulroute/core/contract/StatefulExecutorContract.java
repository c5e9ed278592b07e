package io.statefulroute.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.PodState;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RebalancerLease;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.RoutingState;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.testing.LinkEventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * One behaviour for every {@link StatefulExecutor}: the same test body runs against the in-memory
 * executor, a standalone Redis and a Redis Cluster (as Caffeine runs one test over many cache
 * specs). A target supplies the executor and a few raw-access hooks.
 *
 * <p>Each test uses a fresh random namespace, so targets may share one server between tests.
 */
public abstract class StatefulExecutorContract {
  protected static final long P = StatefulExecutor.PERSISTENT;
  protected static final String SVC = "game";
  protected static final Duration NOW = Duration.ZERO;
  protected static final Duration PRUNE = Duration.ofMinutes(5);

  protected final KeySchema keys = KeySchema.defaults();
  protected String ns;

  /** The executor under test (the same instance for the whole test method). */
  protected abstract StatefulExecutor executor();

  /** {@code n} executors on the same store, each with its own connection where there is one. */
  protected abstract List<StatefulExecutor> executors(int n);

  /** Lets {@code d} pass on the store's clock (virtual time in memory, real time on Redis). */
  protected abstract void advance(Duration d);

  /** The remaining time to live of a raw key in ms: -1 persistent, -2 absent (PTTL). */
  protected abstract long pttl(String key);

  /** Stores a raw string under a key, bypassing every rule. */
  protected abstract void writeRawString(String key, String value);

  /** Stores a raw hash field under a key, bypassing every rule. */
  protected abstract void writeRawHashField(String key, String field, String value);

  /** Makes the store forget its loaded scripts (SCRIPT FLUSH on every node); no-op in memory. */
  protected abstract void flushScripts();

  @BeforeEach
  void freshNamespace() {
    ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  protected String link(String uid) {
    return keys.link(ns, uid, SVC);
  }

  protected String removal(String uid) {
    return keys.linkRemoval(ns, uid, SVC);
  }

  protected String index(String uid) {
    return keys.linkIndex(ns, uid);
  }

  private static <T> T await(Mono<T> mono) {
    return mono.block(Duration.ofSeconds(10));
  }

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

  // ------------------------------------------------------------------------------ remove

  @Test
  void removeLink_now_deletesLinkAndIndexEntry() {
    await(executor().setLink(ns, "u1", SVC, 3, P));
    StepVerifier.create(executor().removeLink(ns, "u1", SVC, NOW)).expectNext(3).verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).verifyComplete();
    assertThat(await(executor().getLinkIndex(ns, "u1"))).isEmpty();
    StepVerifier.create(executor().removeLink(ns, "u1", SVC, NOW)).verifyComplete();
  }

  @Test
  void removeLink_delayed_keepsAnsweringUntilTheDelayEnds() {
    await(executor().setLink(ns, "u1", SVC, 3, P));
    StepVerifier.create(executor().removeLink(ns, "u1", SVC, Duration.ofSeconds(1)))
        .expectNext(3)
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(3).verifyComplete();
    assertThat(pttl(link("u1"))).isBetween(1L, 1000L);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).isEmpty();
    advance(Duration.ofMillis(1300));
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).verifyComplete();
  }

  @Test
  void removeLink_delayedLongerThanLease_keepsEarlierExpiry() {
    await(executor().setLink(ns, "u1", SVC, 3, 2));
    await(executor().removeLink(ns, "u1", SVC, Duration.ofSeconds(60)));
    assertThat(pttl(link("u1"))).isBetween(1L, 2000L);
  }

  @Test
  void removeLink_delayedThenSetIfAbsent_isNotRefreshedAndEndsOnTime() {
    // review break 1: the next lease refresh undid a delayed removal
    await(executor().setLink(ns, "u1", SVC, 3, 300));
    await(executor().removeLink(ns, "u1", SVC, Duration.ofSeconds(1)));
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 5, 300))
        .expectNext(3)
        .verifyComplete();
    assertThat(pttl(link("u1"))).isBetween(1L, 1000L);
    advance(Duration.ofMillis(1300));
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).verifyComplete();
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 5, 300))
        .expectNext(5)
        .verifyComplete();
    assertThat(pttl(link("u1"))).isGreaterThan(290_000L);
  }

  @Test
  void removeLink_delayedThenSetIfAbsentPersistent_isNeverMadePersistent() {
    await(executor().setLink(ns, "u1", SVC, 3, P));
    await(executor().removeLink(ns, "u1", SVC, Duration.ofSeconds(1)));
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 5, P))
        .expectNext(3)
        .verifyComplete();
    assertThat(pttl(link("u1"))).isBetween(1L, 1000L);
    assertThat(await(executor().getLinkIndex(ns, "u1"))).isEmpty();
    StepVerifier.create(executor().getLinkIfPersistent(ns, "u1", SVC)).verifyComplete();
    advance(Duration.ofMillis(1300));
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).verifyComplete();
  }

  @Test
  void removeLink_delayed_markerExpiresWithTheLink() {
    await(executor().setLink(ns, "u1", SVC, 3, 300));
    await(executor().removeLink(ns, "u1", SVC, Duration.ofSeconds(60)));
    await(executor().removeLink(ns, "u1", SVC, Duration.ofMillis(700))); // a shorter one wins
    assertThat(pttl(link("u1"))).isBetween(1L, 700L);
    assertThat(pttl(removal("u1"))).isBetween(1L, 700L);
    advance(Duration.ofSeconds(1));
    assertThat(pttl(removal("u1"))).isEqualTo(-2);
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 5, 300))
        .expectNext(5)
        .verifyComplete();
  }

  @Test
  void removeLink_delayedThenSetLinkOrClaim_recreatesTheLink() {
    await(executor().setLink(ns, "u1", SVC, 3, 300));
    await(executor().setLink(ns, "u2", SVC, 3, 300));
    await(executor().removeLink(ns, "u1", SVC, Duration.ofMillis(800)));
    await(executor().removeLink(ns, "u2", SVC, Duration.ofMillis(800)));
    await(executor().setLink(ns, "u1", SVC, 3, 300));
    StepVerifier.create(executor().claimLink(ns, "u2", SVC, 4, P))
        .expectNext(new ClaimResult(true, 4, Optional.of(3)))
        .verifyComplete();
    assertThat(pttl(removal("u1"))).isEqualTo(-2);
    advance(Duration.ofMillis(1100));
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(3).verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u2", SVC)).expectNext(4).verifyComplete();
    // and a re-created link is refreshed again by set-if-absent
    await(executor().setLinkIfAbsent(ns, "u1", SVC, 5, 600));
    assertThat(pttl(link("u1"))).isGreaterThan(590_000L);
  }

  @Test
  void removeLinkIfOwner_delayedThenSetIfAbsent_isNotRefreshed() {
    await(executor().setLink(ns, "u1", SVC, 3, 300));
    await(executor().removeLinkIfOwner(ns, "u1", SVC, 3, Duration.ofMillis(800)));
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 5, 300))
        .expectNext(3)
        .verifyComplete();
    advance(Duration.ofMillis(1100));
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).verifyComplete();
  }

  @Test
  void removeLink_now_alsoEndsADelayedRemoval() {
    await(executor().setLink(ns, "u1", SVC, 3, 300));
    await(executor().removeLink(ns, "u1", SVC, Duration.ofSeconds(60)));
    await(executor().removeLink(ns, "u1", SVC, NOW));
    assertThat(pttl(removal("u1"))).isEqualTo(-2);
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 5, 300))
        .expectNext(5)
        .verifyComplete();
    assertThat(pttl(link("u1"))).isGreaterThan(290_000L);
  }

  @Test
  void removeLink_delayedThenRefusedWrite_keepsTheRemovalMarker() {
    // review: the marker was deleted before the index command that then failed (WRONGTYPE), so
    // the next set-if-absent undid the removal
    await(executor().setLink(ns, "w", SVC, 3, 300));
    await(executor().removeLink(ns, "w", SVC, Duration.ofMillis(800)));
    writeRawString(index("w"), "not-a-hash"); // a foreign value on the uid's index
    StepVerifier.create(executor().setLink(ns, "w", SVC, 4, 300))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    assertThat(pttl(removal("w"))).isBetween(1L, 800L);
    StepVerifier.create(executor().setLinkIfAbsent(ns, "w", SVC, 5, 300))
        .expectNext(3)
        .verifyComplete();
    assertThat(pttl(link("w"))).isBetween(1L, 800L);
  }

  @Test
  void removeLinkIfOwner_removesOnlyForTheOwner() {
    await(executor().setLink(ns, "u1", SVC, 3, P));
    StepVerifier.create(executor().removeLinkIfOwner(ns, "u1", SVC, 2, NOW))
        .expectNext(false)
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(3).verifyComplete();
    StepVerifier.create(executor().removeLinkIfOwner(ns, "u1", SVC, 3, NOW))
        .expectNext(true)
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).verifyComplete();
    assertThat(await(executor().getLinkIndex(ns, "u1"))).isEmpty();
    StepVerifier.create(executor().removeLinkIfOwner(ns, "u1", SVC, 3, NOW))
        .expectNext(false)
        .verifyComplete();
  }

  @Test
  void removeLinkIfOwner_delayed_keepsAnsweringUntilTheDelayEnds() {
    await(executor().setLink(ns, "u1", SVC, 3, P));
    StepVerifier.create(executor().removeLinkIfOwner(ns, "u1", SVC, 3, Duration.ofMillis(800)))
        .expectNext(true)
        .verifyComplete();
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).expectNext(3).verifyComplete();
    advance(Duration.ofMillis(1100));
    StepVerifier.create(executor().getLink(ns, "u1", SVC)).verifyComplete();
  }

  // ------------------------------------------------------------------------------- index

  @Test
  void getLinkIndex_listsPersistentLinksOnly() {
    await(executor().setLink(ns, "u1", "chat", 1, P));
    await(executor().setLink(ns, "u1", "game", 2, P));
    await(executor().setLink(ns, "u1", "match", 3, 30));
    assertThat(await(executor().getLinkIndex(ns, "u1")))
        .containsOnly(Map.entry("chat", 1), Map.entry("game", 2));
    assertThat(await(executor().getLinkIndex(ns, "nobody"))).isEmpty();
  }

  // ----------------------------------------------------------------------------- listing

  /** Every uid the listing emits, as a set (a Redis SCAN may return a key twice). */
  protected Set<String> listed(StatefulExecutor ex, String namespace, String service, int pod) {
    List<String> uids =
        ex.listPersistentLinks(namespace, service, pod).collectList().block(Duration.ofSeconds(60));
    return new HashSet<>(uids);
  }

  @Test
  void listPersistentLinks_listsExactlyThePodsPersistentLinksOfThatServiceAndNamespace() {
    List<String> owned = List.of("a", "b", "{x}:y%", "用户", "tab\t", "z".repeat(5_000));
    for (String uid : owned) {
      await(executor().setLink(ns, uid, SVC, 3, P));
    }
    await(executor().setLink(ns, "a", "chat", 3, P)); // a second service: still listed once
    await(executor().setLink(ns, "temporary", SVC, 3, 60));
    await(executor().setLink(ns, "other-pod", SVC, 4, P));
    await(executor().setLink(ns, "other-service", "chat", 3, P));
    await(executor().setLink(ns, "made-temporary", SVC, 3, P));
    await(executor().setLink(ns, "made-temporary", SVC, 3, 60));
    await(executor().setLink(ns, "leaving", SVC, 3, P));
    await(executor().removeLink(ns, "leaving", SVC, Duration.ofSeconds(60))); // delayed removal
    await(executor().setLink(ns, "removed", SVC, 3, P));
    await(executor().removeLinkIfOwner(ns, "removed", SVC, 3, NOW));
    for (String other : List.of(ns + "x", ns + ":x", "x" + ns, ns.substring(0, 5))) {
      await(executor().setLink(other, "foreign", SVC, 3, P));
    }
    await(executor().setLink(ns, "x:foreign", SVC, 4, P)); // the uid a ':x' namespace would need
    flushScripts(); // the per-uid reads survive NOSCRIPT

    assertThat(listed(executor(), ns, SVC, 3)).containsExactlyInAnyOrderElementsOf(owned);
    assertThat(listed(executor(), ns, "chat", 3)).containsExactlyInAnyOrder("a", "other-service");
    assertThat(listed(executor(), ns, SVC, 4)).containsExactlyInAnyOrder("other-pod", "x:foreign");
    assertThat(listed(executor(), ns + ":x", SVC, 3)).containsExactly("foreign");
    StepVerifier.create(executor().getLink(ns, "leaving", SVC)).expectNext(3).verifyComplete();
  }

  @Test
  void listPersistentLinks_namespacesWithGlobCharacters_matchOnlyThemselves() {
    List<String> namespaces =
        List.of(
            ns,
            ns + "*",
            ns + "?",
            ns + "[ab]",
            ns + "a",
            ns + "b",
            ns + "\\",
            ns + "\\*",
            ns + "[",
            ns + "]",
            ns + "^",
            ns + "%2A",
            "*",
            "?",
            "[" + ns + "]");
    for (String namespace : namespaces) {
      await(executor().setLink(namespace, "in " + namespace, SVC, 1, P));
    }
    for (String namespace : namespaces) {
      assertThat(listed(executor(), namespace, SVC, 1))
          .as("listing of namespace %s", namespace)
          .contains("in " + namespace)
          .allSatisfy(uid -> assertThat(uid).isEqualTo("in " + namespace));
    }
  }

  @Test
  void listPersistentLinks_nothingToList_completesEmpty() {
    StepVerifier.create(executor().listPersistentLinks(ns, SVC, 3)).verifyComplete();
    await(executor().setLink(ns, "u1", SVC, 2, P));
    await(executor().setLink(ns, "u2", SVC, 3, 30));
    StepVerifier.create(executor().listPersistentLinks(ns, SVC, 3)).verifyComplete();
    StepVerifier.create(executor().listPersistentLinks(ns, "other", 2)).verifyComplete();
  }

  @Test
  void listPersistentLinks_thousandsOfLinks_allListedAndOnlyThose() {
    List<String> owned = IntStream.range(0, 3000).mapToObj(i -> "own-" + i).toList();
    Flux.fromIterable(owned)
        .flatMap(u -> executor().setLink(ns, u, SVC, 2, P), 128)
        .blockLast(Duration.ofSeconds(60));
    Flux.range(0, 1000)
        .flatMap(
            i ->
                executor()
                    .setLink(ns, "tmp-" + i, SVC, 2, 60)
                    .then(executor().setLink(ns, "else-" + i, SVC, 5, P)),
            128)
        .blockLast(Duration.ofSeconds(60));
    assertThat(listed(executor(), ns, SVC, 2)).containsExactlyInAnyOrderElementsOf(owned);
    assertThat(listed(executor(), ns, SVC, 5)).hasSize(1000);
  }

  @Test
  void listPersistentLinks_corruptOrForeignValues_areSkippedCountedAndTheRestListed() {
    await(executor().setLink(ns, "good", SVC, 3, P));
    writeRawHashField(index("garbage"), SVC, "3"); // an index entry whose link is not a pod
    writeRawString(link("garbage"), "not-a-pod");
    writeRawHashField(index("hash"), SVC, "3"); // ... or is not a string
    writeRawHashField(link("hash"), "f", "v");
    writeRawHashField(index("stale"), SVC, "3"); // an index entry without a link
    writeRawString(index("string"), "an index that is not a hash"); // the link is what counts
    await(executor().setLink(ns, "string", SVC, 3, P).onErrorResume(e -> Mono.empty()));
    writeRawString(link("string"), "3");
    // keys the glob matches that no uid escapes to: ignored
    writeRawString(keys.prefix() + ":{" + ns + ":a}b}:lk", "x");
    writeRawString(keys.prefix() + ":{" + ns + ":%ZZ}:lk", "x");
    writeRawString(keys.prefix() + ":{" + ns + ":%61}:lk", "x");
    long before = executor().corruptValuesSkipped();
    assertThat(listed(executor(), ns, SVC, 3)).containsExactlyInAnyOrder("good", "string");
    assertThat(executor().corruptValuesSkipped()).isEqualTo(before + 2);
    assertThat(pttl(link("garbage"))).isEqualTo(-1); // left untouched
  }

  @Test
  void listPersistentLinks_thenOneReclaimedByALivePod_removeLinkIfOwnerLeavesItAlone() {
    for (String uid : List.of("a", "b", "c")) {
      await(executor().setLink(ns, uid, SVC, 3, P));
    }
    List<String> uids =
        executor().listPersistentLinks(ns, SVC, 3).collectList().block(Duration.ofSeconds(10));
    assertThat(new HashSet<>(uids)).containsExactlyInAnyOrder("a", "b", "c");
    await(executor().setLink(ns, "b", SVC, 1, P)); // pod 1 takes b between listing and release
    Map<String, Boolean> removed = new HashMap<>();
    for (String uid : new HashSet<>(uids)) {
      removed.put(uid, await(executor().removeLinkIfOwner(ns, uid, SVC, 3, NOW)));
    }
    assertThat(removed)
        .containsOnly(Map.entry("a", true), Map.entry("b", false), Map.entry("c", true));
    StepVerifier.create(executor().getLinkIfPersistent(ns, "b", SVC))
        .expectNext(1)
        .verifyComplete();
    assertThat(await(executor().getLinkIndex(ns, "b"))).containsOnly(Map.entry(SVC, 1));
    StepVerifier.create(executor().listPersistentLinks(ns, SVC, 3)).verifyComplete();
    assertThat(listed(executor(), ns, SVC, 1)).containsExactly("b");
  }

  // ------------------------------------------------------------------------------- batch

  @Test
  void batchGetLinks_manyUidsAcrossSlots_returnsExistingLinks() {
    List<String> uids =
        IntStream.range(0, 3000).mapToObj(i -> "user-" + i).collect(Collectors.toList());
    Flux.fromIterable(uids.subList(0, 2000))
        .flatMap(
            u -> executor().setLink(ns, u, SVC, u.hashCode() & 7, u.hashCode() % 2 == 0 ? P : 60),
            128)
        .blockLast(Duration.ofSeconds(60));
    Map<String, Integer> got = await(executor().batchGetLinks(ns, uids, SVC));
    assertThat(got).hasSize(2000);
    uids.subList(0, 2000).forEach(u -> assertThat(got).containsEntry(u, u.hashCode() & 7));
    assertThat(await(executor().batchGetLinks(ns, List.of(), SVC))).isEmpty();
  }

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

  // --------------------------------------------------------------------------- bad input

  @Test
  void badArguments_throwBeforeAnyIoAndLeaveStoredDataIntact() {
    StatefulExecutor ex = executor();
    await(ex.setLink(ns, "u1", SVC, 5, P));
    List<Executable> calls =
        List.of(
            () -> ex.setLink(null, "u1", SVC, 1, P),
            () -> ex.setLink("", "u1", SVC, 1, P),
            () -> ex.setLink(ns, null, SVC, 1, P),
            () -> ex.setLink(ns, "", SVC, 1, P),
            () -> ex.setLink(ns, "u1", null, 1, P),
            () -> ex.setLink(ns, "u1", "", 1, P),
            () -> ex.setLink(ns, "u1", SVC, -1, P),
            () -> ex.setLink(ns, "u1", SVC, 1, 0),
            () -> ex.setLink(ns, "u1", SVC, 1, -2),
            () -> ex.setLinkIfAbsent(ns, "u1", SVC, 1, 0),
            () -> ex.setLinkIfAbsent(ns, "u1", SVC, -3, P),
            () -> ex.setLinkIfAbsent(ns, "u1", SVC, 1, -7),
            () -> ex.claimLink(ns, "u1", SVC, -1, P),
            () -> ex.claimLink(ns, "u1", SVC, 1, 0),
            () -> ex.replaceLink(ns, "u1", SVC, -1, 1, P),
            () -> ex.replaceLink(ns, "u1", SVC, 1, -1, P),
            () -> ex.replaceLink(ns, "u1", SVC, 1, 2, 0),
            () -> ex.getLink(ns, "", SVC),
            () -> ex.getLinkIfPersistent(ns, "u1", ""),
            () -> ex.getLinkLease(ns, "", SVC),
            () -> ex.setLinkIfAbsentLease(ns, "u1", SVC, -1, P),
            () -> ex.setLinkIfAbsentLease(ns, "u1", SVC, 1, 0),
            () -> ex.getLinkLease(ns, "u1", null),
            () -> ex.getLinkIndex("", "u1"),
            () -> ex.batchGetLinks(ns, null, SVC),
            () -> ex.batchGetLinks(ns, List.of("a", ""), SVC),
            () -> ex.removeLink(ns, "u1", SVC, Duration.ofMillis(-1)),
            () -> ex.removeLink(ns, "u1", SVC, null),
            () -> ex.removeLinkIfOwner(ns, "u1", SVC, -1, NOW),
            () -> ex.publishState(ns, SVC, null, PRUNE),
            () -> ex.publishState(ns, SVC, new PodStatus(0, 0, RoutingState.READY, "a"), NOW),
            () -> ex.publishState(ns, "", new PodStatus(0, 0, RoutingState.READY, "a"), PRUNE),
            () -> ex.setWorkloadState(ns, SVC, null),
            () -> ex.getWorkloadState(null, SVC),
            () -> ex.batchGetWorkloadStates(ns, null),
            () -> ex.listPersistentLinks(null, SVC, 1),
            () -> ex.listPersistentLinks("", SVC, 1),
            () -> ex.listPersistentLinks("n".repeat(257), SVC, 1),
            () -> ex.listPersistentLinks(ns, null, 1),
            () -> ex.listPersistentLinks(ns, "", 1),
            () -> ex.listPersistentLinks(ns, SVC, -1),
            () -> ex.setLink(ns, "x".repeat(20_000), SVC, 1, P),
            () -> ex.setLink(ns, "bad\uD800surrogate", SVC, 1, P));
    for (Executable call : calls) {
      assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new PodStatus(-1, 0, RoutingState.READY, "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PodStatus(0, -1, RoutingState.READY, "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PodStatus(0, 0, RoutingState.READY, "a|b"))
        .isInstanceOf(IllegalArgumentException.class);
    StepVerifier.create(ex.getLink(ns, "u1", SVC)).expectNext(5).verifyComplete();
    assertThat(pttl(link("u1"))).isEqualTo(-1);
  }

  @Test
  void unusualUids_roundTripExactlyAndNeverCollide() {
    List<String> uids =
        List.of(
            "{",
            "}",
            "{a}",
            "a}b{",
            ":",
            "a:b",
            "%",
            "%7B",
            "%25",
            "sp ace",
            " ",
            "tab\tnl\n",
            "ünïcødé",
            "用户",
            "😀emoji",
            "{ns:uid}",
            "a%3Ab",
            "x".repeat(10_240),
            "y".repeat(10_239) + "é");
    Set<String> distinctKeys = new HashSet<>();
    for (int i = 0; i < uids.size(); i++) {
      distinctKeys.add(link(uids.get(i)));
      await(executor().setLink(ns, uids.get(i), SVC, i, P));
    }
    assertThat(distinctKeys).hasSize(uids.size());
    for (int i = 0; i < uids.size(); i++) {
      StepVerifier.create(executor().getLink(ns, uids.get(i), SVC)).expectNext(i).verifyComplete();
      assertThat(await(executor().getLinkIndex(ns, uids.get(i)))).containsOnly(Map.entry(SVC, i));
    }
    Map<String, Integer> batch = await(executor().batchGetLinks(ns, uids, SVC));
    assertThat(batch).hasSize(uids.size());
    for (int i = 0; i < uids.size(); i++) {
      assertThat(batch).containsEntry(uids.get(i), i);
    }
    // a service and namespace with separators are also escaped
    await(executor().setLink(ns + ":x", "u", "s{1}", 1, P));
    StepVerifier.create(executor().getLink(ns, "x:u", "s{1}")).verifyComplete();
    StepVerifier.create(executor().getLink(ns + ":x", "u", "s{1}")).expectNext(1).verifyComplete();
  }

  // ---------------------------------------------------------------------------- corrupt

  @Test
  void corruptLinkValue_typedErrorLeftUntouchedAndExecutorKeepsWorking() {
    writeRawString(link("bad"), "not-a-pod");
    StepVerifier.create(executor().getLink(ns, "bad", SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().setLinkIfAbsent(ns, "bad", SVC, 1, 30))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().claimLink(ns, "bad", SVC, 1, 30))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().replaceLink(ns, "bad", SVC, 1, 2, 30))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().getLinkIfPersistent(ns, "bad", SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().getLinkLease(ns, "bad", SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().setLinkIfAbsentLease(ns, "bad", SVC, 1, 30))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().removeLinkIfOwner(ns, "bad", SVC, 1, NOW))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    assertThat(pttl(link("bad"))).isEqualTo(-1); // still there, untouched

    long before = executor().corruptValuesSkipped();
    await(executor().setLink(ns, "good", SVC, 2, P));
    assertThat(await(executor().batchGetLinks(ns, List.of("bad", "good"), SVC)))
        .containsOnly(Map.entry("good", 2));
    assertThat(executor().corruptValuesSkipped()).isEqualTo(before + 1);

    // an unconditional set repairs it; a removal clears it
    StepVerifier.create(executor().setLink(ns, "bad", SVC, 3, P)).verifyComplete();
    StepVerifier.create(executor().getLink(ns, "bad", SVC)).expectNext(3).verifyComplete();
  }

  @Test
  void wrongRedisTypeOnOurKeys_typedErrorAndNothingWritten() {
    writeRawHashField(link("h"), "f", "v"); // the link key holds a hash
    StepVerifier.create(executor().getLink(ns, "h", SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().setLink(ns, "h", SVC, 1, P))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    assertThat(await(executor().getLinkIndex(ns, "h"))).isEmpty();
    assertThat(await(executor().batchGetLinks(ns, List.of("h"), SVC))).isEmpty();

    writeRawString(index("i"), "not-a-hash"); // the index key holds a string
    StepVerifier.create(executor().setLink(ns, "i", SVC, 1, P))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().getLink(ns, "i", SVC)).verifyComplete(); // nothing written
    StepVerifier.create(executor().setLink(ns, "i", SVC, 1, 30))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(executor().getLink(ns, "i", SVC)).verifyComplete();

    writeRawString(keys.state(ns, SVC), "not-a-hash");
    StepVerifier.create(executor().readState(ns, SVC))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(
            executor().publishState(ns, SVC, new PodStatus(0, 0, RoutingState.READY, "a"), PRUNE))
        .expectError(CorruptDataException.class)
        .verify(Duration.ofSeconds(10));

    await(executor().setLink(ns, "fine", SVC, 4, P));
    StepVerifier.create(executor().getLink(ns, "fine", SVC)).expectNext(4).verifyComplete();
  }

  @Test
  void malformedStateFields_areSkippedAndCountedNotFatal() {
    await(executor().publishState(ns, SVC, new PodStatus(1, 4, RoutingState.READY, "a"), PRUNE));
    String key = keys.state(ns, SVC);
    writeRawHashField(key, "2", "garbage");
    writeRawHashField(key, "3", "1|5|R|123"); // truncated record
    writeRawHashField(key, "4", "1|-5|R|123|x"); // negative load
    writeRawHashField(key, "5", "1|5|Q|123|x"); // unknown state code
    writeRawHashField(key, "not-a-pod", "1|5|R|123|x");
    writeRawHashField(key, "6", "9|5|R|123|x"); // unknown version
    StateSnapshot snap = await(executor().readState(ns, SVC));
    assertThat(snap.pods()).containsOnlyKeys(1);
    assertThat(snap.malformedFields()).isEqualTo(6);
    // publishing still works and keeps the malformed fields for inspection
    await(executor().publishState(ns, SVC, new PodStatus(7, 0, RoutingState.READY, "b"), PRUNE));
    assertThat(await(executor().readState(ns, SVC)).pods()).containsOnlyKeys(1, 7);
  }

  // --------------------------------------------------------------------------- scripts

  @Test
  void scriptCacheFlushed_nextCallsStillSucceed() {
    await(executor().setLink(ns, "u1", SVC, 1, 30));
    flushScripts();
    StepVerifier.create(executor().setLinkIfAbsent(ns, "u1", SVC, 2, 30))
        .expectNext(1)
        .verifyComplete();
    flushScripts();
    StepVerifier.create(executor().claimLink(ns, "u2", SVC, 2, P))
        .expectNext(new ClaimResult(true, 2, Optional.empty()))
        .verifyComplete();
    flushScripts();
    assertThat(await(executor().readState(ns, SVC)).pods()).isEmpty();
  }

  // --------------------------------------------------------------------- backpressure

  /**
   * Found by the listing (whose SCAN steps are subscribed before they are requested): the Redis
   * executor completed such a call empty when its reply came before the request, dropping the
   * value.
   */
  @Test
  void aSubscriberThatRequestsAfterTheReply_stillGetsTheValue() {
    await(executor().setLink(ns, "late", SVC, 3, P));
    StepVerifier.create(executor().getLink(ns, "late", SVC), 0)
        .expectSubscription()
        .thenAwait(Duration.ofMillis(300)) // the reply is in by then
        .thenRequest(1)
        .expectNext(3)
        .verifyComplete();
    StepVerifier.create(executor().getLinkIfPersistent(ns, "late", SVC), 0)
        .expectSubscription()
        .thenAwait(Duration.ofMillis(300))
        .thenRequest(1)
        .expectNext(3)
        .verifyComplete();
  }

  // ------------------------------------------------------------------------ concurrency

  @Test
  void setLinkIfAbsent_thousandConcurrentCallers_exactlyOneWinsAndAllSeeIt() {
    List<StatefulExecutor> clients = executors(4);
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    Flux.range(0, 1000)
        .flatMap(
            i ->
                clients
                    .get(i % clients.size())
                    .setLinkIfAbsent(ns, "contended", SVC, i % 10, 60)
                    .subscribeOn(Schedulers.parallel())
                    .doOnNext(seen::add),
            256)
        .blockLast(Duration.ofSeconds(60));
    assertThat(seen).hasSize(1000);
    Set<Integer> distinct = new HashSet<>(seen);
    assertThat(distinct).hasSize(1);
    StepVerifier.create(executor().getLink(ns, "contended", SVC))
        .expectNext(distinct.iterator().next())
        .verifyComplete();
  }

  @Test
  void manyUidsConcurrently_eachGetsOneConsistentPod() {
    List<StatefulExecutor> clients = executors(3);
    Map<String, Set<Integer>> seen = new HashMap<>();
    List<String> uids = IntStream.range(0, 300).mapToObj(i -> "c" + i).collect(Collectors.toList());
    List<Map.Entry<String, Integer>> results =
        Flux.range(0, 1500)
            .flatMap(
                i -> {
                  String uid = uids.get(i % uids.size());
                  return clients
                      .get(i % clients.size())
                      .setLinkIfAbsent(ns, uid, SVC, i % 5, 60)
                      .map(pod -> Map.entry(uid, pod));
                },
                128)
            .collectList()
            .block(Duration.ofSeconds(60));
    results.forEach(e -> seen.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
    assertThat(seen).hasSize(300);
    assertThat(seen.values()).allSatisfy(pods -> assertThat(pods).hasSize(1));
  }

  // ----------------------------------------------------------------------------- link events

  /** Subscribes to the namespace's link events and waits until the store listens. */
  private static LinkEventRecorder events(StatefulExecutor executor, String namespace) {
    LinkEventRecorder events = new LinkEventRecorder(executor, namespace, Duration.ofSeconds(10));
    events.expect(new LinkEvent.Subscribed(namespace));
    return events;
  }

  @Test
  void linkEvents_delayedRemovalOfALinkExpiringSooner_announcesTheEffectiveDelay() {
    // review: the announcement carried the requested delay, longer than the link's life, so a
    // cache refilled meanwhile kept the link past its end
    try (LinkEventRecorder events = events(executor(), ns)) {
      await(executor().setLink(ns, "soon", SVC, 3, 2));
      events.expect(new LinkEvent.Linked(ns, "soon", SVC, 3));
      await(executor().removeLink(ns, "soon", SVC, Duration.ofSeconds(60)));
      LinkEvent e = events.next();
      assertThat(e).isInstanceOf(LinkEvent.Removed.class);
      assertThat(((LinkEvent.Removed) e).delay())
          .isBetween(Duration.ofMillis(1), Duration.ofSeconds(2));
    }
  }

  @Test
  void linkEvents_everyMutationIsAnnouncedInOrderToEverySubscriber() {
    List<StatefulExecutor> clients = executors(2);
    try (LinkEventRecorder a = events(clients.get(0), ns);
        LinkEventRecorder b = events(clients.get(1), ns)) {
      StatefulExecutor writer = executor();
      await(writer.setLinkIfAbsent(ns, "u1", SVC, 1, 60)); // creation: not announced
      await(writer.setLinkIfAbsent(ns, "u1", SVC, 2, 60)); // refresh: not announced
      await(writer.setLink(ns, "u1", SVC, 1, 60)); // same pod: not announced
      await(writer.setLink(ns, "u1", SVC, 3, P));
      await(writer.claimLink(ns, "u1", SVC, 4, P)); // refused: not announced
      await(writer.claimLink(ns, "u2", SVC, 4, 60));
      await(writer.replaceLink(ns, "u2", SVC, 4, 5, 60));
      await(writer.replaceLink(ns, "u2", SVC, 4, 6, 60)); // refused: not announced
      await(writer.removeLinkIfOwner(ns, "u2", SVC, 9, NOW)); // not the owner: not announced
      await(writer.removeLinkIfOwner(ns, "u2", SVC, 5, Duration.ofSeconds(30)));
      await(writer.removeLink(ns, "u1", SVC, NOW));
      await(writer.removeLink(ns, "u1", SVC, NOW)); // nothing there: not announced
      await(writer.setLink(ns, "last", SVC, 7, 60));
      List<LinkEvent> expected =
          List.of(
              new LinkEvent.Linked(ns, "u1", SVC, 3),
              new LinkEvent.Linked(ns, "u2", SVC, 4),
              new LinkEvent.Linked(ns, "u2", SVC, 5),
              new LinkEvent.Removed(ns, "u2", SVC, Duration.ofSeconds(30)),
              new LinkEvent.Removed(ns, "u1", SVC, NOW),
              new LinkEvent.Linked(ns, "last", SVC, 7));
      for (LinkEventRecorder events : List.of(a, b)) {
        List<LinkEvent> seen = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
          seen.add(events.next());
        }
        // the changes of one uid arrive in order; on a cluster, those of uids on different
        // nodes may interleave differently
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
        for (String uid : List.of("u1", "u2", "last")) {
          assertThat(ofUid(seen, uid)).containsExactlyElementsOf(ofUid(expected, uid));
        }
      }
      advance(Duration.ofMillis(200));
      assertThat(a.pending()).as("nothing else announced").isEmpty();
    }
  }

  @Test
  void linkEvents_successiveChangesOfOneUid_carryIncreasingVersions() {
    // issue 10: across a failover one uid's announcements come from different nodes, and a
    // cache must be able to tell an older one from a newer one
    List<StatefulExecutor> writers = executors(2);
    try (LinkEventRecorder events = events(executor(), ns)) {
      await(writers.get(0).setLink(ns, "u", SVC, 1, 60));
      await(writers.get(1).setLink(ns, "u", SVC, 2, 60));
      await(writers.get(0).claimLink(ns, "u", SVC, 3, P));
      await(writers.get(1).removeLink(ns, "u", SVC, Duration.ofSeconds(30)));
      await(writers.get(0).replaceLink(ns, "u", SVC, 3, 4, 60));
      await(writers.get(1).removeLinkIfOwner(ns, "u", SVC, 4, NOW));
      await(writers.get(0).setLink(ns, "u", SVC, 5, 60));
      await(writers.get(1).removeLink(ns, "u", SVC, NOW));
      List<Long> versions = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        LinkEvent e = events.next();
        versions.add(
            e instanceof LinkEvent.Linked l
                ? l.version().orElseThrow()
                : ((LinkEvent.Removed) e).version().orElseThrow());
      }
      assertThat(versions)
          .as("versions in arrival order")
          .isSorted()
          .doesNotHaveDuplicates()
          .allSatisfy(v -> assertThat(v).isPositive());
    }
  }

  @Test
  void linkEvents_unusualUidsAndServicesArriveExactly_otherNamespacesDoNot() {
    List<String> uids = List.of("a:b", "{x}", "%25", "tab\tnl\n", "用户😀", "y".repeat(5_000));
    try (LinkEventRecorder events = events(executor(), ns)) {
      await(executor().setLink(ns + ":other", "u", SVC, 1, 60));
      await(executor().setLink(ns + "x", "u", SVC, 1, 60));
      for (int i = 0; i < uids.size(); i++) {
        await(executor().setLink(ns, uids.get(i), "s:{" + i + "}", i, 60));
      }
      List<LinkEvent> seen = new ArrayList<>();
      List<LinkEvent> expected = new ArrayList<>();
      for (int i = 0; i < uids.size(); i++) {
        seen.add(events.next());
        expected.add(new LinkEvent.Linked(ns, uids.get(i), "s:{" + i + "}", i));
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static List<LinkEvent> ofUid(List<LinkEvent> events, String uid) {
    return events.stream()
        .filter(
            e ->
                e instanceof LinkEvent.Linked l
                    ? l.uid().equals(uid)
                    : e instanceof LinkEvent.Removed r && r.uid().equals(uid))
        .toList();
  }

  @Test
  void linkEvents_badNamespace_throwsAtOnce() {
    assertThatThrownBy(() -> executor().linkEvents(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> executor().linkEvents(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

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
