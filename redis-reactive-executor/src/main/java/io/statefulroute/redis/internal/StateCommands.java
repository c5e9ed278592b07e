package io.statefulroute.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.statefulroute.core.PodStatus;
import io.statefulroute.core.RebalancerLease;
import io.statefulroute.core.StateSnapshot;
import io.statefulroute.core.StatefulExecutor.Operation;
import io.statefulroute.core.spi.Args;
import io.statefulroute.core.spi.KeySchema;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The pod-state, cordon, rebalancing and workload operations of the Redis executor: their keys (all
 * under the service's hash tag), arguments, the script or command that runs each ({@link
 * BoundedCommands}) and the decoding of its reply ({@link Replies}), under the {@link Operation}
 * that was called. Arguments are validated at once, with {@link IllegalArgumentException}. The link
 * operations are {@link LinkCommands}.
 *
 * <p>Internal, not API: may change.
 */
public final class StateCommands {
  private final KeySchema keys;
  private final BoundedCommands redis;
  private final BatchReader batches;

  public StateCommands(KeySchema keys, BoundedCommands redis, BatchReader batches) {
    this.keys = keys;
    this.redis = redis;
    this.batches = batches;
  }

  /** {@code state_publish.lua}: this pod's record; replies the server time it was written at. */
  public Mono<Long> publish(String ns, String service, PodStatus status, Duration pruneAfter) {
    Args.notNull("status", status);
    long pruneMillis = Args.positive("pruneAfter", pruneAfter).toMillis();
    String[] k = {keys.state(ns, service)};
    return redis.script(
        Operation.PUBLISH_STATE,
        Scripts.STATE_PUBLISH,
        ScriptOutputType.INTEGER,
        k,
        Integer.toString(status.pod()),
        Integer.toString(status.load()),
        String.valueOf(status.state().code()),
        status.incarnation(),
        Long.toString(pruneMillis));
  }

  /** {@code state_read.lua}: every pod's record and the cordons, in one atomic read. */
  public Mono<StateSnapshot> read(String ns, String service) {
    String[] k = {keys.state(ns, service), keys.cordons(ns, service)};
    return redis
        .<List<Object>>script(Operation.READ_STATE, Scripts.STATE_READ, ScriptOutputType.MULTI, k)
        .map(reply -> Replies.snapshot(Operation.READ_STATE, reply));
  }

  /**
   * {@code state_cordon.lua} ({@link Operation#CORDON_POD}) or {@code state_uncordon.lua} ({@link
   * Operation#UNCORDON_POD}); replies whether the cordon changed.
   */
  public Mono<Boolean> cordon(Operation operation, String ns, String service, int pod) {
    Args.pod(pod);
    LuaScript script =
        operation == Operation.CORDON_POD ? Scripts.STATE_CORDON : Scripts.STATE_UNCORDON;
    String[] k = {keys.cordons(ns, service)};
    return redis
        .<Long>script(operation, script, ScriptOutputType.INTEGER, k, Integer.toString(pod))
        .map(changed -> changed == 1L);
  }

  /** {@code rebalance_lease.lua}: acquires or renews the lease, unless suspended. */
  public Mono<RebalancerLease> acquireRebalancer(
      String ns, String service, String owner, Duration ttl) {
    Args.incarnation(owner);
    long ttlMillis = Args.positive("ttl", ttl).toMillis();
    String[] k = {keys.rebalancer(ns, service), keys.rebalanceSuspended(ns, service)};
    return redis
        .<Long>script(
            Operation.ACQUIRE_REBALANCER,
            Scripts.REBALANCE_LEASE,
            ScriptOutputType.INTEGER,
            k,
            owner,
            Long.toString(ttlMillis))
        .map(
            reply ->
                reply == 1L
                    ? RebalancerLease.HELD
                    : reply == 2L ? RebalancerLease.SUSPENDED : RebalancerLease.HELD_ELSEWHERE);
  }

  /** SET NX (suspend) or DEL (resume) of the suspension marker; replies whether it changed. */
  public Mono<Boolean> suspendRebalancing(String ns, String service, boolean suspended) {
    String key = keys.rebalanceSuspended(ns, service);
    Operation op = Operation.SUSPEND_REBALANCING;
    return suspended
        ? redis.<String>command(op, c -> c.set(key, "1", SetArgs.Builder.nx())).hasElement()
        : redis.<Long>command(op, c -> c.del(key)).map(n -> n > 0);
  }

  /** SET ... PX of the pod's shed request. */
  public Mono<Void> requestShed(String ns, String service, int pod, int links, Duration ttl) {
    Args.atLeast("links", links, 1);
    long ttlMillis = Args.positive("ttl", ttl).toMillis();
    String key = keys.shed(ns, service, pod);
    String value = Integer.toString(links);
    return redis
        .<String>command(
            Operation.REQUEST_SHED, c -> c.set(key, value, SetArgs.Builder.px(ttlMillis)))
        .then();
  }

  /** {@code shed_take.lua}: the pod's pending shed request, taken once. */
  public Mono<Integer> takeShedRequest(String ns, String service, int pod) {
    String[] k = {keys.shed(ns, service, pod)};
    return redis
        .<Long>script(Operation.TAKE_SHED_REQUEST, Scripts.SHED_TAKE, ScriptOutputType.INTEGER, k)
        .map(Long::intValue);
  }

  /** SET of the service's workload value. */
  public Mono<Void> setWorkload(String ns, String service, String value) {
    Args.workloadValue(value);
    String key = keys.workload(ns, service);
    return redis.command(Operation.SET_WORKLOAD_STATE, c -> c.set(key, value)).then();
  }

  /** GET of the service's workload value. */
  public Mono<String> getWorkload(String ns, String service) {
    String key = keys.workload(ns, service);
    return redis.command(Operation.GET_WORKLOAD_STATE, c -> c.get(key));
  }

  /** The workload values of {@code services} that are set, by the batch reader. */
  public Mono<Map<String, String>> batchGetWorkloads(String ns, Collection<String> services) {
    Args.notNull("services", services);
    String[] serviceArray = services.toArray(new String[0]);
    String[] workloadKeys = new String[serviceArray.length];
    for (int i = 0; i < serviceArray.length; i++) {
      workloadKeys[i] = keys.workload(ns, serviceArray[i]);
    }
    return batches
        .read(Operation.BATCH_GET_WORKLOAD_STATES, workloadKeys, BatchDecoding.VALUES)
        .map(values -> Replies.present(serviceArray, values));
  }
}
