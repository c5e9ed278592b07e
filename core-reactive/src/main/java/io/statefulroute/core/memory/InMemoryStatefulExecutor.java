package io.statefulroute.core.memory;

import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RebalancerLease;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.SkippedValues;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The embedded executor: the default for demos, single-process deployments and fast tests. It
 * implements the same contract as the Redis scripts (same key schema, same TTL and delayed removal
 * rules, same replies), each operation atomic under one lock. Time comes from a {@link Scheduler}'s
 * clock, so tests drive expiry with a {@code VirtualTimeScheduler}.
 *
 * <p>Operations complete synchronously on the subscribing thread; they never block on I/O.
 *
 * <p>The link operations are {@code LinkOperations}, the pod and workload state operations {@code
 * StateOperations}; both run under one {@code StoreLock}, and link changes are announced by a
 * {@code LinkChangeAnnouncer}.
 */
public final class InMemoryStatefulExecutor implements StatefulExecutor {
  private final InMemoryStore store;
  private final StoreLock lock = new StoreLock();
  private final SkippedValues corruptSkipped = new SkippedValues();
  private final LinkChangeAnnouncer announcer;
  private final LinkOperations links;
  private final StateOperations states;
  private final RebalanceOperations rebalance;

  private InMemoryStatefulExecutor(KeySchema keys, LongSupplier clock) {
    this.store = new InMemoryStore(clock);
    this.announcer = new LinkChangeAnnouncer(store);
    this.links = new LinkOperations(keys, store, lock, announcer, corruptSkipped);
    this.states = new StateOperations(keys, store, lock);
    this.rebalance = new RebalanceOperations(keys, store, lock);
  }

  /**
   * An executor on the wall clock ({@code Schedulers.parallel()}'s clock), key prefix {@code sr}.
   */
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
    return links.set(ns, uid, service, pod, ttlSeconds);
  }

  @Override
  public Mono<Integer> setLinkIfAbsent(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return setLinkIfAbsentLease(ns, uid, service, pod, ttlSeconds).map(LinkLease::pod);
  }

  @Override
  public Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return links.setIfAbsentLease(ns, uid, service, pod, ttlSeconds);
  }

  @Override
  public Mono<ClaimResult> claimLink(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return links.claim(ns, uid, service, pod, ttlSeconds);
  }

  @Override
  public Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    return links.replace(ns, uid, service, expectedPod, newPod, ttlSeconds);
  }

  @Override
  public Mono<Integer> getLink(String ns, String uid, String service) {
    return links.get(ns, uid, service);
  }

  @Override
  public Mono<LinkLease> getLinkLease(String ns, String uid, String service) {
    return links.getLease(ns, uid, service);
  }

  @Override
  public Mono<Integer> getLinkIfPersistent(String ns, String uid, String service) {
    return links.getIfPersistent(ns, uid, service);
  }

  @Override
  public Mono<Map<String, Integer>> getLinkIndex(String ns, String uid) {
    return links.index(ns, uid);
  }

  @Override
  public Mono<Map<String, Integer>> batchGetLinks(
      String ns, Collection<String> uids, String service) {
    return links.batchGet(ns, uids, service);
  }

  @Override
  public Mono<Integer> removeLink(String ns, String uid, String service, Duration delay) {
    return links.remove(ns, uid, service, delay);
  }

  @Override
  public Mono<Boolean> removeLinkIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay) {
    return links.removeIfOwner(ns, uid, service, expectedPod, delay);
  }

  /**
   * {@inheritDoc}
   *
   * <p>In memory: the uids are collected under the executor's lock when subscribed (a pass over
   * every key held), then emitted; each is emitted once.
   */
  @Override
  public Flux<String> listPersistentLinks(String ns, String service, int pod) {
    return links.listPersistent(ns, service, pod);
  }

  @Override
  public Mono<ReplaceResult> moveLink(
      String ns, String uid, String service, int expectedPod, int newPod) {
    return links.move(ns, uid, service, expectedPod, newPod);
  }

  @Override
  public Mono<Integer> pinLink(String ns, String uid, String service, int pod) {
    return links.pin(ns, uid, service, pod);
  }

  @Override
  public Mono<Boolean> unpinLink(String ns, String uid, String service) {
    return links.unpin(ns, uid, service);
  }

  @Override
  public Mono<Integer> getLinkPin(String ns, String uid, String service) {
    return links.getPin(ns, uid, service);
  }

  @Override
  public Mono<Boolean> cordonPod(String ns, String service, int pod) {
    return states.cordon(ns, service, pod);
  }

  @Override
  public Mono<Boolean> uncordonPod(String ns, String service, int pod) {
    return states.uncordon(ns, service, pod);
  }

  @Override
  public Mono<RebalancerLease> acquireRebalancer(
      String ns, String service, String owner, Duration ttl) {
    return rebalance.acquire(ns, service, owner, ttl);
  }

  @Override
  public Mono<Boolean> suspendRebalancing(String ns, String service, boolean suspended) {
    return rebalance.suspend(ns, service, suspended);
  }

  @Override
  public Mono<Void> requestShed(String ns, String service, int pod, int links, Duration ttl) {
    return rebalance.request(ns, service, pod, links, ttl);
  }

  @Override
  public Mono<Integer> takeShedRequest(String ns, String service, int pod) {
    return rebalance.take(ns, service, pod);
  }

  @Override
  public Mono<Long> publishState(String ns, String service, PodStatus status, Duration pruneAfter) {
    return states.publish(ns, service, status, pruneAfter);
  }

  @Override
  public Mono<StateSnapshot> readState(String ns, String service) {
    return states.read(ns, service);
  }

  @Override
  public Mono<Void> setWorkloadState(String ns, String service, String value) {
    return states.setWorkload(ns, service, value);
  }

  @Override
  public Mono<String> getWorkloadState(String ns, String service) {
    return states.getWorkload(ns, service);
  }

  @Override
  public Mono<Map<String, String>> batchGetWorkloadStates(String ns, Collection<String> services) {
    return states.batchGetWorkloads(ns, services);
  }

  @Override
  public long corruptValuesSkipped() {
    return corruptSkipped.count();
  }

  /**
   * {@inheritDoc}
   *
   * <p>In process, every change is seen: {@link LinkEvent.Subscribed} comes at once and is never
   * followed by {@link LinkEvent.Unsubscribed}. Events are delivered on the mutating thread, in the
   * executor's critical section: handlers must be quick and must not call this executor.
   */
  @Override
  public Flux<LinkEvent> linkEvents(String ns) {
    return announcer.events(ns);
  }

  @Override
  public void close() {
    announcer.close();
  }

  /**
   * For tests of the stored data (the executor contract of {@code stateful-route-test}): stores
   * {@code value} as a raw string under {@code key}, bypassing every rule, as a Redis {@code SET}
   * would. Persistent (no expiry).
   */
  public void putRawString(String key, String value) {
    putRaw(key, value);
  }

  /** Test hook: stores a raw value under {@code key}, bypassing every rule. */
  void putRaw(String key, Object value) {
    lock.locked(
        () -> {
          store.putRaw(key, value);
          return null;
        });
  }

  /**
   * For tests of the stored data: sets one field of a raw hash under {@code key}, bypassing every
   * rule, as a Redis {@code HSET} would.
   */
  public void putRawHashField(String key, String field, String value) {
    lock.locked(() -> store.rawHash(key).put(field, value));
  }

  /**
   * For tests of the stored data: the remaining time to live of a raw key in milliseconds on this
   * executor's clock, as Redis {@code PTTL} answers it: {@code -1} for a key without expiry, {@code
   * -2} for an absent key.
   */
  public long pttl(String key) {
    return lock.locked(() -> store.pttl(key));
  }
}
