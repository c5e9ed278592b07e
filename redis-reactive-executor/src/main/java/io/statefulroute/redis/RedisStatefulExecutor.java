package io.statefulroute.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
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
import io.statefulroute.redis.internal.BatchReader;
import io.statefulroute.redis.internal.BoundedCommands;
import io.statefulroute.redis.internal.ClusterMasters;
import io.statefulroute.redis.internal.CommandConnections;
import io.statefulroute.redis.internal.EvictionPolicy;
import io.statefulroute.redis.internal.LettuceBinding;
import io.statefulroute.redis.internal.LinkCommands;
import io.statefulroute.redis.internal.LinkEventSubscriber;
import io.statefulroute.redis.internal.ShardChannels;
import io.statefulroute.redis.internal.StateCommands;
import io.statefulroute.redis.internal.WheelTimerScheduler;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Redis implementation of {@link StatefulExecutor} on Lettuce's reactive API, for a standalone
 * Redis ({@link RedisClient}, also Sentinel and replicas through its URI) and for a Redis Cluster
 * ({@link RedisClusterClient}).
 *
 * <ul>
 *   <li>Link and state writes are Lua scripts (see {@code lua/README.md}), sent with EVALSHA; on
 *       {@link RedisNoScriptException} (a restarted or flushed node) the script is sent once with
 *       EVAL, which also caches it on that node.
 *   <li>Every operation ends within {@link RedisExecutorOptions#commandTimeout()} with a result or
 *       a {@link io.statefulroute.core.StoreTimeoutException}; past {@link
 *       RedisExecutorOptions#maxInFlight()} commands in flight a call fails at once with a {@link
 *       io.statefulroute.core.StoreOverloadedException}.
 *   <li>Batch reads are MGETs of at most {@code batchSize} keys, pipelined with {@code
 *       batchConcurrency} in flight. On a cluster, where MGET cannot cross hash slots, the keys of
 *       one node are read together with {@code read_values.lua} (per {@code batchSize} keys),
 *       falling back to one MGET per slot when a slot has moved.
 *   <li>Concurrently issued commands share socket flushes (see {@code coalesceFlushes}).
 * </ul>
 *
 * <p>The executor opens two connections of its own (one auto-flushing for lone commands, one
 * flushed in batches; one connection with {@code coalesceFlushes=false}) and closes them in {@link
 * #close()}; the client stays the caller's to shut down.
 */
public final class RedisStatefulExecutor implements StatefulExecutor {
  private static final System.Logger LOG = System.getLogger("io.statefulroute.redis");
  private final CommandConnections connections;
  private final boolean cluster;
  private final RedisExecutorOptions options;
  private final KeySchema keys;

  private final BoundedCommands redis; // every command and script: bounded, errors typed
  private final BatchReader batches;
  private final LinkCommands links;
  private final StateCommands states;
  private final SkippedValues corruptSkipped = new SkippedValues();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LinkEventSubscriber linkEvents;
  private final Mono<Map<String, EvictionPolicy>> evictionPolicies;

  private RedisStatefulExecutor(LettuceBinding client, RedisExecutorOptions options) {
    boolean cluster = client.cluster();
    TimeoutOptions timeoutOptions = client.timeoutOptions();
    Function<StatefulConnection<String, String>, RedisClusterReactiveCommands<String, String>>
        reactive = client.reactive();
    @Nullable Function<StatefulConnection<String, String>, Partitions> partitions =
        client.partitions();
    this.cluster = cluster;
    this.options = options;
    this.keys = new KeySchema(options.keyPrefix());
    Duration timeout = options.commandTimeout();
    // Where Reactor timeouts are scheduled: Lettuce's hashed-wheel timer.
    WheelTimerScheduler timeouts = new WheelTimerScheduler(client.timer());
    // Lettuce times a command out itself only where the client applies the connection's
    // timeout to commands (see CommandConnections).
    boolean lettuceTimeouts =
        !cluster && timeoutOptions.isTimeoutCommands() && timeoutOptions.isApplyConnectionTimeout();
    this.connections =
        new CommandConnections(
            client.connect(),
            reactive,
            lettuceTimeouts,
            options.coalesceFlushes(),
            options.maxCommandsPerFlush(),
            options.maxInFlight(),
            client.flushExecutor(),
            timeouts,
            timeout);
    StatefulConnection<String, String> direct = connections.direct();
    Supplier<Partitions> slots = partitions == null ? null : () -> partitions.apply(direct);
    this.redis =
        new BoundedCommands(connections.flusher(), timeout, timeouts, connections.directCommands());
    this.batches =
        new BatchReader(
            connections.flusher(),
            redis,
            slots,
            options.batchSize(),
            options.batchConcurrency(),
            options.maxInFlight());
    this.states = new StateCommands(keys, redis, batches);
    ShardChannels shards = ShardChannels.of(keys, cluster && options.shardedAnnouncements());
    this.links =
        new LinkCommands(
            keys,
            redis,
            batches,
            corruptSkipped,
            options.announceLinkChanges(),
            shards,
            options.batchSize(),
            options.batchConcurrency());
    this.linkEvents =
        new LinkEventSubscriber(
            client.connectPubSub(),
            keys,
            options.linkEventsReconnectAfter(),
            timeout,
            slots == null ? null : new ClusterMasters(slots),
            shards);
    this.evictionPolicies =
        EvictionPolicy.warnWhereLinksCanBeEvicted(
            EvictionPolicy.ofMasters(reactive.apply(direct), slots, timeout).cache(), LOG);
  }

  /**
   * The {@code maxmemory-policy} of every master this executor writes to, read once at start from
   * {@code INFO memory} (node address to policy). A policy other than {@code noeviction} is logged
   * as a warning on the {@code io.statefulroute.redis} logger: an evicted link vanishes without an
   * announcement. Errors when {@code INFO} is refused or times out (then nothing is logged).
   */
  public Mono<Map<String, EvictionPolicy>> evictionPolicies() {
    return evictionPolicies;
  }

  /** An executor on a standalone Redis with default options. Connects at once. */
  public static RedisStatefulExecutor create(RedisClient client) {
    return create(client, RedisExecutorOptions.defaults());
  }

  /** An executor on a standalone Redis (or Sentinel / replicas by the client's URI). */
  public static RedisStatefulExecutor create(RedisClient client, RedisExecutorOptions options) {
    Args.notNull("client", client);
    Args.notNull("options", options);
    return new RedisStatefulExecutor(LettuceBinding.standalone(client), options);
  }

  /** An executor on a Redis Cluster with default options. Connects at once. */
  public static RedisStatefulExecutor create(RedisClusterClient client) {
    return create(client, RedisExecutorOptions.defaults());
  }

  /**
   * An executor on a Redis Cluster. Configure the client's topology refresh (periodic, and the
   * adaptive triggers): the executor follows Lettuce's view of the cluster, and after a master
   * change it has every link-event subscriber re-verify its cache (see {@link #linkEvents}); a
   * client without periodic refresh sees a failover only when a command runs into it, which is
   * logged as a warning here.
   */
  public static RedisStatefulExecutor create(
      RedisClusterClient client, RedisExecutorOptions options) {
    Args.notNull("client", client);
    Args.notNull("options", options);
    LettuceBinding.warnWithoutPeriodicTopologyRefresh(client, LOG);
    return new RedisStatefulExecutor(LettuceBinding.cluster(client), options);
  }

  public RedisExecutorOptions options() {
    return options;
  }

  /** Whether this executor talks to a Redis Cluster. */
  public boolean isCluster() {
    return cluster;
  }

  // ------------------------------------------------------------------------------------ links
  @Override
  public Mono<Integer> setLink(String ns, String uid, String service, int pod, long ttlSeconds) {
    return links.set(ns, uid, service, pod, ttlSeconds);
  }

  @Override
  public Mono<Integer> setLinkIfAbsent(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return links.setIfAbsent(ns, uid, service, pod, ttlSeconds);
  }

  @Override
  public Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return links.setIfAbsentLease(
        Operation.SET_LINK_IF_ABSENT_LEASE, ns, uid, service, pod, ttlSeconds);
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
    return links.lease(ns, uid, service);
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
   * <p>On Redis: {@code SCAN} with {@code MATCH <prefix>:{<ns>:*}:lk} (the namespace's link index
   * keys, see {@link KeySchema#linkIndexPattern}) and {@code COUNT batchSize}, one step at a time,
   * each bounded by {@code commandTimeout}; on a Redis Cluster, Lettuce's cluster scan walks every
   * master of the topology it sees at the start, one after the other (a topology change during the
   * listing can end it with a {@link io.statefulroute.core.StoreUnavailableException}: run it
   * again). Each uid found is checked with {@code link_get_if_persistent.lua} (the read {@link
   * #getLinkIfPersistent} makes, so exactly the links a client finds persistent are listed), {@code
   * batchConcurrency} checks in flight. Needs the {@code SCAN} command (the least-privilege ACL of
   * docs/failure-model.md grants it).
   */
  @Override
  public Flux<String> listPersistentLinks(String ns, String service, int pod) {
    return links.listPersistent(ns, service, pod);
  }

  // ------------------------------------------------------- operator control, state, workload
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
    return states.cordon(Operation.CORDON_POD, ns, service, pod);
  }

  @Override
  public Mono<Boolean> uncordonPod(String ns, String service, int pod) {
    return states.cordon(Operation.UNCORDON_POD, ns, service, pod);
  }

  @Override
  public Mono<RebalancerLease> acquireRebalancer(
      String ns, String service, String owner, Duration ttl) {
    return states.acquireRebalancer(ns, service, owner, ttl);
  }

  @Override
  public Mono<Boolean> suspendRebalancing(String ns, String service, boolean suspended) {
    return states.suspendRebalancing(ns, service, suspended);
  }

  @Override
  public Mono<Void> requestShed(String ns, String service, int pod, int links, Duration ttl) {
    return states.requestShed(ns, service, pod, links, ttl);
  }

  @Override
  public Mono<Integer> takeShedRequest(String ns, String service, int pod) {
    return states.takeShedRequest(ns, service, pod);
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

  // ---------------------------------------------------------------------------------- plumbing
  /**
   * {@inheritDoc}
   *
   * <p>Announced by the link scripts with PUBLISH on {@code <prefix>:lc:<ns>} (when {@link
   * RedisExecutorOptions#announceLinkChanges()} is on, on the executor that writes). Listened to on
   * one pub/sub connection of this executor, opened with the first subscriber and closed with the
   * last; on a cluster, classic PUBLISH reaches the subscribers of every node. On a cluster, when
   * the client's view of the topology shows a master change, every namespace listened to gets
   * {@link LinkEvent.Unsubscribed} ("cluster masters changed: ...") and at once {@link
   * LinkEvent.Subscribed}: writes the old master acknowledged may be lost, with announcements that
   * no longer match the store, so caches re-verify what they hold.
   */
  @Override
  public Flux<LinkEvent> linkEvents(String ns) {
    return linkEvents.events(ns);
  }

  @Override
  public long corruptValuesSkipped() {
    return corruptSkipped.count();
  }

  /** Commands issued and not completed: bounded by callers' concurrency (for tests, metrics). */
  public int inFlightCommands() {
    return connections.flusher().inFlight();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      linkEvents.close();
      connections.close();
    }
  }
}
