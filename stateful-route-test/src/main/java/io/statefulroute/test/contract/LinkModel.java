package io.statefulroute.test.contract;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StatefulExecutor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A pure reference model of the link semantics of {@link StatefulExecutor} (as written in {@code
 * lua/*.lua} and checked by {@link StatefulExecutorContract}), for a few links.
 *
 * <p>Time is an interval: an operation happens somewhere in a {@link Window} (exact in virtual
 * time, the span of the call on a real store), so an expiry is an interval too. Near an expiry
 * (within the tolerance) the model does not know whether the link is still there: it keeps every
 * possible state of a link and lets the store's reply pick the branches that give that reply. A
 * reply no possible state gives is a mismatch. With tolerance 0 and exact windows the model is
 * deterministic (one state per link).
 */
public final class LinkModel {
  /** One link: a uid's link to a service. */
  public record Key(String uid, String service) {
    @Override
    public String toString() {
      return uid + "/" + service;
    }
  }

  /** The time of one operation, in milliseconds on the target's clock. */
  public record Window(long from, long to) {}

  /**
   * One possible state of a link: absent ({@code pod} null), persistent, or temporary with an
   * expiry somewhere in [{@code expiresFrom}, {@code expiresTo}] (alive while now is earlier),
   * possibly in delayed removal ({@code removing}: set-if-absent leaves it alone).
   */
  public record State(
      Integer pod, boolean persistent, boolean removing, long expiresFrom, long expiresTo) {
    public static final State ABSENT = new State(null, false, false, 0, 0);

    boolean present() {
      return pod != null;
    }

    @Override
    public String toString() {
      if (pod == null) {
        return "absent";
      }
      return "pod "
          + pod
          + (persistent
              ? " persistent"
              : " until [" + expiresFrom + ", " + expiresTo + "]" + (removing ? " removing" : ""));
    }
  }

  /** What one operation does to a link in one state (the link is alive when present). */
  @FunctionalInterface
  public interface Transition<R> {
    Outcome<R> apply(State s, Window w);
  }

  /** The reply an operation gives and the state it leaves. */
  public record Outcome<R>(R reply, State next) {}

  private final long tolerance;
  private final Map<Key, Set<State>> possible = new LinkedHashMap<>();
  private boolean lastMayHaveBeenAbsent;

  public LinkModel(Collection<Key> keys, long toleranceMillis) {
    this.tolerance = toleranceMillis;
    keys.forEach(k -> possible.put(k, new LinkedHashSet<>(List.of(State.ABSENT))));
  }

  /**
   * Applies {@code t} to the link, keeping only the states whose reply equals {@code reply}.
   *
   * @return null when the reply is possible, else a description of the mismatch
   */
  public <R> String observe(Key key, Window w, Transition<R> t, R reply) {
    Set<State> before = at(key, w);
    lastMayHaveBeenAbsent = before.contains(State.ABSENT);
    Set<State> after = new LinkedHashSet<>();
    List<Object> expected = new ArrayList<>();
    for (State s : before) {
      Outcome<R> o = t.apply(s, w);
      expected.add(o.reply());
      if (Objects.equals(o.reply(), reply)) {
        after.add(o.next());
      }
    }
    if (after.isEmpty()) {
      return key + ": reply " + reply + ", model expects one of " + expected + " from " + before;
    }
    possible.put(key, merged(after));
    return null;
  }

  /** The index reply of one uid: exactly its persistent links. */
  public String observeIndex(String uid, Window w, Map<String, Integer> reply) {
    for (Key key : possible.keySet()) {
      if (key.uid().equals(uid)) {
        Integer indexed = reply.get(key.service());
        String m =
            observe(key, w, (s, win) -> new Outcome<>(s.persistent() ? s.pod() : null, s), indexed);
        if (m != null) {
          return "index of " + uid + " " + reply + ": " + m;
        }
      }
    }
    return foreign(
        reply.keySet(),
        possible.keySet().stream().filter(k -> k.uid().equals(uid)).map(Key::service).toList(),
        "index of " + uid + " " + reply);
  }

  /** The batch read of one service over {@code uids}: uid to pod of the live links. */
  public String observeBatch(
      String service, Collection<String> uids, Window w, Map<String, Integer> reply) {
    for (Key key : possible.keySet()) {
      if (key.service().equals(service) && uids.contains(key.uid())) {
        String m = observe(key, w, (s, win) -> new Outcome<>(s.pod(), s), reply.get(key.uid()));
        if (m != null) {
          return "batch of " + service + " " + reply + ": " + m;
        }
      }
    }
    return foreign(
        reply.keySet(),
        possible.keySet().stream()
            .filter(k -> k.service().equals(service) && uids.contains(k.uid()))
            .map(Key::uid)
            .toList(),
        "batch of " + service + " " + reply);
  }

  /** Whether the link of the last {@link #observe} may have been absent when it ran. */
  public boolean lastMayHaveBeenAbsent() {
    return lastMayHaveBeenAbsent;
  }

  /** Whether every link has exactly one possible state. */
  public boolean deterministic() {
    return possible.values().stream().allMatch(s -> s.size() == 1);
  }

  public Set<State> states(Key key) {
    return Set.copyOf(possible.get(key));
  }

  // --------------------------------------------------------------------------- transitions

  public static Transition<Optional<Integer>> setLink(int pod, long ttl) {
    return (s, w) -> new Outcome<>(Optional.ofNullable(s.pod()), write(pod, ttl, w));
  }

  public static Transition<Integer> setLinkIfAbsent(int pod, long ttl) {
    return (s, w) -> {
      if (!s.present()) {
        return new Outcome<>(pod, write(pod, ttl, w));
      }
      if (s.persistent() || s.removing()) {
        return new Outcome<>(s.pod(), s); // never touched
      }
      return new Outcome<>(s.pod(), write(s.pod(), ttl, w)); // lease refreshed (or persisted)
    };
  }

  public static Transition<ClaimResult> claimLink(int pod, long ttl) {
    return (s, w) -> {
      if (s.present() && s.persistent() && s.pod() != pod) {
        return new Outcome<>(new ClaimResult(false, s.pod(), Optional.of(s.pod())), s);
      }
      return new Outcome<>(
          new ClaimResult(true, pod, Optional.ofNullable(s.pod())), write(pod, ttl, w));
    };
  }

  public static Transition<ReplaceResult> replaceLink(int expected, int pod, long ttl) {
    return (s, w) -> {
      if (s.present() && s.persistent()) {
        return new Outcome<>(ReplaceResult.persistentOwner(s.pod()), s);
      }
      if (s.present() && s.pod() != expected) {
        return new Outcome<>(ReplaceResult.otherOwner(s.pod()), s);
      }
      return new Outcome<>(ReplaceResult.replaced(pod), write(pod, ttl, w));
    };
  }

  public static Transition<Optional<Integer>> getLink() {
    return (s, w) -> new Outcome<>(Optional.ofNullable(s.pod()), s);
  }

  public static Transition<Optional<Integer>> getLinkIfPersistent() {
    return (s, w) -> new Outcome<>(Optional.ofNullable(s.persistent() ? s.pod() : null), s);
  }

  public static Transition<Optional<Integer>> removeLink(long delayMillis) {
    return (s, w) ->
        s.present()
            ? new Outcome<>(Optional.of(s.pod()), delete(s, delayMillis, w))
            : new Outcome<>(Optional.empty(), s);
  }

  public static Transition<Boolean> removeLinkIfOwner(int expected, long delayMillis) {
    return (s, w) ->
        s.present() && s.pod() == expected
            ? new Outcome<>(true, delete(s, delayMillis, w))
            : new Outcome<>(false, s);
  }

  private static State write(int pod, long ttl, Window w) {
    if (ttl == StatefulExecutor.PERSISTENT) {
      return new State(pod, true, false, 0, 0);
    }
    return new State(pod, false, false, w.from() + ttl * 1000, w.to() + ttl * 1000);
  }

  /** Now, or after the delay; a link already expiring sooner keeps its earlier expiry. */
  private static State delete(State s, long delay, Window w) {
    if (delay == 0) {
      return State.ABSENT;
    }
    if (s.persistent()) {
      return new State(s.pod(), false, true, w.from() + delay, w.to() + delay);
    }
    return new State(
        s.pod(),
        false,
        true,
        Math.min(s.expiresFrom(), w.from() + delay),
        Math.min(s.expiresTo(), w.to() + delay));
  }

  // ------------------------------------------------------------------------------ time

  /** The possible states at {@code w}: a temporary link near its expiry may be either. */
  private Set<State> at(Key key, Window w) {
    Set<State> out = new LinkedHashSet<>();
    for (State s : possible.get(key)) {
      if (!s.present() || s.persistent()) {
        out.add(s);
        continue;
      }
      boolean surelyAlive = w.to() + tolerance < s.expiresFrom();
      boolean surelyGone = w.from() - tolerance >= s.expiresTo();
      if (!surelyGone) {
        out.add(s);
      }
      if (!surelyAlive) {
        out.add(State.ABSENT);
      }
    }
    possible.put(key, out);
    return out;
  }

  /** One state per (pod, persistent, removing): expiry intervals are joined. */
  private static Set<State> merged(Set<State> states) {
    Map<List<Object>, State> byShape = new LinkedHashMap<>();
    for (State s : states) {
      byShape.merge(
          List.of(String.valueOf(s.pod()), s.persistent(), s.removing()),
          s,
          (a, b) ->
              new State(
                  a.pod(),
                  a.persistent(),
                  a.removing(),
                  Math.min(a.expiresFrom(), b.expiresFrom()),
                  Math.max(a.expiresTo(), b.expiresTo())));
    }
    return new LinkedHashSet<>(byShape.values());
  }

  private static String foreign(Collection<String> got, Collection<String> known, String what) {
    for (String k : got) {
      if (!known.contains(k)) {
        return what + ": unexpected entry " + k;
      }
    }
    return null;
  }
}
