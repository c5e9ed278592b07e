package io.statefulroute.core.memory;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.SkippedValues;
import io.statefulroute.core.spi.StateCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The link operations of the in-memory executor, each as its Lua script does it: a uid's link, its
 * index (persistent links only) and its delayed-removal marker, written together; a write that
 * changes which pod the link names is announced ({@link LinkChangeAnnouncer}). Arguments are
 * validated at once, each operation runs under the {@link StoreLock}.
 */
final class LinkOperations {
  private final KeySchema keys;
  private final InMemoryStore store;
  private final StoreLock lock;
  private final LinkChangeAnnouncer announcer;
  private final StoredLinks links;

  /** Where undecodable links that batch reads and listings skip are counted. */
  private final SkippedValues corruptSkipped;

  LinkOperations(
      KeySchema keys,
      InMemoryStore store,
      StoreLock lock,
      LinkChangeAnnouncer announcer,
      SkippedValues corruptSkipped) {
    this.keys = keys;
    this.store = store;
    this.lock = lock;
    this.announcer = announcer;
    this.corruptSkipped = corruptSkipped;
    this.links = new StoredLinks(keys, store);
  }

  /** As {@code link_set.lua}: the previous pod; empty when there was none. */
  Mono<Integer> set(String ns, String uid, String service, int pod, long ttlSeconds) {
    StoredLinks.LinkKeys k = links.keys(ns, uid, service, pod, ttlSeconds);
    return lock.atomically(
        () -> {
          Integer previous = StoredLinks.podOrNull(store.string(k.link()));
          links.write(k, pod, ttlSeconds);
          if (previous == null || previous != pod) {
            announcer.announceLinked(ns, uid, service, pod);
          }
          return previous;
        });
  }

  /** As {@code link_set_if_absent.lua}: the pod linked, with the link's remaining life. */
  Mono<LinkLease> setIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    StoredLinks.LinkKeys k = links.keys(ns, uid, service, pod, ttlSeconds);
    return lock.atomically(
        () -> {
          Integer current = links.currentPod(k.link());
          if (current == null) {
            links.write(k, pod, ttlSeconds);
            return lease(pod, ttlSeconds);
          }
          if (store.pttl(k.removal()) != -2) { // in delayed removal: never refreshed
            return LinkLease.expiring(
                current, Duration.ofMillis(Math.max(0, store.pttl(k.link()))));
          }
          if (store.pttl(k.link()) >= 0) { // temporary: refresh the lease to the given TTL
            links.write(k, current, ttlSeconds);
            return lease(current, ttlSeconds);
          }
          return LinkLease.persistent(current);
        });
  }

  private static LinkLease lease(int pod, long ttlSeconds) {
    return ttlSeconds == -1
        ? LinkLease.persistent(pod)
        : LinkLease.expiring(pod, Duration.ofSeconds(ttlSeconds));
  }

  /** As {@code link_claim.lua}. */
  Mono<ClaimResult> claim(String ns, String uid, String service, int pod, long ttlSeconds) {
    StoredLinks.LinkKeys k = links.keys(ns, uid, service, pod, ttlSeconds);
    return lock.atomically(
        () -> {
          Integer previous = links.currentPod(k.link());
          if (previous != null && previous != pod && store.pttl(k.link()) == -1) {
            return new ClaimResult(false, previous, Optional.of(previous));
          }
          links.write(k, pod, ttlSeconds);
          if (previous == null || previous != pod) {
            announcer.announceLinked(ns, uid, service, pod);
          }
          return new ClaimResult(true, pod, Optional.ofNullable(previous));
        });
  }

  /** As {@code link_replace.lua}. */
  Mono<ReplaceResult> replace(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    Args.pod(expectedPod);
    StoredLinks.LinkKeys k = links.keys(ns, uid, service, newPod, ttlSeconds);
    return lock.atomically(
        () -> {
          Integer current = links.currentPod(k.link());
          if (current != null && store.pttl(k.link()) == -1) {
            return ReplaceResult.persistentOwner(current);
          }
          if (current != null && current != expectedPod) {
            return ReplaceResult.otherOwner(current);
          }
          links.write(k, newPod, ttlSeconds);
          if (current == null || current != newPod) {
            announcer.announceLinked(ns, uid, service, newPod);
          }
          return ReplaceResult.replaced(newPod);
        });
  }

  /** As GET of the link: its pod; empty when there is no link. */
  Mono<Integer> get(String ns, String uid, String service) {
    String key = keys.link(ns, uid, service);
    return lock.atomically(() -> links.currentPod(key));
  }

  /** As {@code link_get_lease.lua}: the pod linked, with the link's remaining life. */
  Mono<LinkLease> getLease(String ns, String uid, String service) {
    String key = keys.link(ns, uid, service);
    return lock.atomically(
        () -> {
          Integer current = links.currentPod(key);
          if (current == null) {
            return null;
          }
          long pttl = store.pttl(key);
          return pttl == -1
              ? LinkLease.persistent(current)
              : LinkLease.expiring(current, Duration.ofMillis(Math.max(0, pttl)));
        });
  }

  /** As {@code link_get_if_persistent.lua}. */
  Mono<Integer> getIfPersistent(String ns, String uid, String service) {
    String key = keys.link(ns, uid, service);
    return lock.atomically(
        () -> {
          Integer current = links.currentPod(key);
          return current != null && store.pttl(key) == -1 ? current : null;
        });
  }

  /** As HGETALL of the uid's link index; undecodable entries are skipped, counted. */
  Mono<Map<String, Integer>> index(String ns, String uid) {
    String key = keys.linkIndex(ns, uid);
    return lock.atomically(
        () -> {
          Map<String, String> h = store.hash(key);
          Map<String, Integer> out = new HashMap<>();
          if (h != null) {
            h.forEach((svc, v) -> corruptSkipped.putPod(out, svc, v));
          }
          return Map.copyOf(out);
        });
  }

  /** As MGET of the links; undecodable values are skipped, counted. */
  Mono<Map<String, Integer>> batchGet(String ns, Collection<String> uids, String service) {
    Args.notNull("uids", uids);
    List<String> uidList = List.copyOf(uids);
    String[] linkKeys = new String[uidList.size()];
    for (int i = 0; i < linkKeys.length; i++) {
      linkKeys[i] = keys.link(ns, uidList.get(i), service);
    }
    return lock.atomically(
        () -> {
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

  /** As {@code link_remove.lua}: the pod that was linked; empty when there was no link. */
  Mono<Integer> remove(String ns, String uid, String service, Duration delay) {
    long delayMillis = Args.delayMillis(delay);
    StoredLinks.LinkKeys k = links.keys(ns, uid, service);
    return lock.atomically(
        () -> {
          String raw = store.string(k.link());
          if (raw == null) {
            return null;
          }
          long effective = links.delete(k, delayMillis);
          announcer.announceRemoved(ns, uid, service, effective);
          return StoredLinks.podOrNull(raw);
        });
  }

  /** As {@code link_remove_if_owner.lua}. */
  Mono<Boolean> removeIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay) {
    Args.pod(expectedPod);
    long delayMillis = Args.delayMillis(delay);
    StoredLinks.LinkKeys k = links.keys(ns, uid, service);
    return lock.atomically(
        () -> {
          Integer current = links.currentPod(k.link());
          if (current == null || current != expectedPod || links.pinned(k, current)) {
            return false;
          }
          long effective = links.delete(k, delayMillis);
          announcer.announceRemoved(ns, uid, service, effective);
          return true;
        });
  }

  /** As {@code link_move.lua}: the operator's compare-and-set, persistent links included. */
  Mono<ReplaceResult> move(String ns, String uid, String service, int expectedPod, int newPod) {
    Args.pod(expectedPod);
    Args.pod(newPod);
    StoredLinks.LinkKeys k = links.keys(ns, uid, service);
    return lock.atomically(
        () -> {
          Integer current = links.currentPod(k.link());
          if (current == null) {
            return null;
          }
          if (current != expectedPod) {
            return ReplaceResult.otherOwner(current);
          }
          boolean wasPinned = links.pinned(k, current);
          long pttl = store.pttl(k.link());
          String value = Integer.toString(newPod);
          if (pttl == -1) {
            store.hashOrCreate(k.index()).put(k.service(), value);
            store.setString(k.link(), value, -1);
          } else {
            store.setString(k.link(), value, Math.max(1, pttl)); // keeps its remaining life
          }
          if (wasPinned) {
            store.setString(k.pin(), value, -1);
          }
          if (current != newPod) {
            announcer.announceLinked(ns, uid, service, newPod);
          }
          return ReplaceResult.replaced(newPod);
        });
  }

  /** As {@code link_pin.lua}: a persistent link and its pin marker; the previous pod. */
  Mono<Integer> pin(String ns, String uid, String service, int pod) {
    StoredLinks.LinkKeys k = links.keys(ns, uid, service, pod, StatefulExecutor.PERSISTENT);
    return lock.atomically(
        () -> {
          Integer previous = StoredLinks.podOrNull(store.string(k.link()));
          store.string(k.pin()); // a foreign type aborts before anything is written
          links.write(k, pod, StatefulExecutor.PERSISTENT);
          store.setString(k.pin(), Integer.toString(pod), -1);
          if (previous == null || previous != pod) {
            announcer.announceLinked(ns, uid, service, pod);
          }
          return previous;
        });
  }

  /** As {@code link_unpin.lua}: whether a pin was in force; the marker is deleted anyway. */
  Mono<Boolean> unpin(String ns, String uid, String service) {
    StoredLinks.LinkKeys k = links.keys(ns, uid, service);
    return lock.atomically(
        () -> {
          Integer current = links.currentPod(k.link());
          boolean wasPinned = current != null && links.pinned(k, current);
          store.delete(k.pin());
          return wasPinned;
        });
  }

  /** As {@code link_get_pin.lua}: the pinned pod while the pin is in force. */
  Mono<Integer> getPin(String ns, String uid, String service) {
    StoredLinks.LinkKeys k = links.keys(ns, uid, service);
    return lock.atomically(
        () -> {
          Integer current = links.currentPod(k.link());
          return current != null && links.pinned(k, current) ? current : null;
        });
  }

  /** The uids linked persistently to {@code pod}, collected in one pass over every key. */
  Flux<String> listPersistent(String ns, String service, int pod) {
    Args.namespace(ns);
    Args.service(service);
    Args.pod(pod);
    return lock.atomically(
            () -> {
              List<String> out = new ArrayList<>();
              for (String key : store.keys()) {
                String uid = keys.uidOfLinkIndex(ns, key);
                if (uid != null
                    && store.get(key) != null
                    && ownsPersistently(keys.link(ns, uid, service), pod)) {
                  out.add(uid);
                }
              }
              return out;
            })
        .flatMapIterable(uids -> uids);
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
}
