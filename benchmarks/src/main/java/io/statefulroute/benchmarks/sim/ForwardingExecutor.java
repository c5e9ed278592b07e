package io.statefulroute.benchmarks.sim;

import io.statefulroute.core.LinkLease;
import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.LinkEvent;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** An executor that forwards every operation to another; subclasses observe or cut some. */
abstract class ForwardingExecutor implements StatefulExecutor {
  private final StatefulExecutor delegate;

  ForwardingExecutor(StatefulExecutor delegate) {
    this.delegate = delegate;
  }

  StatefulExecutor delegate() {
    return delegate;
  }

  @Override
  public Mono<Integer> setLink(String ns, String uid, String service, int pod, long ttlSeconds) {
    return delegate.setLink(ns, uid, service, pod, ttlSeconds);
  }

  @Override
  public Mono<Integer> setLinkIfAbsent(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return delegate.setLinkIfAbsent(ns, uid, service, pod, ttlSeconds);
  }

  @Override
  public Mono<ClaimResult> claimLink(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return delegate.claimLink(ns, uid, service, pod, ttlSeconds);
  }

  @Override
  public Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    return delegate.replaceLink(ns, uid, service, expectedPod, newPod, ttlSeconds);
  }

  @Override
  public Mono<Integer> getLink(String ns, String uid, String service) {
    return delegate.getLink(ns, uid, service);
  }

  @Override
  public Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return delegate.setLinkIfAbsentLease(ns, uid, service, pod, ttlSeconds);
  }

  @Override
  public Mono<LinkLease> getLinkLease(String ns, String uid, String service) {
    return delegate.getLinkLease(ns, uid, service);
  }

  @Override
  public Mono<Integer> getLinkIfPersistent(String ns, String uid, String service) {
    return delegate.getLinkIfPersistent(ns, uid, service);
  }

  @Override
  public Mono<Map<String, Integer>> getLinkIndex(String ns, String uid) {
    return delegate.getLinkIndex(ns, uid);
  }

  @Override
  public Mono<Map<String, Integer>> batchGetLinks(
      String ns, Collection<String> uids, String service) {
    return delegate.batchGetLinks(ns, uids, service);
  }

  @Override
  public Mono<Integer> removeLink(String ns, String uid, String service, Duration delay) {
    return delegate.removeLink(ns, uid, service, delay);
  }

  @Override
  public Mono<Boolean> removeLinkIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay) {
    return delegate.removeLinkIfOwner(ns, uid, service, expectedPod, delay);
  }

  @Override
  public Flux<String> listPersistentLinks(String ns, String service, int pod) {
    return delegate.listPersistentLinks(ns, service, pod);
  }

  @Override
  public Mono<Long> publishState(
      String ns, String service, PodStatus status, Duration pruneAfter) {
    return delegate.publishState(ns, service, status, pruneAfter);
  }

  @Override
  public Mono<StateSnapshot> readState(String ns, String service) {
    return delegate.readState(ns, service);
  }

  @Override
  public Mono<Void> setWorkloadState(String ns, String service, String value) {
    return delegate.setWorkloadState(ns, service, value);
  }

  @Override
  public Mono<String> getWorkloadState(String ns, String service) {
    return delegate.getWorkloadState(ns, service);
  }

  @Override
  public Mono<Map<String, String>> batchGetWorkloadStates(
      String ns, Collection<String> services) {
    return delegate.batchGetWorkloadStates(ns, services);
  }

  @Override
  public Flux<LinkEvent> linkEvents(String ns) {
    return delegate.linkEvents(ns);
  }

  @Override
  public long corruptValuesSkipped() {
    return delegate.corruptValuesSkipped();
  }

  /** Does not close the shared store: the simulation closes it. */
  @Override
  public void close() {}
}
