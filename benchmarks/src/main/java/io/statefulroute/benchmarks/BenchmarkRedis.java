package io.statefulroute.benchmarks;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.statefulroute.test.redis.RedisClusterProcesses;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The Redis a benchmark fork talks to: a throwaway local {@code redis-server} (or a local 3-master
 * cluster) started for the fork and stopped at its end, unless the environment names one:
 *
 * <ul>
 *   <li>standalone: system property {@code redis.url} or environment variable {@code REDIS_URL};
 *   <li>cluster: {@code redis.cluster.urls} or {@code REDIS_CLUSTER_URLS}, comma-separated seeds.
 * </ul>
 *
 * A named server is used as is: the benchmark writes its keys under a namespace of its own and
 * deletes them at the end. The Redis a developer may run on port 6379 is never used unless named.
 */
final class BenchmarkRedis implements AutoCloseable {
  static final String STANDALONE = "standalone";
  static final String CLUSTER = "cluster";

  private final boolean cluster;
  private final List<String> uris;
  private final AutoCloseable owned;

  private BenchmarkRedis(boolean cluster, List<String> uris, AutoCloseable owned) {
    this.cluster = cluster;
    this.uris = List.copyOf(uris);
    this.owned = owned;
  }

  /** The Redis for {@code topology} ({@value #STANDALONE} or {@value #CLUSTER}). */
  static BenchmarkRedis start(String topology) {
    switch (topology) {
      case STANDALONE -> {
        String named = setting("redis.url", "REDIS_URL");
        if (named != null) {
          return new BenchmarkRedis(false, List.of(named), null);
        }
        RedisProcess server = RedisServers.startStandalone();
        return new BenchmarkRedis(false, List.of(server.uri()), server);
      }
      case CLUSTER -> {
        String named = setting("redis.cluster.urls", "REDIS_CLUSTER_URLS");
        if (named != null) {
          return new BenchmarkRedis(
              true,
              Arrays.stream(named.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
              null);
        }
        RedisClusterProcesses nodes = RedisServers.startCluster(3, 0);
        return new BenchmarkRedis(true, nodes.uris(), nodes);
      }
      default ->
          throw new IllegalArgumentException(
              "topology must be " + STANDALONE + " or " + CLUSTER + ": " + topology);
    }
  }

  /** A standalone server started elsewhere, at {@code uri} (not closed by {@link #close()}). */
  static BenchmarkRedis standalone(String uri) {
    return new BenchmarkRedis(false, List.of(uri), null);
  }

  boolean isCluster() {
    return cluster;
  }

  /** Whether the server was started for this fork (and may be used without cleaning up). */
  boolean isThrowaway() {
    return owned != null;
  }

  /** The server's URI, or the cluster's seed URIs. */
  List<String> uris() {
    return uris;
  }

  /** A new Lettuce client with default settings: a {@link RedisClient} or a cluster client. */
  AbstractRedisClient newClient() {
    if (cluster) {
      return RedisClusterClient.create(uris.stream().map(RedisURI::create).toList());
    }
    return RedisClient.create(uris.get(0));
  }

  static void shutdown(AbstractRedisClient client) {
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() throws Exception {
    if (owned != null) {
      owned.close();
    }
  }

  @Override
  public String toString() {
    return (cluster ? "cluster " : "standalone ")
        + uris
        + (owned != null ? " (throwaway)" : " (named by the environment)");
  }

  private static String setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }
}
