package io.statefulroute.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link StatefulExecutor} that forwards every method to another one, the base of a decorator
 * (metrics, retries, fault injection) that then writes only what it changes.
 *
 * <p>Each call goes through one hook: the delegate's method is called at once, so that its argument
 * checks still throw {@link IllegalArgumentException} when the method is called, before any I/O,
 * and the {@code Mono} it returns is passed to {@link #around(Operation, String, String, String,
 * Mono)} (a listing's {@code Flux} to {@link #around(Operation, String, String, String, Flux)}). A
 * decorator that times or retries every call overrides the hook:
 *
 * <pre>{@code
 * final class RetryingReads extends ForwardingStatefulExecutor {
 *   RetryingReads(StatefulExecutor delegate) {
 *     super(delegate);
 *   }
 *
 *   protected <T> Mono<T> around(Operation operation, String ns, String service, String uid,
 *       Mono<T> call) {
 *     return operation.readOnly()
 *         ? call.retryWhen(Retry.max(2).filter(StoreUnavailableException.class::isInstance))
 *         : call;
 *   }
 * }
 * }</pre>
 *
 * <p>One that changes a single operation overrides its method instead (calling {@code super} keeps
 * the hook). Not through the hook: {@link #linkEvents} (a hot subscription that lasts as long as
 * the executor, not a call; override it to decorate the events), {@link #corruptValuesSkipped} and
 * {@link #close}, which are forwarded as they are.
 */
public abstract class ForwardingStatefulExecutor implements StatefulExecutor {
  private final StatefulExecutor delegate;

  /**
   * @param delegate the executor every method forwards to
   * @throws NullPointerException when {@code delegate} is null
   */
  protected ForwardingStatefulExecutor(StatefulExecutor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The executor every method forwards to. */
  protected final StatefulExecutor delegate() {
    return delegate;
  }

  /**
   * Every call's hook: returns the {@code Mono} the caller gets in place of the delegate's {@code
   * call}; by default {@code call} itself. Called once per call, at call time (after the delegate
   * has checked the arguments); whatever it does to the store must wait for subscription, as {@code
   * call} does.
   *
   * @param operation the executor method called
   * @param ns the namespace
   * @param service the service; null for a call of no one service ({@code getLinkIndex}, {@code
   *     batchGetWorkloadStates})
   * @param uid the uid; null for a call of no one uid
   * @param call the delegate's reply
   * @return the reply the caller gets
   */
  protected <T> Mono<T> around(
      Operation operation,
      String ns,
      @Nullable String service,
      @Nullable String uid,
      Mono<T> call) {
    return call;
  }

  /**
   * The hook of a listing ({@code listPersistentLinks}): as {@link #around(Operation, String,
   * String, String, Mono)} for a {@code Flux}; by default {@code call} itself. A listing is a walk
   * of the key space that lasts as long as its subscriber reads, not a call with one reply, so it
   * has a hook of its own.
   */
  protected <T> Flux<T> around(
      Operation operation,
      String ns,
      @Nullable String service,
      @Nullable String uid,
      Flux<T> call) {
    return call;
  }

  @Override
  public Mono<Integer> setLink(String ns, String uid, String service, int pod, long ttlSeconds) {
    return around(
        Operation.SET_LINK, ns, service, uid, delegate.setLink(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<Integer> setLinkIfAbsent(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return around(
        Operation.SET_LINK_IF_ABSENT,
        ns,
        service,
        uid,
        delegate.setLinkIfAbsent(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return around(
        Operation.SET_LINK_IF_ABSENT_LEASE,
        ns,
        service,
        uid,
        delegate.setLinkIfAbsentLease(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<ClaimResult> claimLink(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return around(
        Operation.CLAIM_LINK,
        ns,
        service,
        uid,
        delegate.claimLink(ns, uid, service, pod, ttlSeconds));
  }

  @Override
  public Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    return around(
        Operation.REPLACE_LINK,
        ns,
        service,
        uid,
        delegate.replaceLink(ns, uid, service, expectedPod, newPod, ttlSeconds));
  }

  @Override
  public Mono<Integer> getLink(String ns, String uid, String service) {
    return around(Operation.GET_LINK, ns, service, uid, delegate.getLink(ns, uid, service));
  }

  @Override
  public Mono<LinkLease> getLinkLease(String ns, String uid, String service) {
    return around(
        Operation.GET_LINK_LEASE, ns, service, uid, delegate.getLinkLease(ns, uid, service));
  }

  @Override
  public Mono<Integer> getLinkIfPersistent(String ns, String uid, String service) {
    return around(
        Operation.GET_LINK_IF_PERSISTENT,
        ns,
        service,
        uid,
        delegate.getLinkIfPersistent(ns, uid, service));
  }

  @Override
  public Mono<Map<String, Integer>> getLinkIndex(String ns, String uid) {
    return around(Operation.GET_LINK_INDEX, ns, null, uid, delegate.getLinkIndex(ns, uid));
  }

  @Override
  public Mono<Map<String, Integer>> batchGetLinks(
      String ns, Collection<String> uids, String service) {
    return around(
        Operation.BATCH_GET_LINKS, ns, service, null, delegate.batchGetLinks(ns, uids, service));
  }

  @Override
  public Mono<Integer> removeLink(String ns, String uid, String service, Duration delay) {
    return around(
        Operation.REMOVE_LINK, ns, service, uid, delegate.removeLink(ns, uid, service, delay));
  }

  @Override
  public Mono<Boolean> removeLinkIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay) {
    return around(
        Operation.REMOVE_LINK_IF_OWNER,
        ns,
        service,
        uid,
        delegate.removeLinkIfOwner(ns, uid, service, expectedPod, delay));
  }

  @Override
  public Flux<String> listPersistentLinks(String ns, String service, int pod) {
    return around(
        Operation.LIST_PERSISTENT_LINKS,
        ns,
        service,
        null,
        delegate.listPersistentLinks(ns, service, pod));
  }

  @Override
  public Mono<ReplaceResult> moveLink(
      String ns, String uid, String service, int expectedPod, int newPod) {
    return around(
        Operation.MOVE_LINK,
        ns,
        service,
        uid,
        delegate.moveLink(ns, uid, service, expectedPod, newPod));
  }

  @Override
  public Mono<Integer> pinLink(String ns, String uid, String service, int pod) {
    return around(Operation.PIN_LINK, ns, service, uid, delegate.pinLink(ns, uid, service, pod));
  }

  @Override
  public Mono<Boolean> unpinLink(String ns, String uid, String service) {
    return around(Operation.UNPIN_LINK, ns, service, uid, delegate.unpinLink(ns, uid, service));
  }

  @Override
  public Mono<Integer> getLinkPin(String ns, String uid, String service) {
    return around(Operation.GET_LINK_PIN, ns, service, uid, delegate.getLinkPin(ns, uid, service));
  }

  @Override
  public Mono<Boolean> cordonPod(String ns, String service, int pod) {
    return around(Operation.CORDON_POD, ns, service, null, delegate.cordonPod(ns, service, pod));
  }

  @Override
  public Mono<Boolean> uncordonPod(String ns, String service, int pod) {
    return around(
        Operation.UNCORDON_POD, ns, service, null, delegate.uncordonPod(ns, service, pod));
  }

  @Override
  public Mono<RebalancerLease> acquireRebalancer(
      String ns, String service, String owner, Duration ttl) {
    return around(
        Operation.ACQUIRE_REBALANCER,
        ns,
        service,
        null,
        delegate.acquireRebalancer(ns, service, owner, ttl));
  }

  @Override
  public Mono<Boolean> suspendRebalancing(String ns, String service, boolean suspended) {
    return around(
        Operation.SUSPEND_REBALANCING,
        ns,
        service,
        null,
        delegate.suspendRebalancing(ns, service, suspended));
  }

  @Override
  public Mono<Void> requestShed(String ns, String service, int pod, int links, Duration ttl) {
    return around(
        Operation.REQUEST_SHED,
        ns,
        service,
        null,
        delegate.requestShed(ns, service, pod, links, ttl));
  }

  @Override
  public Mono<Integer> takeShedRequest(String ns, String service, int pod) {
    return around(
        Operation.TAKE_SHED_REQUEST, ns, service, null, delegate.takeShedRequest(ns, service, pod));
  }

  @Override
  public Mono<Long> publishState(String ns, String service, PodStatus status, Duration pruneAfter) {
    return around(
        Operation.PUBLISH_STATE,
        ns,
        service,
        null,
        delegate.publishState(ns, service, status, pruneAfter));
  }

  @Override
  public Mono<StateSnapshot> readState(String ns, String service) {
    return around(Operation.READ_STATE, ns, service, null, delegate.readState(ns, service));
  }

  @Override
  public Mono<Void> setWorkloadState(String ns, String service, String value) {
    return around(
        Operation.SET_WORKLOAD_STATE,
        ns,
        service,
        null,
        delegate.setWorkloadState(ns, service, value));
  }

  @Override
  public Mono<String> getWorkloadState(String ns, String service) {
    return around(
        Operation.GET_WORKLOAD_STATE, ns, service, null, delegate.getWorkloadState(ns, service));
  }

  @Override
  public Mono<Map<String, String>> batchGetWorkloadStates(String ns, Collection<String> services) {
    return around(
        Operation.BATCH_GET_WORKLOAD_STATES,
        ns,
        null,
        null,
        delegate.batchGetWorkloadStates(ns, services));
  }

  /** The delegate's events, not through the hook: a subscription, not a call. */
  @Override
  public Flux<LinkEvent> linkEvents(String ns) {
    return delegate.linkEvents(ns);
  }

  @Override
  public long corruptValuesSkipped() {
    return delegate.corruptValuesSkipped();
  }

  /** Closes the delegate. */
  @Override
  public void close() {
    delegate.close();
  }
}
