package io.statefulroute.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisAdvancedClusterReactiveCommands;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.util.concurrent.EventExecutor;
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
import io.statefulroute.core.internal.LinkAnnouncements;
import io.statefulroute.core.internal.SkippedValues;
import io.statefulroute.core.internal.StateCodec;
import io.statefulroute.redis.internal.ClusterMasters;
import io.statefulroute.redis.internal.CommandFlusher;
import io.statefulroute.redis.internal.ErrorTranslator;
import io.statefulroute.redis.internal.EvictionPolicy;
import io.statefulroute.redis.internal.IndexedValuesOutput;
import io.statefulroute.redis.internal.LinkEventSubscriber;
import io.statefulroute.redis.internal.LuaScript;
import io.statefulroute.redis.internal.Scripts;
import io.statefulroute.redis.internal.WheelTimerScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Redis implementation of {@link StatefulExecutor} on Lettuce's reactive API, for a
 * standalone Redis ({@link RedisClient}, also Sentinel and replicas through its URI) and for a
 * Redis Cluster ({@link RedisClusterClient}).
 *
 * <ul>
 *   <li>Link and state writes are Lua scripts (see {@code lua/README.md}), sent with EVALSHA; on
 *       {@link RedisNoScriptException} (a restarted or flushed node) the script is sent once
 *       with EVAL, which also caches it on that node.</li>
 *   <li>Every operation ends within {@link RedisExecutorOptions#commandTimeout()} with a result
 *       or a {@link io.statefulroute.core.StoreTimeoutException}; past
 *       {@link RedisExecutorOptions#maxInFlight()} commands in flight a call fails at once with
 *       a {@link io.statefulroute.core.StoreOverloadedException}.</li>
 *   <li>Batch reads are MGETs of at most {@code batchSize} keys, pipelined with
 *       {@code batchConcurrency} in flight. On a cluster, where MGET cannot cross hash slots,
 *       the keys of one node are read together with {@code read_values.lua} (per
 *       {@code batchSize} keys), falling back to one MGET per slot when a slot has moved.</li>
 *   <li>Concurrently issued commands share socket flushes (see {@code coalesceFlushes}).</li>
 * </ul>
 *
 * <p>The executor opens two connections of its own (one auto-flushing for lone commands, one
 * flushed in batches; one connection with {@code coalesceFlushes=false}) and closes them in
 * {@link #close()}; the client stays the caller's to shut down.
 */
public final class RedisStatefulExecutor implements StatefulExecutor {
  /** Bound of the MGETs one batch read keeps in flight (see {@link #concurrency}). */
  private static final int MAX_BATCH_COMMANDS = 1024;
  private final List<StatefulConnection<String, String>> connections;
  private final boolean cluster;
  private final RedisExecutorOptions options;
  private final KeySchema keys;
  private final Duration timeout;
  private final CommandFlusher<RedisClusterReactiveCommands<String, String>> flusher;
  /** How many command timeouts an unanswered command may stay outstanding (see constructor). */
  static final int OUTSTANDING_FACTOR = 10;
  /** Where Reactor timeouts are scheduled: Lettuce's hashed-wheel timer. */
  private final WheelTimerScheduler timeouts;
  private final SkippedValues corruptSkipped = new SkippedValues();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LinkEventSubscriber linkEvents;
  /** The cluster's slot map as Lettuce sees it (null on a standalone Redis). */
  private final Supplier<Partitions> partitions;

  private static final System.Logger LOG = System.getLogger("io.statefulroute.redis");

  private final Mono<Map<String, EvictionPolicy>> evictionPolicies;

  private RedisStatefulExecutor(
      Supplier<StatefulConnection<String, String>> connect,
      Function<StatefulConnection<String, String>, RedisClusterReactiveCommands<String, String>>
          reactive,
      boolean cluster,
      Supplier<StatefulRedisPubSubConnection<String, String>> connectPubSub,
      EventExecutor flushExecutor,
      io.netty.util.Timer timer,
      TimeoutOptions timeoutOptions,
      Function<StatefulConnection<String, String>, Partitions> partitions,
      RedisExecutorOptions options) {
    this.cluster = cluster;
    this.options = options;
    this.keys = new KeySchema(options.keyPrefix());
    this.timeout = options.commandTimeout();
    this.timeouts = new WheelTimerScheduler(timer);
    // Every call is bounded by a Reactor timeout scheduled on Lettuce's hashed-wheel timer
    // (cheap, see WheelTimerScheduler). Not by Lettuce's own command timeout: when the caller
    // stops waiting, the command stays outstanding until its reply or the connection's reset,
    // and holds its in-flight slot until then (CommandFlusher); Lettuce's timeout would free it
    // while the command still waits in Redis's input, so a stall would let the queue grow with
    // rate x duration. Where the client applies the connection's timeout to commands, it is set
    // to OUTSTANDING_FACTOR x commandTimeout: the bound of a command nobody answers (a
    // black-holed connection), after which Lettuce fails it and the slot is free.
    boolean lettuceTimeouts = !cluster && timeoutOptions.isTimeoutCommands()
        && timeoutOptions.isApplyConnectionTimeout();
    StatefulConnection<String, String> direct = connect.get();
    StatefulConnection<String, String> buffered = options.coalesceFlushes() ? connect.get() : null;
    this.connections = buffered == null ? List.of(direct) : List.of(direct, buffered);
    this.partitions = partitions == null ? null : () -> partitions.apply(direct);
    if (lettuceTimeouts) {
      connections.forEach(c -> c.setTimeout(timeout.multipliedBy(OUTSTANDING_FACTOR)));
    }
    this.flusher = new CommandFlusher<>(reactive.apply(direct), buffered,
        buffered == null ? null : reactive.apply(buffered), options.coalesceFlushes(),
        options.maxCommandsPerFlush(), options.maxInFlight(), flushExecutor, timeouts,
        timeout.multipliedBy(OUTSTANDING_FACTOR));
    this.linkEvents = new LinkEventSubscriber(connectPubSub, keys,
        options.linkEventsReconnectAfter(), timeout,
        this.partitions == null ? null : new ClusterMasters(this.partitions));
    this.evictionPolicies = readEvictionPolicies(reactive.apply(direct)).cache();
    this.evictionPolicies.subscribe(policies -> policies.forEach((node, policy) -> {
      if (policy.canEvictLinks()) {
        LOG.log(System.Logger.Level.WARNING, policy.warning(node));
      }
    }), error -> LOG.log(System.Logger.Level.DEBUG,
        "could not read the eviction policy: " + error));
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

  private Mono<Map<String, EvictionPolicy>> readEvictionPolicies(
      RedisClusterReactiveCommands<String, String> commands) {
    Flux<Map.Entry<String, String>> infos;
    if (partitions == null) {
      infos = commands.info("memory").map(info -> Map.entry("(standalone)", info)).flux();
    } else {
      RedisAdvancedClusterReactiveCommands<String, String> advanced =
          (RedisAdvancedClusterReactiveCommands<String, String>) commands;
      infos = Flux.defer(() -> Flux.fromIterable(partitions.get()))
          .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
          .flatMap(node -> advanced.getConnection(node.getNodeId()).info("memory")
              .map(info -> Map.entry(node.getUri().getHost() + ":" + node.getUri().getPort(),
                  info)));
    }
    return infos
        .<Map.Entry<String, EvictionPolicy>>handle((e, sink) -> EvictionPolicy.fromInfo(e.getValue())
            .ifPresent(p -> sink.next(Map.entry(e.getKey(), p))))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .<Map<String, EvictionPolicy>>map(Map::copyOf)
        .timeout(timeout);
  }

  /** An executor on a standalone Redis with default options. Connects at once. */
  public static RedisStatefulExecutor create(RedisClient client) {
    return create(client, RedisExecutorOptions.defaults());
  }

  /** An executor on a standalone Redis (or Sentinel / replicas by the client's URI). */
  public static RedisStatefulExecutor create(RedisClient client, RedisExecutorOptions options) {
    Args.notNull("client", client);
    Args.notNull("options", options);
    return new RedisStatefulExecutor(() -> client.connect(StringCodec.UTF8),
        c -> ((StatefulRedisConnection<String, String>) c).reactive(), false,
        () -> client.connectPubSub(StringCodec.UTF8),
        client.getResources().eventExecutorGroup().next(), client.getResources().timer(),
        client.getOptions().getTimeoutOptions(), null, options);
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
    if (!periodicTopologyRefresh(client)) {
      LOG.log(System.Logger.Level.WARNING, "the Redis Cluster client has no periodic topology "
          + "refresh (ClusterTopologyRefreshOptions.enablePeriodicRefresh): a failover is seen "
          + "only when a command runs into it, and until then caches are not re-verified "
          + "against the new masters and commands may go to a failed node");
    }
    return new RedisStatefulExecutor(() -> client.connect(StringCodec.UTF8),
        c -> ((StatefulRedisClusterConnection<String, String>) c).reactive(), true,
        () -> client.connectPubSub(StringCodec.UTF8),
        client.getResources().eventExecutorGroup().next(), client.getResources().timer(),
        client.getOptions().getTimeoutOptions(),
        c -> ((StatefulRedisClusterConnection<String, String>) c).getPartitions(), options);
  }

  /** Whether the cluster client refreshes its view of the topology periodically. */
  static boolean periodicTopologyRefresh(RedisClusterClient client) {
    return client.getOptions() instanceof ClusterClientOptions options
        && options.getTopologyRefreshOptions() != null
        && options.getTopologyRefreshOptions().isPeriodicRefreshEnabled();
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
    String[] k = linkKeys(ns, uid, service, pod, ttlSeconds);
    return this.<String>script(Scripts.LINK_SET, ScriptOutputType.VALUE, k,
            Integer.toString(pod), Long.toString(ttlSeconds), service, channel(ns),
            LinkAnnouncements.subject(uid, service))
        .map(raw -> decodePod(Scripts.LINK_SET, raw));
  }

  @Override
  public Mono<Integer> setLinkIfAbsent(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    return setLinkIfAbsentLease(ns, uid, service, pod, ttlSeconds).map(LinkLease::pod);
  }

  @Override
  public Mono<LinkLease> setLinkIfAbsentLease(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    String[] k = linkKeys(ns, uid, service, pod, ttlSeconds);
    return this.<String>script(Scripts.LINK_SET_IF_ABSENT, ScriptOutputType.VALUE, k,
            Integer.toString(pod), Long.toString(ttlSeconds), service)
        .map(raw -> decodePlacement(raw, ttlSeconds));
  }

  /**
   * The set-if-absent reply: {@code <pod>} (the link lives for the given TTL), {@code <pod>:-1}
   * (an existing persistent link) or {@code <pod>:<ms>} (a link in delayed removal).
   */
  private static LinkLease decodePlacement(String raw, long ttlSeconds) {
    int colon = raw == null ? -1 : raw.indexOf(':');
    if (colon < 0) {
      int linked = decodePod(Scripts.LINK_SET_IF_ABSENT, raw);
      return ttlSeconds == -1 ? LinkLease.persistent(linked)
          : LinkLease.expiring(linked, Duration.ofSeconds(ttlSeconds));
    }
    int linked = decodePod(Scripts.LINK_SET_IF_ABSENT, raw.substring(0, colon));
    if (raw.length() == colon + 3 && raw.endsWith("-1")) {
      return LinkLease.persistent(linked);
    }
    long left = StateCodec.parseNonNegativeLong(raw, colon + 1, raw.length());
    if (left < 0) {
      throw new CorruptDataException(Scripts.LINK_SET_IF_ABSENT.name()
          + ": unexpected reply " + raw);
    }
    return LinkLease.expiring(linked, Duration.ofMillis(left));
  }

  @Override
  public Mono<ClaimResult> claimLink(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    String[] k = linkKeys(ns, uid, service, pod, ttlSeconds);
    return this.<List<Object>>script(Scripts.LINK_CLAIM, ScriptOutputType.MULTI, k,
            Integer.toString(pod), Long.toString(ttlSeconds), service, channel(ns),
            LinkAnnouncements.subject(uid, service))
        .map(reply -> {
          Integer previous = reply.size() > 2 && reply.get(2) != null
              ? decodePod(Scripts.LINK_CLAIM, reply.get(2))
              : null;
          return new ClaimResult(flag(reply, 0), decodePod(Scripts.LINK_CLAIM, reply.get(1)),
              Optional.ofNullable(previous));
        });
  }

  @Override
  public Mono<ReplaceResult> replaceLink(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    Args.pod(expectedPod);
    String[] k = linkKeys(ns, uid, service, newPod, ttlSeconds);
    return this.<List<Object>>script(Scripts.LINK_REPLACE, ScriptOutputType.MULTI, k,
            Integer.toString(expectedPod), Integer.toString(newPod), Long.toString(ttlSeconds),
            service, channel(ns), LinkAnnouncements.subject(uid, service))
        .map(reply -> new ReplaceResult(flag(reply, 0),
            decodePod(Scripts.LINK_REPLACE, reply.get(1)), flag(reply, 2)));
  }

  @Override
  public Mono<Integer> getLink(String ns, String uid, String service) {
    String key = keys.link(ns, uid, service);
    return command("link.get", c -> c.get(key)).map(raw -> decodePod("link.get", raw));
  }

  @Override
  public Mono<LinkLease> getLinkLease(String ns, String uid, String service) {
    String[] k = {keys.link(ns, uid, service)};
    return this.<List<Object>>script(Scripts.LINK_GET_LEASE, ScriptOutputType.MULTI, k)
        .handle((reply, sink) -> {
          if (reply.isEmpty() || reply.get(0) == null) {
            return; // no link
          }
          int pod = decodePod(Scripts.LINK_GET_LEASE, reply.get(0));
          long pttl = reply.size() > 1 && reply.get(1) instanceof Long l ? l : -1;
          sink.next(pttl == -1 ? LinkLease.persistent(pod)
              : LinkLease.expiring(pod, Duration.ofMillis(Math.max(0, pttl))));
        });
  }

  @Override
  public Mono<Integer> getLinkIfPersistent(String ns, String uid, String service) {
    String[] k = {keys.link(ns, uid, service)};
    return this.<String>script(Scripts.LINK_GET_IF_PERSISTENT, ScriptOutputType.VALUE, k)
        .map(raw -> decodePod(Scripts.LINK_GET_IF_PERSISTENT, raw));
  }

  @Override
  public Mono<Map<String, Integer>> getLinkIndex(String ns, String uid) {
    String key = keys.linkIndex(ns, uid);
    return command("link.index", c -> c.hgetall(key).collectList())
        .map(entries -> {
          Map<String, Integer> out = new HashMap<>();
          for (KeyValue<String, String> kv : entries) {
            corruptSkipped.putPod(out, kv.getKey(), kv.getValue());
          }
          return Map.copyOf(out);
        });
  }

  @Override
  public Mono<Map<String, Integer>> batchGetLinks(
      String ns, Collection<String> uids, String service) {
    Args.notNull("uids", uids);
    String[] uidArray = uids.toArray(new String[0]);
    return batchGet("link.batch-get", keys.links(ns, uidArray, service))
        .map(values -> {
          Map<String, Integer> out = new HashMap<>(Math.max(16, values.length * 2));
          for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
              corruptSkipped.putPod(out, uidArray[i], values[i]);
            }
          }
          return Collections.unmodifiableMap(out);
        });
  }

  @Override
  public Mono<Integer> removeLink(String ns, String uid, String service, Duration delay) {
    long delayMillis = Args.delayMillis(delay);
    String[] k = linkKeys(ns, uid, service);
    return this.<String>script(Scripts.LINK_REMOVE, ScriptOutputType.VALUE, k,
            Long.toString(delayMillis), service, channel(ns),
            LinkAnnouncements.subject(uid, service))
        .map(raw -> decodePod(Scripts.LINK_REMOVE, raw));
  }

  @Override
  public Mono<Boolean> removeLinkIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay) {
    Args.pod(expectedPod);
    long delayMillis = Args.delayMillis(delay);
    String[] k = linkKeys(ns, uid, service);
    return this.<Long>script(Scripts.LINK_REMOVE_IF_OWNER, ScriptOutputType.INTEGER, k,
            Integer.toString(expectedPod), Long.toString(delayMillis), service, channel(ns),
            LinkAnnouncements.subject(uid, service))
        .map(removed -> removed == 1L);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On Redis: {@code SCAN} with {@code MATCH <prefix>:{<ns>:*}:lk} (the namespace's link index
   * keys, see {@link KeySchema#linkIndexPattern}) and {@code COUNT batchSize}, one step at a time,
   * each bounded by {@code commandTimeout}; on a Redis Cluster, Lettuce's cluster scan walks every
   * master of the topology it sees at the start, one after the other (a topology change during
   * the listing can end it with a {@link io.statefulroute.core.StoreUnavailableException}: run it
   * again). Each uid found is checked with {@code link_get_if_persistent.lua} (the read
   * {@link #getLinkIfPersistent} makes, so exactly the links a client finds persistent are
   * listed), {@code batchConcurrency} checks in flight. Needs the {@code SCAN} command (the
   * README's least-privilege ACL grants it).
   */
  @Override
  public Flux<String> listPersistentLinks(String ns, String service, int pod) {
    ScanArgs match = ScanArgs.Builder.matches(keys.linkIndexPattern(ns))
        .limit(options.batchSize());
    Args.service(service);
    Args.pod(pod);
    return scan(ScanCursor.INITIAL, match)
        .expand(step -> step.isFinished() ? Mono.empty() : scan(step, match))
        .concatMapIterable(KeyScanCursor::getKeys, 1)
        .<String>handle((key, sink) -> {
          String uid = keys.uidOfLinkIndex(ns, key);
          if (uid != null) {
            sink.next(uid);
          }
        })
        .flatMap(uid -> ownsPersistently(ns, uid, service, pod), options.batchConcurrency());
  }

  /** One SCAN step from {@code cursor} (the cluster cursor carries the node it is on). */
  private Mono<KeyScanCursor<String>> scan(ScanCursor cursor, ScanArgs match) {
    return command("link.list-persistent", c -> c.scan(cursor, match));
  }

  /** The uid when its persistent link points at {@code pod}; a corrupt link is counted. */
  private Mono<String> ownsPersistently(String ns, String uid, String service, int pod) {
    return getLinkIfPersistent(ns, uid, service)
        .filter(owner -> owner == pod)
        .map(owner -> uid)
        .onErrorResume(CorruptDataException.class, corrupt -> {
          corruptSkipped.skip();
          return Mono.empty();
        });
  }

  // ------------------------------------------------------------------------------------ state

  @Override
  public Mono<Long> publishState(
      String ns, String service, PodStatus status, Duration pruneAfter) {
    Args.notNull("status", status);
    long pruneMillis = Args.positive("pruneAfter", pruneAfter).toMillis();
    String[] k = {keys.state(ns, service)};
    return this.script(Scripts.STATE_PUBLISH, ScriptOutputType.INTEGER, k,
        Integer.toString(status.pod()), Integer.toString(status.load()),
        String.valueOf(status.state().code()), status.incarnation(), Long.toString(pruneMillis));
  }

  @Override
  public Mono<StateSnapshot> readState(String ns, String service) {
    String[] k = {keys.state(ns, service)};
    return this.<List<Object>>script(Scripts.STATE_READ, ScriptOutputType.MULTI, k)
        .map(RedisStatefulExecutor::decodeSnapshot);
  }

  static StateSnapshot decodeSnapshot(List<Object> reply) {
    if (reply.size() != 2 || !(reply.get(0) instanceof Long) || !(reply.get(1) instanceof List)) {
      throw new CorruptDataException("state.read: unexpected reply shape");
    }
    long now = (Long) reply.get(0);
    List<?> flat = (List<?>) reply.get(1);
    Map<Integer, PodState> pods = new HashMap<>();
    int malformed = 0;
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      Object f = flat.get(i);
      Object v = flat.get(i + 1);
      PodState s = f instanceof String && v instanceof String
          ? StateCodec.decode((String) f, (String) v)
          : null;
      if (s == null) {
        malformed++;
      } else {
        pods.put(s.pod(), s);
      }
    }
    return new StateSnapshot(pods, now, malformed);
  }

  // --------------------------------------------------------------------------------- workload

  @Override
  public Mono<Void> setWorkloadState(String ns, String service, String value) {
    Args.workloadValue(value);
    String key = keys.workload(ns, service);
    return command("workload.set", c -> c.set(key, value)).then();
  }

  @Override
  public Mono<String> getWorkloadState(String ns, String service) {
    String key = keys.workload(ns, service);
    return command("workload.get", c -> c.get(key));
  }

  @Override
  public Mono<Map<String, String>> batchGetWorkloadStates(
      String ns, Collection<String> services) {
    Args.notNull("services", services);
    String[] serviceArray = services.toArray(new String[0]);
    String[] workloadKeys = new String[serviceArray.length];
    for (int i = 0; i < serviceArray.length; i++) {
      workloadKeys[i] = keys.workload(ns, serviceArray[i]);
    }
    return batchGet("workload.batch-get", workloadKeys)
        .map(values -> {
          Map<String, String> out = new HashMap<>();
          for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
              out.put(serviceArray[i], values[i]);
            }
          }
          return Collections.unmodifiableMap(out);
        });
  }

  // ---------------------------------------------------------------------------------- plumbing

  /**
   * {@inheritDoc}
   *
   * <p>Announced by the link scripts with PUBLISH on {@code <prefix>:lc:<ns>} (when {@link
   * RedisExecutorOptions#announceLinkChanges()} is on, on the executor that writes). Listened to
   * on one pub/sub connection of this executor, opened with the first subscriber and closed
   * with the last; on a cluster, classic PUBLISH reaches the subscribers of every node. On a
   * cluster, when the client's view of the topology shows a master change, every namespace
   * listened to gets {@link LinkEvent.Unsubscribed} ("cluster masters changed: ...") and at once
   * {@link LinkEvent.Subscribed}: writes the old master acknowledged may be lost, with
   * announcements that no longer match the store, so caches re-verify what they hold.
   */
  @Override
  public Flux<LinkEvent> linkEvents(String ns) {
    return linkEvents.events(ns);
  }

  /** The channel a link script announces on, or '' when announcements are off. */
  private String channel(String ns) {
    return options.announceLinkChanges() ? keys.linkChannel(ns) : "";
  }

  @Override
  public long corruptValuesSkipped() {
    return corruptSkipped.count();
  }

  /** Commands issued and not completed: bounded by callers' concurrency (for tests, metrics). */
  public int inFlightCommands() {
    return flusher.inFlight();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      linkEvents.close();
      flusher.close();
      connections.forEach(StatefulConnection::close);
    }
  }

  private String[] linkKeys(String ns, String uid, String service, int pod, long ttlSeconds) {
    Args.pod(pod);
    Args.ttlSeconds(ttlSeconds);
    return linkKeys(ns, uid, service);
  }

  /** The keys of every link script: the link, the uid's index, the delayed-removal marker. */
  private String[] linkKeys(String ns, String uid, String service) {
    return new String[] {
      keys.link(ns, uid, service), keys.linkIndex(ns, uid), keys.linkRemoval(ns, uid, service)
    };
  }

  /** EVALSHA, falling back once to EVAL on NOSCRIPT; timeout and error translation. */
  private <T> Mono<T> script(LuaScript script, ScriptOutputType type, String[] k, String... argv) {
    return guard(script.name(),
        flusher.execute(c -> c.<T>evalsha(script.sha(), type, k, argv))
            .onErrorResume(RedisNoScriptException.class,
                noScript -> flusher.execute(c -> c.<T>eval(script.body(), type, k, argv))));
  }

  private <T> Mono<T> command(String operation,
      Function<RedisClusterReactiveCommands<String, String>, ? extends Publisher<T>> command) {
    return guard(operation, flusher.execute(command));
  }

  /** Bounds one command (a Reactor timeout on Lettuce's wheel timer) and types errors. */
  private <T> Mono<T> guard(String operation, Mono<T> op) {
    return op.timeout(timeout, timeouts).onErrorMap(e -> ErrorTranslator.translate(operation, timeout, e));
  }

  /** Bounds a multi-command operation as a whole, and types errors. */
  private <T> Mono<T> guardAll(String operation, Mono<T> op) {
    return op.timeout(timeout, timeouts)
        .onErrorMap(e -> ErrorTranslator.translate(operation, timeout, e));
  }

  /**
   * The values of {@code keys} in their order, null where a key has no string value: MGETs of at
   * most batchSize keys, pipelined, decoded straight into the result array
   * ({@link IndexedValuesOutput}); a batch that fits one MGET is one command, with no fan-out. On
   * a cluster, where MGET cannot cross hash slots, the keys are read node by node instead, with
   * {@code read_values.lua} (see {@link #readOnNode}).
   */
  private Mono<String[]> batchGet(String operation, String[] keyArray) {
    if (keyArray.length == 0) {
      return Mono.just(new String[0]);
    }
    if (!cluster && keyArray.length <= options.batchSize()) {
      return guard(operation, flusher.execute(c -> mget(c, new String[keyArray.length], keyArray,
          null)));
    }
    List<Chunk> chunks = cluster ? nodeChunks(keyArray) : chunks(keyArray);
    return guardAll(operation, Mono.defer(() -> {
      String[] values = new String[keyArray.length];
      return Flux.fromIterable(chunks)
          .flatMap(chunk -> chunk.byNode
              ? readOnNode(values, keyArray, chunk.index)
              : readBySlot(values, keyArray, chunk.index),
              concurrency(keyArray.length, chunks.size()))
          .then(Mono.fromCallable(() -> values));
    }));
  }

  /** Keys read together: with one MGET (one slot), or with read_values.lua on one node. */
  private record Chunk(int[] index, boolean byNode) {}

  /** One MGET of the keys at {@code index} (of one slot on a cluster). */
  private Mono<String[]> readBySlot(String[] values, String[] keyArray, int[] index) {
    String[] chunkKeys = select(keyArray, index);
    return flusher.execute(c -> mget(c, values, chunkKeys, index));
  }

  /**
   * The keys at {@code index}, all served by one node as far as Lettuce's view of the cluster
   * goes, read with one call of {@code read_values.lua} on that node (routed by the first key).
   * When the call fails with an error reply (a slot moved since: Redis refuses a key it does not
   * serve; or a server without the script's flags), the keys are read slot by slot with MGETs,
   * which Lettuce redirects as usual.
   */
  private Mono<String[]> readOnNode(String[] values, String[] keyArray, int[] index) {
    String[] chunkKeys = select(keyArray, index);
    return flusher.execute(c -> readValues(c, Scripts.READ_VALUES, false, values, chunkKeys, index))
        .onErrorResume(RedisNoScriptException.class, noScript -> flusher.execute(
            c -> readValues(c, Scripts.READ_VALUES, true, values, chunkKeys, index)))
        .onErrorResume(e -> e instanceof RedisCommandExecutionException,
            refused -> Flux.fromIterable(chunks(chunkKeys))
                .flatMap(sub -> readBySlot(values, keyArray, compose(index, sub.index)))
                .then(Mono.just(values)));
  }

  /** One MGET of {@code keys}, its values written into {@code values} (see the output). */
  private static Flux<String[]> mget(RedisClusterReactiveCommands<String, String> c,
      String[] values, String[] keys, int[] index) {
    return c.dispatch(CommandType.MGET, new IndexedValuesOutput<>(StringCodec.UTF8, values, index),
        new CommandArgs<>(StringCodec.UTF8).addKeys(keys));
  }

  /** EVALSHA (or EVAL) of read_values.lua, routed by the first key, values into {@code values}. */
  private static Flux<String[]> readValues(RedisClusterReactiveCommands<String, String> c,
      LuaScript script, boolean eval, String[] values, String[] keys, int[] index) {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8)
        .add(eval ? script.body() : script.sha()).add(1).addKey(keys[0]).addValues(keys);
    return c.dispatch(eval ? CommandType.EVAL : CommandType.EVALSHA,
        new IndexedValuesOutput<>(StringCodec.UTF8, values, index), args);
  }

  private static String[] select(String[] keyArray, int[] index) {
    String[] out = new String[index.length];
    for (int j = 0; j < index.length; j++) {
      out[j] = keyArray[index[j]];
    }
    return out;
  }

  /** {@code outer[inner[j]]} for each j: positions of a sub-chunk in the whole batch. */
  private static int[] compose(int[] outer, int[] inner) {
    int[] out = new int[inner.length];
    for (int j = 0; j < inner.length; j++) {
      out[j] = outer[inner[j]];
    }
    return out;
  }

  /**
   * MGETs in flight at once: {@code batchConcurrency}, or more when the chunks are small, so that
   * up to batchConcurrency x batchSize keys are in flight. On a cluster, chunks hold one slot's
   * keys each, and the uids of one batch spread over thousands of slots: 16 one-key MGETs at a
   * time would make a batch of 10,000 uids hundreds of round trips long. Bounded by
   * {@value #MAX_BATCH_COMMANDS} and by a share of the room left under {@code maxInFlight} when
   * the batch starts (an eighth; half for the first batchConcurrency), so that batches running
   * together slow down instead of tripping the in-flight limit with their own MGETs.
   */
  private int concurrency(int keys, int chunks) {
    int perChunk = Math.max(1, keys / chunks);
    long wanted = Math.max(options.batchConcurrency(), Math.min(MAX_BATCH_COMMANDS,
        (long) options.batchConcurrency() * options.batchSize() / perChunk));
    long room = Math.max(0, options.maxInFlight() - flusher.inFlight());
    long allowed = Math.max(Math.min(options.batchConcurrency(), room / 2), room / 8);
    return (int) Math.max(1, Math.min(chunks, Math.min(wanted, allowed)));
  }

  /** Index chunks of at most batchSize keys; on a cluster each chunk holds one slot's keys. */
  private List<Chunk> chunks(String[] keyArray) {
    int size = options.batchSize();
    List<Chunk> out = new ArrayList<>();
    if (!cluster) {
      for (int from = 0; from < keyArray.length; from += size) {
        int to = Math.min(keyArray.length, from + size);
        int[] idx = new int[to - from];
        for (int i = from; i < to; i++) {
          idx[i - from] = i;
        }
        out.add(new Chunk(idx, false));
      }
      return out;
    }
    Map<Integer, List<Integer>> bySlot = new HashMap<>();
    for (int i = 0; i < keyArray.length; i++) {
      bySlot.computeIfAbsent(SlotHash.getSlot(keyArray[i]), s -> new ArrayList<>()).add(i);
    }
    bySlot.values().forEach(group -> split(group, size, false, out));
    return out;
  }

  /**
   * Index chunks of at most batchSize keys for a cluster: the keys of one node together (read
   * with read_values.lua), as Lettuce's view of the cluster assigns slots to nodes; keys of a
   * slot that view gives no node are chunked by slot (MGET, redirected by Lettuce).
   */
  private List<Chunk> nodeChunks(String[] keyArray) {
    Partitions view = partitions.get();
    Map<String, List<Integer>> byNode = new HashMap<>();
    List<Integer> unassigned = new ArrayList<>();
    for (int i = 0; i < keyArray.length; i++) {
      RedisClusterNode node = view.getPartitionBySlot(SlotHash.getSlot(keyArray[i]));
      if (node == null) {
        unassigned.add(i);
      } else {
        byNode.computeIfAbsent(node.getNodeId(), n -> new ArrayList<>()).add(i);
      }
    }
    List<Chunk> out = new ArrayList<>();
    byNode.values().forEach(group -> split(group, options.batchSize(), true, out));
    if (!unassigned.isEmpty()) {
      int[] idx = unassigned.stream().mapToInt(Integer::intValue).toArray();
      for (Chunk c : chunks(select(keyArray, idx))) {
        out.add(new Chunk(compose(idx, c.index), false));
      }
    }
    return out;
  }

  private static void split(List<Integer> group, int size, boolean byNode, List<Chunk> out) {
    for (int from = 0; from < group.size(); from += size) {
      List<Integer> part = group.subList(from, Math.min(group.size(), from + size));
      out.add(new Chunk(part.stream().mapToInt(Integer::intValue).toArray(), byNode));
    }
  }

  private static Integer decodePod(LuaScript script, Object raw) {
    return decodePod(script.name(), raw);
  }

  private static Integer decodePod(String operation, Object raw) {
    int pod = raw instanceof String
        ? StateCodec.parseNonNegativeInt((String) raw)
        : raw instanceof Long && (Long) raw >= 0 && (Long) raw <= Integer.MAX_VALUE
            ? (int) (long) (Long) raw
            : -1;
    if (pod < 0) {
      throw new CorruptDataException(operation + ": stored link is not a pod index");
    }
    return pod;
  }

  private static boolean flag(List<Object> reply, int index) {
    Object v = reply.get(index);
    return v instanceof Long && (Long) v == 1L;
  }
}
