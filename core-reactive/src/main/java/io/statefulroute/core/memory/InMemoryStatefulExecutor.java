package io.statefulroute.core.memory;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.PodState;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.internal.Args;
import io.statefulroute.core.internal.KeySchema;
import io.statefulroute.core.internal.LinkEventHub;
import io.statefulroute.core.internal.SkippedValues;
import io.statefulroute.core.internal.StateCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The embedded executor: the default for demos, single-process deployments and fast tests. It
 * implements the same contract as the Redis scripts (same key schema, same TTL and delayed
 * removal rules, same replies), each operation atomic under one lock. Time comes from a
 * {@link Scheduler}'s clock, so tests drive expiry with a {@code VirtualTimeScheduler}.
 *
 * <p>Operations complete synchronously on the subscribing thread; they never block on I/O.
 */
public final class InMemoryStatefulExecutor implements StatefulExecutor {
  private final KeySchema keys;
  private final InMemoryStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final SkippedValues corruptSkipped = new SkippedValues();
  private final LinkEventHub linkEvents = LinkEventHub.inProcess();
  /** The version of the last announcement (under the lock); see {@link #nextVersion}. */
  private long lastVersion;

  private InMemoryStatefulExecutor(KeySchema keys, LongSupplier clock) {
    this.keys = keys;
    this.store = new InMemoryStore(clock);
  }

  /** An executor on the wall clock ({@code Schedulers.parallel()}'s clock), key prefix {@code sr}. */
  public static InMemoryStatefulExecutor create() {
    return withClock(Schedulers.parallel());
  }

  /**
   * An executor whose TTLs and state timestamps follow {@code clock.now(MILLISECONDS)}; pass a
   * {@code VirtualTimeScheduler} to test expiry in virtual time.
   */
  public static InMemoryStatefulExecutor withClock(Scheduler clock) {
    Args.notNull("clock", clock);
    return new InMemoryStatefulExecutor(
        KeySchema.defaults(), () -> clock.now(TimeUnit.MILLISECONDS));
  }

  @Override
  public Mono<Integer> setLink(String ns, String uid, String service, int pod, long ttlSeconds) {
    LinkKeys k = linkKeys(ns, uid, service, pod, ttlSeconds);
    return atomically(() -> {
      Integer previous = podOrNull(store.string(k.link));
      writeLink(k, pod, ttlSeconds);
      if (previous == null || previous != pod) {
        announceLinked(ns, uid, service, pod);
      }
      return previous;
    });
  }

  @Override
  public Mono<Integer> setLinkIfAbsent(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return setLinkIfAbsentLease(ns, uid, service, pod, ttlSeconds).map(LinkLease::pod);
  }

  @Override
  public Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    LinkKeys k = linkKeys(ns, uid, service, pod, ttlSeconds);
    return atomically(() -> {
      Integer current = currentPod(k.link);
      if (current == null) {
        writeLink(k, pod, ttlSeconds);
        return lease(pod, ttlSeconds);
      }
      if (store.pttl(k.removal) != -2) { // in delayed removal: never refreshed
        return LinkLease.expiring(current, Duration.ofMillis(Math.max(0, store.pttl(k.link))));
      }
      if (store.pttl(k.link) >= 0) { // temporary: refresh the lease to the given TTL
        writeLink(k, current, ttlSeconds);
        return lease(current, ttlSeconds);
      }
      return LinkLease.persistent(current);
    });
  }

  private static LinkLease lease(int pod, long ttlSeconds) {
    return ttlSeconds == -1 ? LinkLease.persistent(pod)
        : LinkLease.expiring(pod, Duration.ofSeconds(ttlSeconds));
  }

  @Override
  public Mono<ClaimResult> claimLink(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    LinkKeys k = linkKeys(ns, uid, service, pod, ttlSeconds);
    return atomically(() -> {
      Integer previous = currentPod(k.link);
      if (previous != null && previous != pod && store.pttl(k.link) == -1) {
        return new ClaimResult(false, previous, Optional.of(previous));
      }
      writeLink(k, pod, ttlSeconds);
      if (previous == null || previous != pod) {
        announceLinked(ns, uid, service, pod);
      }
      return new ClaimResult(true, pod, Optional.ofNullable(previous));
    });
  }

  @Override
  public Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    Args.pod(expectedPod);
    LinkKeys k = linkKeys(ns, uid, service, newPod, ttlSeconds);
    return atomically(() -> {
      Integer current = currentPod(k.link);
      if (current != null && store.pttl(k.link) == -1) {
        return ReplaceResult.persistentOwner(current);
      }
      if (current != null && current != expectedPod) {
        return ReplaceResult.otherOwner(current);
      }
      writeLink(k, newPod, ttlSeconds);
      if (current == null || current != newPod) {
        announceLinked(ns, uid, service, newPod);
      }
      return ReplaceResult.replaced(newPod);
    });
  }

  @Override
  public Mono<Integer> getLink(String ns, String uid, String service) {
    String key = keys.link(ns, uid, service);
    return atomically(() -> currentPod(key));
  }

  @Override
  public Mono<LinkLease> getLinkLease(String ns, String uid, String service) {
    String key = keys.link(ns, uid, service);
    return atomically(() -> {
      Integer current = currentPod(key);
      if (current == null) {
        return null;
      }
      long pttl = store.pttl(key);
      return pttl == -1 ? LinkLease.persistent(current)
          : LinkLease.expiring(current, Duration.ofMillis(Math.max(0, pttl)));
    });
  }

  @Override
  public Mono<Integer> getLinkIfPersistent(String ns, String uid, String service) {
    String key = keys.link(ns, uid, service);
    return atomically(() -> {
      Integer current = currentPod(key);
      return current != null && store.pttl(key) == -1 ? current : null;
    });
  }

  @Override
  public Mono<Map<String, Integer>> getLinkIndex(String ns, String uid) {
    String key = keys.linkIndex(ns, uid);
    return atomically(() -> {
      Map<String, String> h = store.hash(key, false);
      Map<String, Integer> out = new HashMap<>();
      if (h != null) {
        h.forEach((svc, v) -> corruptSkipped.putPod(out, svc, v));
      }
      return Map.copyOf(out);
    });
  }

  @Override
  public Mono<Map<String, Integer>> batchGetLinks(
      String ns, Collection<String> uids, String service) {
    Args.notNull("uids", uids);
    List<String> uidList = List.copyOf(uids);
    String[] linkKeys = new String[uidList.size()];
    for (int i = 0; i < linkKeys.length; i++) {
      linkKeys[i] = keys.link(ns, uidList.get(i), service);
    }
    return atomically(() -> {
      Map<String, Integer> out = new HashMap<>();
      for (int i = 0; i < linkKeys.length; i++) {
        String raw = store.stringOrNull(linkKeys[i]);
        if (raw != null) {
          corruptSkipped.putPod(out, uidList.get(i), raw);
        }
      }
      return Map.copyOf(out);
    });
  }

  @Override
  public Mono<Integer> removeLink(String ns, String uid, String service, Duration delay) {
    long delayMillis = Args.delayMillis(delay);
    LinkKeys k = linkKeys(ns, uid, service);
    return atomically(() -> {
      String raw = store.string(k.link);
      if (raw == null) {
        return null;
      }
      long effective = deleteLink(k, delayMillis);
      announceRemoved(ns, uid, service, effective);
      return podOrNull(raw);
    });
  }

  @Override
  public Mono<Boolean> removeLinkIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay) {
    Args.pod(expectedPod);
    long delayMillis = Args.delayMillis(delay);
    LinkKeys k = linkKeys(ns, uid, service);
    return atomically(() -> {
      Integer current = currentPod(k.link);
      if (current == null || current != expectedPod) {
        return false;
      }
      long effective = deleteLink(k, delayMillis);
      announceRemoved(ns, uid, service, effective);
      return true;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>In memory: the uids are collected under the executor's lock when subscribed (a pass over
   * every key held), then emitted; each is emitted once.
   */
  @Override
  public Flux<String> listPersistentLinks(String ns, String service, int pod) {
    Args.namespace(ns);
    Args.service(service);
    Args.pod(pod);
    return atomically(() -> {
      List<String> out = new ArrayList<>();
      for (String key : store.keys()) {
        String uid = keys.uidOfLinkIndex(ns, key);
        if (uid != null && store.get(key) != null && ownsPersistently(
            keys.link(ns, uid, service), pod)) {
          out.add(uid);
        }
      }
      return out;
    }).flatMapIterable(uids -> uids);
  }

  /** As link_get_if_persistent.lua compared with pod; an undecodable link is skipped, counted. */
  private boolean ownsPersistently(String linkKey, int pod) {
    InMemoryStore.Entry e = store.get(linkKey);
    if (e == null) {
      return false;
    }
    int stored = e.value instanceof String raw ? StateCodec.parseNonNegativeInt(raw) : -1;
    if (stored < 0) {
      corruptSkipped.skip();
      return false;
    }
    return stored == pod && store.pttl(linkKey) == -1;
  }

  @Override
  public Mono<Long> publishState(
      String ns, String service, PodStatus status, Duration pruneAfter) {
    Args.notNull("status", status);
    long pruneMillis = Args.positive("pruneAfter", pruneAfter).toMillis();
    String key = keys.state(ns, service);
    return atomically(() -> {
      long now = store.now();
      Map<String, String> h = store.hash(key, true);
      h.put(Integer.toString(status.pod()), StateCodec.encode(status, now));
      for (Iterator<Map.Entry<String, String>> it = h.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, String> e = it.next();
        PodState s = StateCodec.decode(e.getKey(), e.getValue());
        if (s != null && now - s.serverTimeMillis() > pruneMillis) {
          it.remove();
        }
      }
      return now;
    });
  }

  @Override
  public Mono<StateSnapshot> readState(String ns, String service) {
    String key = keys.state(ns, service);
    return atomically(() -> {
      long now = store.now();
      Map<String, String> h = store.hash(key, false);
      Map<Integer, PodState> pods = new HashMap<>();
      int malformed = 0;
      if (h != null) {
        for (Map.Entry<String, String> e : h.entrySet()) {
          PodState s = StateCodec.decode(e.getKey(), e.getValue());
          if (s == null) {
            malformed++;
          } else {
            pods.put(s.pod(), s);
          }
        }
      }
      return new StateSnapshot(pods, now, malformed);
    });
  }

  @Override
  public Mono<Void> setWorkloadState(String ns, String service, String value) {
    Args.workloadValue(value);
    String key = keys.workload(ns, service);
    return atomically(() -> {
      store.setString(key, value, -1);
      return null;
    });
  }

  @Override
  public Mono<String> getWorkloadState(String ns, String service) {
    String key = keys.workload(ns, service);
    return atomically(() -> store.string(key));
  }

  @Override
  public Mono<Map<String, String>> batchGetWorkloadStates(
      String ns, Collection<String> services) {
    Args.notNull("services", services);
    List<String> list = List.copyOf(services);
    String[] wk = new String[list.size()];
    for (int i = 0; i < wk.length; i++) {
      wk[i] = keys.workload(ns, list.get(i));
    }
    return atomically(() -> {
      Map<String, String> out = new HashMap<>();
      for (int i = 0; i < wk.length; i++) {
        String v = store.stringOrNull(wk[i]);
        if (v != null) {
          out.put(list.get(i), v);
        }
      }
      return Map.copyOf(out);
    });
  }

  @Override
  public long corruptValuesSkipped() {
    return corruptSkipped.count();
  }

  /**
   * {@inheritDoc}
   *
   * <p>In process, every change is seen: {@link LinkEvent.Subscribed} comes at once and is never
   * followed by {@link LinkEvent.Unsubscribed}. Events are delivered on the mutating thread, in
   * the executor's critical section: handlers must be quick and must not call this executor.
   */
  @Override
  public Flux<LinkEvent> linkEvents(String ns) {
    return linkEvents.events(ns);
  }

  @Override
  public void close() {
    linkEvents.close();
  }

  private void announceLinked(String ns, String uid, String service, int pod) {
    linkEvents.deliver(new LinkEvent.Linked(ns, uid, service, pod,
        OptionalLong.of(nextVersion())));
  }

  private void announceRemoved(String ns, String uid, String service, long effectiveMillis) {
    linkEvents.deliver(new LinkEvent.Removed(ns, uid, service, Duration.ofMillis(effectiveMillis),
        OptionalLong.of(nextVersion())));
  }

  /**
   * The version of an announcement made now (under the lock): the store's clock in microseconds,
   * as the Redis scripts take it from {@code TIME}, and always above the previous one, so
   * announcements are strictly ordered even within one millisecond of the clock (and a store
   * made afresh on the same clock goes on from about where the previous one was).
   */
  private long nextVersion() {
    lastVersion = Math.max(lastVersion + 1, Math.max(1, store.now() * 1000));
    return lastVersion;
  }

  /** Test hook: stores a raw value under {@code key}, bypassing every rule. */
  void putRaw(String key, Object value) {
    lock.lock();
    try {
      store.putRaw(key, value);
    } finally {
      lock.unlock();
    }
  }

  /** Test hook: sets one field of a raw hash under {@code key}, bypassing every rule. */
  void putRawHashField(String key, String field, String value) {
    lock.lock();
    try {
      store.rawHash(key).put(field, value);
    } finally {
      lock.unlock();
    }
  }

  /** Test hook: PTTL of a raw key. */
  long pttlForTest(String key) {
    lock.lock();
    try {
      return store.pttl(key);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------

  private record LinkKeys(String link, String index, String removal, String service) {}

  private LinkKeys linkKeys(String ns, String uid, String service, int pod, long ttlSeconds) {
    Args.pod(pod);
    Args.ttlSeconds(ttlSeconds);
    return linkKeys(ns, uid, service);
  }

  private LinkKeys linkKeys(String ns, String uid, String service) {
    return new LinkKeys(keys.link(ns, uid, service), keys.linkIndex(ns, uid),
        keys.linkRemoval(ns, uid, service), service);
  }

  private void writeLink(LinkKeys k, int pod, long ttlSeconds) {
    // index first, as the scripts do: a foreign value on the index aborts before the link write
    String value = Integer.toString(pod);
    // a write re-creates the link: a delayed removal ends (its marker goes after the index
    // command, so a foreign index value aborts before anything is written)
    if (ttlSeconds == PERSISTENT) {
      store.hash(k.index, true).put(k.service, value);
      store.delete(k.removal);
      store.setString(k.link, value, -1);
    } else {
      store.hdel(k.index, k.service);
      store.delete(k.removal);
      store.setString(k.link, value, ttlSeconds * 1000L);
    }
  }

  /** As sr_delete in the scripts; returns the effective delay in ms (0 = removed now). */
  private long deleteLink(LinkKeys k, long delayMillis) {
    store.hdel(k.index, k.service);
    if (delayMillis == 0) {
      store.delete(k.link);
      store.delete(k.removal);
      return 0;
    }
    long pttl = store.pttl(k.link);
    if (pttl == -1 || pttl > delayMillis) {
      store.expire(k.link, delayMillis);
      pttl = delayMillis;
    }
    store.setString(k.removal, "1", pttl); // lives exactly as long as the link
    return pttl;
  }

  /** The pod stored at a link key; null when absent; CorruptDataException when undecodable. */
  private Integer currentPod(String linkKey) {
    String raw = store.string(linkKey);
    if (raw == null) {
      return null;
    }
    int pod = StateCodec.parseNonNegativeInt(raw);
    if (pod < 0) {
      throw new CorruptDataException("link value is not a pod index: " + abbreviate(raw));
    }
    return pod;
  }

  private static Integer podOrNull(String raw) {
    if (raw == null) {
      return null;
    }
    int pod = StateCodec.parseNonNegativeInt(raw);
    return pod < 0 ? null : pod;
  }

  static String abbreviate(String raw) {
    return raw.length() <= 32 ? "'" + raw + "'" : "'" + raw.substring(0, 32) + "...'";
  }

  private <T> Mono<T> atomically(Callable<T> op) {
    return Mono.fromCallable(() -> {
      lock.lock();
      try {
        return op.call();
      } catch (InMemoryStore.WrongTypeException wrongType) {
        throw new CorruptDataException("a key holds a value of the wrong type", wrongType);
      } finally {
        lock.unlock();
      }
    });
  }
}
