package io.statefulroute.core.memory;

import io.statefulroute.core.PodState;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.StateCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The state operations of the in-memory executor: the pods' state records of a service (as {@code
 * state_publish.lua} and {@code state_read.lua}, stamped with the store's clock) and the workload
 * state (as SET, GET and MGET). Arguments are validated at once, each operation runs under the
 * {@link StoreLock}.
 */
final class StateOperations {
  private final KeySchema keys;
  private final InMemoryStore store;
  private final StoreLock lock;

  StateOperations(KeySchema keys, InMemoryStore store, StoreLock lock) {
    this.keys = keys;
    this.store = store;
    this.lock = lock;
  }

  Mono<Long> publish(String ns, String service, PodStatus status, Duration pruneAfter) {
    Args.notNull("status", status);
    long pruneMillis = Args.positive("pruneAfter", pruneAfter).toMillis();
    String key = keys.state(ns, service);
    return lock.atomically(
        () -> {
          long now = store.now();
          Map<String, String> h = store.hashOrCreate(key);
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

  /** As {@code state_cordon.lua}: whether the pod was not cordoned before. */
  Mono<Boolean> cordon(String ns, String service, int pod) {
    Args.pod(pod);
    String key = keys.cordons(ns, service);
    return lock.atomically(
        () -> {
          long now = store.now();
          return store.hashOrCreate(key).putIfAbsent(Integer.toString(pod), Long.toString(now))
              == null;
        });
  }

  /** As {@code state_uncordon.lua}: whether the pod was cordoned. */
  Mono<Boolean> uncordon(String ns, String service, int pod) {
    Args.pod(pod);
    String key = keys.cordons(ns, service);
    return lock.atomically(
        () -> {
          Map<String, String> h = store.hash(key);
          boolean was = h != null && h.containsKey(Integer.toString(pod));
          store.hdel(key, Integer.toString(pod));
          return was;
        });
  }

  Mono<StateSnapshot> read(String ns, String service) {
    String key = keys.state(ns, service);
    String cordonKey = keys.cordons(ns, service);
    return lock.atomically(
        () -> {
          long now = store.now();
          Map<String, String> c = store.hash(cordonKey);
          Set<Integer> cordoned = new HashSet<>();
          if (c != null) {
            for (String field : c.keySet()) {
              int pod = StateCodec.parseNonNegativeInt(field);
              if (pod >= 0) {
                cordoned.add(pod);
              }
            }
          }
          Map<String, String> h = store.hash(key);
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
          return new StateSnapshot(pods, now, malformed, cordoned);
        });
  }

  Mono<Void> setWorkload(String ns, String service, String value) {
    Args.workloadValue(value);
    String key = keys.workload(ns, service);
    return lock.atomically(
        () -> {
          store.setString(key, value, -1);
          return null;
        });
  }

  Mono<String> getWorkload(String ns, String service) {
    String key = keys.workload(ns, service);
    return lock.atomically(() -> store.string(key));
  }

  Mono<Map<String, String>> batchGetWorkloads(String ns, Collection<String> services) {
    Args.notNull("services", services);
    List<String> list = List.copyOf(services);
    String[] wk = new String[list.size()];
    for (int i = 0; i < wk.length; i++) {
      wk[i] = keys.workload(ns, list.get(i));
    }
    return lock.atomically(
        () -> {
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
}
