package io.statefulroute.redis.internal;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.statefulroute.core.ClaimResult;
import io.statefulroute.core.CorruptDataException;
import io.statefulroute.core.LinkLease;
import io.statefulroute.core.ReplaceResult;
import io.statefulroute.core.StatefulExecutor.Operation;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.KeySchema;
import io.statefulroute.core.spi.LinkAnnouncements;
import io.statefulroute.core.spi.SkippedValues;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The link operations of the Redis executor: for each, its keys (the link, the uid's index, the
 * delayed-removal marker, all under the uid's hash tag), its arguments, the script or command that
 * runs it ({@link BoundedCommands}; the one-value replies of the hot path go straight to Lettuce,
 * {@link DirectCommands}) and the decoding of its reply ({@link Replies}), both under the {@link
 * Operation} that was called, which names it in errors. Arguments are validated at once, with
 * {@link IllegalArgumentException}.
 *
 * <p>Internal, not API: may change.
 */
public final class LinkCommands {
  private static final String[] NO_ARGS = {};

  private final KeySchema keys;
  private final BoundedCommands redis;
  private final BatchReader batches;

  /** Where undecodable links that batch reads and listings skip are counted. */
  private final SkippedValues corruptSkipped;

  /** Whether the link scripts announce their changes (on {@link KeySchema#linkChannel}). */
  private final boolean announce;

  /** The sharded channels announced on instead of the namespace's; null: the namespace's. */
  private final @Nullable ShardChannels shards;

  private final int batchSize;
  private final int batchConcurrency;

  public LinkCommands(
      KeySchema keys,
      BoundedCommands redis,
      BatchReader batches,
      SkippedValues corruptSkipped,
      boolean announce,
      @Nullable ShardChannels shards,
      int batchSize,
      int batchConcurrency) {
    this.keys = keys;
    this.redis = redis;
    this.batches = batches;
    this.corruptSkipped = corruptSkipped;
    this.announce = announce;
    this.shards = shards;
    this.batchSize = batchSize;
    this.batchConcurrency = batchConcurrency;
  }

  /** {@code link_set.lua}: the pod now linked. */
  public Mono<Integer> set(String ns, String uid, String service, int pod, long ttlSeconds) {
    String[] k = linkKeys(ns, uid, service, pod, ttlSeconds);
    return redis
        .direct()
        .valueScript(
            Operation.SET_LINK,
            Scripts.LINK_SET,
            k,
            new String[] {
              Integer.toString(pod),
              Long.toString(ttlSeconds),
              service,
              channel(ns, k[0]),
              LinkAnnouncements.subject(uid, service)
            },
            raw -> Replies.pod(Operation.SET_LINK, raw));
  }

  /**
   * {@code link_set_if_absent.lua}: the pod linked, with the link's remaining life; for {@code
   * operation} {@link Operation#SET_LINK_IF_ABSENT} or {@link Operation#SET_LINK_IF_ABSENT_LEASE}
   * (the one script serves both), which names it in errors.
   */
  public Mono<LinkLease> setIfAbsentLease(
      Operation operation, String ns, String uid, String service, int pod, long ttlSeconds) {
    return setIfAbsent(
        operation,
        ns,
        uid,
        service,
        pod,
        ttlSeconds,
        raw -> Replies.placement(operation, raw, ttlSeconds));
  }

  /**
   * {@code link_set_if_absent.lua} for {@link Operation#SET_LINK_IF_ABSENT}: the pod linked,
   * decoded on the event loop with no operator after it (the gateway's hot path).
   */
  public Mono<Integer> setIfAbsent(
      String ns, String uid, String service, int pod, long ttlSeconds) {
    Operation operation = Operation.SET_LINK_IF_ABSENT;
    return setIfAbsent(
        operation,
        ns,
        uid,
        service,
        pod,
        ttlSeconds,
        raw -> Replies.placement(operation, raw, ttlSeconds).pod());
  }

  private <T> Mono<T> setIfAbsent(
      Operation operation,
      String ns,
      String uid,
      String service,
      int pod,
      long ttlSeconds,
      Function<String, T> decode) {
    String[] k = linkKeys(ns, uid, service, pod, ttlSeconds);
    return redis
        .direct()
        .valueScript(
            operation,
            Scripts.LINK_SET_IF_ABSENT,
            k,
            new String[] {Integer.toString(pod), Long.toString(ttlSeconds), service},
            decode);
  }

  /** {@code link_claim.lua}. */
  public Mono<ClaimResult> claim(String ns, String uid, String service, int pod, long ttlSeconds) {
    String[] k = linkKeys(ns, uid, service, pod, ttlSeconds);
    return redis
        .<List<Object>>script(
            Operation.CLAIM_LINK,
            Scripts.LINK_CLAIM,
            ScriptOutputType.MULTI,
            k,
            Integer.toString(pod),
            Long.toString(ttlSeconds),
            service,
            channel(ns, k[0]),
            LinkAnnouncements.subject(uid, service))
        .map(reply -> Replies.claim(Operation.CLAIM_LINK, reply));
  }

  /** {@code link_replace.lua}. */
  public Mono<ReplaceResult> replace(
      String ns, String uid, String service, int expectedPod, int newPod, long ttlSeconds) {
    Args.pod(expectedPod);
    String[] k = linkKeys(ns, uid, service, newPod, ttlSeconds);
    return redis
        .<List<Object>>script(
            Operation.REPLACE_LINK,
            Scripts.LINK_REPLACE,
            ScriptOutputType.MULTI,
            k,
            Integer.toString(expectedPod),
            Integer.toString(newPod),
            Long.toString(ttlSeconds),
            service,
            channel(ns, k[0]),
            LinkAnnouncements.subject(uid, service))
        .map(reply -> Replies.replace(Operation.REPLACE_LINK, reply));
  }

  /** GET of the link: its pod; empty when there is no link. */
  public Mono<Integer> get(String ns, String uid, String service) {
    String key = keys.link(ns, uid, service);
    return redis.direct().get(Operation.GET_LINK, key, raw -> Replies.pod(Operation.GET_LINK, raw));
  }

  /** {@code link_get_lease.lua}: the pod with its remaining life; empty when there is no link. */
  public Mono<LinkLease> lease(String ns, String uid, String service) {
    String[] k = {keys.link(ns, uid, service)};
    return redis
        .<List<Object>>script(
            Operation.GET_LINK_LEASE, Scripts.LINK_GET_LEASE, ScriptOutputType.MULTI, k)
        .handle(
            (reply, sink) -> Replies.lease(Operation.GET_LINK_LEASE, reply).ifPresent(sink::next));
  }

  /** {@code link_get_if_persistent.lua}: the pod of a persistent link; empty otherwise. */
  public Mono<Integer> getIfPersistent(String ns, String uid, String service) {
    return getIfPersistent(Operation.GET_LINK_IF_PERSISTENT, ns, uid, service);
  }

  /** As {@link #getIfPersistent(String, String, String)}, for {@code operation}. */
  private Mono<Integer> getIfPersistent(
      Operation operation, String ns, String uid, String service) {
    String[] k = {keys.link(ns, uid, service)};
    return redis
        .direct()
        .valueScript(
            operation,
            Scripts.LINK_GET_IF_PERSISTENT,
            k,
            NO_ARGS,
            raw -> Replies.pod(operation, raw));
  }

  /** HGETALL of the uid's link index: service to pod, undecodable entries counted. */
  public Mono<Map<String, Integer>> index(String ns, String uid) {
    String key = keys.linkIndex(ns, uid);
    return redis
        .command(Operation.GET_LINK_INDEX, c -> c.hgetall(key).collectList())
        .map(entries -> Replies.linkIndex(entries, corruptSkipped));
  }

  /** The links of {@code uids} to {@code service}, read in batches ({@link BatchReader}). */
  public Mono<Map<String, Integer>> batchGet(String ns, Collection<String> uids, String service) {
    Args.notNull("uids", uids);
    String[] uidArray = uids.toArray(new String[0]);
    return batches
        .read(Operation.BATCH_GET_LINKS, keys.links(ns, uidArray, service), BatchDecoding.PODS)
        .map(pods -> Replies.links(uidArray, pods, corruptSkipped));
  }

  /** {@code link_remove.lua}: the pod that was linked; empty when there was no link. */
  public Mono<Integer> remove(String ns, String uid, String service, Duration delay) {
    long delayMillis = Args.delayMillis(delay);
    String[] k = linkKeys(ns, uid, service);
    return redis
        .direct()
        .valueScript(
            Operation.REMOVE_LINK,
            Scripts.LINK_REMOVE,
            k,
            new String[] {
              Long.toString(delayMillis),
              service,
              channel(ns, k[0]),
              LinkAnnouncements.subject(uid, service)
            },
            raw -> Replies.pod(Operation.REMOVE_LINK, raw));
  }

  /** {@code link_remove_if_owner.lua}: whether the link to {@code expectedPod} was removed. */
  public Mono<Boolean> removeIfOwner(
      String ns, String uid, String service, int expectedPod, Duration delay) {
    Args.pod(expectedPod);
    long delayMillis = Args.delayMillis(delay);
    String[] k = linkKeys(ns, uid, service);
    return redis
        .<Long>script(
            Operation.REMOVE_LINK_IF_OWNER,
            Scripts.LINK_REMOVE_IF_OWNER,
            ScriptOutputType.INTEGER,
            k,
            Integer.toString(expectedPod),
            Long.toString(delayMillis),
            service,
            channel(ns, k[0]),
            LinkAnnouncements.subject(uid, service))
        .map(removed -> removed == 1L);
  }

  /** {@code link_move.lua}: the operator's compare-and-set; empty when there is no link. */
  public Mono<ReplaceResult> move(
      String ns, String uid, String service, int expectedPod, int newPod) {
    Args.pod(expectedPod);
    Args.pod(newPod);
    String[] k = {
      keys.link(ns, uid, service), keys.linkIndex(ns, uid), keys.linkPin(ns, uid, service)
    };
    return redis
        .<List<Object>>script(
            Operation.MOVE_LINK,
            Scripts.LINK_MOVE,
            ScriptOutputType.MULTI,
            k,
            Integer.toString(expectedPod),
            Integer.toString(newPod),
            service,
            channel(ns, k[0]),
            LinkAnnouncements.subject(uid, service))
        .handle((reply, sink) -> Replies.move(Operation.MOVE_LINK, reply).ifPresent(sink::next));
  }

  /** {@code link_pin.lua}: the previous pod. */
  public Mono<Integer> pin(String ns, String uid, String service, int pod) {
    Args.pod(pod);
    String[] k = linkKeys(ns, uid, service);
    return redis
        .<String>script(
            Operation.PIN_LINK,
            Scripts.LINK_PIN,
            ScriptOutputType.VALUE,
            k,
            Integer.toString(pod),
            service,
            channel(ns, k[0]),
            LinkAnnouncements.subject(uid, service))
        .map(raw -> Replies.pod(Operation.PIN_LINK, raw));
  }

  /** {@code link_unpin.lua}: whether a pin was in force. */
  public Mono<Boolean> unpin(String ns, String uid, String service) {
    String[] k = {keys.link(ns, uid, service), keys.linkPin(ns, uid, service)};
    return redis
        .<Long>script(Operation.UNPIN_LINK, Scripts.LINK_UNPIN, ScriptOutputType.INTEGER, k)
        .map(pinned -> pinned == 1L);
  }

  /** {@code link_get_pin.lua}: the pinned pod while the pin is in force. */
  public Mono<Integer> getPin(String ns, String uid, String service) {
    String[] k = {keys.link(ns, uid, service), keys.linkPin(ns, uid, service)};
    return redis
        .<String>script(Operation.GET_LINK_PIN, Scripts.LINK_GET_PIN, ScriptOutputType.VALUE, k)
        .map(raw -> Replies.pod(Operation.GET_LINK_PIN, raw));
  }

  /**
   * The uids of the namespace whose persistent link to {@code service} points at {@code pod}: SCAN
   * of the link indexes, each uid checked with {@link #getIfPersistent}; errors of the steps and of
   * the checks name {@link Operation#LIST_PERSISTENT_LINKS}.
   */
  public Flux<String> listPersistent(String ns, String service, int pod) {
    ScanArgs match = ScanArgs.Builder.matches(keys.linkIndexPattern(ns)).limit(batchSize);
    Args.service(service);
    Args.pod(pod);
    return scan(ScanCursor.INITIAL, match)
        .expand(step -> step.isFinished() ? Mono.empty() : scan(step, match))
        .concatMapIterable(KeyScanCursor::getKeys, 1)
        .<String>handle(
            (key, sink) -> {
              String uid = keys.uidOfLinkIndex(ns, key);
              if (uid != null) {
                sink.next(uid);
              }
            })
        .flatMap(uid -> ownsPersistently(ns, uid, service, pod), batchConcurrency);
  }

  /** One SCAN step from {@code cursor} (the cluster cursor carries the node it is on). */
  private Mono<KeyScanCursor<String>> scan(ScanCursor cursor, ScanArgs match) {
    return redis.command(Operation.LIST_PERSISTENT_LINKS, c -> c.scan(cursor, match));
  }

  /** The uid when its persistent link points at {@code pod}; a corrupt link is counted. */
  private Mono<String> ownsPersistently(String ns, String uid, String service, int pod) {
    return getIfPersistent(Operation.LIST_PERSISTENT_LINKS, ns, uid, service)
        .filter(owner -> owner == pod)
        .map(owner -> uid)
        .onErrorResume(
            CorruptDataException.class,
            corrupt -> {
              corruptSkipped.skip();
              return Mono.empty();
            });
  }

  /**
   * The channel a link script announces on: the sharded channel of the slot of {@code key} (a key
   * of the uid) on a cluster with sharded announcements, else the namespace's; '' when
   * announcements are off.
   */
  private String channel(String ns, String key) {
    if (!announce) {
      return "";
    }
    return shards != null ? shards.channel(ns, key) : keys.linkChannel(ns);
  }

  private String[] linkKeys(String ns, String uid, String service, int pod, long ttlSeconds) {
    Args.pod(pod);
    Args.ttlSeconds(ttlSeconds);
    return linkKeys(ns, uid, service);
  }

  /**
   * The keys of every link script: the link, the uid's index, the delayed-removal marker, the pin
   * marker (scripts that do not use it ignore it).
   */
  private String[] linkKeys(String ns, String uid, String service) {
    return keys.linkKeys(ns, uid, service);
  }
}
