package io.statefulroute.core.memory;

import io.statefulroute.core.RebalancerLease;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.StateCodec;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * The rebalancing operations of the in-memory executor: the rebalancer lease (as {@code
 * rebalance_lease.lua}), the suspension marker (as SET NX and DEL) and the pods' shed requests (as
 * SET PX and {@code shed_take.lua}). Arguments are validated at once, each operation runs under the
 * {@link StoreLock}.
 */
final class RebalanceOperations {
  private final KeySchema keys;
  private final InMemoryStore store;
  private final StoreLock lock;

  RebalanceOperations(KeySchema keys, InMemoryStore store, StoreLock lock) {
    this.keys = keys;
    this.store = store;
    this.lock = lock;
  }

  Mono<RebalancerLease> acquire(String ns, String service, String owner, Duration ttl) {
    Args.incarnation(owner);
    long ttlMillis = Args.positive("ttl", ttl).toMillis();
    String lease = keys.rebalancer(ns, service);
    String suspended = keys.rebalanceSuspended(ns, service);
    return lock.atomically(
        () -> {
          if (store.string(suspended) != null) {
            return RebalancerLease.SUSPENDED;
          }
          String holder = store.string(lease);
          if (holder != null && !holder.equals(owner)) {
            return RebalancerLease.HELD_ELSEWHERE;
          }
          store.setString(lease, owner, ttlMillis);
          return RebalancerLease.HELD;
        });
  }

  Mono<Boolean> suspend(String ns, String service, boolean suspend) {
    String key = keys.rebalanceSuspended(ns, service);
    return lock.atomically(
        () -> {
          boolean was = store.string(key) != null;
          if (suspend && !was) {
            store.setString(key, "1", -1);
          } else if (!suspend && was) {
            store.delete(key);
          }
          return was != suspend;
        });
  }

  Mono<Void> request(String ns, String service, int pod, int links, Duration ttl) {
    Args.atLeast("links", links, 1);
    long ttlMillis = Args.positive("ttl", ttl).toMillis();
    String key = keys.shed(ns, service, pod);
    return lock.atomically(
        () -> {
          store.setString(key, Integer.toString(links), ttlMillis);
          return null;
        });
  }

  Mono<Integer> take(String ns, String service, int pod) {
    String key = keys.shed(ns, service, pod);
    return lock.atomically(
        () -> {
          String value = store.string(key);
          store.delete(key);
          int links = value == null ? -1 : StateCodec.parseNonNegativeInt(value);
          return links > 0 ? links : null;
        });
  }
}
