package io.statefulroute.test.redis;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The JVM-wide servers behind {@link RedisServers#standalone()} and {@link RedisServers#cluster()}:
 * each started on first use, at most once, and reused by every test class until {@link #stopAll()}
 * (end of the JUnit run) or the JVM shutdown hook. A failed start is remembered and reported again
 * without a second attempt.
 */
// a start that failed is remembered and rethrown, so that one broken redis-server does not
// cost every later test class another start attempt
@SuppressWarnings("StaticAssignmentOfThrowable")
final class SharedServers {

  private static final String CLUSTER_NOT_FOUND =
      "redis-server not found on PATH: "
          + RedisInstallation.INSTALL_HINT
          + ", or set REDIS_CLUSTER_URLS=redis://host:port,redis://host:port,..."
          + " (the cluster target cannot run in Docker)";
  private static final String CLUSTER_NEEDS_LOCAL =
      "The Redis Cluster test target needs redis-server"
          + " installed locally (a cluster in containers needs host networking, Docker is not"
          + " enough): "
          + RedisInstallation.INSTALL_HINT
          + ", or set REDIS_CLUSTER_URLS=redis://host:port,redis://host:port,...";

  private static @Nullable RedisTarget standalone;
  private static @Nullable AutoCloseable standaloneServer;
  private static @Nullable RuntimeException standaloneFailure;
  private static @Nullable RedisTarget cluster;
  private static @Nullable RedisClusterProcesses clusterServers;
  private static @Nullable RuntimeException clusterFailure;

  private SharedServers() {}

  static synchronized RedisTarget standalone() {
    RedisTarget target = standalone;
    if (target != null) {
      return target;
    }
    rethrow(standaloneFailure);
    try {
      RedisTarget started = startStandalone();
      standalone = started;
      return started;
    } catch (RuntimeException e) {
      standaloneFailure = e;
      throw e;
    }
  }

  static synchronized RedisTarget cluster() {
    RedisTarget target = cluster;
    if (target != null) {
      return target;
    }
    rethrow(clusterFailure);
    try {
      RedisTarget started = startCluster();
      cluster = started;
      return started;
    } catch (RuntimeException e) {
      clusterFailure = e;
      throw e;
    }
  }

  /** Stops what was started (servers named by REDIS_URL are left alone); later use starts anew. */
  static synchronized void stopAll() {
    AutoCloseable oldStandalone = standaloneServer;
    RedisClusterProcesses oldCluster = clusterServers;
    standalone = null;
    standaloneServer = null;
    standaloneFailure = null;
    cluster = null;
    clusterServers = null;
    clusterFailure = null;
    if (oldCluster != null) {
      oldCluster.close();
    }
    if (oldStandalone != null) {
      try {
        oldStandalone.close();
      } catch (Exception e) {
        throw new IllegalStateException("Stopping " + oldStandalone + " failed", e);
      }
    }
  }

  private static RedisTarget startStandalone() {
    Optional<String> url = RedisInstallation.setting("redis.url", "REDIS_URL");
    if (url.isPresent()) {
      return new RedisTarget(RedisTarget.Kind.STANDALONE, List.of(url.get()), false);
    }
    Optional<RedisInstallation> local = RedisInstallation.find();
    if (local.isPresent()) {
      RedisProcess server = RedisProcess.launch(local.get(), false, List.of());
      standaloneServer = server;
      return new RedisTarget(RedisTarget.Kind.STANDALONE, List.of(server.uri()), true);
    }
    if (dockerAvailable()) {
      DockerRedis server = DockerRedis.start();
      standaloneServer = server;
      return new RedisTarget(RedisTarget.Kind.STANDALONE, List.of(server.uri()), true);
    }
    throw new IllegalStateException(RedisInstallation.NOT_FOUND);
  }

  private static RedisTarget startCluster() {
    Optional<String> urls = RedisInstallation.setting("redis.cluster.urls", "REDIS_CLUSTER_URLS");
    if (urls.isPresent()) {
      List<String> seeds =
          Arrays.stream(urls.get().split(","))
              .map(String::trim)
              .filter(seed -> !seed.isEmpty())
              .toList();
      return new RedisTarget(RedisTarget.Kind.CLUSTER, seeds, false);
    }
    Optional<RedisInstallation> local = RedisInstallation.find();
    if (local.isPresent()) {
      clusterServers = RedisClusterProcesses.launch(local.get(), 3, 0, List.of());
      return clusterServers.target();
    }
    throw new IllegalStateException(dockerAvailable() ? CLUSTER_NEEDS_LOCAL : CLUSTER_NOT_FOUND);
  }

  private static boolean dockerAvailable() {
    try {
      return DockerRedis.isAvailable();
    } catch (LinkageError e) {
      return false; // Testcontainers (an optional dependency of the kit) is not on the class path
    }
  }

  private static void rethrow(@Nullable RuntimeException earlier) {
    if (earlier != null) {
      throw new IllegalStateException(
          "Starting it failed earlier in this JVM: " + earlier.getMessage(), earlier);
    }
  }
}
