package io.statefulroute.soak;

import java.util.List;
import java.util.Map;

/**
 * What a soak measured.
 *
 * @param calls compute calls that ended, by outcome ({@code ok} or the error class)
 * @param ticksDropped timer ticks skipped because a client had 256 calls in flight
 * @param restarts pods that left and returned during the run
 * @param checked (client, uid) pairs compared with Redis at the end
 * @param divergent pairs where the client's answer was not the link Redis holds
 * @param divergentExamples a few of them, {@code client/uid: answer vs stored}
 * @param heapAfterGcMb live heap after a GC, sampled every 5 s, MiB
 * @param redisUsedMemoryMb Redis {@code used_memory}, sampled every 5 s, MiB
 * @param samplesAfterWarmUp the index of the first sample taken after the warm-up
 */
public record SoakReport(
    Map<String, Long> calls,
    long ticksDropped,
    int restarts,
    long checked,
    long divergent,
    List<String> divergentExamples,
    List<Double> heapAfterGcMb,
    List<Double> redisUsedMemoryMb,
    int samplesAfterWarmUp) {

  /** Calls that ended with an error. */
  public long unexpectedErrors() {
    return calls.entrySet().stream()
        .filter(e -> !e.getKey().equals("ok"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Growth of a series after the warm-up: last sample over the first one after warm-up. */
  public static double growth(List<Double> series, int from) {
    if (series.size() <= from) {
      return 1.0;
    }
    return series.get(series.size() - 1) / series.get(from);
  }

  /**
   * Zero divergent links, zero errors, and heap and Redis memory flat after the warm-up (the last
   * sample at most 25 % above the first after warm-up; a leak of a fixed uid pool's size grows
   * without bound, noise does not).
   */
  public boolean passed() {
    return divergent == 0
        && unexpectedErrors() == 0
        && growth(heapAfterGcMb, samplesAfterWarmUp) <= 1.25
        && growth(redisUsedMemoryMb, samplesAfterWarmUp) <= 1.25;
  }

  @Override
  public String toString() {
    return "calls "
        + calls
        + ", ticks dropped "
        + ticksDropped
        + ", pods left and returned "
        + restarts
        + "\ndivergent "
        + divergent
        + " of "
        + checked
        + " (client, uid) pairs "
        + divergentExamples
        + "\nheap after GC MiB "
        + heapAfterGcMb
        + " (growth after warm-up "
        + String.format("%.2f", growth(heapAfterGcMb, samplesAfterWarmUp))
        + "x)"
        + "\nRedis used_memory MiB "
        + redisUsedMemoryMb
        + " (growth after warm-up "
        + String.format("%.2f", growth(redisUsedMemoryMb, samplesAfterWarmUp))
        + "x)"
        + "\n"
        + (passed() ? "PASSED" : "FAILED");
  }
}
