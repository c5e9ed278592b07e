package io.statefulroute.test;

import io.statefulroute.test.CoherenceHistory.Answer;
import io.statefulroute.test.CoherenceHistory.Change;
import io.statefulroute.test.CoherenceHistory.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Judges a {@link CoherenceHistory}: how stale was each answer, and was it within the bound?
 *
 * <p>An answer naming pod P (or no link) read during [start, end] is <em>fresh</em> when the store
 * may have held P at some instant of that call. Otherwise it is stale by the time from the latest
 * instant at which the store had certainly moved away from P (the end of the change that replaced
 * P's last value that could have been read) to the answer's start. An answer naming a value the
 * store never held before the call ended is a violation whatever its age.
 *
 * <p>Two bounds: {@code flowingBound} for an answer whose stale interval touches no fault of its
 * client, and {@code faultBound} when a fault of that client (extended by {@code recovery})
 * overlaps it.
 */
public final class StalenessChecker {
  private final Duration flowingBound;
  private final Duration faultBound;
  private final Duration recovery;

  public StalenessChecker(Duration flowingBound, Duration faultBound, Duration recovery) {
    this.flowingBound = flowingBound;
    this.faultBound = faultBound;
    this.recovery = recovery;
  }

  /** One answer past its bound. */
  public record Violation(Answer answer, long staleNanos, boolean underFault, String why) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "client %d %s(%s) answered %s at +%d ms: %s",
          answer.client(),
          answer.operation(),
          answer.uid(),
          answer.pod(),
          answer.startNanos() / 1_000_000,
          why);
    }
  }

  /**
   * The verdict.
   *
   * @param answers answers checked
   * @param changes store changes in the history
   * @param staleAnswers answers stale by more than zero
   * @param maxFlowingNanos the stalest answer away from faults
   * @param maxFaultNanos the stalest answer near a fault
   * @param p99Nanos the 99th percentile of staleness over all answers
   * @param violations answers past their bound (or naming a value never stored)
   */
  public record Report(
      int answers,
      int changes,
      int staleAnswers,
      long maxFlowingNanos,
      long maxFaultNanos,
      long p99Nanos,
      List<Violation> violations) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%,d answers checked against %,d store changes: %,d stale;"
              + " max staleness %.1f ms while events flowed, %.1f ms near a fault; p99 %.1f ms;"
              + " %d past the bound%s",
          answers,
          changes,
          staleAnswers,
          maxFlowingNanos / 1e6,
          maxFaultNanos / 1e6,
          p99Nanos / 1e6,
          violations.size(),
          violations.isEmpty()
              ? ""
              : ", first: " + violations.subList(0, Math.min(10, violations.size())));
    }
  }

  public Report check(CoherenceHistory history) {
    List<Answer> answers = history.answers();
    List<Fault> faults = history.faults();
    long[] staleness = new long[answers.size()];
    List<Violation> violations = new ArrayList<>();
    int stale = 0;
    long maxFlowing = 0;
    long maxFault = 0;
    for (int a = 0; a < answers.size(); a++) {
      Answer answer = answers.get(a);
      List<Change> changes = history.changes(answer.uid());
      long movedAway = movedAwayAt(changes, answer);
      if (movedAway == NEVER_HELD) {
        violations.add(
            new Violation(
                answer, Long.MAX_VALUE, false, "the store never held it before the call ended"));
        staleness[a] = Long.MAX_VALUE;
        continue;
      }
      long s = movedAway == FRESH ? 0 : answer.startNanos() - movedAway;
      staleness[a] = s;
      if (s == 0) {
        continue;
      }
      stale++;
      boolean underFault = overlapsFault(faults, answer.client(), movedAway, answer.startNanos());
      if (underFault) {
        maxFault = Math.max(maxFault, s);
      } else {
        maxFlowing = Math.max(maxFlowing, s);
      }
      long bound = (underFault ? faultBound : flowingBound).toNanos();
      if (s > bound) {
        violations.add(
            new Violation(
                answer,
                s,
                underFault,
                String.format(
                    Locale.ROOT,
                    "the store had moved away %.1f ms before the call (bound %d ms%s)",
                    s / 1e6,
                    bound / 1_000_000,
                    underFault ? ", under a fault" : "")));
      }
    }
    long[] sorted = staleness.clone();
    Arrays.sort(sorted);
    long p99 =
        sorted.length == 0
            ? 0
            : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
    return new Report(
        answers.size(),
        history.changeCount(),
        stale,
        maxFlowing,
        maxFault,
        p99,
        List.copyOf(violations));
  }

  static final long FRESH = Long.MIN_VALUE;
  static final long NEVER_HELD = Long.MAX_VALUE;

  /**
   * The instant by which the store had certainly moved away from the answer's value, {@link #FRESH}
   * when it may still have held it during the call, {@link #NEVER_HELD} when it never held it
   * before the call ended. Before its first change a uid has no link.
   */
  static long movedAwayAt(List<Change> changes, Answer answer) {
    int last = Objects.equals(answer.pod(), null) ? -1 : -2; // -1: the initial "no link"
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      if (c.startNanos() > answer.endNanos()) {
        break;
      }
      if (Objects.equals(c.pod(), answer.pod())) {
        last = i;
      }
    }
    if (last == -2) {
      return NEVER_HELD;
    }
    if (last == changes.size() - 1) {
      return FRESH;
    }
    long replacedBy = changes.get(last + 1).endNanos();
    return replacedBy >= answer.startNanos() ? FRESH : replacedBy;
  }

  private boolean overlapsFault(List<Fault> faults, int client, long from, long to) {
    long extra = recovery.toNanos();
    for (Fault f : faults) {
      if (f.client() == client && f.startNanos() <= to && f.endNanos() + extra >= from) {
        return true;
      }
    }
    return false;
  }
}
