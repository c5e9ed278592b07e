package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.RoutingState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Collects what the run measures: outcomes per phase, links moved, compute latency (HdrHistogram, 3
 * significant digits), one {@link Sample} per second, and the relinks of the crashed pod's users.
 * Thread-safe (outcomes arrive on I/O threads in the real-time modes).
 */
final class MetricsCollector {
  private final int[] lastPod;
  private final Map<Phase, Accumulator> phases = new EnumMap<>(Phase.class);
  private final List<Sample> samples = new ArrayList<>();
  private long secondRequests;
  private long secondErrors;
  // the crash
  private int crashedPod = -1;
  private long crashAtMillis;
  private boolean[] affected;
  private long[] relinkAfter;
  private int linkedAtCrash;
  private long podDownWhileCrashed;
  private long crashObservedUntil = Long.MAX_VALUE;

  MetricsCollector(int users) {
    lastPod = new int[users];
    Arrays.fill(lastPod, -1);
    for (Phase p : Phase.values()) {
      phases.put(p, new Accumulator());
    }
  }

  /** One request's outcome; {@code phase} and {@code atMillis} are those of its issue. */
  synchronized void record(Phase phase, int user, Outcome outcome, long atMillis) {
    Accumulator a = phases.get(phase);
    a.requests++;
    a.outcomes.merge(outcome.kind(), 1L, Long::sum);
    secondRequests++;
    if (outcome.kind() == Outcome.Kind.MISROUTED) {
      a.misroutedTo.merge(outcome.pod(), 1L, Long::sum);
    }
    if (outcome.kind().isError()) {
      secondErrors++;
      if (outcome.kind() == Outcome.Kind.POD_DOWN && outcome.pod() == crashedPod) {
        podDownWhileCrashed++;
      }
    }
    if (outcome.computeNanos() >= 0 && outcome.kind() != Outcome.Kind.SHED) {
      a.compute.recordValue(Math.min(outcome.computeNanos(), a.compute.getHighestTrackableValue()));
    }
    if (outcome.kind() == Outcome.Kind.SERVED) {
      int before = lastPod[user];
      if (before >= 0 && before != outcome.pod()) {
        a.moved++;
      }
      lastPod[user] = outcome.pod();
      if (affected != null
          && affected[user]
          && relinkAfter[user] < 0
          && outcome.pod() != crashedPod
          && atMillis >= crashAtMillis
          && atMillis < crashObservedUntil) {
        relinkAfter[user] = atMillis - crashAtMillis;
      }
    }
  }

  /** The pod crashed at {@code atMillis}; {@code linkedUsers} flags the users linked to it. */
  synchronized void crashed(int pod, long atMillis, boolean[] linkedUsers) {
    crashedPod = pod;
    crashAtMillis = atMillis;
    affected = linkedUsers.clone();
    relinkAfter = new long[linkedUsers.length];
    Arrays.fill(relinkAfter, -1);
    linkedAtCrash = 0;
    for (boolean b : linkedUsers) {
      linkedAtCrash += b ? 1 : 0;
    }
  }

  /**
   * Relinks of the crashed pod's users count until {@code atMillis} (the store fault: after its
   * restart every user is placed anew, which is no relink).
   */
  synchronized void crashObservedUntil(long atMillis) {
    crashObservedUntil = atMillis;
  }

  /**
   * Adds the per-second sample: the deployment as observed, with the requests and errors since the
   * previous one.
   */
  synchronized Sample sample(
      long atMillis, Phase phase, int[] links, int[] load, RoutingState[] states) {
    Sample s = new Sample(atMillis, phase, links, load, states, secondRequests, secondErrors);
    secondRequests = 0;
    secondErrors = 0;
    samples.add(s);
    return s;
  }

  /** Misrouted requests so far, all phases. */
  synchronized long misroutes() {
    return phases.values().stream()
        .mapToLong(a -> a.outcomes.getOrDefault(Outcome.Kind.MISROUTED, 0L))
        .sum();
  }

  /**
   * Closes a phase with its end sample and the gateways' cumulative store counters. Requests still
   * in flight keep counting towards the phase they were issued in (real-time modes).
   */
  synchronized void phaseEnded(
      Phase phase,
      long startMillis,
      long endMillis,
      Sample end,
      long lookupsTotal,
      long relinksTotal) {
    Accumulator a = phases.get(phase);
    a.ended = true;
    a.startMillis = startMillis;
    a.endMillis = endMillis;
    a.end = end;
    a.lookupsTotal = lookupsTotal;
    a.relinksTotal = relinksTotal;
  }

  /** The ended phases, in order. */
  synchronized List<PhaseResult> phases() {
    List<PhaseResult> results = new ArrayList<>();
    long lookupsBefore = 0;
    long relinksBefore = 0;
    for (Phase phase : Phase.values()) {
      Accumulator a = phases.get(phase);
      if (!a.ended) {
        continue;
      }
      Map<Outcome.Kind, Long> outcomes = new EnumMap<>(Outcome.Kind.class);
      for (Outcome.Kind k : Outcome.Kind.values()) {
        outcomes.put(k, a.outcomes.getOrDefault(k, 0L));
      }
      long[] compute =
          a.compute.getTotalCount() == 0
              ? new long[] {0, 0, 0}
              : new long[] {
                a.compute.getValueAtPercentile(50),
                a.compute.getValueAtPercentile(99),
                a.compute.getValueAtPercentile(99.9)
              };
      results.add(
          new PhaseResult(
              phase,
              a.startMillis,
              a.endMillis,
              a.requests,
              Map.copyOf(outcomes),
              a.moved,
              Collections.unmodifiableMap(new TreeMap<>(a.misroutedTo)),
              a.relinksTotal - relinksBefore,
              a.lookupsTotal - lookupsBefore,
              a.end,
              compute));
      lookupsBefore = a.lookupsTotal;
      relinksBefore = a.relinksTotal;
    }
    return List.copyOf(results);
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** The crash's relink figures; {@code null} when no pod crashed. */
  synchronized CrashResult crash() {
    if (crashedPod < 0) {
      return null;
    }
    long[] done = Arrays.stream(relinkAfter).filter(v -> v >= 0).sorted().toArray();
    return new CrashResult(
        crashedPod,
        linkedAtCrash,
        done.length,
        done.length == 0 ? -1 : done[0],
        percentile(done, 50),
        percentile(done, 99),
        done.length == 0 ? -1 : done[done.length - 1],
        podDownWhileCrashed);
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** Counts of one phase. */
  private static final class Accumulator {
    long requests;
    long moved;
    final Map<Outcome.Kind, Long> outcomes = new EnumMap<>(Outcome.Kind.class);
    final Map<Integer, Long> misroutedTo = new TreeMap<>();
    boolean ended;
    long startMillis;
    long endMillis;
    Sample end;
    long lookupsTotal;
    long relinksTotal;

    /** 1 ns .. 60 s. */
    final Histogram compute = new Histogram(60_000_000_000L, 3);
  }
}
