package io.statefulroute.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The store of links, pod states and workload states (the SPI every driver works through).
 *
 * <p>Two implementations share one behaviour, proven by one contract test suite: the Redis executor
 * ({@code io.statefulroute.redis.RedisStatefulExecutor}, Lua scripts through reactive Lettuce) and
 * the embedded {@link io.statefulroute.core.memory.InMemoryStatefulExecutor}.
 *
 * <h2>Common rules</h2>
 *
 * <ul>
 *   <li>Arguments are checked when the method is called, before any I/O: a null or empty namespace,
 *       uid or service, a negative pod, a TTL that is neither {@value #PERSISTENT} nor positive, a
 *       negative delay all throw {@link IllegalArgumentException} at once (not as a signal).
 *       Nothing stored is touched.
 *   <li>Nothing happens until subscription; each subscription runs the operation once more.
 *   <li>"No link" is an empty {@code Mono}, never a sentinel value.
 *   <li>Error signals: {@link StoreTimeoutException} when the operation did not complete within its
 *       timeout, {@link StoreUnavailableException} when the store cannot be reached, {@link
 *       CorruptDataException} when a stored value on our key cannot be decoded (the value is left
 *       untouched), {@link ScriptException} for any other error reply.
 *   <li>Every link write of one uid is one atomic step (one script touching one cluster slot).
 *   <li>{@code ttlSeconds}: {@value #PERSISTENT} stores a persistent link (no expiry, listed in the
 *       uid's link index); a positive value stores a temporary link (a lease of that many seconds,
 *       not listed in the index).
 * </ul>
 */
public interface StatefulExecutor extends AutoCloseable {

  /** The {@code ttlSeconds} value for a persistent link. */
  long PERSISTENT = -1L;

  /**
   * Sets the link unconditionally.
   *
   * @return the previous pod; empty when there was no link (or its value was not a pod index)
   */
  Mono<Integer> setLink(String ns, String uid, String service, int pod, long ttlSeconds);

  /**
   * Sets the link when there is none; otherwise keeps the existing pod. An existing
   * <em>temporary</em> link gets its lease refreshed to {@code ttlSeconds} (made persistent when
   * {@code ttlSeconds} is {@value #PERSISTENT}); a persistent link is never touched, and neither is
   * a link in delayed removal (see {@link #removeLink}): it keeps its pod and its expiry.
   *
   * @return the pod the link points at after the call (the given pod, or the existing one)
   */
  Mono<Integer> setLinkIfAbsent(String ns, String uid, String service, int pod, long ttlSeconds);

  /**
   * As {@link #setLinkIfAbsent}, answering also the linked pod's remaining life after the call, so
   * that a cache keeps the link no longer than the store does: the given TTL for a link created or
   * refreshed, none for a persistent one, and the remaining delay for a link in delayed removal
   * (which set-if-absent leaves alone).
   *
   * @return the pod the link points at after the call, with its remaining life
   */
  Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds);

  /**
   * Claims the link for {@code pod} (try-set). Refused only when a <em>persistent</em> link to a
   * different pod exists; otherwise the link is set as by {@link #setLink}.
   *
   * @return whether the claim succeeded, the current pod and the previous pod
   */
  Mono<ClaimResult> claimLink(String ns, String uid, String service, int pod, long ttlSeconds);

  /**
   * Compare-and-set: points the link at {@code newPod} only when it is absent or currently points
   * at {@code expectedPod}, and never moves a persistent link (whatever pod it points at). Used to
   * move a temporary link off a dead pod so that concurrent clients converge on one pod. A link in
   * delayed removal that points at {@code expectedPod} is moved (the removal ends).
   *
   * @return whether the link was replaced, the pod it points at after the call, and whether it was
   *     left alone because it is persistent
   */
  Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds);

  /**
   * Reads the link.
   *
   * @return the linked pod; empty when there is no link
   */
  Mono<Integer> getLink(String ns, String uid, String service);

  /**
   * Reads the link with its remaining life (one atomic read): lets a cache keep a temporary link no
   * longer than its lease, and a link in delayed removal no longer than its delay.
   *
   * @return the pod and how long the link has left (empty for a persistent link); empty when there
   *     is no link
   */
  Mono<LinkLease> getLinkLease(String ns, String uid, String service);

  /**
   * Reads the link only when it is persistent.
   *
   * @return the linked pod; empty when there is no link or the link is temporary
   */
  Mono<Integer> getLinkIfPersistent(String ns, String uid, String service);

  /**
   * Reads the uid's link index: its persistent links.
   *
   * @return service to pod (unmodifiable, possibly empty); undecodable entries are skipped and
   *     counted in {@link #corruptValuesSkipped()}
   */
  Mono<Map<String, Integer>> getLinkIndex(String ns, String uid);

  /**
   * Reads the links of many uids for one service in pipelined batches. How they are grouped is the
   * executor's: the Redis executor sends MGETs of at most {@code batchSize} keys, and on a cluster
   * reads node by node (one {@code read_values.lua} call per node and {@code batchSize} keys,
   * redone as MGETs per slot when a slot has moved).
   *
   * @return uid to pod for the uids that have a link (unmodifiable); uids without a link are
   *     absent; values that are not a pod index are skipped and counted in {@link
   *     #corruptValuesSkipped()}; a key of a foreign Redis type reads as absent (MGET semantics)
   */
  Mono<Map<String, Integer>> batchGetLinks(String ns, Collection<String> uids, String service);

  /**
   * Removes the link, at once ({@code delay} zero) or after {@code delay}: until then the link
   * keeps answering (a link already expiring sooner keeps its earlier expiry) and no {@link
   * #setLinkIfAbsent} refreshes it; only {@link #setLink}, {@link #claimLink} or {@link
   * #replaceLink} re-create it. The uid's index entry is removed at once. A positive delay under 1
   * ms counts as 1 ms.
   *
   * @return the pod the link pointed at; empty when there was no link
   */
  Mono<Integer> removeLink(String ns, String uid, String service, Duration delay);

  /**
   * Removes the link, as {@link #removeLink}, only when it points at {@code expectedPod}.
   *
   * @return {@code true} when the link pointed at {@code expectedPod} and was removed
   */
  Mono<Boolean> removeLinkIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay);

  /**
   * Lists the uids of {@code ns} whose <em>persistent</em> link for {@code service} points at
   * {@code pod}: the links a pod that is gone leaves behind (they answer {@link
   * OwnerUnavailableException} to clients until released, e.g. with {@link #removeLinkIfOwner}). A
   * temporary link, a link in delayed removal (temporary from the removal on) and a link to another
   * pod are not listed.
   *
   * <p><strong>An administration operation, not for the request path:</strong> its cost is
   * proportional to the whole key space of the store, not to the links it finds. The Redis executor
   * walks the key space with {@code SCAN ... MATCH} on the namespace's link index keys (on a Redis
   * Cluster, every master in turn), {@code batchSize} keys per step, and checks each uid found with
   * one read of its link; the in-memory executor collects the uids under its lock when subscribed.
   *
   * <p>Streamed: uids are emitted as they are found, and the store is read only as fast as they are
   * requested (bounded memory for any number of links). SCAN's guarantees apply: a link that exists
   * for the whole listing is emitted; one created, moved or removed meanwhile may or may not be; a
   * uid may be emitted more than once (Redis may return a key twice); on a cluster, a uid whose
   * slot moves during the listing may be missed.
   *
   * @return the uids, in no particular order; completes when the key space has been walked. A
   *     stored link that is not a pod index (or a foreign Redis type at the link key) is skipped
   *     and counted in {@link #corruptValuesSkipped()}. Errors: the common ones; a timeout bounds
   *     each step, not the whole listing
   * @throws IllegalArgumentException when the namespace or service is null, empty or too long, or
   *     the pod negative
   */
  Flux<String> listPersistentLinks(String ns, String service, int pod);

  // ------------------------------------------------------------------ operator control

  /**
   * Operator: points the link of a uid at {@code newPod} only when it points at {@code expectedPod}
   * now (compare-and-set), <em>persistent or not</em>: unlike {@link #replaceLink}, which clients
   * use and which never moves a persistent link, an operator move also moves a persistent (or
   * pinned) link. The link keeps its kind and its remaining life: a persistent link stays
   * persistent (its index entry follows), a temporary one keeps its remaining lease, one in delayed
   * removal stays in delayed removal; a pin on {@code expectedPod} moves with it. Announced as any
   * link change.
   *
   * @return {@link ReplaceResult#replaced} when moved, {@link ReplaceResult#otherOwner} with the
   *     current pod when the link points elsewhere (nothing written); empty when there is no link
   */
  Mono<ReplaceResult> moveLink(String ns, String uid, String service, int expectedPod, int newPod);

  /**
   * Operator: pins the uid to {@code pod}: sets a persistent link (as {@link #setLink} with {@value
   * #PERSISTENT}) and a pin marker. While the pin is in force (the link persistent and naming that
   * pod), {@link #removeLinkIfOwner} leaves the link alone (answers {@code false}): a pod's own
   * release ({@code ServerDriver.releaseLinks}) and a client's release of a gone pod's links do not
   * undo it. Only {@link #unpinLink}, {@link #moveLink} (the pin moves along) and the unconditional
   * writes ({@link #setLink}, {@link #removeLink}) change a pinned link; a write that leaves the
   * link persistent on the pinned pod keeps the pin, any other ends it (its marker is deleted).
   *
   * @return the previous pod; empty when there was no link
   */
  Mono<Integer> pinLink(String ns, String uid, String service, int pod);

  /**
   * Operator: removes the pin of the uid's link; the link itself stays (a plain persistent link).
   *
   * @return {@code true} when a pin was in force
   */
  Mono<Boolean> unpinLink(String ns, String uid, String service);

  /**
   * Reads the uid's pin.
   *
   * @return the pinned pod when a pin is in force; empty otherwise
   */
  Mono<Integer> getLinkPin(String ns, String uid, String service);

  /**
   * Operator: cordons a pod: no new link is placed on it (clients treat it as {@code
   * DENY_NEW_CALL}: not available, still routable), whatever it publishes, until {@link
   * #uncordonPod}. Stored apart from the pods' records, in the same slot, and returned by {@link
   * #readState} in the same atomic read ({@link StateSnapshot#cordoned}); the pod's publication
   * never touches it, so it survives the pod restarting and republishing. A pod index without a
   * record may be cordoned (before it starts). Clients see it at their next state read.
   *
   * @return {@code true} when the pod was not cordoned before
   */
  Mono<Boolean> cordonPod(String ns, String service, int pod);

  /**
   * Operator: lifts a cordon ({@link #cordonPod}).
   *
   * @return {@code true} when the pod was cordoned
   */
  Mono<Boolean> uncordonPod(String ns, String service, int pod);

  /**
   * Rebalancing: acquires, or renews when {@code owner} holds it already, the service's rebalancer
   * lease, a key in the service's slot that lives {@code ttl} from this call. One client of a fleet
   * holds it at a time; the others see {@link RebalancerLease#HELD_ELSEWHERE} until it lapses.
   *
   * @param owner the caller's identity, as {@link io.statefulroute.core.spi.Args#incarnation}
   * @return {@link RebalancerLease#HELD} when the caller holds it now, {@link
   *     RebalancerLease#HELD_ELSEWHERE} when another owner does, {@link RebalancerLease#SUSPENDED}
   *     when rebalancing of the service is suspended (then nothing is written)
   */
  Mono<RebalancerLease> acquireRebalancer(String ns, String service, String owner, Duration ttl);

  /**
   * Operator: suspends ({@code true}) or resumes ({@code false}) the rebalancing of a service for
   * every client, until resumed: {@link #acquireRebalancer} answers {@link
   * RebalancerLease#SUSPENDED} meanwhile. Pending shed requests are left to lapse.
   *
   * @return {@code true} when that changed the setting
   */
  Mono<Boolean> suspendRebalancing(String ns, String service, boolean suspended);

  /**
   * Rebalancing: asks a pod to shed about {@code links} of its links (replacing a request it has
   * not taken yet). The request lapses after {@code ttl} when the pod does not take it.
   */
  Mono<Void> requestShed(String ns, String service, int pod, int links, Duration ttl);

  /**
   * Rebalancing: takes (reads and deletes, atomically) the pod's pending shed request.
   *
   * @return the number of links asked for; empty when there is none
   */
  Mono<Integer> takeShedRequest(String ns, String service, int pod);

  /**
   * Publishes a pod's state record, stamped with the store's clock, and prunes the records of pods
   * that have not published for longer than {@code pruneAfter}.
   *
   * @return the store's clock at the publication, epoch milliseconds
   */
  Mono<Long> publishState(String ns, String service, PodStatus status, Duration pruneAfter);

  /**
   * Reads every pod state record of a service together with the store's clock.
   *
   * @return the snapshot (empty pods map when nothing was published) with the operator's cordons;
   *     malformed fields are skipped and counted in the snapshot
   */
  Mono<StateSnapshot> readState(String ns, String service);

  /** Stores the workload state of a service (a free-form value, e.g. {@code ready}). */
  Mono<Void> setWorkloadState(String ns, String service, String value);

  /**
   * Reads the workload state of a service.
   *
   * @return the value; empty when none was stored
   */
  Mono<String> getWorkloadState(String ns, String service);

  /**
   * Reads the workload states of many services.
   *
   * @return service to value for the services that have one (unmodifiable); a key of a foreign
   *     Redis type reads as absent
   */
  Mono<Map<String, String>> batchGetWorkloadStates(String ns, Collection<String> services);

  /**
   * The link changes of a namespace as the store announces them, for cache coherence (hot: a
   * subscriber sees what happens after it subscribed). The first event is {@link
   * LinkEvent.Subscribed} once the store listens for this subscriber; a lost connection is reported
   * as {@link LinkEvent.Unsubscribed} and, once listening again, a new {@link
   * LinkEvent.Subscribed}. Completes when the executor is closed; never errors. Events a subscriber
   * has not requested yet are held up to a bound (65,536); past it the subscriber gets {@link
   * LinkEvent.Unsubscribed} ("fell behind") and is subscribed afresh (a new {@link
   * LinkEvent.Subscribed} follows once listening), so it knows to re-verify what it holds. It
   * should only do cheap work per event.
   *
   * @throws IllegalArgumentException when the namespace is null, empty or too long
   */
  Flux<LinkEvent> linkEvents(String ns);

  /** How many stored values batch reads have skipped because they could not be decoded. */
  long corruptValuesSkipped();

  /** Releases the executor's resources (connections it owns). Idempotent. */
  @Override
  void close();

  /**
   * The executor's calls, one per method that returns a {@code Mono} or lists ({@link #linkEvents}
   * is a subscription, not a call, and has none): the names a decorator (see {@link
   * ForwardingStatefulExecutor}) tags, counts or retries them by.
   */
  enum Operation {
    SET_LINK(false),
    SET_LINK_IF_ABSENT(false),
    SET_LINK_IF_ABSENT_LEASE(false),
    CLAIM_LINK(false),
    REPLACE_LINK(false),
    GET_LINK(true),
    GET_LINK_LEASE(true),
    GET_LINK_IF_PERSISTENT(true),
    GET_LINK_INDEX(true),
    BATCH_GET_LINKS(true),
    REMOVE_LINK(false),
    REMOVE_LINK_IF_OWNER(false),
    LIST_PERSISTENT_LINKS(true),
    PUBLISH_STATE(false),
    READ_STATE(true),
    SET_WORKLOAD_STATE(false),
    GET_WORKLOAD_STATE(true),
    BATCH_GET_WORKLOAD_STATES(true),
    MOVE_LINK(false),
    PIN_LINK(false),
    UNPIN_LINK(false),
    GET_LINK_PIN(true),
    CORDON_POD(false),
    UNCORDON_POD(false),
    ACQUIRE_REBALANCER(false),
    SUSPEND_REBALANCING(false),
    REQUEST_SHED(false),
    TAKE_SHED_REQUEST(false);

    private final boolean readOnly;
    private final String tag;
    private final String methodName;

    Operation(boolean readOnly) {
      this.readOnly = readOnly;
      this.tag = name().toLowerCase(Locale.ROOT);
      StringBuilder camel = new StringBuilder();
      for (String word : tag.split("_")) {
        camel.append(
            camel.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
      }
      this.methodName = camel.toString();
    }

    /** The name as a metric tag or span name, e.g. {@code set_link_if_absent}. Stable. */
    public String tag() {
      return tag;
    }

    /** The name of the {@link StatefulExecutor} method, e.g. {@code setLinkIfAbsent}. */
    public String methodName() {
      return methodName;
    }

    /** Whether the call leaves the store unchanged, so that repeating it is harmless. */
    public boolean readOnly() {
      return readOnly;
    }
  }
}
