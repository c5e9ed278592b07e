package io.statefulroute.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The checker itself must be able to fail: each rule on a hand-made history. */
class StalenessCheckerTest {
  private static final long MS = 1_000_000;
  private final StalenessChecker checker =
      new StalenessChecker(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(200));

  @Test
  void answerOfTheCurrentValue_isFresh() {
    CoherenceHistory h = new CoherenceHistory();
    h.change("u", 1, 0, 10 * MS);
    h.answer(0, "get", "u", 1, 1_000 * MS, 1_001 * MS);
    StalenessChecker.Report r = checker.check(h);
    assertThat(r.staleAnswers()).isZero();
    assertThat(r.violations()).isEmpty();
  }

  @Test
  void answerOverlappingTheChange_isFreshEitherWay() {
    CoherenceHistory h = new CoherenceHistory();
    h.change("u", 1, 0, 10 * MS);
    h.change("u", 2, 100 * MS, 200 * MS);
    h.answer(0, "get", "u", 1, 150 * MS, 160 * MS); // the change may not have applied yet
    h.answer(0, "get", "u", 2, 150 * MS, 160 * MS); // or it may have
    h.answer(0, "get", "u", 1, 50 * MS, 250 * MS); // read before it, slow reply
    assertThat(checker.check(h).staleAnswers()).isZero();
  }

  @Test
  void oldValueAfterTheBound_isAViolation() {
    CoherenceHistory h = new CoherenceHistory();
    h.change("u", 1, 0, 10 * MS);
    h.change("u", 2, 100 * MS, 200 * MS);
    h.answer(0, "get", "u", 1, 250 * MS, 251 * MS); // 50 ms stale: within 100 ms
    h.answer(1, "get", "u", 1, 400 * MS, 401 * MS); // 200 ms stale: past it
    StalenessChecker.Report r = checker.check(h);
    assertThat(r.staleAnswers()).isEqualTo(2);
    assertThat(r.maxFlowingNanos()).isEqualTo(200 * MS);
    assertThat(r.violations())
        .singleElement()
        .satisfies(v -> assertThat(v.answer().client()).isEqualTo(1));
  }

  @Test
  void nearAFaultOfTheSameClient_theFaultBoundApplies() {
    CoherenceHistory h = new CoherenceHistory();
    h.change("u", 1, 0, 10 * MS);
    h.change("u", 2, 100 * MS, 200 * MS);
    h.fault(0, "black hole", 150 * MS, 300 * MS);
    h.answer(0, "get", "u", 1, 600 * MS, 601 * MS); // 400 ms stale, fault + recovery overlaps
    h.answer(1, "get", "u", 1, 600 * MS, 601 * MS); // client 1 had no fault
    h.answer(0, "get", "u", 1, 900 * MS, 901 * MS); // 700 ms: past even the fault bound
    StalenessChecker.Report r = checker.check(h);
    assertThat(r.violations())
        .extracting(v -> v.answer().client() + "@" + v.answer().startNanos() / MS)
        .containsExactlyInAnyOrder("1@600", "0@900");
    assertThat(r.maxFaultNanos()).isEqualTo(700 * MS);
  }

  @Test
  void aValueNeverStored_isAViolation() {
    CoherenceHistory h = new CoherenceHistory();
    h.change("u", 1, 0, 10 * MS);
    h.answer(0, "get", "u", 7, 20 * MS, 21 * MS);
    h.answer(0, "get", "u", 1, 5 * MS, 6 * MS); // may have been read after the change applied
    assertThat(checker.check(h).violations())
        .singleElement()
        .satisfies(v -> assertThat(v.answer().pod()).isEqualTo(7));
  }

  @Test
  void noLink_isJudgedLikeAPod() {
    CoherenceHistory h = new CoherenceHistory();
    h.answer(0, "get", "never-linked", null, 0, MS);
    h.change("u", 3, 0, 10 * MS);
    h.answer(0, "get", "u", null, 500 * MS, 501 * MS); // the link exists since 10 ms
    h.change("u", null, 600 * MS, 610 * MS); // removed
    h.answer(0, "get", "u", 3, 1_000 * MS, 1_001 * MS); // removed 390 ms ago
    h.answer(0, "get", "u", null, 1_000 * MS, 1_001 * MS);
    StalenessChecker.Report r = checker.check(h);
    assertThat(r.answers()).isEqualTo(4);
    assertThat(r.violations()).hasSize(2);
    assertThat(r.violations()).extracting(v -> v.staleNanos() / MS).containsExactly(490L, 390L);
  }

  @Test
  void overlappingChangesOfOneUid_areRefused() {
    CoherenceHistory h = new CoherenceHistory();
    h.change("u", 1, 0, 10 * MS);
    Assertions.assertThatThrownBy(() -> h.change("u", 2, 5 * MS, 20 * MS))
        .isInstanceOf(IllegalStateException.class);
  }
}
