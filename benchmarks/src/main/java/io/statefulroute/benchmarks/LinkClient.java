package io.statefulroute.benchmarks;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.statefulroute.redis.RedisExecutorOptions;
import io.statefulroute.redis.RedisStatefulExecutor;
import org.reactivestreams.Publisher;

/**
 * The three operations under test, by one of the clients compared: the executor (with or without
 * flush coalescing), plain Lettuce, or a peer (Spring Data Redis reactive, Redisson reactive). Each
 * call returns a cold publisher; subscribing runs the operation once.
 */
interface LinkClient extends AutoCloseable {
  String EXECUTOR = "executor";
  String EXECUTOR_NO_COALESCE = "executor-no-coalesce";
  String LETTUCE = "lettuce";
  String SPRING_DATA_REDIS = "spring-data-redis";
  String REDISSON = "redisson";

  /** Set-if-absent of uid {@code i}'s link; emits the pod the link points at. */
  Publisher<?> setLinkIfAbsent(int i);

  /** The link of uid {@code i}; emits its pod. */
  Publisher<?> getLink(int i);

  /** The links of batch {@code b} of the pool; emits them (a map, or one key-value each). */
  Publisher<?> batchGetLinks(int b);

  @Override
  void close();

  /**
   * The client named {@code name}: the executor and raw Lettuce on a new connection of {@code
   * client}, the peers on clients of their own to {@code redis}.
   */
  static LinkClient open(
      String name, AbstractRedisClient client, BenchmarkRedis redis, LinkPool pool) {
    return switch (name) {
      case EXECUTOR -> new Executor(executor(client, RedisExecutorOptions.defaults()), pool);
      case EXECUTOR_NO_COALESCE ->
          new Executor(
              executor(client, RedisExecutorOptions.builder().coalesceFlushes(false).build()),
              pool);
      case LETTUCE -> new Lettuce(client, pool);
      case SPRING_DATA_REDIS -> new SpringDataRedisLinks(redis, pool);
      case REDISSON -> new RedissonLinks(redis, pool);
      default ->
          throw new IllegalArgumentException(
              String.join(
                      ", ", EXECUTOR, EXECUTOR_NO_COALESCE, LETTUCE, SPRING_DATA_REDIS, REDISSON)
                  + " are the clients: "
                  + name);
    };
  }

  private static RedisStatefulExecutor executor(
      AbstractRedisClient client, RedisExecutorOptions options) {
    return client instanceof RedisClusterClient cluster
        ? RedisStatefulExecutor.create(cluster, options)
        : RedisStatefulExecutor.create((RedisClient) client, options);
  }

  /** Through {@link RedisStatefulExecutor}: uids in, keys built per call, replies decoded. */
  final class Executor implements LinkClient {
    private final RedisStatefulExecutor executor;
    private final LinkPool pool;
    private final String ns;

    Executor(RedisStatefulExecutor executor, LinkPool pool) {
      this.executor = executor;
      this.pool = pool;
      this.ns = pool.namespace();
    }

    @Override
    public Publisher<?> setLinkIfAbsent(int i) {
      return executor.setLinkIfAbsent(
          ns, pool.uid(i), LinkPool.SERVICE, LinkPool.candidatePod(i), LinkPool.TTL_SECONDS);
    }

    @Override
    public Publisher<?> getLink(int i) {
      return executor.getLink(ns, pool.uid(i), LinkPool.SERVICE);
    }

    @Override
    public Publisher<?> batchGetLinks(int b) {
      return executor.batchGetLinks(ns, pool.batchUids(b), LinkPool.SERVICE);
    }

    @Override
    public void close() {
      executor.close();
    }

    @Override
    public String toString() {
      return "RedisStatefulExecutor " + executor.options();
    }
  }

  /**
   * Plain Lettuce, the baseline: a default connection (auto-flush on: one socket flush per
   * command), keys computed beforehand, EVALSHA of the very script the executor runs, GET, MGET;
   * replies as Lettuce emits them, not decoded.
   */
  final class Lettuce implements LinkClient {
    private final StatefulConnection<String, String> connection;
    private final RedisClusterReactiveCommands<String, String> commands;
    private final LinkPool pool;
    private final String sha;

    Lettuce(AbstractRedisClient client, LinkPool pool) {
      if (client instanceof RedisClusterClient cluster) {
        StatefulRedisClusterConnection<String, String> c = cluster.connect(StringCodec.UTF8);
        this.connection = c;
        this.commands = c.reactive();
      } else {
        StatefulRedisConnection<String, String> c =
            ((RedisClient) client).connect(StringCodec.UTF8);
        this.connection = c;
        this.commands = c.reactive();
      }
      this.pool = pool;
      this.sha = pool.setIfAbsentSha();
    }

    @Override
    public Publisher<?> setLinkIfAbsent(int i) {
      return commands.evalsha(
          sha,
          ScriptOutputType.VALUE,
          pool.scriptKeys(i),
          LinkPool.podArg(LinkPool.candidatePod(i)),
          LinkPool.TTL_ARG,
          LinkPool.SERVICE);
    }

    @Override
    public Publisher<?> getLink(int i) {
      return commands.get(pool.linkKey(i));
    }

    @Override
    public Publisher<?> batchGetLinks(int b) {
      return commands.mget(pool.batchKeys(b));
    }

    @Override
    public void close() {
      connection.close();
    }

    @Override
    public String toString() {
      return "Lettuce reactive commands on a default connection (auto-flush on)";
    }
  }
}
