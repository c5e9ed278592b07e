package io.statefulroute.core.client;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.statefulroute.core.StatefulExecutor;
import io.statefulroute.core.placement.PlacementFeedback;
import io.statefulroute.core.server.ReleaseSummary;
import io.statefulroute.core.state.PodStateChange;
import io.statefulroute.core.state.ServiceStateCache;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The client side of stateful routing (see docs/architecture.md, "The client driver"): computes,
 * caches and reuses the pod of a uid. One per gateway or calling service; thread-safe; nothing
 * blocks.
 *
 * <p>Arguments are validated when a method is called: a null or empty namespace, uid or service, or
 * a negative pod throws {@link IllegalArgumentException} at once. Store errors arrive as the
 * executor's typed signals ({@code StoreTimeoutException}, {@code StoreUnavailableException},
 * {@code CorruptDataException}).
 */
public interface ClientDriver extends AutoCloseable {

  /** A driver with its own state cache on {@code executor}. */
  static ClientDriver create(StatefulExecutor executor, ClientOptions options) {
    return DefaultClientDriver.create(executor, options, null);
  }

  /** A driver sharing an existing state cache (several drivers, one refresh per service). */
  static ClientDriver create(
      StatefulExecutor executor, ClientOptions options, ServiceStateCache sharedStates) {
    return DefaultClientDriver.create(executor, options, sharedStates);
  }

  /**
   * The pod for the uid: the cached one when it is still routable, else the linked one, else a new
   * placement on a good pod (one set-if-absent script call; concurrent clients converge). A
   * temporary link to a pod that is no longer routable is moved (compare-and-set).
   *
   * @return the pod; errors: {@link io.statefulroute.core.NoAvailablePodException} when no pod can
   *     take the uid, {@link io.statefulroute.core.OwnerUnavailableException} when a persistent
   *     link points at a pod that is not routable, the executor's typed errors
   */
  Mono<Integer> computeLinkedPod(String namespace, String uid, String service);

  /**
   * Reports that a call routed to {@code pod} for the uid failed in a way that says the pod may be
   * gone (connection refused, a timeout): what a gateway calls before it retries or fails the
   * request. The report marks the pod as having observed failures (for {@code ejectionCoolDown}).
   * The pod is treated as down by this client, at once and before its record reaches the state
   * expiry, only when its record has also missed a heartbeat: at the latest state read it had been
   * published longer ago than {@code missedHeartbeatFactor x publishPeriod} ({@link
   * ClientOptions}). Then its temporary links move by compare-and-set on their next compute,
   * beginning with this uid's (the relink path of {@link #computeLinkedPod}), and it gets no new
   * links; persistent links never move. A pod that keeps publishing is trusted whatever this client
   * reports (its failures may be this client's alone: a partition moves nothing), and a pod that
   * publishes again is trusted again at the next state read.
   *
   * @return the pod the uid routes to now ({@link #computeLinkedPod} after the report): another pod
   *     when the link was moved off the reported one, the reported pod while it is trusted. Errors
   *     as {@link #computeLinkedPod}: {@link io.statefulroute.core.OwnerUnavailableException} for a
   *     persistent link to a pod treated as down
   * @throws IllegalArgumentException when the namespace, uid or service is null, empty or too long,
   *     or the pod is negative (before any I/O, nothing marked)
   */
  Mono<Integer> reportFailure(String namespace, String uid, String service, int pod);

  /**
   * The linked pod: the local cache first, then the store (the result is cached).
   *
   * @return the pod; empty when there is no link
   */
  Mono<Integer> getLinkedPod(String namespace, String uid, String service);

  /**
   * The local cache first, then only a <em>persistent</em> link from the store.
   *
   * @return the pod; empty when not cached and not persistently linked
   */
  Mono<Integer> getLinkedPodInCacheOrIfPersist(String namespace, String uid, String service);

  /**
   * The link straight from the store, bypassing (and not filling) the cache.
   *
   * @return the pod; empty when there is no link
   */
  Mono<Integer> getLinkedPodNotCache(String namespace, String uid, String service);

  /**
   * The local cache only, no I/O (waits for a computation in flight for the same key).
   *
   * @return the cached pod; empty when not cached (or its computation failed)
   */
  Mono<Integer> getLinkedInCache(String namespace, String uid, String service);

  /** Drops the cached link (the next compute reads the store). */
  void cacheExpired(String namespace, String uid, String service);

  /** Puts a link into the local cache (no I/O). */
  void setCache(String namespace, String uid, String service, int pod);

  /**
   * The uid's persistent links.
   *
   * @return service to pod (possibly empty)
   */
  Mono<Map<String, Integer>> getLinkServices(String namespace, String uid);

  /**
   * The links of many uids for one service, read in the executor's pipelined batches ({@link
   * StatefulExecutor#batchGetLinks}; on a Redis Cluster, node by node).
   *
   * @return pod to the uids linked to it (uids without a link are left out)
   */
  Mono<Map<Integer, List<String>>> batchGetLinkedPod(
      String namespace, Collection<String> uids, String service);

  /**
   * Links the uid to {@code pod} (temporary, with the lease TTL) unless it is linked already; the
   * result is cached.
   *
   * @return the pod actually linked (another may have won)
   */
  Mono<Integer> setLinkedPodIfAbsent(String namespace, String uid, String service, int pod);

  /**
   * Releases the persistent links a pod that is gone (scaled away, shut down, no longer publishing)
   * left behind for {@code service}, so that its uids can be placed afresh: an operator's tool, not
   * for the request path. Until released, such links answer {@link
   * io.statefulroute.core.OwnerUnavailableException} to every {@link #computeLinkedPod}.
   *
   * <ol>
   *   <li>The service's state is read now ({@link ServiceStateCache#refresh}); when the pod is
   *       routable in that view (fresh and READY or DENY_NEW_CALL) the release is refused with a
   *       {@link io.statefulroute.core.PodRoutableException} before anything is written: a live
   *       pod's links are released by its own drain (server driver {@code removeLinkedPod}, {@code
   *       releaseLinks}), never by a client.
   *   <li>Its persistent links are listed ({@link StatefulExecutor#listPersistentLinks}: a walk of
   *       the whole key space, O(keyspace)) and each is removed with {@link
   *       StatefulExecutor#removeLinkIfOwner} expecting that pod, after {@code delay} (zero: at
   *       once), 64 removals in flight. A uid claimed meanwhile by another pod is left as it is
   *       (counted as not owned).
   *   <li>Before each removal the pod is checked again in this driver's state view (no I/O): should
   *       it become routable during the release (it came back), the release stops with {@link
   *       io.statefulroute.core.PodRoutableException}; the links removed until then stay removed.
   * </ol>
   *
   * <p>Release only a pod that is gone for good: a pod that merely restarts under the same index
   * would find its links gone. Each removal is announced (link events), so caches follow.
   *
   * @param delay the delayed removal of each link ({@link StatefulExecutor#removeLink}): the link
   *     keeps answering that long; zero removes it at once
   * @return the summary once every listed uid was handled: links removed, uids no longer linked to
   *     the pod when their turn came, removals that failed (store errors; those links are unchanged
   *     or unknown, run the release again). A uid the listing emits twice counts as removed once
   *     and not owned once. Errors: {@link io.statefulroute.core.PodRoutableException} as above;
   *     the state read's and the listing's typed store errors (a failed listing ends the release;
   *     the links removed until then stay removed)
   * @throws IllegalArgumentException when the namespace or service is null, empty or too long, the
   *     pod negative, or the delay null or negative
   */
  Mono<ReleaseSummary> releasePersistentLinks(
      String namespace, String service, int pod, Duration delay);

  /** Pod state transitions of the services this driver has used. Hot, best effort. */
  Flux<PodStateChange> stateChanges();

  /** Where callers report routed calls (feeds feedback-driven strategies and passive health). */
  PlacementFeedback feedback();

  /**
   * Whether the cached links of {@code namespace} are kept coherent right now: cache invalidation
   * is on, the namespace is in use, its link events are being received, and the links cached before
   * they were have been re-read since. While it is false, cached links older than {@code
   * unconfirmedCacheTtl} are re-read before use.
   */
  boolean isCacheCoherent(String namespace);

  /** Whether passive health currently ejects {@code pod} from new placements. */
  boolean isEjected(String namespace, String service, int pod);

  /**
   * The link cache's statistics: one hit or miss per caller lookup (a {@code computeLinkedPod}
   * answered from the cache is a hit, one that needed the store a miss; likewise the cache reads of
   * {@code getLinkedPod} and friends), Caffeine's load and eviction counts.
   */
  CacheStats cacheStats();

  /** The number of cached links (approximate). */
  long cacheSize();

  /** Drops every cached link. */
  void flushCache();

  /**
   * What this driver sees of a service, read without linking anything: the pod it would place a new
   * uid on, a pod's predicted load, routable and available pods, every pod's state ({@link
   * RouteInfo}).
   */
  RouteInfo routeInfo();

  /** The state cache this driver reads pod states from. */
  ServiceStateCache states();

  /** Stops the driver's timers (and its own state cache; a shared one stays open). */
  @Override
  void close();
}
