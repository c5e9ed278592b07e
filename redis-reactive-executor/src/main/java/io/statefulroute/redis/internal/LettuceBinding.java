package io.statefulroute.redis.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.util.Timer;
import io.netty.util.concurrent.EventExecutor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the Redis executor takes from a Lettuce client, the same for a standalone Redis and a Redis
 * Cluster: how to open its connections, their reactive commands, the client's event loop and timer,
 * its timeout options and (on a cluster only) the slot map of a connection.
 *
 * <p>Internal, not API: may change.
 *
 * @param partitions the cluster's slot map as a connection sees it; null on a standalone Redis
 */
public record LettuceBinding(
    Supplier<StatefulConnection<String, String>> connect,
    Function<StatefulConnection<String, String>, RedisClusterReactiveCommands<String, String>>
        reactive,
    boolean cluster,
    Supplier<StatefulRedisPubSubConnection<String, String>> connectPubSub,
    EventExecutor flushExecutor,
    Timer timer,
    TimeoutOptions timeoutOptions,
    @Nullable Function<StatefulConnection<String, String>, Partitions> partitions) {

  /** A standalone Redis (or Sentinel / replicas by the client's URI). */
  public static LettuceBinding standalone(RedisClient client) {
    return new LettuceBinding(
        () -> client.connect(StringCodec.UTF8),
        c -> ((StatefulRedisConnection<String, String>) c).reactive(),
        false,
        () -> client.connectPubSub(StringCodec.UTF8),
        client.getResources().eventExecutorGroup().next(),
        client.getResources().timer(),
        client.getOptions().getTimeoutOptions(),
        null);
  }

  /** A Redis Cluster. */
  public static LettuceBinding cluster(RedisClusterClient client) {
    return new LettuceBinding(
        () -> client.connect(StringCodec.UTF8),
        c -> ((StatefulRedisClusterConnection<String, String>) c).reactive(),
        true,
        () -> client.connectPubSub(StringCodec.UTF8),
        client.getResources().eventExecutorGroup().next(),
        client.getResources().timer(),
        client.getOptions().getTimeoutOptions(),
        c -> ((StatefulRedisClusterConnection<String, String>) c).getPartitions());
  }

  /** Logs a warning on {@code log} when {@code client} has no periodic topology refresh. */
  public static void warnWithoutPeriodicTopologyRefresh(
      RedisClusterClient client, System.Logger log) {
    if (!periodicTopologyRefresh(client)) {
      log.log(
          System.Logger.Level.WARNING,
          "the Redis Cluster client has no periodic topology "
              + "refresh (ClusterTopologyRefreshOptions.enablePeriodicRefresh): a failover is seen "
              + "only when a command runs into it, and until then caches are not re-verified "
              + "against the new masters and commands may go to a failed node");
    }
  }

  /** Whether the cluster client refreshes its view of the topology periodically. */
  public static boolean periodicTopologyRefresh(RedisClusterClient client) {
    return client.getOptions() instanceof ClusterClientOptions options
        && options.getTopologyRefreshOptions() != null
        && options.getTopologyRefreshOptions().isPeriodicRefreshEnabled();
  }
}
