package io.statefulroute.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a coherence run did, for {@link StalenessChecker}: every change of the store (per uid, made
 * by one writer at a time, so each uid's changes are ordered) and every answer a client gave, each
 * with the monotonic instants (nanos) at which its call started and ended. Thread-safe.
 *
 * <p>A change's new value takes effect at some instant within its call; an answer's value was read
 * at some instant within its call. The checker only uses those bounds, so a slow reply never counts
 * against the store, and a slow writer never counts against a client.
 */
public final class CoherenceHistory {

  /**
   * The store's link of {@code uid} became {@code pod} ({@code null}: no link) at some instant in
   * [{@code startNanos}, {@code endNanos}].
   */
  public record Change(String uid, Integer pod, String how, long startNanos, long endNanos) {
    public Change {
      if (endNanos < startNanos) {
        throw new IllegalArgumentException("a change ends before it starts: " + uid);
      }
    }

    @Override
    public String toString() {
      return how + ":" + (pod == null ? "none" : pod.toString()) + "@" + span(startNanos, endNanos);
    }
  }

  /**
   * Client {@code client} answered {@code pod} ({@code null}: no link) for {@code uid} from a call
   * of {@code operation} that ran from {@code startNanos} to {@code endNanos}.
   */
  public record Answer(
      int client, String operation, String uid, Integer pod, long startNanos, long endNanos) {}

  /** A fault that client {@code client} was under from {@code startNanos} to {@code endNanos}. */
  public record Fault(int client, String kind, long startNanos, long endNanos) {
    @Override
    public String toString() {
      return kind + "@" + span(startNanos, endNanos);
    }
  }

  /** {@code [start..end ms]}. */
  static String span(long startNanos, long endNanos) {
    return "[" + startNanos / 1_000_000 + ".." + endNanos / 1_000_000 + " ms]";
  }

  private final Map<String, List<Change>> changes = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();

  /**
   * Records a change. The changes of one uid must be recorded in the order they were made, by one
   * writer at a time (a change starts after the previous one of that uid ended).
   */
  public void change(String uid, Integer pod, long startNanos, long endNanos) {
    change(uid, pod, "change", startNanos, endNanos);
  }

  /** As {@link #change(String, Integer, long, long)}, saying how (for the failure report). */
  public void change(String uid, Integer pod, String how, long startNanos, long endNanos) {
    List<Change> list =
        changes.computeIfAbsent(uid, u -> Collections.synchronizedList(new ArrayList<>()));
    synchronized (list) {
      if (!list.isEmpty() && list.get(list.size() - 1).endNanos() > startNanos) {
        throw new IllegalStateException("changes of '" + uid + "' overlap: one writer per uid");
      }
      list.add(new Change(uid, pod, how, startNanos, endNanos));
    }
  }

  public void answer(
      int client, String operation, String uid, Integer pod, long startNanos, long endNanos) {
    answers.add(new Answer(client, operation, uid, pod, startNanos, endNanos));
  }

  public void fault(int client, String kind, long startNanos, long endNanos) {
    faults.add(new Fault(client, kind, startNanos, endNanos));
  }

  /** The uid's changes in order (empty: never changed). */
  public List<Change> changes(String uid) {
    List<Change> list = changes.get(uid);
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  public int changeCount() {
    return changes.values().stream().mapToInt(List::size).sum();
  }

  public List<Answer> answers() {
    return List.copyOf(answers);
  }

  public List<Fault> faults() {
    return List.copyOf(faults);
  }
}
